-- mbx-sandbox schema, version 12: aggregate trade ids, a sequence of their own per symbol as on
-- Binance (1, 2, 3, ... without gaps), stored with each trade. An aggregate is a run of trades of
-- one taker order at one price at one time. The trades already stored are numbered here by the same
-- rule, in trade id order, symbol by symbol.

ALTER TABLE trades ADD COLUMN agg_id INTEGER NOT NULL DEFAULT 0;

CREATE TEMP TABLE aggregate_numbers AS
WITH marked AS (
    SELECT symbol, trade_id, price, time_ms,
           CASE WHEN is_buyer_maker = 1 THEN seller_order_id ELSE buyer_order_id END AS taker
    FROM trades
),
runs AS (
    SELECT symbol, trade_id,
           CASE WHEN lag(taker) OVER w IS taker AND lag(price) OVER w IS price
                     AND lag(time_ms) OVER w IS time_ms
                THEN 0 ELSE 1 END AS starts
    FROM marked
    WINDOW w AS (PARTITION BY symbol ORDER BY trade_id)
)
SELECT symbol, trade_id, sum(starts) OVER (PARTITION BY symbol ORDER BY trade_id) AS agg_id
FROM runs;

UPDATE trades SET agg_id = n.agg_id
FROM aggregate_numbers AS n
WHERE n.symbol = trades.symbol AND n.trade_id = trades.trade_id;

DROP TABLE aggregate_numbers;

CREATE INDEX trades_by_symbol_aggregate ON trades (symbol, agg_id);
