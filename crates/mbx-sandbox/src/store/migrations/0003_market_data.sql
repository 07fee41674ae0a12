-- mbx-sandbox schema, version 3: reading trades by time (klines, aggTrades with startTime/endTime,
-- the rolling and trading-day tickers). trade_id is the rowid, so the index also orders equal times.

CREATE INDEX trades_by_symbol_time ON trades (symbol, time_ms);
