#!/usr/bin/env python3
"""Conformance: clients nobody here wrote, python-binance, ccxt and Binance's own binance-sdk-spot, driven at the mbx sandbox.

Usage: run.py PATH/TO/mbx   (the sandbox is started on a free loopback port, in memory, and stopped)
Each client: account, place and cancel a LIMIT order, a MARKET order that fills, open orders, my trades.
python-binance also an OCO (create_oco_order, orderList/oco) and an OTO (v3_post_order_list_oto), each
cancelled (v3_delete_order_list), an SOR order (v3_post_sor_order) and get_allocations, and
get_prevented_matches after a self-trade prevented with EXPIRE_TAKER; ccxt also an SOR order (create_order
with params sor), and, left to its default options, load_markets (which reads SAPI: the wallet's coins, the margin
pairs), fetch_status and fetch_trading_fee.
python-binance also over WebSockets: its trade, partial depth and multiplexed streams (BinanceSocketManager),
its user_socket (userDataStream.subscribe.signature on the WebSocket API connection), and its WebSocket API calls (UUID request ids, HMAC-signed requests), among them orderList.place.oco / oto
and sor.order.place (a list of one order); ccxt pro watches trades and the order book (its local book from
the depth diffs and a REST snapshot).
binance-sdk-spot (Spot with ConfigurationRestAPI / WebSocketAPI / WebSocketStreams pointed at the sandbox):
over REST also server time (in milliseconds and, with time_unit, microseconds), exchange info, depth, query
order, a second cancel's -2011, an IOC order's expiryReason, klines, the weight and order counts it reads
from the X-MBX-* headers, order lists placed and cancelled (OTO, OTOCO, OPO, and an OCO with orderList/oco),
an OTO whose working order expired (expiryReason OTO_PHASE_ONE_EXPIRED of its pending order), order amend
keep priority and order/amendments, an SOR order, sor/order/test and myAllocations, myPreventedMatches after
a self-trade prevented with EXPIRE_TAKER, executionRules (none), referencePrice (-2043, none set),
myFilters, historicalBlockTrades (none), and orders signed with Ed25519 and RSA keys (registered through
the sandbox's admin API);
over the WebSocket API time, depth, ticker.price, avgPrice, klines, order.place / status / cancel signed per
request with HMAC, account.status, orderList.place.oto and orderList.cancel, order.amend.keepPriority and
order.amendments, sor.order.place (its order inside an array) and myAllocations, myPreventedMatches,
executionRules and referencePrice (-2043), microseconds, and the user data stream opened with
userDataStream.subscribe.signature (executionReports of a fill and of a cancel, session.subscriptions,
userDataStream.unsubscribe; externalLockUpdate of funds locked through the sandbox's admin API), and with
an Ed25519 key session.logon, userDataStream.subscribe and session.logout;
over streams (it connects to /stream) trade, diff and partial depth streams, SUBSCRIBE / UNSUBSCRIBE /
LIST_SUBSCRIPTIONS with its UUID string ids.
Not checked: the SDK's WebSocket API myFilters, whose response model lacks the {id, status, result}
envelope the docs show (a bug of the SDK; REST myFilters is checked).
Prints one line per check and a closing 'N passed, N failed' line; exits 1 if any check failed.
"""
import json
import sys

from harness import Checks, Sandbox, expect

SANDBOX = Sandbox(sys.argv[1])
BASE, KEY, SECRET = SANDBOX.base, SANDBOX.key, SANDBOX.secret
CHECKS = Checks()
check, check_async, register_key, admin = CHECKS.check, CHECKS.check_async, SANDBOX.register_key, SANDBOX.admin


def inside_spread(bids, asks):
    """A price strictly between the best bid and ask (the book's levels as [price, qty] strings), as a
    string with cents: where an order of ours rests alone, for a self-trade."""
    bid, ask = float(bids[0][0]), float(asks[0][0])
    price = round((bid + ask) / 2, 2)
    expect(bid < price < ask, f"no room inside the spread {bid} .. {ask}")
    return f"{price:.2f}"


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

    def oco():
        # create_oco_order posts orderList/oco (aboveType / belowType)
        r = c.create_oco_order(symbol="BTCUSDT", side="SELL", quantity="0.001", aboveType="LIMIT_MAKER", abovePrice="70000",
                               belowType="STOP_LOSS_LIMIT", belowStopPrice="50000", belowPrice="49000", belowTimeInForce="GTC")
        expect(r["contingencyType"] == "OCO" and len(r["orderReports"]) == 2, f"placed: {r}")
        d = c.v3_delete_order_list(symbol="BTCUSDT", orderListId=r["orderListId"])
        expect(d["listOrderStatus"] == "ALL_DONE", f"cancelled: {d}")
    check("python-binance: OCO (create_oco_order, orderList/oco) and cancelled", oco)

    def oto():
        r = c.v3_post_order_list_oto(symbol="BTCUSDT", workingType="LIMIT", workingSide="BUY", workingPrice="50000", workingQuantity="0.001",
                                     workingTimeInForce="GTC", pendingType="LIMIT_MAKER", pendingSide="SELL", pendingPrice="70000",
                                     pendingQuantity="0.001")
        expect([o["status"] for o in r["orderReports"]] == ["NEW", "PENDING_NEW"], f"placed: {r}")
        d = c.v3_delete_order_list(symbol="BTCUSDT", orderListId=r["orderListId"])
        expect({o["status"] for o in d["orderReports"]} == {"CANCELED"}, f"cancelled: {d}")
    check("python-binance: OTO (v3_post_order_list_oto) and cancelled", oto)

    def sor():
        o = c.v3_post_sor_order(symbol="BTCUSDT", side="BUY", type="MARKET", quantity="0.001")
        expect(o["usedSor"] and o["status"] == "FILLED", f"SOR order: {o}")
        allocs = c.get_allocations(symbol="BTCUSDT", orderId=o["orderId"])
        expect([a["orderId"] for a in allocs] == [o["orderId"]], f"allocations: {allocs}")
    check("python-binance: SOR order (v3_post_sor_order) and get_allocations", sor)

    def prevented():
        book = c.get_order_book(symbol="BTCUSDT", limit=5)
        price = inside_spread(book["bids"], book["asks"])
        maker = c.create_order(symbol="BTCUSDT", side="BUY", type="LIMIT", timeInForce="GTC", quantity="0.001", price=price)
        taker = c.create_order(symbol="BTCUSDT", side="SELL", type="LIMIT", timeInForce="IOC", quantity="0.001", price=price,
                               selfTradePreventionMode="EXPIRE_TAKER")
        expect(taker["status"] == "EXPIRED_IN_MATCH", f"taker: {taker}")
        got = c.get_prevented_matches(symbol="BTCUSDT", orderId=taker["orderId"])
        expect([(m["makerOrderId"], m["selfTradePreventionMode"]) for m in got] == [(maker["orderId"], "EXPIRE_TAKER")], f"prevented: {got}")
        c.cancel_order(symbol="BTCUSDT", orderId=maker["orderId"])
    check("python-binance: get_prevented_matches after an EXPIRE_TAKER self-trade", prevented)


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

    def sor():
        # params sor: True sends the order to sor/order
        o = ex.create_order("BTC/USDT", "market", "buy", 0.001, None, {"sor": True})
        expect(o["status"] == "closed" and o["info"].get("usedSor") is True, f"SOR order: {o['info']}")
    check("ccxt: SOR order (create_order with sor)", sor)

    # Left to its defaults, ccxt with a key also reads SAPI in load_markets (the wallet's coins, the
    # cross and isolated margin pairs): only the URLs and the spot market type are set here.
    plain = ccxt.binance({"apiKey": KEY, "secret": SECRET, "enableRateLimit": False,
                          "options": {"fetchMarkets": {"types": ["spot"]}}})
    for k in ("public", "private"):
        plain.urls["api"][k] = BASE + "/api/v3"
    plain.urls["api"]["sapi"] = BASE + "/sapi/v1"
    check("ccxt (default options): load markets, reading SAPI coins and margin pairs",
          lambda: expect("BTC/USDT" in plain.load_markets() and "USDT" in plain.currencies, "no BTC/USDT or USDT"))
    check("ccxt (default options): status", lambda: expect(plain.fetch_status()["status"] == "ok", "status not ok"))
    check("ccxt (default options): trading fee (SAPI asset/tradeFee)",
          lambda: expect(plain.fetch_trading_fee("BTC/USDT")["maker"] == 0.001, "maker fee not 0.001"))


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

            async def user_socket():
                # user_socket() subscribes with userDataStream.subscribe.signature on the WebSocket API
                # connection before the block runs, and unsubscribes when it ends.
                async with bm.user_socket() as us:
                    order = await client.create_order(symbol="BTCUSDT", side="BUY", type="MARKET", quantity="0.001")
                    seen = []
                    while ("outboundAccountPosition", None) not in seen:
                        msg = await asyncio.wait_for(us.recv(), 10)
                        seen.append((msg.get("e"), msg.get("x")) if msg.get("i") in (None, order["orderId"]) else msg)
                    expect(seen[:2] == [("executionReport", "NEW"), ("executionReport", "TRADE")], f"events: {seen}")
                subs = await asyncio.wait_for(client._ws_api_request("session.subscriptions", signed=False, params={}), 10)
                expect(subs == [], f"still subscribed after the block: {subs}")
            await check_async("python-binance: user_socket over the WebSocket API (executionReports of a fill; unsubscribed after)", user_socket)

            async def ws_lists_and_sor():
                oco = await asyncio.wait_for(client.ws_create_oco_order(
                    symbol="BTCUSDT", side="SELL", quantity="0.001", aboveType="LIMIT_MAKER", abovePrice="70000",
                    belowType="STOP_LOSS", belowStopPrice="50000"), 10)
                expect(oco.get("contingencyType") == "OCO" and len(oco.get("orderReports", [])) == 2, f"orderList.place.oco: {oco}")
                oto = await asyncio.wait_for(client.ws_create_oto_order(
                    symbol="BTCUSDT", workingType="LIMIT", workingSide="BUY", workingPrice="50000", workingQuantity="0.001",
                    workingTimeInForce="GTC", pendingType="LIMIT_MAKER", pendingSide="SELL", pendingPrice="70000",
                    pendingQuantity="0.001"), 10)
                expect([o["status"] for o in oto.get("orderReports", [])] == ["NEW", "PENDING_NEW"], f"orderList.place.oto: {oto}")
                for placed in (oco, oto):
                    done = await client.v3_delete_order_list(symbol="BTCUSDT", orderListId=placed["orderListId"])
                    expect(done["listOrderStatus"] == "ALL_DONE", f"not cancelled: {done}")
                sor = await asyncio.wait_for(client.ws_create_sor_order(symbol="BTCUSDT", side="BUY", type="MARKET", quantity="0.001"), 10)
                # sor.order.place answers a list of one order
                expect(isinstance(sor, list) and len(sor) == 1 and sor[0].get("usedSor") is True, f"sor.order.place: {sor}")
            await check_async("python-binance: WebSocket API orderList.place.oco / oto, sor.order.place", ws_lists_and_sor)
        finally:
            await client.close_connection()

    asyncio.run(run())


def binance_sdk():
    from binance_common.configuration import ConfigurationRestAPI
    from binance_common.errors import BadRequestError
    from binance_sdk_spot.spot import Spot
    c = Spot(config_rest_api=ConfigurationRestAPI(api_key=KEY, api_secret=SECRET, base_path=BASE)).rest_api
    check("binance-sdk-spot: server time", lambda: expect(c.time().data().server_time > 0, "no server time"))

    def microseconds():
        # time_unit sends X-MBX-TIME-UNIT: MICROSECOND
        micro = Spot(config_rest_api=ConfigurationRestAPI(api_key=KEY, api_secret=SECRET, base_path=BASE, time_unit="MICROSECOND")).rest_api
        ms, us = c.time().data().server_time, micro.time().data().server_time
        expect(abs(us - ms * 1000) < 10_000_000, f"not microseconds: {us} against {ms} ms")
    check("binance-sdk-spot: server time in microseconds (time_unit)", microseconds)

    def exchange_info():
        r = c.exchange_info(symbol="BTCUSDT")
        s = r.data().symbols[0]
        expect(s.symbol == "BTCUSDT" and s.filters, f"no BTCUSDT or no filters: {s}")
        # the SDK reads the used weight back from the X-MBX-USED-WEIGHT-* headers
        expect(any(l.rateLimitType == "REQUEST_WEIGHT" and l.count > 0 for l in r.rate_limits), f"no used weight: {r.rate_limits}")
    check("binance-sdk-spot: exchange info", exchange_info)

    def depth():
        d = c.depth(symbol="BTCUSDT", limit=5).data()
        expect(d.bids and d.asks and float(d.bids[0][0]) < float(d.asks[0][0]), f"bad book: {d}")
    check("binance-sdk-spot: depth", depth)

    def account():
        usdt = [b for b in c.get_account().data().balances if b.asset == "USDT"][0]
        expect(float(usdt.free) > 0, f"no USDT: {usdt}")
    check("binance-sdk-spot: account", account)
    state = {}

    def limit():
        r = c.new_order(symbol="BTCUSDT", side="BUY", type="LIMIT", time_in_force="GTC", quantity=0.001, price=30000.0)
        o = r.data()
        expect(o.status == "NEW" and o.price == "30000.00000000", f"not a resting LIMIT order: {o}")
        # and the order counts from the X-MBX-ORDER-COUNT-* headers
        expect(any(l.rateLimitType == "ORDERS" and l.count > 0 for l in r.rate_limits), f"no order count: {r.rate_limits}")
        state["id"] = o.order_id
    check("binance-sdk-spot: LIMIT order placed", limit)
    check("binance-sdk-spot: query order", lambda: expect(c.get_order(symbol="BTCUSDT", order_id=state.get("id")).data().status == "NEW", "not NEW"))
    check("binance-sdk-spot: open orders", lambda: expect(any(o.order_id == state.get("id") for o in c.get_open_orders(symbol="BTCUSDT").data()), "order not open"))
    check("binance-sdk-spot: cancel", lambda: expect(c.delete_order(symbol="BTCUSDT", order_id=state.get("id")).data().status == "CANCELED", "not cancelled"))

    def cancel_again():
        try:
            c.delete_order(symbol="BTCUSDT", order_id=state.get("id"))
        except BadRequestError as e:  # the SDK maps HTTP 400 and carries Binance's code and msg
            expect((e.status_code, e.error_message) == (-2011, "Unknown order sent."), f"wrong error: {e.status_code} {e.error_message}")
            return
        raise AssertionError("a cancelled order was cancelled again")
    check("binance-sdk-spot: cancel a cancelled order (-2011, HTTP 400)", cancel_again)

    def market():
        o = c.new_order(symbol="BTCUSDT", side="BUY", type="MARKET", quantity=0.001, new_order_resp_type="FULL").data()
        expect(o.status == "FILLED" and o.fills, f"not filled: {o}")
        state["trade"], state["price"] = o.fills[0].trade_id, o.fills[0].price
    check("binance-sdk-spot: MARKET order filled", market)

    def expired():
        # an IOC order priced below the book expires unfilled and says why (CHANGELOG 2026-03-26)
        o = c.new_order(symbol="BTCUSDT", side="BUY", type="LIMIT", time_in_force="IOC", quantity=0.001, price=30000.0,
                        new_order_resp_type="RESULT").data()
        expect(o.status == "EXPIRED", f"not expired: {o}")
        expect(o.additional_properties.get("expiryReason") == "UNFILLED_IOC_QUANTITY_EXPIRED", f"placement: {o}")
        q = c.get_order(symbol="BTCUSDT", order_id=o.order_id).data()
        expect(q.expiry_reason == "UNFILLED_IOC_QUANTITY_EXPIRED", f"query: {q}")
    check("binance-sdk-spot: IOC order expired, expiryReason", expired)
    check("binance-sdk-spot: my trades", lambda: expect(any(t.id == state.get("trade") for t in c.my_trades(symbol="BTCUSDT").data()), "trade missing"))

    def klines():
        ks = c.klines(symbol="BTCUSDT", interval="1m", limit=5).data()
        expect(ks and ks[-1][4] == state.get("price"), f"last close is not the last trade's price {state.get('price')}: {ks}")
    check("binance-sdk-spot: klines", klines)

    def oto():
        # a working LIMIT BUY under the book and its pending LIMIT SELL over it
        r = c.order_list_oto(symbol="BTCUSDT", working_type="LIMIT", working_side="BUY", working_price=50000.0, working_quantity=0.001,
                             working_time_in_force="GTC", pending_type="LIMIT", pending_side="SELL", pending_quantity=0.001,
                             pending_price=70000.0, pending_time_in_force="GTC").data()
        statuses = [(o.type, o.status) for o in r.order_reports]
        expect(r.contingency_type == "OTO" and r.list_order_status == "EXECUTING" and statuses == [("LIMIT", "NEW"), ("LIMIT", "PENDING_NEW")],
               f"placed: {r}")
        d = c.delete_order_list(symbol="BTCUSDT", order_list_id=r.order_list_id).data()
        expect(d.list_order_status == "ALL_DONE" and [o.status for o in d.order_reports] == ["CANCELED", "CANCELED"], f"cancelled: {d}")
    check("binance-sdk-spot: OTO placed (orderList/oto) and cancelled", oto)

    def oto_expired():
        # a working IOC order under the book expires at once, and its pending order with it
        r = c.order_list_oto(symbol="BTCUSDT", working_type="LIMIT", working_side="BUY", working_price=30000.0, working_quantity=0.001,
                             working_time_in_force="IOC", pending_type="LIMIT", pending_side="SELL", pending_quantity=0.001,
                             pending_price=70000.0, pending_time_in_force="GTC", new_order_resp_type="RESULT").data()
        reasons = [(o.status, o.expiry_reason) for o in r.order_reports]
        expect(reasons == [("EXPIRED", "UNFILLED_IOC_QUANTITY_EXPIRED"), ("EXPIRED", "OTO_PHASE_ONE_EXPIRED")], f"placed: {r}")
        q = c.get_order(symbol="BTCUSDT", order_id=r.order_reports[1].order_id).data()
        expect(q.expiry_reason == "OTO_PHASE_ONE_EXPIRED", f"query: {q}")
    check("binance-sdk-spot: OTO whose working order expired, expiryReason of both", oto_expired)

    def otoco():
        # the pending pair is an OCO: a LIMIT_MAKER SELL over the book, a STOP_LOSS SELL under it
        r = c.order_list_otoco(symbol="BTCUSDT", working_type="LIMIT", working_side="BUY", working_price=50000.0, working_quantity=0.001,
                               working_time_in_force="GTC", pending_side="SELL", pending_quantity=0.001, pending_above_type="LIMIT_MAKER",
                               pending_above_price=70000.0, pending_below_type="STOP_LOSS", pending_below_stop_price=45000.0).data()
        statuses = sorted((o.type, o.status) for o in r.order_reports)
        expect(r.contingency_type == "OTO" and statuses == [("LIMIT", "NEW"), ("LIMIT_MAKER", "PENDING_NEW"), ("STOP_LOSS", "PENDING_NEW")],
               f"placed: {r}")
        d = c.delete_order_list(symbol="BTCUSDT", list_client_order_id=r.list_client_order_id).data()
        expect(d.list_order_status == "ALL_DONE" and {o.status for o in d.order_reports} == {"CANCELED"}, f"cancelled: {d}")
    check("binance-sdk-spot: OTOCO placed (orderList/otoco) and cancelled", otoco)

    def opo():
        # the pending order sells what the working order buys: no pendingQuantity
        r = c.order_list_opo(symbol="BTCUSDT", working_type="LIMIT", working_side="BUY", working_price=50000.0, working_quantity=0.001,
                             working_time_in_force="GTC", pending_type="LIMIT", pending_side="SELL", pending_price=70000.0,
                             pending_time_in_force="GTC").data()
        expect([o.status for o in r.order_reports] == ["NEW", "PENDING_NEW"], f"placed: {r}")
        d = c.delete_order_list(symbol="BTCUSDT", order_list_id=r.order_list_id).data()
        expect(d.list_order_status == "ALL_DONE", f"cancelled: {d}")
    check("binance-sdk-spot: OPO placed (orderList/opo) and cancelled", opo)

    def oco():
        r = c.order_list_oco(symbol="BTCUSDT", side="SELL", quantity=0.001, above_type="LIMIT_MAKER", above_price=70000.0,
                             below_type="STOP_LOSS", below_stop_price=50000.0).data()
        kinds = sorted((o.type, o.status, o.working_time == -1) for o in r.order_reports)
        expect(r.contingency_type == "OCO" and kinds == [("LIMIT_MAKER", "NEW", False), ("STOP_LOSS", "NEW", True)], f"placed: {r}")
        d = c.delete_order_list(symbol="BTCUSDT", order_list_id=r.order_list_id).data()
        expect(d.contingency_type == "OCO" and {o.status for o in d.order_reports} == {"CANCELED"}, f"cancelled: {d}")
    check("binance-sdk-spot: OCO placed (orderList/oco) and cancelled", oco)

    def amend():
        o = c.new_order(symbol="BTCUSDT", side="BUY", type="LIMIT", time_in_force="GTC", quantity=0.002, price=50000.0).data()
        a = c.order_amend_keep_priority(symbol="BTCUSDT", order_id=o.order_id, new_qty=0.001).data()
        expect(a.amended_order.order_id == o.order_id and a.amended_order.qty == "0.00100000" and a.amended_order.status == "NEW",
               f"amended: {a}")
        expect(a.amended_order.orig_client_order_id == o.client_order_id, f"origClientOrderId: {a}")
        made = c.order_amendments(symbol="BTCUSDT", order_id=o.order_id).data()
        expect([(m.execution_id, m.orig_qty, m.new_qty) for m in made] == [(a.execution_id, "0.00200000", "0.00100000")], f"amendments: {made}")
        c.delete_order(symbol="BTCUSDT", order_id=o.order_id)
    check("binance-sdk-spot: order amend keep priority and order/amendments", amend)

    def sor():
        o = c.sor_order(symbol="BTCUSDT", side="BUY", type="MARKET", quantity=0.001).data()
        expect(o.status == "FILLED" and o.used_sor and o.working_floor == "SOR" and o.fills, f"SOR order: {o}")
        expect(o.fills[0].trade_id == -1 and o.fills[0].match_type == "ONE_PARTY_TRADE_REPORT", f"SOR fill: {o.fills[0]}")
        test = c.sor_order_test(symbol="BTCUSDT", side="BUY", type="LIMIT", time_in_force="GTC", price=50000.0, quantity=0.001).data()
        expect(test.standard_commission_for_order is None, f"sor/order/test: {test}")
        allocs = c.my_allocations(symbol="BTCUSDT", order_id=o.order_id).data()
        expect([(a.allocation_id, a.allocation_type, a.qty) for a in allocs] == [(o.fills[0].alloc_id, "SOR", "0.00100000")], f"allocations: {allocs}")
    check("binance-sdk-spot: SOR order, sor/order/test, myAllocations", sor)

    def prevented():
        # a resting SELL of ours inside the spread, then a BUY of ours that would take it: EXPIRE_TAKER
        book = c.depth(symbol="BTCUSDT", limit=5).data()
        price = float(inside_spread(book.bids, book.asks))
        maker = c.new_order(symbol="BTCUSDT", side="SELL", type="LIMIT", time_in_force="GTC", quantity=0.001, price=price).data()
        taker = c.new_order(symbol="BTCUSDT", side="BUY", type="LIMIT", time_in_force="IOC", quantity=0.001, price=price,
                            self_trade_prevention_mode="EXPIRE_TAKER").data()
        expect(taker.status == "EXPIRED_IN_MATCH", f"taker: {taker}")
        matches = c.my_prevented_matches(symbol="BTCUSDT", order_id=taker.order_id).data()
        expect([(m.taker_order_id, m.maker_order_id, m.self_trade_prevention_mode) for m in matches] ==
               [(taker.order_id, maker.order_id, "EXPIRE_TAKER")], f"prevented matches: {matches}")
        by_id = c.my_prevented_matches(symbol="BTCUSDT", prevented_match_id=matches[0].prevented_match_id).data()
        expect([m.prevented_match_id for m in by_id] == [matches[0].prevented_match_id], f"by id: {by_id}")
        expect(c.get_order(symbol="BTCUSDT", order_id=maker.order_id).data().status == "NEW", "the maker did not stay")
        c.delete_order(symbol="BTCUSDT", order_id=maker.order_id)
    check("binance-sdk-spot: myPreventedMatches after an EXPIRE_TAKER self-trade", prevented)

    def execution_rules():
        r = c.execution_rules(symbol="BTCUSDT").data()
        expect([(s.symbol, s.rules) for s in r.symbol_rules] == [("BTCUSDT", [])], f"execution rules: {r}")
    check("binance-sdk-spot: executionRules", execution_rules)

    def reference_price():
        try:
            c.reference_price(symbol="BTCUSDT")
        except BadRequestError as e:
            expect((e.status_code, e.error_message) == (-2043, "This symbol doesn't have a reference price."),
                   f"wrong error: {e.status_code} {e.error_message}")
            return
        raise AssertionError("a reference price where none is set")
    check("binance-sdk-spot: referencePrice without one (-2043, HTTP 400)", reference_price)

    def my_filters():
        f = c.my_filters(symbol="BTCUSDT").data()
        kinds = {x.actual_instance.filter_type for x in f.symbol_filters}
        expect("MAX_NUM_ORDERS" in kinds and f.exchange_filters == [] and f.asset_filters == [], f"myFilters: {f}")
    check("binance-sdk-spot: myFilters", my_filters)
    check("binance-sdk-spot: historicalBlockTrades (none)",
          lambda: expect(c.historical_block_trades(symbol="BTCUSDT", from_id=0).data() == [], "block trades where none were made"))

    def key_pairs():
        for kind in ("ed25519", "rsa"):
            api_key, private = register_key(kind)
            signed = Spot(config_rest_api=ConfigurationRestAPI(api_key=api_key, private_key=private, base_path=BASE)).rest_api
            o = signed.new_order(symbol="BTCUSDT", side="BUY", type="MARKET", quantity=0.001).data()
            expect(o.status == "FILLED", f"{kind}: not filled: {o}")
    check("binance-sdk-spot: Ed25519 and RSA keys (private_key) sign a MARKET order", key_pairs)


def binance_sdk_realtime():
    import asyncio
    from binance_common.configuration import ConfigurationWebSocketAPI, ConfigurationWebSocketStreams
    from binance_common.constants import TimeUnit
    from binance_sdk_spot.spot import Spot
    from binance_sdk_spot.websocket_api.models import ExecutionReport, ExternalLockUpdate, OutboundAccountPosition

    ws_base = BASE.replace("http://", "ws://")

    def result(response):
        """The `result` of a WebSocket API answer; the SDK hands an error back as {"error": ...}."""
        data = response.data()
        expect(not isinstance(data, dict), f"error answer: {data}")
        expect(data.status == 200, f"status {data.status}: {data}")
        return data.result

    async def ws_api():
        spot = Spot(config_ws_api=ConfigurationWebSocketAPI(api_key=KEY, api_secret=SECRET, stream_url=ws_base + "/ws-api/v3"))
        api = await spot.websocket_api.create_connection()
        try:
            async def market_data():
                expect(result(await api.time()).server_time > 0, "no server time")
                book = result(await api.depth(symbol="BTCUSDT", limit=5))
                expect(book.bids and book.asks, f"no book: {book}")
                price = (await api.ticker_price(symbol="BTCUSDT")).data().actual_instance
                expect(price.status == 200 and price.result.symbol == "BTCUSDT", f"no price: {price}")
                expect(float(result(await api.avg_price(symbol="BTCUSDT")).price) > 0, "no average price")
                expect(result(await api.klines(symbol="BTCUSDT", interval="1m", limit=2)), "no klines")
            await check_async("binance-sdk-spot: WebSocket API time, depth, ticker.price, avgPrice, klines", market_data)

            async def orders():
                # HMAC: the SDK signs each request (apiKey, timestamp, signature over the sorted parameters).
                placed = result(await api.order_place(symbol="BTCUSDT", side="BUY", type="LIMIT", time_in_force="GTC", quantity=0.001, price=30000.0))
                expect(placed.status == "NEW", f"not NEW: {placed}")
                status = result(await api.order_status(symbol="BTCUSDT", order_id=placed.order_id))
                expect(status.status == "NEW", f"order.status: {status}")
                cancelled = result(await api.order_cancel(symbol="BTCUSDT", order_id=placed.order_id))
                expect(cancelled.status == "CANCELED" and cancelled.order_id == placed.order_id, f"not cancelled: {cancelled}")
            await check_async("binance-sdk-spot: WebSocket API order.place, order.status, order.cancel (HMAC-signed)", orders)

            async def account():
                acct = result(await api.account_status())
                expect(any(b.asset == "USDT" and float(b.free) > 0 for b in acct.balances), f"no USDT: {acct}")
            await check_async("binance-sdk-spot: WebSocket API account.status", account)

            async def lists():
                placed = result(await api.order_list_place_oto(
                    symbol="BTCUSDT", working_type="LIMIT", working_side="BUY", working_price=50000.0, working_quantity=0.001,
                    working_time_in_force="GTC", pending_type="LIMIT", pending_side="SELL", pending_quantity=0.001,
                    pending_price=70000.0, pending_time_in_force="GTC"))
                expect([o.status for o in placed.order_reports] == ["NEW", "PENDING_NEW"], f"orderList.place.oto: {placed}")
                cancelled = result(await api.order_list_cancel(symbol="BTCUSDT", order_list_id=placed.order_list_id))
                expect(cancelled.list_order_status == "ALL_DONE" and {o.status for o in cancelled.order_reports} == {"CANCELED"},
                       f"orderList.cancel: {cancelled}")
            await check_async("binance-sdk-spot: WebSocket API orderList.place.oto, orderList.cancel", lists)

            async def amend():
                o = result(await api.order_place(symbol="BTCUSDT", side="BUY", type="LIMIT", time_in_force="GTC", quantity=0.002, price=50000.0))
                a = result(await api.order_amend_keep_priority(symbol="BTCUSDT", order_id=o.order_id, new_qty=0.001))
                expect(a.amended_order.qty == "0.00100000", f"order.amend.keepPriority: {a}")
                made = result(await api.order_amendments(symbol="BTCUSDT", order_id=o.order_id))
                expect([m.new_qty for m in made] == ["0.00100000"], f"order.amendments: {made}")
                result(await api.order_cancel(symbol="BTCUSDT", order_id=o.order_id))
            await check_async("binance-sdk-spot: WebSocket API order.amend.keepPriority, order.amendments", amend)

            async def sor():
                # the order comes inside an array (not so over REST)
                placed = result(await api.sor_order_place(symbol="BTCUSDT", side="SELL", type="MARKET", quantity=0.001))
                expect(len(placed) == 1, f"sor.order.place: {placed}")
                o = placed[0]
                expect(o.status == "FILLED" and o.used_sor, f"sor.order.place: {o}")
                allocs = result(await api.my_allocations(symbol="BTCUSDT", order_id=o.order_id))
                expect([a.order_id for a in allocs] == [o.order_id], f"myAllocations: {allocs}")
            await check_async("binance-sdk-spot: WebSocket API sor.order.place, myAllocations", sor)

            async def prevented():
                book = result(await api.depth(symbol="BTCUSDT", limit=5))
                price = float(inside_spread(book.bids, book.asks))
                maker = result(await api.order_place(symbol="BTCUSDT", side="SELL", type="LIMIT", time_in_force="GTC", quantity=0.001, price=price))
                taker = result(await api.order_place(symbol="BTCUSDT", side="BUY", type="LIMIT", time_in_force="IOC", quantity=0.001,
                                                     price=price, self_trade_prevention_mode="EXPIRE_TAKER"))
                expect(taker.status == "EXPIRED_IN_MATCH", f"taker: {taker}")
                got = result(await api.my_prevented_matches(symbol="BTCUSDT", order_id=taker.order_id))
                expect([(m.maker_order_id, m.self_trade_prevention_mode) for m in got] == [(maker.order_id, "EXPIRE_TAKER")], f"myPreventedMatches: {got}")
                result(await api.order_cancel(symbol="BTCUSDT", order_id=maker.order_id))
            await check_async("binance-sdk-spot: WebSocket API myPreventedMatches after an EXPIRE_TAKER self-trade", prevented)

            async def rules():
                r = result(await api.execution_rules(symbol="BTCUSDT"))
                expect([(s.symbol, s.rules) for s in r.symbol_rules] == [("BTCUSDT", [])], f"executionRules: {r}")
                # the SDK hands an error answer back as {"error": {...}}
                missing = (await api.reference_price(symbol="BTCUSDT")).data()
                expect(isinstance(missing, dict) and missing.get("error", {}).get("code") == -2043, f"referencePrice: {missing}")
            await check_async("binance-sdk-spot: WebSocket API executionRules, referencePrice (-2043)", rules)

            async def user_data():
                sub = await api.user_data_stream_subscribe_signature()
                events = asyncio.Queue()
                sub.stream.on("message", events.put_nowait)
                sub_id = result(sub.response).subscription_id
                order = result(await api.order_place(symbol="BTCUSDT", side="BUY", type="MARKET", quantity=0.001))
                reports = []
                while True:  # the order's executionReports, then the balances it changed
                    event = (await asyncio.wait_for(events.get(), 10)).actual_instance
                    if isinstance(event, ExecutionReport) and event.i == order.order_id:
                        reports.append((event.x, event.X))
                    if isinstance(event, OutboundAccountPosition) and reports:
                        break
                expect(reports == [("NEW", "NEW"), ("TRADE", "FILLED")], f"executionReports: {reports}")
                # a cancel's report: c the cancel's clientOrderId (as it answered), C the order's
                placed = result(await api.order_place(symbol="BTCUSDT", side="BUY", type="LIMIT", time_in_force="GTC", quantity=0.001, price=30000.0))
                cancelled = result(await api.order_cancel(symbol="BTCUSDT", order_id=placed.order_id))
                while True:
                    event = (await asyncio.wait_for(events.get(), 10)).actual_instance
                    if isinstance(event, ExecutionReport) and event.i == placed.order_id and event.x == "CANCELED":
                        break
                expect((event.c, event.C) == (cancelled.client_order_id, placed.client_order_id),
                       f"CANCELED report c={event.c} C={event.C}, cancel answered {cancelled.client_order_id} for order {placed.client_order_id}")
                listed = (await api.session_subscriptions()).data()
                expect(any(s.subscription_id == sub_id for s in listed.result), f"not listed: {listed}")
                result(await api.user_data_stream_unsubscribe(subscription_id=sub_id))
                expect(not (await api.session_subscriptions()).data().result, "still subscribed")
            await check_async("binance-sdk-spot: user data stream (userDataStream.subscribe.signature, executionReports of a fill and a cancel, unsubscribe)", user_data)

            async def external_lock():
                sub = await api.user_data_stream_subscribe_signature()
                events = asyncio.Queue()
                sub.stream.on("message", events.put_nowait)
                sub_id = result(sub.response).subscription_id
                try:
                    # funds locked by a system outside spot trading (the sandbox's admin API plays it)
                    await asyncio.to_thread(admin, "/sandbox/v1/externalLock", {"apiKey": KEY, "asset": "USDT", "delta": "12.5"})
                    while True:
                        event = (await asyncio.wait_for(events.get(), 10)).actual_instance
                        if isinstance(event, ExternalLockUpdate):
                            break
                    expect((event.a, event.d) == ("USDT", "12.50000000") and event.T > 0, f"externalLockUpdate: {event}")
                    await asyncio.to_thread(admin, "/sandbox/v1/externalLock", {"apiKey": KEY, "asset": "USDT", "delta": "-12.5"})
                finally:
                    result(await api.user_data_stream_unsubscribe(subscription_id=sub_id))
            await check_async("binance-sdk-spot: user data stream externalLockUpdate", external_lock)

            async def microseconds():
                # time_unit puts timeUnit=MICROSECOND in the connection's URL
                micro = Spot(config_ws_api=ConfigurationWebSocketAPI(api_key=KEY, api_secret=SECRET, stream_url=ws_base + "/ws-api/v3",
                                                                     time_unit=TimeUnit.MICROSECOND))
                conn = await micro.websocket_api.create_connection()
                try:
                    ms = result(await api.time()).server_time
                    us = result(await conn.time()).server_time
                    expect(abs(us - ms * 1000) < 10_000_000, f"not microseconds: {us} against {ms} ms")
                finally:
                    await conn.close_connection(close_session=True)
            await check_async("binance-sdk-spot: WebSocket API in microseconds (time_unit)", microseconds)

            async def logon():
                api_key, private = register_key("ed25519")
                ed = Spot(config_ws_api=ConfigurationWebSocketAPI(api_key=api_key, private_key=private, stream_url=ws_base + "/ws-api/v3"))
                conn = await ed.websocket_api.create_connection()
                try:
                    expect(result(await conn.session_logon()).api_key == api_key, "not logged on")
                    # logged on: userDataStream.subscribe, and requests without apiKey and signature
                    sub = await conn.user_data_stream_subscribe()
                    events = asyncio.Queue()
                    sub.stream.on("message", events.put_nowait)
                    order = result(await conn.order_place(symbol="BTCUSDT", side="SELL", type="MARKET", quantity=0.001))
                    while True:
                        event = (await asyncio.wait_for(events.get(), 10)).actual_instance
                        if isinstance(event, ExecutionReport) and event.i == order.order_id and event.X == "FILLED":
                            break
                    out = result(await conn.session_logout())
                    expect(out.api_key is None and out.user_data_stream is False, f"still logged on: {out}")
                finally:
                    await conn.close_connection(close_session=True)
            await check_async("binance-sdk-spot: WebSocket API session.logon (Ed25519), userDataStream.subscribe, session.logout", logon)
        finally:
            await api.close_connection(close_session=True)

    async def streams():
        trading = Spot(config_ws_api=ConfigurationWebSocketAPI(api_key=KEY, api_secret=SECRET, stream_url=ws_base + "/ws-api/v3"))
        trader = await trading.websocket_api.create_connection()

        # One stream connection per check: a connection may send at most 5 messages a second (SUBSCRIBE,
        # UNSUBSCRIBE, LIST_SUBSCRIPTIONS, pings, pongs), and the sandbox, as Binance, closes it beyond.
        async def stream_check(name, body):
            spot = Spot(config_ws_streams=ConfigurationWebSocketStreams(stream_url=ws_base))
            conn = await spot.websocket_streams.create_connection()  # the SDK connects to /stream and subscribes there

            async def subscribed(*names):
                # the answer to LIST_SUBSCRIPTIONS comes after those to the SUBSCRIBE requests before it
                listed = await conn.list_subscribe()
                expect(listed and set(names) <= set(listed["result"]), f"not subscribed: {listed}")
                # every request so far (UUID string ids) was answered with its id
                expect(not any(c.pending_request for c in conn.connections), "a request id was not echoed")
            try:
                await check_async(name, lambda: body(conn, subscribed))
            finally:
                await conn.close_connection(close_session=True)

        async def trade(conn, subscribed):
            trades = asyncio.Queue()
            stream = await conn.trade(symbol="btcusdt")
            stream.on("message", trades.put_nowait)
            await subscribed("btcusdt@trade")
            result(await trader.order_place(symbol="BTCUSDT", side="SELL", type="MARKET", quantity=0.001))
            t = await asyncio.wait_for(trades.get(), 10)
            expect(t.e == "trade" and t.s == "BTCUSDT", f"not a trade: {t}")
            await stream.unsubscribe()
            listed = await conn.list_subscribe()
            expect(listed and "btcusdt@trade" not in listed["result"], f"still subscribed: {listed}")

        async def depth(conn, subscribed):
            diffs, books = asyncio.Queue(), asyncio.Queue()
            diff = await conn.diff_book_depth(symbol="btcusdt", update_speed="100ms")
            diff.on("message", diffs.put_nowait)
            partial = await conn.partial_book_depth(symbol="btcusdt", levels=5, update_speed="100ms")
            partial.on("message", books.put_nowait)
            await subscribed("btcusdt@depth@100ms", "btcusdt@depth5@100ms")
            result(await trader.order_place(symbol="BTCUSDT", side="BUY", type="MARKET", quantity=0.001))
            d = await asyncio.wait_for(diffs.get(), 10)
            expect(d.e == "depthUpdate" and d.s == "BTCUSDT" and d.U <= d.u, f"not a depth diff: {d}")
            b = await asyncio.wait_for(books.get(), 10)
            expect(len(b.bids) == 5 and len(b.asks) == 5 and b.last_update_id > 0, f"not a partial book: {b}")

        try:
            await stream_check("binance-sdk-spot: trade stream, SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS with UUID ids", trade)
            await stream_check("binance-sdk-spot: diff and partial depth streams", depth)
        finally:
            await trader.close_connection(close_session=True)

    asyncio.run(ws_api())
    asyncio.run(streams())


def ccxt_pro_binance():
    import asyncio
    import ccxt.pro as ccxtpro

    async def run():
        ex = ccxtpro.binance({"apiKey": KEY, "secret": SECRET, "enableRateLimit": False,
                              "options": {"fetchCurrencies": False, "fetchMargins": False, "fetchMarkets": {"types": ["spot"]}, "defaultType": "spot"}})
        for k in ("public", "private"):
            ex.urls["api"][k] = BASE + "/api/v3"
        # ccxt connects to /ws/<n> and subscribes there; its account streams and orders over
        # WebSocket go to the WebSocket API.
        ex.urls["api"]["ws"]["spot"] = BASE.replace("http://", "ws://") + "/ws"
        ex.urls["api"]["ws"]["ws-api"]["spot"] = BASE.replace("http://", "ws://") + "/ws-api/v3"
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

            async def ticker_and_ohlcv():
                t = await asyncio.wait_for(ex.watch_ticker("BTC/USDT"), 10)
                expect(t["symbol"] == "BTC/USDT" and t["last"], f"bad ticker: {t}")
                candles = await asyncio.wait_for(ex.watch_ohlcv("BTC/USDT", "1m"), 10)
                expect(candles and len(candles[-1]) == 6 and candles[-1][2] >= candles[-1][3], f"bad candles: {candles}")
            await check_async("ccxt pro: watch ticker and OHLCV (kline stream)", ticker_and_ohlcv)

            async def account_streams():
                # ccxt subscribes the user data stream on the WebSocket API (signed), then trades.
                orders = asyncio.create_task(ex.watch_orders("BTC/USDT"))
                await asyncio.sleep(0.5)
                placed = await ex.create_order("BTC/USDT", "limit", "buy", 0.001, 20000)
                got = await asyncio.wait_for(orders, 10)
                expect(any(o["id"] == placed["id"] and o["status"] == "open" for o in got), f"{got}")
                balance = asyncio.create_task(ex.watch_balance())
                mine = asyncio.create_task(ex.watch_my_trades("BTC/USDT"))
                await asyncio.sleep(0.5)
                await ex.create_order("BTC/USDT", "market", "buy", 0.001)
                b = await asyncio.wait_for(balance, 10)
                expect(b.get("USDT") and b["USDT"]["free"] is not None, f"no USDT balance: {b}")
                trades = await asyncio.wait_for(mine, 10)
                expect(trades and trades[-1]["symbol"] == "BTC/USDT", f"no trade: {trades}")
                await ex.cancel_order(placed["id"], "BTC/USDT")
            await check_async("ccxt pro: watch orders, balance and my trades (user data over the WebSocket API)", account_streams)

            async def orders_ws():
                o = await asyncio.wait_for(ex.create_order_ws("BTC/USDT", "limit", "buy", 0.001, 20000), 10)
                expect(o["status"] == "open", f"{o}")
                c = await asyncio.wait_for(ex.cancel_order_ws(o["id"], "BTC/USDT"), 10)
                expect(c["status"] == "canceled", f"{c}")
            await check_async("ccxt pro: create_order_ws and cancel_order_ws (WebSocket API)", orders_ws)
        finally:
            await ex.close()

    asyncio.run(run())


try:
    python_binance()
    python_binance_realtime()
    ccxt_binance()
    ccxt_pro_binance()
    binance_sdk()
    binance_sdk_realtime()
finally:
    SANDBOX.stop()

sys.exit(CHECKS.report())
