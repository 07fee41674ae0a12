-- mbx-sandbox schema: order amendments (keepPriority), SOR allocations and prevented matches.

-- Whether the order was placed through SOR (usedSor, workingFloor).
ALTER TABLE orders ADD COLUMN used_sor INTEGER NOT NULL DEFAULT 0 CHECK (used_sor IN (0, 1));

-- Each amendment of an order's quantity: /api/v3/order/amendments.
CREATE TABLE amendments (
    execution_id         INTEGER PRIMARY KEY,
    account_id           INTEGER NOT NULL REFERENCES accounts(id),
    symbol               TEXT    NOT NULL,
    order_id             INTEGER NOT NULL REFERENCES orders(order_id),
    orig_client_order_id TEXT    NOT NULL,
    new_client_order_id  TEXT    NOT NULL,
    orig_qty             TEXT    NOT NULL,
    new_qty              TEXT    NOT NULL,
    time_ms              INTEGER NOT NULL
);
CREATE INDEX amendments_by_order ON amendments (order_id, execution_id);

-- The taker's side of an SOR order's executions: /api/v3/myAllocations (the fills table does not
-- hold them: they are not the account's trades).
CREATE TABLE allocations (
    allocation_id    INTEGER PRIMARY KEY,
    trade_id         INTEGER NOT NULL REFERENCES trades(trade_id),
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
    time_ms          INTEGER NOT NULL
);
CREATE INDEX allocations_by_account ON allocations (account_id, symbol, allocation_id);
CREATE INDEX allocations_by_order ON allocations (order_id, allocation_id);

-- Each prevented self-trade: /api/v3/myPreventedMatches.
CREATE TABLE prevented_matches (
    prevented_match_id   INTEGER PRIMARY KEY,
    symbol               TEXT    NOT NULL,
    taker_account_id     INTEGER NOT NULL REFERENCES accounts(id),
    taker_order_id       INTEGER NOT NULL REFERENCES orders(order_id),
    maker_symbol         TEXT    NOT NULL,
    maker_account_id     INTEGER NOT NULL REFERENCES accounts(id),
    maker_order_id       INTEGER NOT NULL REFERENCES orders(order_id),
    trade_group_id       INTEGER NOT NULL,
    stp_mode             TEXT    NOT NULL,
    price                TEXT    NOT NULL,
    -- NULL when the mode took nothing off that side.
    taker_prevented_qty  TEXT,
    maker_prevented_qty  TEXT,
    match_qty            TEXT    NOT NULL,
    time_ms              INTEGER NOT NULL
);
CREATE INDEX prevented_by_taker ON prevented_matches (taker_order_id);
CREATE INDEX prevented_by_maker ON prevented_matches (maker_order_id);
