-- mbx-sandbox schema: icebergs, trailing stops and pegged orders. Additive: every column is NULL for
-- an order without the feature (and for every order stored before this migration).

-- icebergQty, and what the current slice still shows in the book (decimal text).
ALTER TABLE orders ADD COLUMN iceberg_qty TEXT;
ALTER TABLE orders ADD COLUMN iceberg_shown TEXT;
-- trailingDelta (BIPS), trailingTime (ms, -1 until tracking) and the best last price since then.
ALTER TABLE orders ADD COLUMN trailing_delta INTEGER;
ALTER TABLE orders ADD COLUMN trailing_time INTEGER;
ALTER TABLE orders ADD COLUMN trailing_best TEXT;
-- pegPriceType ('PRIMARY_PEG', 'MARKET_PEG'), pegOffsetValue (levels, PRICE_LEVEL) and peggedPrice
-- once determined. For a pegged order the price column holds the price it was sent with (0 if none)
-- and pegged_price the price it works at.
ALTER TABLE orders ADD COLUMN peg_price_type TEXT;
ALTER TABLE orders ADD COLUMN peg_offset_value INTEGER;
ALTER TABLE orders ADD COLUMN pegged_price TEXT;
