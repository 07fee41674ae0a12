-- Client order ids are found through a 64-bit hash of (account, symbol, client order id) instead of
-- the text itself (store/client_ids.rs): two integers a row instead of two texts and two integers, so
-- a batch of 16,384 orders compares integers on its way down the B-tree and fills a third of the
-- pages. The hash is computed in Rust, so this table starts empty and is filled from orders at the
-- next open, as after a crash.
DROP TABLE client_order_ids;

CREATE TABLE client_order_hashes (
    key_hash INTEGER NOT NULL,
    order_id INTEGER NOT NULL,
    PRIMARY KEY (key_hash, order_id)
) WITHOUT ROWID;
