-- mbx-sandbox schema, version 11: trade ids count per symbol, as on Binance (each symbol's trades
-- are numbered 1, 2, 3, ... without gaps, so a 24-hour ticker's count is lastId - firstId + 1 and a
-- stream's `t` follows on from the last). A trade is now named by its symbol and its id. The rows
-- already stored keep their ids, which were unique across symbols and so are unique within each.

CREATE TABLE trades_by_symbol_id (
    symbol          TEXT    NOT NULL,
    trade_id        INTEGER NOT NULL,
    price           TEXT    NOT NULL,
    qty             TEXT    NOT NULL,
    quote_qty       TEXT    NOT NULL,
    time_ms         INTEGER NOT NULL,
    buyer_order_id  INTEGER NOT NULL REFERENCES orders(order_id),
    seller_order_id INTEGER NOT NULL REFERENCES orders(order_id),
    is_buyer_maker  INTEGER NOT NULL CHECK (is_buyer_maker IN (0, 1)),
    PRIMARY KEY (symbol, trade_id)
) WITHOUT ROWID;
INSERT INTO trades_by_symbol_id
    SELECT symbol, trade_id, price, qty, quote_qty, time_ms, buyer_order_id, seller_order_id, is_buyer_maker
    FROM trades;

CREATE TABLE fills_by_symbol_id (
    trade_id         INTEGER NOT NULL,
    is_buyer         INTEGER NOT NULL CHECK (is_buyer IN (0, 1)),
    account_id       INTEGER NOT NULL REFERENCES accounts(id),
    order_id         INTEGER NOT NULL REFERENCES orders(order_id),
    symbol           TEXT    NOT NULL,
    price            TEXT    NOT NULL,
    qty              TEXT    NOT NULL,
    quote_qty        TEXT    NOT NULL,
    commission       TEXT    NOT NULL,
    commission_asset TEXT    NOT NULL,
    is_maker         INTEGER NOT NULL CHECK (is_maker IN (0, 1)),
    time_ms          INTEGER NOT NULL,
    order_list_id    INTEGER,
    PRIMARY KEY (symbol, trade_id, is_buyer),
    FOREIGN KEY (symbol, trade_id) REFERENCES trades_by_symbol_id (symbol, trade_id)
) WITHOUT ROWID;
INSERT INTO fills_by_symbol_id
    SELECT trade_id, is_buyer, account_id, order_id, symbol, price, qty, quote_qty, commission,
           commission_asset, is_maker, time_ms, order_list_id
    FROM fills;

CREATE TABLE allocations_by_symbol_id (
    allocation_id    INTEGER PRIMARY KEY,
    trade_id         INTEGER NOT NULL,
    is_buyer         INTEGER NOT NULL CHECK (is_buyer IN (0, 1)),
    account_id       INTEGER NOT NULL REFERENCES accounts(id),
    order_id         INTEGER NOT NULL REFERENCES orders(order_id),
    order_list_id    INTEGER,
    symbol           TEXT    NOT NULL,
    price            TEXT    NOT NULL,
    qty              TEXT    NOT NULL,
    quote_qty        TEXT    NOT NULL,
    commission       TEXT    NOT NULL,
    commission_asset TEXT    NOT NULL,
    is_maker         INTEGER NOT NULL CHECK (is_maker IN (0, 1)),
    time_ms          INTEGER NOT NULL,
    FOREIGN KEY (symbol, trade_id) REFERENCES trades_by_symbol_id (symbol, trade_id)
);
INSERT INTO allocations_by_symbol_id
    SELECT allocation_id, trade_id, is_buyer, account_id, order_id, order_list_id, symbol, price, qty,
           quote_qty, commission, commission_asset, is_maker, time_ms
    FROM allocations;

-- Children first, so that no row is left pointing at a dropped table.
DROP TABLE fills;
DROP TABLE allocations;
DROP TABLE trades;
-- Renaming the parent rewrites the children's references to it.
ALTER TABLE trades_by_symbol_id RENAME TO trades;
ALTER TABLE fills_by_symbol_id RENAME TO fills;
ALTER TABLE allocations_by_symbol_id RENAME TO allocations;

CREATE INDEX trades_by_symbol_time ON trades (symbol, time_ms);
CREATE INDEX fills_by_account ON fills (account_id, symbol, trade_id);
CREATE INDEX fills_by_order ON fills (order_id);
CREATE INDEX allocations_by_account ON allocations (account_id, symbol, allocation_id);
CREATE INDEX allocations_by_order ON allocations (order_id, allocation_id);

-- The one sequence of every symbol's trades is no longer read: each symbol resumes after its
-- largest stored trade id.
DELETE FROM sequences WHERE name = 'trade_id';
