#!/usr/bin/env python3
"""Conformance: Binance's earlier Python SDK, binance-connector (`binance.spot`, `binance.websocket`), driven
at the mbx sandbox. It has a venv of its own: its top-level package `binance` is also python-binance's.

Usage: run.py PATH/TO/mbx   (the sandbox is started on a free loopback port, in memory, and stopped)

REST (binance.spot.Spot): server time, exchange info, depth, account; a LIMIT order placed, queried and
cancelled, a second cancel's -2011 with HTTP 400; a MARKET order's fills and my trades; an OCO
(orderList/oco), an OTO and an OTOCO placed and cancelled; a wrong secret's -1022; the same account read
with Ed25519 and RSA keys (the SDK's private_key, registered through the sandbox's admin API); the retired
listenKey route's 404.
WebSocket API (SpotWebsocketAPIClient, UUID ids, HMAC-signed requests whose payload it percent-encodes):
server time, depth, an order placed, queried and cancelled, account; stop() ends in a closing handshake
(the client's on_close, never its on_error).
Streams (SpotWebsocketStreamClient, timestamp ids, raw /ws and combined /stream): trade, diff depth and
partial depth subscribed one by one (Binance allows 5 messages a second), a trade made through REST seen
on the trade stream, diff depth events with U <= u, LIST_SUBSCRIPTIONS, unsubscribe, and stop() closing
cleanly.
Prints one line per check and a closing 'N passed, N failed' line; exits 1 if any check failed.
"""
import json
import os
import queue
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from harness import Checks, Sandbox, expect  # noqa: E402 (found through the path set above)

SANDBOX = Sandbox(sys.argv[1])
BASE, WS, KEY, SECRET = SANDBOX.base, SANDBOX.ws, SANDBOX.key, SANDBOX.secret
CHECKS = Checks()
check, register_key = CHECKS.check, SANDBOX.register_key


def client_error(fn):
    """Runs fn, which must fail with binance.error.ClientError: (HTTP status, Binance code, message)."""
    from binance.error import ClientError
    try:
        fn()
    except ClientError as e:
        return e.status_code, e.error_code, e.error_message
    raise AssertionError("the call succeeded")


def rest():
    from binance.spot import Spot
    c = Spot(api_key=KEY, api_secret=SECRET, base_url=BASE)

    def server_time():
        t = c.time()["serverTime"]
        expect(abs(t - time.time() * 1000) < 60_000, f"serverTime {t} is not in milliseconds of now")
    check("connector REST: time", server_time)
    check("connector REST: exchange info for one symbol",
          lambda: expect([s["symbol"] for s in c.exchange_info(symbol="BTCUSDT")["symbols"]] == ["BTCUSDT"], "symbols"))
    book = c.depth("BTCUSDT", limit=5)
    check("connector REST: depth", lambda: expect(book["bids"] and book["asks"] and "lastUpdateId" in book, f"{book}"))
    bid, ask = float(book["bids"][0][0]), float(book["asks"][0][0])

    def account():
        a = c.account()
        usdt = [b for b in a["balances"] if b["asset"] == "USDT"]
        expect(a["canTrade"] and usdt and float(usdt[0]["free"]) > 0, f"{a}")
    check("connector REST: account", account)

    placed = {}

    def limit_order():
        o = c.new_order("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC", quantity=0.001, price=round(bid * 0.9, 2))
        placed.update(o)
        expect(o["status"] == "NEW" and o["orderId"] > 0, f"{o}")
        q = c.get_order("BTCUSDT", orderId=o["orderId"])
        expect(q["status"] == "NEW" and q["clientOrderId"] == o["clientOrderId"], f"{q}")
        expect(any(x["orderId"] == o["orderId"] for x in c.get_open_orders("BTCUSDT")), "not among open orders")
        d = c.cancel_order("BTCUSDT", orderId=o["orderId"])
        expect(d["status"] == "CANCELED", f"{d}")
    check("connector REST: LIMIT order placed, queried, cancelled", limit_order)

    def cancel_again():
        status, code, msg = client_error(lambda: c.cancel_order("BTCUSDT", orderId=placed["orderId"]))
        expect((status, code, msg) == (400, -2011, "Unknown order sent."), f"{status} {code} {msg}")
    check("connector REST: a second cancel is -2011", cancel_again)

    def market_order():
        o = c.new_order("BTCUSDT", "BUY", "MARKET", quantity=0.001, newOrderRespType="FULL")
        expect(o["status"] == "FILLED" and o["fills"], f"{o}")
        trades = c.my_trades("BTCUSDT", orderId=o["orderId"])
        expect(trades and all(t["orderId"] == o["orderId"] for t in trades), f"{trades}")
    check("connector REST: MARKET order's fills and my trades", market_order)

    def oco():
        r = c.new_oco_order("BTCUSDT", "SELL", 0.001, "LIMIT_MAKER", "STOP_LOSS_LIMIT",
                            abovePrice=round(ask * 1.1, 2), belowPrice=round(bid * 0.8, 2),
                            belowStopPrice=round(bid * 0.81, 2), belowTimeInForce="GTC")
        expect(r["contingencyType"] == "OCO" and len(r["orders"]) == 2, f"{r}")
        expect(any(x["orderListId"] == r["orderListId"] for x in c.get_oco_open_orders()), "not among open lists")
        d = c.cancel_oco_order("BTCUSDT", orderListId=r["orderListId"])
        expect(d["listOrderStatus"] == "ALL_DONE", f"{d}")
    check("connector REST: OCO placed and cancelled", oco)

    def oto_and_otoco():
        r = c.new_oto_order("BTCUSDT", "LIMIT", "BUY", round(bid * 0.9, 2), 0.001, "LIMIT_MAKER", "SELL", 0.001,
                            workingTimeInForce="GTC", pendingPrice=round(ask * 1.2, 2))
        expect(r["contingencyType"] == "OTO" and len(r["orders"]) == 2, f"{r}")
        r2 = c.new_otoco_order("BTCUSDT", "LIMIT", "BUY", round(bid * 0.9, 2), 0.001, "SELL", 0.001, "LIMIT_MAKER",
                               workingTimeInForce="GTC", pendingAbovePrice=round(ask * 1.2, 2),
                               pendingBelowType="STOP_LOSS", pendingBelowStopPrice=round(bid * 0.7, 2))
        expect(r2["contingencyType"] == "OTO" and len(r2["orders"]) == 3, f"{r2}")
        for listed in (r, r2):
            d = c.cancel_oco_order("BTCUSDT", orderListId=listed["orderListId"])
            expect(d["listOrderStatus"] == "ALL_DONE", f"{d}")
    check("connector REST: OTO and OTOCO placed and cancelled", oto_and_otoco)

    def wrong_secret():
        bad = Spot(api_key=KEY, api_secret=SECRET[:-1] + ("a" if SECRET[-1] != "a" else "b"), base_url=BASE)
        status, code, _ = client_error(bad.account)
        expect((status, code) == (400, -1022), f"{status} {code}")
    check("connector REST: a wrong secret is -1022", wrong_secret)

    def asymmetric(kind):
        def run():
            api_key, pem = register_key(kind)
            k = Spot(api_key=api_key, private_key=pem, base_url=BASE)
            expect(k.account()["canTrade"], "account")
            o = k.new_order("BTCUSDT", "BUY", "LIMIT", timeInForce="GTC", quantity=0.001, price=round(bid * 0.9, 2))
            expect(k.cancel_order("BTCUSDT", orderId=o["orderId"])["status"] == "CANCELED", "cancel")
        return run
    check("connector REST: Ed25519 key (private_key)", asymmetric("ed25519"))
    check("connector REST: RSA key (private_key)", asymmetric("rsa"))

    def listen_key():
        status, _, _ = client_error(c.new_listen_key)
        expect(status == 404, f"{status}")
    check("connector REST: the retired listenKey route answers 404", listen_key)


class Socket:
    """A connector WebSocket client's callbacks: messages in a queue, on_close and on_error noted."""

    def __init__(self):
        self.messages, self.closed, self.errors = queue.Queue(), threading.Event(), []

    def callbacks(self):
        return {"on_message": lambda _, m: self.messages.put(json.loads(m)),
                "on_close": lambda _: self.closed.set(),
                "on_error": lambda _, e: self.errors.append(repr(e))}

    def next(self, where, timeout=5):
        """The next message for which where(message) holds."""
        end = time.time() + timeout
        while time.time() < end:
            try:
                m = self.messages.get(timeout=max(0.01, end - time.time()))
            except queue.Empty:
                break
            if where(m):
                return m
        raise AssertionError("no such message within %ss" % timeout)

    def stopped_cleanly(self, client):
        client.stop()
        expect(self.closed.wait(5), "on_close was not called: the server did not answer the close")
        expect(not self.errors, f"on_error: {self.errors}")


def ws_api():
    from binance.websocket.spot.websocket_api import SpotWebsocketAPIClient
    s = Socket()
    c = SpotWebsocketAPIClient(stream_url=WS + "/ws-api/v3", api_key=KEY, api_secret=SECRET, **s.callbacks())

    def answer(send):
        """The answer to what send() sends (one request at a time, so the next message with an id)."""
        send()
        return s.next(lambda m: "id" in m)

    def server_time():
        m = answer(c.server_time)
        expect(m["status"] == 200 and isinstance(m["id"], str) and len(m["id"]) == 36, f"{m}")
        expect("serverTime" in m["result"], f"{m}")
    check("connector WS API: time (UUID id)", server_time)
    check("connector WS API: depth",
          lambda: expect(answer(lambda: c.order_book(symbol="BTCUSDT", limit=5))["result"]["bids"], "bids"))

    def order():
        book = answer(lambda: c.order_book(symbol="BTCUSDT", limit=5))["result"]
        price = round(float(book["bids"][0][0]) * 0.9, 2)
        placed = answer(lambda: c.new_order(symbol="BTCUSDT", side="BUY", type="LIMIT", timeInForce="GTC",
                                            quantity=0.001, price=price))
        expect(placed["status"] == 200 and placed["result"]["status"] == "NEW", f"{placed}")
        oid = placed["result"]["orderId"]
        q = answer(lambda: c.get_order(symbol="BTCUSDT", orderId=oid))
        expect(q["status"] == 200 and q["result"]["orderId"] == oid, f"{q}")
        d = answer(lambda: c.cancel_order(symbol="BTCUSDT", orderId=oid))
        expect(d["status"] == 200 and d["result"]["status"] == "CANCELED", f"{d}")
    check("connector WS API: order placed, queried, cancelled (HMAC)", order)

    def account():
        m = answer(c.account)
        expect(m["status"] == 200 and m["result"]["canTrade"], f"{m}")
    check("connector WS API: account", account)
    check("connector WS API: stop() ends in a closing handshake", lambda: s.stopped_cleanly(c))


def streams(combined):
    from binance.spot import Spot
    from binance.websocket.spot.websocket_stream import SpotWebsocketStreamClient
    kind = "combined /stream" if combined else "raw /ws"
    s = Socket()
    c = SpotWebsocketStreamClient(stream_url=WS, is_combined=combined, **s.callbacks())

    def data(m):
        return m["data"] if combined and "data" in m else m

    def subscribe():
        # One message at a time: Binance closes a connection that sends more than 5 a second.
        for sub in (lambda: c.trade(symbol="btcusdt", id=1), lambda: c.diff_book_depth(symbol="btcusdt", speed=100, id=2),
                    lambda: c.partial_book_depth(symbol="btcusdt", level=5, speed=100, id=3)):
            sub()
            ack = s.next(lambda m: "result" in m)
            expect(ack["result"] is None, f"{ack}")
            time.sleep(0.25)
    check(f"connector streams ({kind}): subscribe trade, diff and partial depth", subscribe)

    # The trade's depth diff may come before or after the trade event (the diff goes out at its
    # 100 ms tick, the trade when its commit is published): one seen early is kept.
    early = []

    def trade():
        rest_client = Spot(api_key=KEY, api_secret=SECRET, base_url=BASE)
        o = rest_client.new_order("BTCUSDT", "BUY", "MARKET", quantity=0.002, newOrderRespType="FULL")
        price = o["fills"][0]["price"]

        def ours(m):
            if data(m).get("e") == "depthUpdate":
                early.append(m)
            return data(m).get("e") == "trade" and data(m).get("p") == price
        m = s.next(ours)
        if combined:
            expect(m["stream"] == "btcusdt@trade", f"{m}")
    check(f"connector streams ({kind}): a REST trade on the trade stream", trade)

    def depth():
        m = data(early[0] if early else s.next(lambda m: data(m).get("e") == "depthUpdate"))
        expect(m["U"] <= m["u"] and m["s"] == "BTCUSDT", f"{m}")
        p = data(s.next(lambda m: "lastUpdateId" in data(m)))
        expect(len(p["bids"]) <= 5 and p["asks"], f"{p}")
    check(f"connector streams ({kind}): diff and partial depth events", depth)

    def listing():
        time.sleep(0.25)
        c.list_subscribe(id=4)
        m = s.next(lambda m: m.get("id") == 4)
        expect(sorted(m["result"]) == ["btcusdt@depth5@100ms", "btcusdt@depth@100ms", "btcusdt@trade"], f"{m}")
        time.sleep(0.25)
        c.trade(symbol="btcusdt", action=c.ACTION_UNSUBSCRIBE, id=5)
        expect(s.next(lambda m: m.get("id") == 5)["result"] is None, "unsubscribe")
        time.sleep(0.25)
        c.list_subscribe(id=6)
        m = s.next(lambda m: m.get("id") == 6)
        expect("btcusdt@trade" not in m["result"], f"{m}")
    check(f"connector streams ({kind}): LIST_SUBSCRIPTIONS and UNSUBSCRIBE", listing)
    check(f"connector streams ({kind}): stop() ends in a closing handshake", lambda: s.stopped_cleanly(c))


try:
    rest()
    ws_api()
    streams(combined=False)
    streams(combined=True)
finally:
    SANDBOX.stop()

sys.exit(CHECKS.report())
