#!/usr/bin/env python3
"""Conformance: clients nobody here wrote, python-binance and ccxt, driven at the mbx sandbox.

Usage: run.py PATH/TO/mbx   (the sandbox is started on a free loopback port, in memory, and stopped)
Each client: account, place and cancel a LIMIT order, a MARKET order that fills, open orders, my trades.
python-binance also over WebSockets: its trade, partial depth and multiplexed streams (BinanceSocketManager)
and its WebSocket API calls (UUID request ids, HMAC-signed requests); ccxt pro watches trades and the order
book (its local book from the depth diffs and a REST snapshot).
Prints one line per check and a closing 'N passed, N failed' line; exits 1 if any check failed.
"""
import json
import subprocess
import sys
import traceback

mbx = sys.argv[1]
proc = subprocess.Popen([mbx, "--output", "json", "sandbox", "--addr", "127.0.0.1:0", "--memory"],
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
info = json.loads(proc.stdout.readline())
BASE, KEY, SECRET = info["rest"], info["apiKey"], info["secretKey"]
results = []


def expect(condition, message):
    """Raises AssertionError(message) unless condition holds (usable inside lambdas)."""
    if not condition:
        raise AssertionError(message)


def check(name, fn):
    try:
        detail = fn()
        results.append((name, True, detail or ""))
    except Exception as e:  # a failed check is reported, the others still run
        results.append((name, False, f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=3)}"))


def python_binance():
    from binance.client import Client
    c = Client(KEY, SECRET, ping=False)
    c.API_URL = BASE + "/api"
    check("python-binance: server time", lambda: expect(c.get_server_time()["serverTime"] > 0, "no server time"))

    def account():
        usdt = [b for b in c.get_account()["balances"] if b["asset"] == "USDT"][0]
        assert float(usdt["free"]) > 0, usdt
    check("python-binance: account", account)
    state = {}

    def limit():
        o = c.create_order(symbol="BTCUSDT", side="BUY", type="LIMIT", timeInForce="GTC", quantity="0.001", price="30000")
        assert o["status"] == "NEW", o
        state["id"] = o["orderId"]
    check("python-binance: LIMIT order placed", limit)
    check("python-binance: open orders", lambda: expect(any(o["orderId"] == state.get("id") for o in c.get_open_orders(symbol="BTCUSDT")), "order not open"))
    check("python-binance: cancel", lambda: expect(c.cancel_order(symbol="BTCUSDT", orderId=state.get("id"))["status"] == "CANCELED", "not cancelled"))

    def market():
        o = c.order_market_buy(symbol="BTCUSDT", quantity="0.001")
        assert o["status"] == "FILLED" and o["fills"], o
        state["trade"] = o["fills"][0]["tradeId"]
    check("python-binance: MARKET order filled", market)
    check("python-binance: my trades", lambda: expect(any(t["id"] == state.get("trade") for t in c.get_my_trades(symbol="BTCUSDT")), "trade missing"))


def ccxt_binance():
    import ccxt
    ex = ccxt.binance({"apiKey": KEY, "secret": SECRET, "enableRateLimit": False,
                       "options": {"fetchCurrencies": False, "fetchMargins": False, "fetchMarkets": {"types": ["spot"]}, "defaultType": "spot"}})
    for k in ("public", "private"):
        ex.urls["api"][k] = BASE + "/api/v3"
    check("ccxt: load markets", lambda: expect("BTC/USDT" in ex.load_markets(), "no BTC/USDT"))
    check("ccxt: balance", lambda: expect(ex.fetch_balance()["USDT"]["free"] > 0, "no USDT"))
    state = {}

    def limit():
        o = ex.create_order("BTC/USDT", "limit", "buy", 0.001, 30000)
        assert o["status"] == "open", o
        state["id"] = o["id"]
    check("ccxt: LIMIT order placed", limit)
    check("ccxt: open orders", lambda: expect(any(o["id"] == state.get("id") for o in ex.fetch_open_orders("BTC/USDT")), "order not open"))
    check("ccxt: cancel", lambda: expect(ex.cancel_order(state.get("id"), "BTC/USDT")["status"] == "canceled", "not cancelled"))
    check("ccxt: MARKET order filled", lambda: expect(ex.create_order("BTC/USDT", "market", "buy", 0.001)["status"] == "closed", "not filled"))
    check("ccxt: my trades", lambda: expect(ex.fetch_my_trades("BTC/USDT"), "no trades"))


def python_binance_realtime():
    import asyncio
    from binance import AsyncClient, BinanceSocketManager

    ws_base = BASE.replace("http://", "ws://")

    async def run():
        client = AsyncClient(KEY, SECRET)
        client.API_URL = BASE + "/api"
        client.ws_api._url = ws_base + "/ws-api/v3"
        bm = BinanceSocketManager(client)
        bm.STREAM_URL = ws_base + "/"
        try:
            async def trade():
                async with bm.trade_socket("BTCUSDT") as ts:
                    await client.create_order(symbol="BTCUSDT", side="BUY", type="MARKET", quantity="0.001")
                    msg = await asyncio.wait_for(ts.recv(), 10)
                    expect(msg.get("e") == "trade" and msg.get("s") == "BTCUSDT", f"not a trade event: {msg}")
            await check_async("python-binance: trade stream", trade)

            async def depth():
                async with bm.depth_socket("BTCUSDT", depth=BinanceSocketManager.WEBSOCKET_DEPTH_5) as ds:
                    msg = await asyncio.wait_for(ds.recv(), 10)
                    expect(msg.get("bids") and msg.get("asks") and "lastUpdateId" in msg, f"not a partial book: {msg}")
            await check_async("python-binance: partial depth stream", depth)

            async def multiplex():
                async with bm.multiplex_socket(["btcusdt@bookTicker", "btcusdt@kline_1s"]) as ms:
                    await client.create_order(symbol="BTCUSDT", side="SELL", type="MARKET", quantity="0.001")
                    seen = set()
                    while seen != {"btcusdt@bookTicker", "btcusdt@kline_1s"}:
                        msg = await asyncio.wait_for(ms.recv(), 10)
                        seen.add(msg.get("stream"))
            await check_async("python-binance: multiplexed bookTicker and kline streams", multiplex)

            async def ws_api():
                book = await asyncio.wait_for(client.ws_get_order_book(symbol="BTCUSDT", limit=5), 10)
                expect(book.get("bids"), f"no order book: {book}")
                order = await asyncio.wait_for(client.ws_create_order(symbol="BTCUSDT", side="BUY", type="MARKET", quantity="0.001"), 10)
                expect(order.get("status") == "FILLED", f"not filled: {order}")
            await check_async("python-binance: WebSocket API order book and signed order", ws_api)
        finally:
            await client.close_connection()

    asyncio.run(run())


async def check_async(name, fn):
    try:
        detail = await fn()
        results.append((name, True, detail or ""))
    except Exception as e:  # a failed check is reported, the others still run
        results.append((name, False, f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=3)}"))


def ccxt_pro_binance():
    import asyncio
    import ccxt.pro as ccxtpro

    async def run():
        ex = ccxtpro.binance({"apiKey": KEY, "secret": SECRET, "enableRateLimit": False,
                              "options": {"fetchCurrencies": False, "fetchMargins": False, "fetchMarkets": {"types": ["spot"]}, "defaultType": "spot"}})
        for k in ("public", "private"):
            ex.urls["api"][k] = BASE + "/api/v3"
        # ccxt connects to /ws/<n> and subscribes there.
        ex.urls["api"]["ws"]["spot"] = BASE.replace("http://", "ws://") + "/ws"
        try:
            await ex.load_markets()

            async def trades():
                task = asyncio.create_task(ex.watch_trades("BTC/USDT"))
                await asyncio.sleep(0.3)  # let the subscription reach the sandbox before trading
                await ex.create_order("BTC/USDT", "market", "buy", 0.001)
                got = await asyncio.wait_for(task, 10)
                expect(got and got[0]["symbol"] == "BTC/USDT", f"no trade: {got}")
            await check_async("ccxt pro: watch trades", trades)

            async def book():
                # ccxt builds a local book from the depth diffs and a REST snapshot, checking U/u.
                ob = await asyncio.wait_for(ex.watch_order_book("BTC/USDT"), 10)
                expect(ob["bids"] and ob["asks"] and ob["bids"][0][0] < ob["asks"][0][0], f"bad book: {ob}")
            await check_async("ccxt pro: watch order book (diffs and snapshot)", book)
        finally:
            await ex.close()

    asyncio.run(run())


try:
    python_binance()
    python_binance_realtime()
    ccxt_binance()
    ccxt_pro_binance()
finally:
    proc.terminate()
    proc.wait(timeout=10)

failed = 0
for name, ok, detail in results:
    print(f"{'ok  ' if ok else 'FAIL'} {name}" + ("" if ok else f"\n{detail}"))
    failed += 0 if ok else 1
print(f"{len(results) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
