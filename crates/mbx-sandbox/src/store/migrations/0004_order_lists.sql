-- mbx-sandbox schema: order lists (OCO). Numbered 0004 so that it never clashes with another 0003;
-- the migrations run in the order of store/mod.rs's list.

-- The list an order belongs to; NULL for an order on its own.
ALTER TABLE orders ADD COLUMN order_list_id INTEGER;
CREATE INDEX orders_by_list ON orders (order_list_id) WHERE order_list_id IS NOT NULL;

-- The list of the order that traded (myTrades' orderListId); NULL for an order on its own.
ALTER TABLE fills ADD COLUMN order_list_id INTEGER;

CREATE TABLE order_lists (
    order_list_id        INTEGER PRIMARY KEY,
    account_id           INTEGER NOT NULL REFERENCES accounts(id),
    symbol               TEXT    NOT NULL,
    -- 'OCO'.
    contingency_type     TEXT    NOT NULL,
    -- 'EXECUTING' or 'ALL_DONE' (listOrderStatus; listStatusType follows from it).
    status               TEXT    NOT NULL,
    list_client_order_id TEXT    NOT NULL,
    -- The orders' ids in the list's order, comma-separated.
    order_ids            TEXT    NOT NULL,
    time_ms              INTEGER NOT NULL,
    -- The last status change: transactionTime in status reports, and what allOrderList filters by.
    update_ms            INTEGER NOT NULL
);
CREATE INDEX order_lists_by_account ON order_lists (account_id, order_list_id);
CREATE INDEX order_lists_by_client_id ON order_lists (account_id, list_client_order_id);
CREATE INDEX order_lists_open ON order_lists (status) WHERE status = 'EXECUTING';
