-- mbx-sandbox schema, version 13: the backlog. Each group commit writes what it changed as one
-- encoded record here (store/backlog.rs); the orders, trades and other tables are brought up to
-- date from these records later, in one transaction that deletes the rows it applied. Rows left
-- by a crash are applied at open.

CREATE TABLE backlog (
    seq  INTEGER PRIMARY KEY,
    body BLOB    NOT NULL
);
