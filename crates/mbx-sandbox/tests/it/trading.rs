//! Placing, querying and cancelling orders: POST/GET/DELETE order, openOrders, allOrders, myTrades,
//! and the demo account's balances through them.

use mbx_testkit::TestSandbox;
use reqwest::Method;
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;

use crate::support::{balance, best, call, d, dec, empty_books, place};

const LIMIT_BUY: &[(&str, &str)] = &[
    ("symbol", "BTCUSDT"),
    ("side", "BUY"),
    ("type", "LIMIT"),
    ("timeInForce", "GTC"),
    ("quantity", "0.01"),
    ("price", "50000.5"),
];

#[tokio::test]
async fn limit_order_rests_is_listed_and_cancel_unlocks_exactly() {
    let sb = empty_books().await;
    let a = place(&sb, LIMIT_BUY).await;
    a.assert_ok();
    assert_eq!(a.order_counts, Some((1, 1)));
    let o = &a.json;
    assert_eq!(
        (o["status"].as_str(), o["type"].as_str(), o["side"].as_str()),
        (Some("NEW"), Some("LIMIT"), Some("BUY"))
    );
    assert_eq!((o["price"].as_str(), o["origQty"].as_str()), (Some("50000.50000000"), Some("0.01000000")));
    assert_eq!(o["executedQty"], "0.00000000");
    assert_eq!(o["orderListId"], -1);
    assert_eq!(o["selfTradePreventionMode"], "EXPIRE_MAKER");
    assert_eq!(o["fills"], Value::Array(vec![]), "LIMIT answers FULL by default");
    assert_eq!(o["clientOrderId"].as_str().map(str::len), Some(22), "generated clientOrderId");
    let id = o["orderId"].as_u64().unwrap();
    let client_id = o["clientOrderId"].as_str().unwrap().to_owned();
    // 0.01 * 50000.5 = 500.005 USDT locked, exactly.
    assert_eq!(balance(&sb, "USDT").await, (d("9499.995"), d("500.005")));

    for query in [vec![("symbol", "BTCUSDT")], vec![]] {
        let open = call(&sb, Method::GET, "/api/v3/openOrders", &query).await;
        open.assert_ok();
        let list = open.json.as_array().unwrap();
        assert_eq!(list.len(), 1, "{}", open.json);
        assert_eq!((list[0]["orderId"].as_u64(), list[0]["isWorking"].as_bool()), (Some(id), Some(true)));
        assert_eq!(list[0]["stopPrice"], "0.00000000");
    }
    let by_id =
        call(&sb, Method::GET, "/api/v3/order", &[("symbol", "BTCUSDT"), ("orderId", &id.to_string())]).await;
    by_id.assert_ok();
    assert_eq!(by_id.json["clientOrderId"], client_id.as_str());
    let by_client =
        call(&sb, Method::GET, "/api/v3/order", &[("symbol", "BTCUSDT"), ("origClientOrderId", &client_id)])
            .await;
    assert_eq!(by_client.json["orderId"].as_u64(), Some(id));
    // Both ids that do not belong together: -2039 for an order that exists (CHANGELOG 2025-04-08),
    // -2013 for one that does not.
    let id_text = id.to_string();
    let mismatched =
        [("symbol", "BTCUSDT"), ("orderId", id_text.as_str()), ("origClientOrderId", "notTheRightId")];
    call(&sb, Method::GET, "/api/v3/order", &mismatched).await.assert_rejected(
        400,
        -2039,
        "Client order ID is not correct for this order ID.",
    );
    let unknown = [("symbol", "BTCUSDT"), ("orderId", "999999"), ("origClientOrderId", client_id.as_str())];
    call(&sb, Method::GET, "/api/v3/order", &unknown).await.assert_rejected(
        400,
        -2013,
        "Order does not exist.",
    );

    let c =
        call(&sb, Method::DELETE, "/api/v3/order", &[("symbol", "BTCUSDT"), ("orderId", &id.to_string())])
            .await;
    c.assert_ok();
    assert_eq!(c.json["status"], "CANCELED");
    assert_eq!(c.json["origClientOrderId"], client_id.as_str());
    assert_ne!(c.json["clientOrderId"], client_id.as_str(), "the cancel has its own id");
    assert_eq!(balance(&sb, "USDT").await, (d("10000"), d("0")));
    let open = call(&sb, Method::GET, "/api/v3/openOrders", &[("symbol", "BTCUSDT")]).await;
    assert_eq!(open.json, Value::Array(vec![]));
    let q =
        call(&sb, Method::GET, "/api/v3/order", &[("symbol", "BTCUSDT"), ("orderId", &id.to_string())]).await;
    assert_eq!(q.json["status"], "CANCELED");
    call(&sb, Method::DELETE, "/api/v3/order", &[("symbol", "BTCUSDT"), ("orderId", &id.to_string())])
        .await
        .assert_rejected(400, -2011, "Unknown order sent.");
    sb.shutdown().await;
}

/// The commission Binance charges on `amount` received: 0.1%, to eight decimals.
fn fee(amount: Decimal) -> Decimal {
    (amount * d("0.001")).round_dp_with_strategy(8, RoundingStrategy::AwayFromZero)
}

#[tokio::test]
async fn market_buy_fills_against_market_maker_with_full_fills() {
    let sb = TestSandbox::start().await;
    let (_, ask) = best(&sb, "ETHUSDT").await;
    // 3 ETH: more than the market maker's first level of 2.5.
    let a =
        place(&sb, &[("symbol", "ETHUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "3")]).await;
    a.assert_ok();
    let o = &a.json;
    assert_eq!((o["status"].as_str(), o["executedQty"].as_str()), (Some("FILLED"), Some("3.00000000")));
    assert_eq!(o["price"], "0.00000000");
    let fills = o["fills"].as_array().unwrap();
    assert!(fills.len() >= 2, "{o}");
    assert_eq!(dec(&fills[0]["price"]), ask, "the best ask fills first");
    let mut last_id = 0;
    let (mut qty, mut quote) = (Decimal::ZERO, Decimal::ZERO);
    for f in fills {
        let id = f["tradeId"].as_u64().unwrap();
        assert!(id > last_id, "tradeIds increase: {fills:?}");
        last_id = id;
        let (p, q) = (dec(&f["price"]), dec(&f["qty"]));
        assert_eq!(f["commissionAsset"], "ETH", "commission in the asset received");
        assert_eq!(dec(&f["commission"]), q * d("0.001"), "0.1% of {q}, exactly");
        qty += q;
        quote += p * q;
    }
    assert_eq!(qty, d("3"));
    assert_eq!(dec(&o["cummulativeQuoteQty"]), quote);
    assert_eq!(balance(&sb, "ETH").await, (d("10") + d("3") - d("0.003"), d("0")));
    assert_eq!(balance(&sb, "USDT").await, (d("10000") - quote, d("0")));
    sb.shutdown().await;
}

#[tokio::test]
async fn market_sell_and_quote_order_qty_settle_exactly() {
    let sb = TestSandbox::start().await;
    let (bid, _) = best(&sb, "BTCUSDT").await;
    let a = place(&sb, &[("symbol", "BTCUSDT"), ("side", "SELL"), ("type", "MARKET"), ("quantity", "0.01")])
        .await;
    a.assert_ok();
    let f = &a.json["fills"][0];
    assert_eq!(dec(&f["price"]), bid);
    assert_eq!(f["commissionAsset"], "USDT");
    let received = bid * d("0.01");
    assert_eq!(dec(&f["commission"]), fee(received));
    assert_eq!(balance(&sb, "BTC").await, (d("0.99"), d("0")));
    assert_eq!(balance(&sb, "USDT").await.0, d("10000") + received - fee(received));

    let b =
        place(&sb, &[("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quoteOrderQty", "100")])
            .await;
    b.assert_ok();
    let o = &b.json;
    assert_eq!(o["status"], "FILLED");
    assert_eq!(o["origQuoteOrderQty"], "100.00000000");
    assert_eq!(o["origQty"], o["executedQty"], "origQty is what executed");
    let spent = dec(&o["cummulativeQuoteQty"]);
    let price = dec(&o["fills"][0]["price"]);
    assert!(spent <= d("100") && d("100") - spent < price * d("0.00001"), "spent {spent} at {price}");
    sb.shutdown().await;
}

#[tokio::test]
async fn ioc_fills_what_it_can_and_expires_the_rest() {
    let sb = TestSandbox::start().await;
    let (_, ask) = best(&sb, "LTCBTC").await;
    let a = place(
        &sb,
        &[
            ("symbol", "LTCBTC"),
            ("side", "BUY"),
            ("type", "LIMIT"),
            ("timeInForce", "IOC"),
            ("quantity", "30"),
            ("price", &ask.to_string()),
        ],
    )
    .await;
    a.assert_ok();
    // Only the first level (25 LTC) is at that price.
    assert_eq!(
        (a.json["status"].as_str(), a.json["executedQty"].as_str()),
        (Some("EXPIRED"), Some("25.00000000"))
    );
    let open = call(&sb, Method::GET, "/api/v3/openOrders", &[("symbol", "LTCBTC")]).await;
    assert_eq!(open.json, Value::Array(vec![]), "nothing of an IOC rests");
    assert_eq!(balance(&sb, "BTC").await.1, d("0"));
    sb.shutdown().await;
}

#[tokio::test]
async fn fok_fills_entirely_or_expires_without_trading() {
    let sb = TestSandbox::start().await;
    let (_, ask) = best(&sb, "LTCBTC").await;
    let r = &sb;
    let fok = |qty: &'static str, price: String| async move {
        let p = price;
        place(
            r,
            &[
                ("symbol", "LTCBTC"),
                ("side", "BUY"),
                ("type", "LIMIT"),
                ("timeInForce", "FOK"),
                ("quantity", qty),
                ("price", &p),
            ],
        )
        .await
    };
    let a = fok("30", ask.to_string()).await;
    a.assert_ok();
    assert_eq!(
        (a.json["status"].as_str(), a.json["executedQty"].as_str()),
        (Some("EXPIRED"), Some("0.00000000"))
    );
    assert_eq!(a.json["fills"], Value::Array(vec![]));
    assert_eq!(balance(&sb, "BTC").await, (d("1"), d("0")), "an expired FOK moves nothing");
    let (_, ask_after) = best(&sb, "LTCBTC").await;
    assert_eq!(ask_after, ask, "and takes nothing off the book");
    let b = fok("20", ask.to_string()).await;
    b.assert_ok();
    assert_eq!(
        (b.json["status"].as_str(), b.json["executedQty"].as_str()),
        (Some("FILLED"), Some("20.00000000"))
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn limit_maker_that_would_take_is_rejected() {
    let sb = TestSandbox::start().await;
    let (bid, ask) = best(&sb, "LTCBTC").await;
    let r = &sb;
    let maker = |price: Decimal| {
        let price = price.to_string();
        async move {
            place(
                r,
                &[
                    ("symbol", "LTCBTC"),
                    ("side", "BUY"),
                    ("type", "LIMIT_MAKER"),
                    ("quantity", "1"),
                    ("price", &price),
                ],
            )
            .await
        }
    };
    let a = maker(ask).await;
    a.assert_rejected(400, -2010, "Order would immediately match and take.");
    assert!(a.order_counts.is_some(), "order responses carry the order counts, rejections too");
    let b = maker(bid).await;
    b.assert_ok();
    assert!(b.json.get("status").is_none(), "LIMIT_MAKER answers ACK by default: {}", b.json);
    let q = call(
        &sb,
        Method::GET,
        "/api/v3/order",
        &[("symbol", "LTCBTC"), ("orderId", &b.json["orderId"].to_string())],
    )
    .await;
    assert_eq!(q.json["status"], "NEW");
    sb.shutdown().await;
}

#[tokio::test]
async fn insufficient_balance_is_2010_not_a_filter_failure() {
    let sb = TestSandbox::start().await;
    place(
        &sb,
        &[
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("type", "LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", "1"),
            ("price", "20000"),
        ],
    )
    .await
    .assert_rejected(400, -2010, "Account has insufficient balance for requested action.");
    place(&sb, &[("symbol", "BTCUSDT"), ("side", "SELL"), ("type", "MARKET"), ("quantity", "2")])
        .await
        .assert_rejected(400, -2010, "Account has insufficient balance for requested action.");
    place(&sb, &[("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "1")])
        .await
        .assert_rejected(400, -2010, "Account has insufficient balance for requested action.");
    assert_eq!(balance(&sb, "USDT").await, (d("10000"), d("0")));
    // Locked funds cannot be spent twice: 0.18 * 50000 = 9000 held, 0.04 * 50000 = 2000 more is too much.
    let limit = |qty: &'static str| {
        [
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("type", "LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", qty),
            ("price", "50000"),
        ]
    };
    place(&sb, &limit("0.18")).await.assert_ok();
    place(&sb, &limit("0.04")).await.assert_rejected(
        400,
        -2010,
        "Account has insufficient balance for requested action.",
    );
    assert_eq!(balance(&sb, "USDT").await, (d("1000"), d("9000")));
    sb.shutdown().await;
}

#[tokio::test]
async fn filter_failures_are_1013_with_the_filter_name() {
    let sb = empty_books().await;
    let with = |name: &'static str, value: &'static str| {
        let mut p: Vec<(&str, &str)> = LIMIT_BUY.iter().filter(|(k, _)| *k != name).copied().collect();
        p.push((name, value));
        p
    };
    for (name, value, filter) in [
        ("price", "50000.001", "PRICE_FILTER"),
        ("quantity", "0.000001", "LOT_SIZE"),
        ("quantity", "0.00001", "NOTIONAL"),
    ] {
        let a = place(&sb, &with(name, value)).await;
        a.assert_rejected(400, -1013, &format!("Filter failure: {filter}"));
        assert!(a.order_counts.is_some());
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn unknown_orders_are_2011_on_cancel_and_2013_on_query() {
    let sb = empty_books().await;
    let unknown = [("symbol", "BTCUSDT"), ("orderId", "999999")];
    call(&sb, Method::DELETE, "/api/v3/order", &unknown).await.assert_rejected(
        400,
        -2011,
        "Unknown order sent.",
    );
    call(&sb, Method::GET, "/api/v3/order", &unknown).await.assert_rejected(
        400,
        -2013,
        "Order does not exist.",
    );
    call(&sb, Method::DELETE, "/api/v3/order", &[("symbol", "BTCUSDT"), ("origClientOrderId", "nope")])
        .await
        .assert_rejected(400, -2011, "Unknown order sent.");
    call(&sb, Method::DELETE, "/api/v3/order", &[("symbol", "BTCUSDT")]).await.assert_rejected(
        400,
        -1102,
        "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!",
    );
    call(&sb, Method::DELETE, "/api/v3/openOrders", &[("symbol", "BTCUSDT")]).await.assert_rejected(
        400,
        -2011,
        "Unknown order sent.",
    );
    // The id a cancel gives the order follows a new order's rule (found by a sweep of bad
    // parameters: 37 characters were stored).
    let long_id = "a".repeat(37);
    call(&sb, Method::DELETE, "/api/v3/order", &[("symbol", "BTCUSDT"), ("orderId", "1"), ("newClientOrderId", &long_id)])
        .await
        .assert_rejected(
            400,
            -1100,
            "Illegal characters found in parameter 'newClientOrderId'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'.",
        );
    call(
        &sb,
        Method::DELETE,
        "/api/v3/order",
        &[("symbol", "BTCUSDT"), ("orderId", "1"), ("cancelRestrictions", "X")],
    )
    .await
    .assert_rejected(400, -1145, "Invalid cancelRestrictions");
    sb.shutdown().await;
}

#[tokio::test]
async fn duplicate_client_order_id_of_an_open_order_is_rejected() {
    let sb = empty_books().await;
    let mut p = LIMIT_BUY.to_vec();
    p.push(("newClientOrderId", "myOrder1"));
    let a = place(&sb, &p).await;
    a.assert_ok();
    assert_eq!(a.json["clientOrderId"], "myOrder1");
    place(&sb, &p).await.assert_rejected(400, -2010, "Duplicate order sent.");
    let c = call(
        &sb,
        Method::DELETE,
        "/api/v3/order",
        &[("symbol", "BTCUSDT"), ("origClientOrderId", "myOrder1")],
    )
    .await;
    c.assert_ok();
    assert_eq!(c.json["orderId"], a.json["orderId"]);
    let again = place(&sb, &p).await;
    again.assert_ok();
    assert!(again.json["orderId"].as_u64() > a.json["orderId"].as_u64(), "a closed order's id may be reused");
    let q =
        call(&sb, Method::GET, "/api/v3/order", &[("symbol", "BTCUSDT"), ("origClientOrderId", "myOrder1")])
            .await;
    assert_eq!(q.json["orderId"], again.json["orderId"], "the latest order with the id");
    sb.shutdown().await;
}

#[tokio::test]
async fn cancel_open_orders_cancels_all_of_the_symbol_and_counts_orders() {
    let sb = empty_books().await;
    for n in 1..=3u32 {
        let a = place(&sb, LIMIT_BUY).await;
        let (ten_s, day) = a.order_counts.expect("order count headers");
        // The 10-second window may roll over between two orders; the day (almost) never does.
        assert!(day == n && (1..=n).contains(&ten_s), "{ten_s} {day} after {n} orders");
    }
    let c = call(&sb, Method::DELETE, "/api/v3/openOrders", &[("symbol", "BTCUSDT")]).await;
    c.assert_ok();
    let list = c.json.as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert!(list.iter().all(|o| o["status"] == "CANCELED"));
    assert_eq!(balance(&sb, "USDT").await, (d("10000"), d("0")));
    sb.shutdown().await;
}

#[tokio::test]
async fn my_trades_and_all_orders_after_fills() {
    let sb = TestSandbox::start().await;
    let buy =
        place(&sb, &[("symbol", "ETHUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "3")]).await;
    buy.assert_ok();
    let sell =
        place(&sb, &[("symbol", "ETHUSDT"), ("side", "SELL"), ("type", "MARKET"), ("quantity", "1")]).await;
    sell.assert_ok();
    let t = call(&sb, Method::GET, "/api/v3/myTrades", &[("symbol", "ETHUSDT")]).await;
    t.assert_ok();
    let rows = t.json.as_array().unwrap();
    let fills = buy.json["fills"].as_array().unwrap().len() + sell.json["fills"].as_array().unwrap().len();
    assert_eq!(rows.len(), fills, "{}", t.json);
    let first = &rows[0];
    assert_eq!(first["id"], buy.json["fills"][0]["tradeId"]);
    assert_eq!(first["orderId"], buy.json["orderId"]);
    assert_eq!((first["isBuyer"].as_bool(), first["isMaker"].as_bool()), (Some(true), Some(false)));
    assert_eq!(first["commission"], buy.json["fills"][0]["commission"]);
    assert_eq!(dec(&first["quoteQty"]), dec(&first["price"]) * dec(&first["qty"]));
    let last = rows.last().unwrap();
    assert_eq!((last["isBuyer"].as_bool(), last["commissionAsset"].as_str()), (Some(false), Some("USDT")));

    let by_order = call(
        &sb,
        Method::GET,
        "/api/v3/myTrades",
        &[("symbol", "ETHUSDT"), ("orderId", &sell.json["orderId"].to_string())],
    )
    .await;
    assert_eq!(by_order.json.as_array().unwrap().len(), sell.json["fills"].as_array().unwrap().len());
    let from = call(
        &sb,
        Method::GET,
        "/api/v3/myTrades",
        &[("symbol", "ETHUSDT"), ("fromId", &last["id"].to_string())],
    )
    .await;
    assert_eq!(from.json.as_array().unwrap().len(), 1);
    // fromId pages by id, startTime/endTime by time: not both (rest-api.md's combinations).
    for time in ["startTime", "endTime"] {
        let both = call(
            &sb,
            Method::GET,
            "/api/v3/myTrades",
            &[("symbol", "ETHUSDT"), ("fromId", &last["id"].to_string()), (time, "1")],
        )
        .await;
        both.assert_rejected(400, -1128, "Combination of optional parameters invalid.");
    }
    // startTime and endTime in microseconds (rest-api.md: timestamp parameters in either unit): a
    // window of 12 hours around the trades finds them all; it is not "more than 24 hours".
    let at_us = first["time"].as_u64().unwrap() * 1000;
    let (start_us, end_us) =
        ((at_us - 6 * 3_600_000_000).to_string(), (at_us + 6 * 3_600_000_000).to_string());
    for path in ["/api/v3/myTrades", "/api/v3/allOrders"] {
        let window = call(
            &sb,
            Method::GET,
            path,
            &[("symbol", "ETHUSDT"), ("startTime", &start_us), ("endTime", &end_us)],
        )
        .await;
        window.assert_ok();
        let expected = if path.ends_with("myTrades") { fills } else { 2 };
        assert_eq!(window.json.as_array().map(Vec::len), Some(expected), "{path}: {}", window.json);
    }

    let all = call(&sb, Method::GET, "/api/v3/allOrders", &[("symbol", "ETHUSDT")]).await;
    all.assert_ok();
    let orders = all.json.as_array().unwrap();
    assert_eq!(orders.len(), 2);
    assert_eq!((orders[0]["status"].as_str(), orders[1]["side"].as_str()), (Some("FILLED"), Some("SELL")));
    assert_eq!(orders[0]["isWorking"], true);
    let limited = call(&sb, Method::GET, "/api/v3/allOrders", &[("symbol", "ETHUSDT"), ("limit", "1")]).await;
    assert_eq!(limited.json[0]["orderId"], sell.json["orderId"], "the most recent");
    sb.shutdown().await;
}

#[tokio::test]
async fn stop_orders_wait_untriggered_then_trade_when_the_price_reaches_them() {
    let sb = empty_books().await;
    let r = &sb;
    let limit = |side: &'static str, qty: &'static str, price: &'static str| async move {
        let a = place(
            r,
            &[
                ("symbol", "LTCBTC"),
                ("side", side),
                ("type", "LIMIT"),
                ("timeInForce", "GTC"),
                ("quantity", qty),
                ("price", price),
                ("selfTradePreventionMode", "NONE"),
            ],
        )
        .await;
        a.assert_ok();
        a
    };
    // A self-trade at 0.002 sets the last price.
    limit("SELL", "1", "0.002").await;
    limit("BUY", "1", "0.002").await;
    let stop = |price: &'static str| async move {
        place(
            r,
            &[
                ("symbol", "LTCBTC"),
                ("side", "BUY"),
                ("type", "STOP_LOSS"),
                ("quantity", "2"),
                ("stopPrice", price),
                ("selfTradePreventionMode", "NONE"),
            ],
        )
        .await
    };
    stop("0.002").await.assert_rejected(400, -2010, "Order would trigger immediately.");
    let a = stop("0.0021").await;
    a.assert_ok();
    assert!(a.json.get("status").is_none(), "STOP_LOSS answers ACK by default");
    let id = a.json["orderId"].to_string();
    let q = call(&sb, Method::GET, "/api/v3/order", &[("symbol", "LTCBTC"), ("orderId", &id)]).await;
    assert_eq!((q.json["status"].as_str(), q.json["isWorking"].as_bool()), (Some("NEW"), Some(false)));
    assert_eq!(q.json["stopPrice"], "0.00210000");
    assert_eq!(q.json["workingTime"], -1);
    // 2 * 0.0021 BTC held for it.
    assert_eq!(balance(&sb, "BTC").await.1, d("0.0042"));
    // A trade at 0.0021 triggers it; it buys at market from the ask left resting.
    limit("SELL", "3", "0.0021").await;
    limit("BUY", "1", "0.0021").await;
    let q = call(&sb, Method::GET, "/api/v3/order", &[("symbol", "LTCBTC"), ("orderId", &id)]).await;
    assert_eq!(
        (q.json["status"].as_str(), q.json["executedQty"].as_str()),
        (Some("FILLED"), Some("2.00000000"))
    );
    assert_eq!(q.json["isWorking"], true);
    assert_eq!(balance(&sb, "BTC").await.1, d("0"), "nothing stays locked");
    assert_eq!(balance(&sb, "LTC").await.1, d("0"));
    sb.shutdown().await;
}

#[tokio::test]
async fn a_single_order_keeps_its_strategy_labels_and_refuses_bad_ones() {
    let sb = empty_books().await;
    let mut labelled = LIMIT_BUY.to_vec();
    labelled.extend([("strategyId", "7"), ("strategyType", "1000000")]);
    let a = place(&sb, &labelled).await;
    a.assert_ok();
    assert_eq!(
        (&a.json["strategyId"], &a.json["strategyType"]),
        (&serde_json::json!(7), &serde_json::json!(1_000_000))
    );
    let id = a.json["orderId"].to_string();
    let o = call(&sb, Method::GET, "/api/v3/order", &[("symbol", "BTCUSDT"), ("orderId", &id)]).await;
    assert_eq!(
        (&o.json["strategyId"], &o.json["strategyType"]),
        (&serde_json::json!(7), &serde_json::json!(1_000_000))
    );
    // Unlabelled orders show neither field.
    let plain = place(&sb, LIMIT_BUY).await;
    assert!(
        plain.json.get("strategyId").is_none() && plain.json.get("strategyType").is_none(),
        "{}",
        plain.json
    );
    // Binance's answers for a reserved type, an empty id and a test order with a bad id.
    let mut reserved = LIMIT_BUY.to_vec();
    reserved.push(("strategyType", "999999"));
    assert_eq!(place(&sb, &reserved).await.code(), -1134);
    let mut empty = LIMIT_BUY.to_vec();
    empty.push(("strategyId", ""));
    assert_eq!(place(&sb, &empty).await.code(), -1105);
    let mut test = LIMIT_BUY.to_vec();
    test.push(("strategyId", "x"));
    assert_eq!(call(&sb, Method::POST, "/api/v3/order/test", &test).await.code(), -1100);
}

/// A successful order, cancel or order list weighs nothing (CHANGELOG 2026-03-27, mbx-core's
/// `FREE_ON_SUCCESS`); a failed one is charged the table's weight, and a query still is.
#[tokio::test]
async fn successful_orders_and_cancels_weigh_nothing() {
    let sb = TestSandbox::start().await;
    let (bid, _) = best(&sb, "BTCUSDT").await;
    let price = (bid - d("1000")).to_string();
    let before = call(&sb, Method::GET, "/api/v3/openOrders", &[("symbol", "BTCUSDT")]).await.weight.unwrap();
    let limit = [
        ("symbol", "BTCUSDT"),
        ("side", "BUY"),
        ("type", "LIMIT"),
        ("timeInForce", "GTC"),
        ("quantity", "0.01"),
        ("price", price.as_str()),
    ];
    let placed = place(&sb, &limit).await;
    placed.assert_ok();
    assert_eq!(placed.weight, Some(before), "a placed order weighs nothing");
    let id = placed.json["orderId"].to_string();
    let cancelled =
        call(&sb, Method::DELETE, "/api/v3/order", &[("symbol", "BTCUSDT"), ("orderId", &id)]).await;
    cancelled.assert_ok();
    assert_eq!(cancelled.weight, Some(before), "a cancel weighs nothing");
    let again = call(&sb, Method::DELETE, "/api/v3/order", &[("symbol", "BTCUSDT"), ("orderId", &id)]).await;
    again.assert_rejected(400, -2011, "Unknown order sent.");
    assert_eq!(again.weight, Some(before + 1), "a failed cancel is charged");
    let query = call(&sb, Method::GET, "/api/v3/openOrders", &[("symbol", "BTCUSDT")]).await;
    assert_eq!(query.weight, Some(before + 7), "a query is charged its weight");
    // myTrades weighs 5 with orderId, 20 without (rest-api.md).
    let by_order =
        call(&sb, Method::GET, "/api/v3/myTrades", &[("symbol", "BTCUSDT"), ("orderId", &id)]).await;
    assert_eq!(by_order.weight, Some(before + 12));
    let all = call(&sb, Method::GET, "/api/v3/myTrades", &[("symbol", "BTCUSDT")]).await;
    assert_eq!(all.weight, Some(before + 32));
    // exchangeInfo's symbolStatus outside enums.md's statuses: -1122, as the other endpoints.
    crate::support::get(&sb, "/api/v3/exchangeInfo?symbolStatus=FOO").await.assert_rejected(
        400,
        -1122,
        "Invalid symbolStatus.",
    );
    sb.shutdown().await;
}
