-- mbx-sandbox schema, version 2: orders, trades, each account's side of a trade, id sequences.
-- Money is decimal text, never REAL. Enums are Binance's wire spellings.

CREATE TABLE orders (
    order_id             INTEGER PRIMARY KEY,
    account_id           INTEGER NOT NULL REFERENCES accounts(id),
    symbol               TEXT    NOT NULL,
    client_order_id      TEXT    NOT NULL,
    side                 TEXT    NOT NULL,
    type                 TEXT    NOT NULL,
    time_in_force        TEXT    NOT NULL,
    -- '0' for MARKET orders.
    price                TEXT    NOT NULL,
    orig_qty             TEXT    NOT NULL,
    executed_qty         TEXT    NOT NULL,
    cumm_quote_qty       TEXT    NOT NULL,
    orig_quote_order_qty TEXT    NOT NULL,
    -- NULL unless a stop or take-profit order.
    stop_price           TEXT,
    status               TEXT    NOT NULL,
    stp_mode             TEXT    NOT NULL,
    -- What the order still holds of its account's balance (quote asset for BUY, base for SELL).
    locked               TEXT    NOT NULL,
    time_ms              INTEGER NOT NULL,
    update_ms            INTEGER NOT NULL,
    -- -1 while not working (an untriggered stop order).
    working_time         INTEGER NOT NULL,
    -- Position in the book's time priority (NULL when not resting); books are rebuilt in this order.
    book_seq             INTEGER,
    prevented_match_id   INTEGER,
    prevented_qty        TEXT
);
CREATE INDEX orders_by_account ON orders (account_id, symbol, order_id);
CREATE INDEX orders_by_client_id ON orders (account_id, symbol, client_order_id);
CREATE INDEX orders_open ON orders (status) WHERE status IN ('NEW', 'PARTIALLY_FILLED');

-- The public record of a match: /api/v3/trades.
CREATE TABLE trades (
    trade_id        INTEGER PRIMARY KEY,
    symbol          TEXT    NOT NULL,
    price           TEXT    NOT NULL,
    qty             TEXT    NOT NULL,
    quote_qty       TEXT    NOT NULL,
    time_ms         INTEGER NOT NULL,
    buyer_order_id  INTEGER NOT NULL REFERENCES orders(order_id),
    seller_order_id INTEGER NOT NULL REFERENCES orders(order_id),
    is_buyer_maker  INTEGER NOT NULL CHECK (is_buyer_maker IN (0, 1))
);
CREATE INDEX trades_by_symbol ON trades (symbol, trade_id);

-- Each side of a trade as its account sees it: /api/v3/myTrades and an order's fills.
CREATE TABLE fills (
    trade_id         INTEGER NOT NULL REFERENCES trades(trade_id),
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
    PRIMARY KEY (trade_id, is_buyer)
) WITHOUT ROWID;
CREATE INDEX fills_by_account ON fills (account_id, symbol, trade_id);
CREATE INDEX fills_by_order ON fills (order_id);

-- The next value of each id sequence; never decreases.
CREATE TABLE sequences (
    name TEXT    PRIMARY KEY,
    next INTEGER NOT NULL
) WITHOUT ROWID;
