-- mbx-sandbox schema, version 14: how far the tables are settled. On disk the backlog moved to a
-- database file of its own (backlog.db beside sandbox.db), written by the engine's group commits,
-- while a thread of its own writes the tables from it (store/settler.rs). Each of its transactions
-- records here the last backlog record it applied; at open, the records after it are applied.
-- The backlog table of version 13 stays, for the records an older sandbox may have left in it.

CREATE TABLE settled (
    id      INTEGER PRIMARY KEY CHECK (id = 0),
    through INTEGER NOT NULL
);
INSERT INTO settled (id, through) VALUES (0, 0);
