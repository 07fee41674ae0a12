//! Iceberg orders, trailing stops and pegged orders over REST and the WebSocket API: what the book
//! shows of an iceberg and where its next slice queues, a trailing stop tracking and triggering, a
//! pegged order's price from the book, each filter's and rule's rejection, exchangeInfo, the
//! executionReport fields, and a restart in between.

use mbx_sandbox::Sandbox;
use mbx_testkit::{TempDir, TestSandbox};
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{call, d, empty_books, get, place};
use crate::ws::connect;

/// A LIMIT GTC order on LTCBTC by the demo account, trading with its own orders (STP `NONE`), plus
/// `extra` parameters.
async fn limit(sb: &TestSandbox, side: &str, qty: &str, price: &str, extra: &[(&str, &str)]) -> Value {
    let mut pairs = vec![
        ("symbol", "LTCBTC"),
        ("side", side),
        ("type", "LIMIT"),
        ("timeInForce", "GTC"),
        ("quantity", qty),
        ("price", price),
        ("selfTradePreventionMode", "NONE"),
    ];
    pairs.extend_from_slice(extra);
    let a = place(sb, &pairs).await;
    a.assert_ok();
    a.json
}

/// A trade of 1 LTC at `price` between two orders of the demo account (sets the last price).
async fn trade_at(sb: &TestSandbox, price: &str) {
    limit(sb, "SELL", "1", price, &[]).await;
    let b = limit(sb, "BUY", "1", price, &[]).await;
    assert_eq!(b["status"], "FILLED", "{b}");
}

/// `GET /api/v3/order` of an LTCBTC order by id.
async fn query(sb: &TestSandbox, id: &Value) -> Value {
    let a =
        call(sb, Method::GET, "/api/v3/order", &[("symbol", "LTCBTC"), ("orderId", &id.to_string())]).await;
    a.assert_ok();
    a.json
}

/// The (price, quantity) levels of one side of LTCBTC's depth, as text.
async fn depth(sb: &TestSandbox, side: &str) -> Vec<(String, String)> {
    let a = get(sb, "/api/v3/depth?symbol=LTCBTC&limit=5").await;
    a.assert_ok();
    a.json[side]
        .as_array()
        .expect("levels")
        .iter()
        .map(|l| (l[0].as_str().unwrap().to_owned(), l[1].as_str().unwrap().to_owned()))
        .collect()
}

fn level(price: &str, qty: &str) -> (String, String) {
    (price.to_owned(), qty.to_owned())
}

#[tokio::test]
async fn iceberg_shows_one_slice_in_depth_and_a_new_slice_queues_last() {
    let sb = empty_books().await;
    let iceberg = limit(&sb, "SELL", "10", "0.002", &[("icebergQty", "2")]).await;
    assert_eq!(iceberg["icebergQty"], "2.00000000", "{iceberg}");
    let plain = limit(&sb, "SELL", "1", "0.002", &[]).await;
    assert!(plain.get("icebergQty").is_none(), "only sent icebergQty shows: {plain}");
    // 2 of the iceberg's 10 and the plain order's 1.
    assert_eq!(depth(&sb, "asks").await, [level("0.00200000", "3.00000000")]);
    assert_eq!(crate::support::balance(&sb, "LTC").await.1, d("11"), "the whole iceberg is locked");

    // A buy of 2 takes the first slice; the next one shows, behind the plain order.
    let b = limit(&sb, "BUY", "2", "0.002", &[]).await;
    assert_eq!(b["status"], "FILLED", "{b}");
    let q = query(&sb, &iceberg["orderId"]).await;
    assert_eq!(
        (&q["status"], &q["executedQty"], &q["icebergQty"]),
        (&json!("PARTIALLY_FILLED"), &json!("2.00000000"), &json!("2.00000000")),
        "{q}"
    );
    assert_eq!(depth(&sb, "asks").await, [level("0.00200000", "3.00000000")]);
    // So the next buy of 1 meets the plain order first.
    limit(&sb, "BUY", "1", "0.002", &[]).await;
    assert_eq!(query(&sb, &plain["orderId"]).await["status"], "FILLED");
    assert_eq!(query(&sb, &iceberg["orderId"]).await["executedQty"], "2.00000000");
    // A bigger buy takes slice after slice of the iceberg, all at its level.
    let b = limit(&sb, "BUY", "5", "0.002", &[]).await;
    assert_eq!(b["fills"].as_array().map(Vec::len), Some(3), "slices of 2, 2, 1: {b}");
    assert_eq!(depth(&sb, "asks").await, [level("0.00200000", "1.00000000")]);
    let q = query(&sb, &iceberg["orderId"]).await;
    assert_eq!(q["executedQty"], "7.00000000", "{q}");
    assert_eq!(crate::support::balance(&sb, "LTC").await.1, d("3"));
    sb.shutdown().await;
}

#[tokio::test]
async fn book_streams_show_only_an_icebergs_slice() {
    let sb = empty_books().await;
    let mut ws = connect(&sb, "/stream?streams=ltcbtc@bookTicker/ltcbtc@depth@100ms").await;
    limit(&sb, "SELL", "10", "0.002", &[("icebergQty", "2")]).await;
    // bookTicker comes at once, the diff within 100 ms: read them in that order.
    let top = crate::ws::until(&mut ws, |f| f["stream"] == "ltcbtc@bookTicker").await;
    assert_eq!((&top["data"]["a"], &top["data"]["A"]), (&json!("0.00200000"), &json!("2.00000000")), "{top}");
    let diff = crate::ws::until(&mut ws, |f| f["stream"] == "ltcbtc@depth@100ms").await;
    assert_eq!(diff["data"]["a"], json!([["0.00200000", "2.00000000"]]), "{diff}");
    // Half the slice taken: the book shows the other half.
    limit(&sb, "BUY", "1", "0.002", &[]).await;
    let top = crate::ws::until(&mut ws, |f| f["stream"] == "ltcbtc@bookTicker").await;
    assert_eq!(top["data"]["A"], "1.00000000", "{top}");
    let diff =
        crate::ws::until(&mut ws, |f| f["stream"] == "ltcbtc@depth@100ms" && f["data"]["a"] != json!([]))
            .await;
    assert_eq!(diff["data"]["a"], json!([["0.00200000", "1.00000000"]]), "{diff}");
    sb.shutdown().await;
}

#[tokio::test]
async fn iceberg_trailing_and_peg_rejections_carry_binances_codes_and_messages() {
    let sb = empty_books().await;
    let order = |extra: &'static [(&'static str, &'static str)]| {
        let sb = &sb;
        async move {
            let mut pairs = vec![("symbol", "LTCBTC"), ("side", "SELL"), ("quantity", "10")];
            pairs.extend_from_slice(extra);
            place(sb, &pairs).await
        }
    };
    const LIMIT: (&str, &str) = ("type", "LIMIT");
    const GTC: (&str, &str) = ("timeInForce", "GTC");
    const PRICE: (&str, &str) = ("price", "0.002");
    order(&[LIMIT, GTC, PRICE, ("icebergQty", "0.05")]).await.assert_rejected(
        400,
        -1013,
        "Filter failure: ICEBERG_PARTS",
    );
    order(&[LIMIT, GTC, PRICE, ("icebergQty", "0.0505")]).await.assert_rejected(
        400,
        -1013,
        "Filter failure: LOT_SIZE",
    );
    order(&[LIMIT, GTC, PRICE, ("icebergQty", "10")]).await.assert_rejected(
        400,
        -2010,
        "IcebergQty exceeds QTY.",
    );
    order(&[LIMIT, ("timeInForce", "IOC"), PRICE, ("icebergQty", "1")]).await.assert_rejected(
        400,
        -2010,
        "Unsupported order combination",
    );
    order(&[("type", "MARKET"), ("icebergQty", "1")]).await.assert_rejected(
        400,
        -1106,
        "Parameter 'icebergQty' sent when not required.",
    );
    order(&[("type", "STOP_LOSS"), ("trailingDelta", "9")]).await.assert_rejected(
        400,
        -1013,
        "Filter failure: TRAILING_DELTA",
    );
    order(&[("type", "TAKE_PROFIT"), ("trailingDelta", "2001")]).await.assert_rejected(
        400,
        -1013,
        "Filter failure: TRAILING_DELTA",
    );
    order(&[("type", "STOP_LOSS")]).await.assert_rejected(
        400,
        -1102,
        "Param 'stopPrice' or 'trailingDelta' must be sent, but both were empty/null!",
    );
    order(&[LIMIT, GTC, PRICE, ("trailingDelta", "100")]).await.assert_rejected(
        400,
        -1106,
        "Parameter 'trailingDelta' sent when not required.",
    );
    order(&[LIMIT, GTC, ("pegPriceType", "BEST_PEG")]).await.assert_rejected(
        400,
        -1210,
        "Invalid pegPriceType.",
    );
    order(&[
        LIMIT,
        GTC,
        ("pegPriceType", "PRIMARY_PEG"),
        ("pegOffsetType", "TICKS"),
        ("pegOffsetValue", "1"),
    ])
    .await
    .assert_rejected(400, -1211, "Invalid pegOffsetType.");
    order(&[("type", "MARKET"), ("pegPriceType", "MARKET_PEG")]).await.assert_rejected(
        400,
        -2010,
        "This order type may not use pegged price.",
    );
    order(&[("type", "LIMIT_MAKER"), ("pegPriceType", "MARKET_PEG")]).await.assert_rejected(
        400,
        -2010,
        "This price peg cannot be used with this order type.",
    );
    order(&[LIMIT, GTC, ("pegPriceType", "PRIMARY_PEG")]).await.assert_rejected(
        400,
        -2010,
        "Order book liquidity is too low for this pegged order.",
    );
    // MAX_NUM_ICEBERG_ORDERS: 5 open icebergs on a symbol.
    for _ in 0..5 {
        order(&[LIMIT, GTC, PRICE, ("icebergQty", "1")]).await.assert_ok();
    }
    order(&[LIMIT, GTC, PRICE, ("icebergQty", "1")]).await.assert_rejected(
        400,
        -1013,
        "Filter failure: MAX_NUM_ICEBERG_ORDERS",
    );
    order(&[LIMIT, GTC, PRICE]).await.assert_ok();
    sb.shutdown().await;
}

#[tokio::test]
async fn exchange_info_enables_the_features_and_lists_their_filters() {
    let sb = empty_books().await;
    let a = get(&sb, "/api/v3/exchangeInfo?symbol=LTCBTC").await;
    a.assert_ok();
    let s = &a.json["symbols"][0];
    assert_eq!(
        (&s["icebergAllowed"], &s["allowTrailingStop"], &s["pegInstructionsAllowed"]),
        (&json!(true), &json!(true), &json!(true))
    );
    let filters: Vec<&str> =
        s["filters"].as_array().unwrap().iter().filter_map(|f| f["filterType"].as_str()).collect();
    assert_eq!(
        filters,
        [
            "PRICE_FILTER",
            "LOT_SIZE",
            "ICEBERG_PARTS",
            "MARKET_LOT_SIZE",
            "TRAILING_DELTA",
            "PERCENT_PRICE_BY_SIDE",
            "NOTIONAL",
            "MAX_NUM_ORDERS",
            "MAX_NUM_ICEBERG_ORDERS",
            "MAX_NUM_ORDER_AMENDS"
        ]
    );
    let f = |name: &str| {
        s["filters"].as_array().unwrap().iter().find(|f| f["filterType"] == name).unwrap().clone()
    };
    assert_eq!(f("ICEBERG_PARTS"), json!({"filterType": "ICEBERG_PARTS", "limit": 100}));
    assert_eq!(
        f("TRAILING_DELTA"),
        json!({"filterType": "TRAILING_DELTA", "minTrailingAboveDelta": 10, "maxTrailingAboveDelta": 2000,
               "minTrailingBelowDelta": 10, "maxTrailingBelowDelta": 2000})
    );
    assert_eq!(
        f("MAX_NUM_ICEBERG_ORDERS"),
        json!({"filterType": "MAX_NUM_ICEBERG_ORDERS", "maxNumIcebergOrders": 5})
    );
    // What the sandbox lists is what mbx-core's filters read (the client's pre-flight).
    let core = mbx_core::filters::SymbolFilters::from_json(&s["filters"]);
    assert_eq!((core.iceberg_parts, core.max_num_iceberg_orders), (Some(100), Some(5)));
    sb.shutdown().await;
}

#[tokio::test]
async fn trailing_stop_tracks_the_highest_price_then_triggers_after_its_delta() {
    let sb = empty_books().await;
    trade_at(&sb, "0.002").await;
    // A STOP_LOSS SELL trailing 10% with no stopPrice: tracking from the last price at once.
    let a = place(
        &sb,
        &[
            ("symbol", "LTCBTC"),
            ("side", "SELL"),
            ("type", "STOP_LOSS"),
            ("quantity", "2"),
            ("trailingDelta", "1000"),
            ("newOrderRespType", "RESULT"),
            ("selfTradePreventionMode", "NONE"),
        ],
    )
    .await;
    a.assert_ok();
    let id = a.json["orderId"].clone();
    assert_eq!(a.json["trailingDelta"], 1000, "{}", a.json);
    let tracking_since = a.json["trailingTime"].as_i64().expect("trailingTime");
    assert!(tracking_since > 0, "tracking from placement: {}", a.json);
    assert!(a.json.get("stopPrice").is_none(), "no stopPrice sent: {}", a.json);
    let q = query(&sb, &id).await;
    assert_eq!(
        (&q["status"], &q["isWorking"], &q["trailingDelta"], &q["trailingTime"]),
        (&json!("NEW"), &json!(false), &json!(1000), &json!(tracking_since)),
        "{q}"
    );
    // Up to 0.0025: the best price; 10% off it is 0.00225.
    trade_at(&sb, "0.0025").await;
    trade_at(&sb, "0.002251").await;
    assert_eq!(query(&sb, &id).await["isWorking"], false, "0.002251 is less than 10% off 0.0025");
    // A bid for the triggered stop to sell into, then a trade at 0.00225.
    let bid = limit(&sb, "BUY", "5", "0.0022", &[]).await;
    trade_at(&sb, "0.00225").await;
    let q = query(&sb, &id).await;
    assert_eq!(
        (&q["status"], &q["executedQty"], &q["isWorking"]),
        (&json!("FILLED"), &json!("2.00000000"), &json!(true)),
        "{q}"
    );
    assert_eq!(query(&sb, &bid["orderId"]).await["executedQty"], "2.00000000");
    sb.shutdown().await;
}

#[tokio::test]
async fn trailing_stop_sees_each_trade_of_a_sweep() {
    let sb = empty_books().await;
    trade_at(&sb, "0.002").await;
    // A STOP_LOSS BUY trailing 10%: tracks the lowest price, triggers 10% above it.
    let a = place(
        &sb,
        &[
            ("symbol", "LTCBTC"),
            ("side", "BUY"),
            ("type", "STOP_LOSS"),
            ("quantity", "1"),
            ("trailingDelta", "1000"),
            ("selfTradePreventionMode", "NONE"),
        ],
    )
    .await;
    a.assert_ok();
    limit(&sb, "SELL", "1", "0.0018", &[]).await;
    limit(&sb, "SELL", "1", "0.00199", &[]).await;
    let rest = limit(&sb, "SELL", "5", "0.0021", &[]).await;
    // One buy sweeps 0.0018 then 0.00199: the low of 0.0018 sets the best, and 0.00199 is 10.6%
    // above it, so the stop triggers (judged by the last price alone, 0.00199, it would not).
    let sweep = limit(&sb, "BUY", "2", "0.00199", &[]).await;
    assert_eq!(sweep["fills"].as_array().map(Vec::len), Some(2), "{sweep}");
    let q = query(&sb, &a.json["orderId"]).await;
    assert_eq!((&q["status"], &q["executedQty"]), (&json!("FILLED"), &json!("1.00000000")), "{q}");
    assert_eq!(query(&sb, &rest["orderId"]).await["executedQty"], "1.00000000");
    sb.shutdown().await;
}

#[tokio::test]
async fn trailing_stop_with_stop_price_starts_tracking_at_it() {
    let sb = empty_books().await;
    trade_at(&sb, "0.002").await;
    // TAKE_PROFIT_LIMIT SELL: tracks once the price reaches 0.003, then triggers 5% off the top.
    let a = place(
        &sb,
        &[
            ("symbol", "LTCBTC"),
            ("side", "SELL"),
            ("type", "TAKE_PROFIT_LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", "1"),
            ("price", "0.0028"),
            ("stopPrice", "0.003"),
            ("trailingDelta", "500"),
            ("newOrderRespType", "RESULT"),
        ],
    )
    .await;
    a.assert_ok();
    assert_eq!(
        (&a.json["trailingTime"], &a.json["stopPrice"]),
        (&json!(-1), &json!("0.00300000")),
        "{}",
        a.json
    );
    let id = a.json["orderId"].clone();
    // A drop of more than 5% before it tracks changes nothing.
    trade_at(&sb, "0.0018").await;
    assert_eq!(query(&sb, &id).await["trailingTime"], -1);
    trade_at(&sb, "0.0032").await;
    let q = query(&sb, &id).await;
    assert!(q["trailingTime"].as_i64().unwrap() > 0, "tracking: {q}");
    assert_eq!(q["isWorking"], false, "{q}");
    // 5% off 0.0032 is 0.00304: 0.003041 keeps it waiting, 0.00304 triggers it; it rests at 0.0028
    // as a LIMIT SELL above no bid, so it only becomes working.
    trade_at(&sb, "0.003041").await;
    assert_eq!(query(&sb, &id).await["isWorking"], false);
    trade_at(&sb, "0.00304").await;
    let q = query(&sb, &id).await;
    assert_eq!((&q["isWorking"], &q["status"]), (&json!(true), &json!("NEW")), "{q}");
    assert_eq!(depth(&sb, "asks").await, [level("0.00280000", "1.00000000")]);
    sb.shutdown().await;
}

#[tokio::test]
async fn pegged_orders_take_their_price_from_the_book_once() {
    let sb = empty_books().await;
    limit(&sb, "BUY", "1", "0.0019", &[]).await;
    limit(&sb, "BUY", "1", "0.0018", &[]).await;
    limit(&sb, "SELL", "1", "0.0021", &[]).await;
    let peg = |side: &'static str, tif: &'static str, peg: &'static str, offset: Option<&'static str>| {
        let sb = &sb;
        async move {
            let mut pairs = vec![
                ("symbol", "LTCBTC"),
                ("side", side),
                ("type", "LIMIT"),
                ("timeInForce", tif),
                ("quantity", "1"),
                ("pegPriceType", peg),
                ("selfTradePreventionMode", "NONE"),
            ];
            if let Some(o) = offset {
                pairs.extend([("pegOffsetType", "PRICE_LEVEL"), ("pegOffsetValue", o)]);
            }
            place(sb, &pairs).await
        }
    };
    // PRIMARY_PEG BUY: the best bid, 0.0019.
    let a = peg("BUY", "GTC", "PRIMARY_PEG", None).await;
    a.assert_ok();
    assert_eq!(
        (&a.json["price"], &a.json["pegPriceType"], &a.json["peggedPrice"], &a.json["status"]),
        (&json!("0.00000000"), &json!("PRIMARY_PEG"), &json!("0.00190000"), &json!("NEW")),
        "{}",
        a.json
    );
    assert!(a.json.get("pegOffsetType").is_none(), "no offset sent: {}", a.json);
    let first = a.json["orderId"].clone();
    // One level deeper: 0.0018.
    let a = peg("BUY", "GTC", "PRIMARY_PEG", Some("1")).await;
    a.assert_ok();
    assert_eq!(
        (&a.json["pegOffsetType"], &a.json["pegOffsetValue"], &a.json["peggedPrice"]),
        (&json!("PRICE_LEVEL"), &json!(1), &json!("0.00180000")),
        "{}",
        a.json
    );
    assert_eq!(
        depth(&sb, "bids").await,
        [level("0.00190000", "2.00000000"), level("0.00180000", "2.00000000")]
    );
    // MARKET_PEG BUY IOC: the best ask, and it takes it.
    let a = peg("BUY", "IOC", "MARKET_PEG", None).await;
    a.assert_ok();
    assert_eq!(
        (&a.json["peggedPrice"], &a.json["status"]),
        (&json!("0.00210000"), &json!("FILLED")),
        "{}",
        a.json
    );
    assert_eq!(a.json["fills"][0]["price"], "0.00210000");
    peg("BUY", "GTC", "PRIMARY_PEG", Some("2")).await.assert_rejected(
        400,
        -2010,
        "Order book liquidity is too low for this pegged order.",
    );
    peg("BUY", "IOC", "PRIMARY_PEG", None).await.assert_rejected(400, -2010, "Unsupported order combination");
    // No re-peg (as on Binance): a better bid later leaves the pegged order where it entered.
    limit(&sb, "BUY", "1", "0.00195", &[]).await;
    let q = query(&sb, &first).await;
    assert_eq!(
        (&q["price"], &q["peggedPrice"], &q["pegPriceType"]),
        (&json!("0.00000000"), &json!("0.00190000"), &json!("PRIMARY_PEG")),
        "{q}"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn pegged_stop_limit_takes_its_price_when_it_triggers() {
    let sb = empty_books().await;
    trade_at(&sb, "0.002").await;
    let a = place(
        &sb,
        &[
            ("symbol", "LTCBTC"),
            ("side", "SELL"),
            ("type", "STOP_LOSS_LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", "1"),
            ("stopPrice", "0.0019"),
            ("pegPriceType", "MARKET_PEG"),
            ("newOrderRespType", "RESULT"),
            ("selfTradePreventionMode", "NONE"),
        ],
    )
    .await;
    a.assert_ok();
    assert_eq!(
        (&a.json["price"], &a.json["pegPriceType"]),
        (&json!("0.00000000"), &json!("MARKET_PEG")),
        "{}",
        a.json
    );
    assert!(a.json.get("peggedPrice").is_none(), "not determined before the trigger: {}", a.json);
    let bid = limit(&sb, "BUY", "1", "0.00185", &[]).await;
    // The trade at 0.0019 triggers it; the best bid then is 0.00185, its pegged price.
    trade_at(&sb, "0.0019").await;
    let q = query(&sb, &a.json["orderId"]).await;
    assert_eq!(
        (&q["status"], &q["peggedPrice"], &q["price"]),
        (&json!("FILLED"), &json!("0.00185000"), &json!("0.00000000")),
        "{q}"
    );
    assert_eq!(query(&sb, &bid["orderId"]).await["status"], "FILLED");
    sb.shutdown().await;
}

#[tokio::test]
async fn iceberg_trailing_and_pegged_orders_survive_a_restart() {
    let dir = TempDir::new("mbx-sandbox-order-features");
    let start = || TestSandbox::start_with(Sandbox::builder().data_dir(dir.path()).market_maker(false));
    let sb = start().await;
    trade_at(&sb, "0.002").await;
    let iceberg = limit(&sb, "SELL", "6", "0.0024", &[("icebergQty", "2")]).await;
    limit(&sb, "SELL", "1", "0.0024", &[]).await;
    limit(&sb, "BUY", "2", "0.0024", &[]).await;
    let trailing = place(
        &sb,
        &[
            ("symbol", "LTCBTC"),
            ("side", "SELL"),
            ("type", "STOP_LOSS"),
            ("quantity", "1"),
            ("trailingDelta", "1000"),
            ("selfTradePreventionMode", "NONE"),
        ],
    )
    .await;
    trailing.assert_ok();
    // Tracking from the last price, 0.0024: 10% off is 0.00216.
    trade_at(&sb, "0.0023").await;
    let pegged = place(
        &sb,
        &[
            ("symbol", "LTCBTC"),
            ("side", "SELL"),
            ("type", "LIMIT_MAKER"),
            ("quantity", "1"),
            ("pegPriceType", "PRIMARY_PEG"),
        ],
    )
    .await;
    pegged.assert_ok();
    let before: Vec<Value> = [&iceberg["orderId"], &trailing.json["orderId"], &pegged.json["orderId"]]
        .into_iter()
        .cloned()
        .collect();
    let mut answers = Vec::new();
    for id in &before {
        answers.push(query(&sb, id).await);
    }
    let asks = depth(&sb, "asks").await;
    // The plain order's 1, the iceberg's second slice (2) behind it, and the pegged 1: 4 at 0.0024.
    assert_eq!(asks, [level("0.00240000", "4.00000000")]);
    sb.shutdown().await;

    let sb = start().await;
    for (id, answer) in before.iter().zip(&answers) {
        assert_eq!(&query(&sb, id).await, answer);
    }
    assert_eq!(depth(&sb, "asks").await, asks);
    assert_eq!(answers[2]["peggedPrice"], "0.00240000", "{}", answers[2]);
    // The plain order is still ahead of the iceberg's new slice.
    let b = limit(&sb, "BUY", "1", "0.0024", &[]).await;
    assert_ne!(b["fills"][0]["tradeId"], Value::Null);
    assert_eq!(query(&sb, &iceberg["orderId"]).await["executedQty"], "2.00000000");
    // The trailing stop kept its best price, 0.0024 (a fresh start would track from 0.00217 and
    // wait for 0.001953): 0.00217 leaves it waiting, 0.00216 triggers it.
    limit(&sb, "BUY", "1", "0.002", &[]).await;
    trade_at(&sb, "0.00217").await;
    assert_eq!(query(&sb, &trailing.json["orderId"]).await["isWorking"], false);
    trade_at(&sb, "0.00216").await;
    let q = query(&sb, &trailing.json["orderId"]).await;
    assert_eq!((&q["status"], &q["executedQty"]), (&json!("FILLED"), &json!("1.00000000")), "{q}");
    sb.shutdown().await;
}

#[tokio::test]
async fn ws_api_places_the_features_and_the_execution_reports_carry_their_fields() {
    let sb = empty_books().await;
    let mut ws = connect(&sb, "/ws-api/v3").await;
    let sub = crate::ws::answer_to(&mut ws, json!({"id": "s", "method": "userDataStream.subscribe.signature", "params": crate::ws::signed(json!({}))})).await;
    assert_eq!(sub["status"], 200, "{sub}");
    trade_at(&sb, "0.002").await;
    limit(&sb, "BUY", "1", "0.0019", &[]).await;

    let placed = crate::ws::answer_to(
        &mut ws,
        json!({"id": "i", "method": "order.place", "params": crate::ws::signed(json!({
            "symbol": "LTCBTC", "side": "SELL", "type": "LIMIT", "timeInForce": "GTC",
            "quantity": "4", "price": "0.0021", "icebergQty": "1"
        }))}),
    )
    .await;
    assert_eq!(
        (&placed["status"], &placed["result"]["icebergQty"]),
        (&json!(200), &json!("1.00000000")),
        "{placed}"
    );
    let iceberg_id = placed["result"]["orderId"].clone();
    let report =
        crate::ws::until(&mut ws, |f| f["event"]["e"] == "executionReport" && f["event"]["i"] == iceberg_id)
            .await;
    assert_eq!(
        (&report["event"]["F"], &report["event"]["x"]),
        (&json!("1.00000000"), &json!("NEW")),
        "{report}"
    );
    let status = crate::ws::answer_to(
        &mut ws,
        json!({"id": "q", "method": "order.status", "params": crate::ws::signed(json!({"symbol": "LTCBTC", "orderId": iceberg_id}))}),
    )
    .await;
    assert_eq!(status["result"]["icebergQty"], "1.00000000", "{status}");
    let refused = crate::ws::answer_to(
        &mut ws,
        json!({"id": "r", "method": "order.place", "params": crate::ws::signed(json!({
            "symbol": "LTCBTC", "side": "SELL", "type": "LIMIT", "timeInForce": "GTC",
            "quantity": "4", "price": "0.0021", "icebergQty": "0.01"
        }))}),
    )
    .await;
    assert_eq!(
        (&refused["status"], &refused["error"]),
        (&json!(400), &json!({"code": -1013, "msg": "Filter failure: ICEBERG_PARTS"})),
        "{refused}"
    );
    let book = crate::ws::answer_to(
        &mut ws,
        json!({"id": "d", "method": "depth", "params": {"symbol": "LTCBTC", "limit": 1}}),
    )
    .await;
    assert_eq!(book["result"]["asks"], json!([["0.00210000", "1.00000000"]]), "{book}");

    let trailing = crate::ws::answer_to(
        &mut ws,
        json!({"id": "t", "method": "order.place", "params": crate::ws::signed(json!({
            "symbol": "LTCBTC", "side": "BUY", "type": "STOP_LOSS", "quantity": "1", "trailingDelta": 250
        }))}),
    )
    .await;
    assert_eq!(trailing["status"], 200, "{trailing}");
    let trailing_id = trailing["result"]["orderId"].clone();
    let report =
        crate::ws::until(&mut ws, |f| f["event"]["e"] == "executionReport" && f["event"]["i"] == trailing_id)
            .await;
    let e = &report["event"];
    assert_eq!(e["d"], 250, "{e}");
    assert!(e["D"].as_i64().is_some_and(|t| t > 0), "tracking since placement: {e}");

    let pegged = crate::ws::answer_to(
        &mut ws,
        json!({"id": "p", "method": "order.place", "params": crate::ws::signed(json!({
            "symbol": "LTCBTC", "side": "BUY", "type": "LIMIT_MAKER", "quantity": "1",
            "pegPriceType": "PRIMARY_PEG", "pegOffsetType": "PRICE_LEVEL", "pegOffsetValue": 0
        }))}),
    )
    .await;
    assert_eq!((&pegged["status"], &pegged["result"]["orderId"].is_u64()), (&json!(200), &true), "{pegged}");
    let pegged_id = pegged["result"]["orderId"].clone();
    let report =
        crate::ws::until(&mut ws, |f| f["event"]["e"] == "executionReport" && f["event"]["i"] == pegged_id)
            .await;
    let e = &report["event"];
    assert_eq!(
        (&e["gP"], &e["gOT"], &e["gOV"], &e["gp"], &e["p"]),
        (&json!("PRIMARY_PEG"), &json!("PRICE_LEVEL"), &json!(0), &json!("0.00190000"), &json!("0.00000000")),
        "{e}"
    );
    sb.shutdown().await;
}

/// `POST /api/v3/orderList/{kind}` by the demo account.
async fn list(sb: &TestSandbox, kind: &str, pairs: &[(&str, &str)]) -> Value {
    let a = call(sb, Method::POST, &format!("/api/v3/orderList/{kind}"), pairs).await;
    a.assert_ok();
    a.json
}

#[tokio::test]
async fn oco_legs_take_an_iceberg_and_a_trailing_stop() {
    let sb = empty_books().await;
    trade_at(&sb, "0.002").await;
    let oco = list(
        &sb,
        "oco",
        &[
            ("symbol", "LTCBTC"),
            ("side", "SELL"),
            ("quantity", "10"),
            ("aboveType", "LIMIT_MAKER"),
            ("abovePrice", "0.003"),
            ("aboveIcebergQty", "2"),
            ("belowType", "STOP_LOSS"),
            ("belowTrailingDelta", "1000"),
            ("selfTradePreventionMode", "NONE"),
        ],
    )
    .await;
    let report =
        |t: &str| oco["orderReports"].as_array().unwrap().iter().find(|r| r["type"] == t).cloned().unwrap();
    let (maker, stop) = (report("LIMIT_MAKER"), report("STOP_LOSS"));
    assert_eq!(maker["icebergQty"], "2.00000000", "{oco}");
    assert_eq!(stop["trailingDelta"], 1000, "{oco}");
    assert!(stop["trailingTime"].as_i64().is_some_and(|t| t > 0), "tracking from placement: {oco}");
    assert_eq!(depth(&sb, "asks").await, [level("0.00300000", "2.00000000")]);
    // 10% off the best price 0.002 is 0.0018: the stop leg triggers, sells into the bid, and the
    // iceberg leg expires.
    limit(&sb, "BUY", "10", "0.0017", &[]).await;
    trade_at(&sb, "0.0019").await;
    assert_eq!(query(&sb, &stop["orderId"]).await["isWorking"], false);
    trade_at(&sb, "0.0018").await;
    let q = query(&sb, &stop["orderId"]).await;
    assert_eq!((&q["status"], &q["executedQty"]), (&json!("FILLED"), &json!("10.00000000")), "{q}");
    assert_eq!(query(&sb, &maker["orderId"]).await["status"], "EXPIRED");
    assert_eq!(depth(&sb, "asks").await, []);
    sb.shutdown().await;
}

#[tokio::test]
async fn an_oto_pending_trailing_stop_tracks_from_when_it_is_placed() {
    let sb = empty_books().await;
    trade_at(&sb, "0.002").await;
    let oto = list(
        &sb,
        "oto",
        &[
            ("symbol", "LTCBTC"),
            ("workingType", "LIMIT"),
            ("workingSide", "BUY"),
            ("workingPrice", "0.002"),
            ("workingQuantity", "2"),
            ("workingTimeInForce", "GTC"),
            ("workingIcebergQty", "1"),
            ("pendingType", "STOP_LOSS"),
            ("pendingSide", "SELL"),
            ("pendingQuantity", "2"),
            ("pendingTrailingDelta", "500"),
            ("selfTradePreventionMode", "NONE"),
        ],
    )
    .await;
    let reports = oto["orderReports"].as_array().unwrap();
    let (working, pending) = (reports[0].clone(), reports[1].clone());
    assert_eq!(working["icebergQty"], "1.00000000", "{oto}");
    assert_eq!(
        depth(&sb, "bids").await,
        [level("0.00200000", "1.00000000")],
        "one slice of the working order"
    );
    let q = query(&sb, &pending["orderId"]).await;
    assert_eq!((&q["status"], &q["trailingTime"]), (&json!("PENDING_NEW"), &json!(-1)), "{q}");
    // The working order fills (two slices): the pending stop is placed and tracks from then.
    let sell = limit(&sb, "SELL", "2", "0.002", &[]).await;
    assert_eq!(sell["status"], "FILLED", "{sell}");
    let q = query(&sb, &pending["orderId"]).await;
    assert_eq!(q["status"], "NEW", "{q}");
    assert!(q["trailingTime"].as_i64().is_some_and(|t| t > 0), "{q}");
    sb.shutdown().await;
}

#[tokio::test]
async fn a_pegged_oco_leg_takes_its_price_from_the_book_at_placement() {
    let sb = empty_books().await;
    trade_at(&sb, "0.002").await;
    limit(&sb, "SELL", "1", "0.0021", &[]).await;
    let oco = list(
        &sb,
        "oco",
        &[
            ("symbol", "LTCBTC"),
            ("side", "SELL"),
            ("quantity", "2"),
            ("aboveType", "LIMIT_MAKER"),
            ("abovePegPriceType", "PRIMARY_PEG"),
            ("belowType", "STOP_LOSS"),
            ("belowStopPrice", "0.0015"),
            ("selfTradePreventionMode", "NONE"),
        ],
    )
    .await;
    let maker = oco["orderReports"].as_array().unwrap().iter().find(|r| r["type"] == "LIMIT_MAKER").cloned();
    let maker = maker.unwrap_or_else(|| panic!("no LIMIT_MAKER leg: {oco}"));
    assert_eq!(
        (&maker["price"], &maker["pegPriceType"], &maker["peggedPrice"]),
        (&json!("0.00000000"), &json!("PRIMARY_PEG"), &json!("0.00210000")),
        "{oco}"
    );
    // It joins the best ask, behind the order that was there.
    assert_eq!(depth(&sb, "asks").await, [level("0.00210000", "3.00000000")]);
    // Over the WebSocket API the same leg is refused where the book has no level to peg to.
    let mut ws = connect(&sb, "/ws-api/v3").await;
    let refused = crate::ws::answer_to(
        &mut ws,
        json!({"id": "p", "method": "orderList.place.oco", "params": crate::ws::signed(json!({
            "symbol": "LTCBTC", "side": "SELL", "quantity": "1",
            "aboveType": "LIMIT_MAKER", "abovePegPriceType": "PRIMARY_PEG",
            "abovePegOffsetType": "PRICE_LEVEL", "abovePegOffsetValue": 3,
            "belowType": "STOP_LOSS", "belowStopPrice": "0.0015"
        }))}),
    )
    .await;
    assert_eq!((&refused["status"], &refused["error"]["code"]), (&json!(400), &json!(-2010)), "{refused}");
    assert_eq!(
        refused["error"]["msg"], "Order book liquidity is too low for this pegged order.",
        "{refused}"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn pegged_oto_legs_are_priced_when_they_work_and_expire_without_a_level() {
    let sb = empty_books().await;
    trade_at(&sb, "0.002").await;
    limit(&sb, "BUY", "1", "0.0019", &[]).await;
    limit(&sb, "SELL", "1", "0.0021", &[]).await;
    let oto = |pending_offset: &'static str| {
        let sb = &sb;
        async move {
            list(
                sb,
                "oto",
                &[
                    ("symbol", "LTCBTC"),
                    ("workingType", "LIMIT"),
                    ("workingSide", "BUY"),
                    ("workingQuantity", "1"),
                    // Mandatory in the docs' table even for a pegged working order; the book's
                    // price replaces it.
                    ("workingPrice", "0.001"),
                    ("workingTimeInForce", "GTC"),
                    ("workingPegPriceType", "PRIMARY_PEG"),
                    ("pendingType", "LIMIT_MAKER"),
                    ("pendingSide", "SELL"),
                    ("pendingQuantity", "1"),
                    ("pendingPegPriceType", "PRIMARY_PEG"),
                    ("pendingPegOffsetType", "PRICE_LEVEL"),
                    ("pendingPegOffsetValue", pending_offset),
                    ("selfTradePreventionMode", "NONE"),
                ],
            )
            .await
        }
    };
    let placed = oto("0").await;
    let reports = placed["orderReports"].as_array().unwrap();
    let (working, pending) = (reports[0].clone(), reports[1].clone());
    // The working order is priced at once (the best bid); the pending one waits unpriced.
    assert_eq!(
        (&working["price"], &working["peggedPrice"]),
        (&json!("0.00100000"), &json!("0.00190000")),
        "{placed}"
    );
    assert_eq!((&pending["status"], pending.get("peggedPrice")), (&json!("PENDING_NEW"), None), "{placed}");
    // The best ask moves before the working order fills: the pending order takes the new one.
    limit(&sb, "SELL", "1", "0.00205", &[]).await;
    let sell = limit(&sb, "SELL", "2", "0.0019", &[]).await;
    assert_eq!(sell["status"], "FILLED", "{sell}");
    assert_eq!(query(&sb, &working["orderId"]).await["status"], "FILLED");
    let q = query(&sb, &pending["orderId"]).await;
    assert_eq!(
        (&q["status"], &q["peggedPrice"], &q["price"]),
        (&json!("NEW"), &json!("0.00205000"), &json!("0.00000000")),
        "{q}"
    );
    // Five levels deeper than the best ask there is nothing: placed, then expired on activation.
    limit(&sb, "BUY", "1", "0.0018", &[]).await;
    let placed = oto("5").await;
    let reports = placed["orderReports"].as_array().unwrap();
    let (working, pending) = (reports[0].clone(), reports[1].clone());
    assert_eq!(working["peggedPrice"], "0.00180000", "{placed}");
    let sell = limit(&sb, "SELL", "2", "0.0018", &[]).await;
    assert_eq!(sell["status"], "FILLED", "{sell}");
    let q = query(&sb, &pending["orderId"]).await;
    assert_eq!(q["status"], "EXPIRED", "{q}");
    sb.shutdown().await;
}
