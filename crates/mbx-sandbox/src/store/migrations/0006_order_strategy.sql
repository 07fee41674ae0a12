-- mbx-sandbox schema: an order's strategy labels (strategyId, strategyType), as sent with an order
-- list's legs; NULL when not sent.
ALTER TABLE orders ADD COLUMN strategy_id INTEGER;
ALTER TABLE orders ADD COLUMN strategy_type INTEGER;
