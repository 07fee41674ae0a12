//! `POST /api/v3/order/cancelReplace`: both halves succeed, either fails, both fail, the new order's
//! checks come first, and the unfilled order count's two modes.

use mbx_sandbox::{RateLimits, Sandbox};
use mbx_testkit::TestSandbox;
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{Answer, balance, call, d, empty_books, place};

const PATH: &str = "/api/v3/order/cancelReplace";

/// A resting LIMIT BUY of 0.01 BTC at `price`; returns its orderId.
async fn resting(sb: &TestSandbox, price: &str) -> String {
    let a = place(
        sb,
        &[
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("type", "LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", "0.01"),
            ("price", price),
        ],
    )
    .await;
    a.assert_ok();
    assert_eq!(a.json["status"], "NEW");
    a.json["orderId"].to_string()
}

/// Cancels `order_id` (`cancelOrderId`) and places a LIMIT BUY of 0.01 at `price`, plus `extra`.
async fn replace(
    sb: &TestSandbox,
    mode: &str,
    order_id: &str,
    price: &str,
    extra: &[(&str, &str)],
) -> Answer {
    let mut p = vec![
        ("symbol", "BTCUSDT"),
        ("cancelReplaceMode", mode),
        ("cancelOrderId", order_id),
        ("side", "BUY"),
        ("type", "LIMIT"),
        ("timeInForce", "GTC"),
        ("quantity", "0.01"),
        ("price", price),
    ];
    p.extend_from_slice(extra);
    call(sb, Method::POST, PATH, &p).await
}

async fn status(sb: &TestSandbox, order_id: &str) -> Value {
    let q = call(sb, Method::GET, "/api/v3/order", &[("symbol", "BTCUSDT"), ("orderId", order_id)]).await;
    q.assert_ok();
    q.json["status"].clone()
}

#[tokio::test]
async fn cancel_replace_cancels_then_places_and_counts_one_order() {
    let sb = empty_books().await;
    let old = resting(&sb, "30000").await;
    let a = replace(&sb, "STOP_ON_FAILURE", &old, "31000", &[("cancelNewClientOrderId", "my-cancel")]).await;
    a.assert_ok();
    assert_eq!(a.order_counts.map(|c| c.1), Some(2), "one more unfilled order");
    let j = &a.json;
    assert_eq!((&j["cancelResult"], &j["newOrderResult"]), (&json!("SUCCESS"), &json!("SUCCESS")));
    let c = &j["cancelResponse"];
    assert_eq!(
        (c["orderId"].to_string(), &c["status"], &c["clientOrderId"]),
        (old.clone(), &json!("CANCELED"), &json!("my-cancel"))
    );
    let n = &j["newOrderResponse"];
    assert_eq!(
        (&n["status"], &n["price"], &n["fills"]),
        (&json!("NEW"), &json!("31000.00000000"), &json!([]))
    );
    assert_eq!(status(&sb, &old).await, "CANCELED");
    // Only the new order holds funds: 0.01 * 31000.
    assert_eq!(balance(&sb, "USDT").await, (d("9690"), d("310")));
    sb.shutdown().await;
}

#[tokio::test]
async fn cancel_replace_failures_answer_2021_or_2022_with_data() {
    let sb = empty_books().await;
    // STOP_ON_FAILURE, unknown order: -2022, the new order not attempted, still counted.
    let a = replace(&sb, "STOP_ON_FAILURE", "999999", "31000", &[]).await;
    a.assert_rejected(400, -2022, "Order cancel-replace failed.");
    assert_eq!(
        a.json["data"],
        json!({
            "cancelResult": "FAILURE",
            "newOrderResult": "NOT_ATTEMPTED",
            "cancelResponse": {"code": -2011, "msg": "Unknown order sent."},
            "newOrderResponse": null,
        })
    );
    assert_eq!(a.order_counts.map(|c| c.1), Some(1), "not attempted, yet counted");
    assert!(a.hint().contains("not attempted"), "{}", a.hint());

    // ALLOW_FAILURE, unknown order: -2021, the new order placed.
    let b = replace(&sb, "ALLOW_FAILURE", "999999", "31000", &[("newOrderRespType", "ACK")]).await;
    b.assert_rejected(409, -2021, "Order cancel-replace partially failed.");
    let data = &b.json["data"];
    assert_eq!((&data["cancelResult"], &data["newOrderResult"]), (&json!("FAILURE"), &json!("SUCCESS")));
    assert_eq!(data["cancelResponse"], json!({"code": -2011, "msg": "Unknown order sent."}));
    let placed = data["newOrderResponse"]["orderId"].to_string();
    assert!(data["newOrderResponse"].get("status").is_none(), "ACK: {data}");
    assert_eq!(status(&sb, &placed).await, "NEW");

    // The cancel succeeds, the new order fails (a LIMIT_MAKER that would take the resting ask).
    place(
        &sb,
        &[
            ("symbol", "BTCUSDT"),
            ("side", "SELL"),
            ("type", "LIMIT"),
            ("timeInForce", "GTC"),
            ("quantity", "0.01"),
            ("price", "40000"),
        ],
    )
    .await
    .assert_ok();
    let maker = [
        ("symbol", "BTCUSDT"),
        ("cancelReplaceMode", "STOP_ON_FAILURE"),
        ("cancelOrderId", placed.as_str()),
        ("side", "BUY"),
        ("type", "LIMIT_MAKER"),
        ("quantity", "0.01"),
        ("price", "40000"),
    ];
    let c = call(&sb, Method::POST, PATH, &maker).await;
    c.assert_rejected(409, -2021, "Order cancel-replace partially failed.");
    let data = &c.json["data"];
    assert_eq!((&data["cancelResult"], &data["newOrderResult"]), (&json!("SUCCESS"), &json!("FAILURE")));
    assert_eq!(data["cancelResponse"]["status"], "CANCELED");
    assert_eq!(
        data["newOrderResponse"],
        json!({"code": -2010, "msg": "Order would immediately match and take."})
    );
    assert_eq!(status(&sb, &placed).await, "CANCELED", "the cancel stands");

    // Both fail (ALLOW_FAILURE): -2022.
    let mut both = maker.to_vec();
    both[1] = ("cancelReplaceMode", "ALLOW_FAILURE");
    let e = call(&sb, Method::POST, PATH, &both).await;
    e.assert_rejected(400, -2022, "Order cancel-replace failed.");
    assert_eq!(
        (&e.json["data"]["cancelResult"], &e.json["data"]["newOrderResult"]),
        (&json!("FAILURE"), &json!("FAILURE"))
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn cancel_replace_checks_the_new_order_first_and_the_cancel_restrictions() {
    let sb = empty_books().await;
    let old = resting(&sb, "30000").await;
    // A filter failure of the new order: answered as for a new order, nothing cancelled or counted.
    let a = replace(&sb, "STOP_ON_FAILURE", &old, "31000.001", &[]).await;
    a.assert_rejected(400, -1013, "Filter failure: PRICE_FILTER");
    assert_eq!(a.order_counts.map(|c| c.1), Some(1));
    assert_eq!(status(&sb, &old).await, "NEW");
    // Neither cancelOrderId nor cancelOrigClientOrderId.
    call(
        &sb,
        Method::POST,
        PATH,
        &[
            ("symbol", "BTCUSDT"),
            ("cancelReplaceMode", "STOP_ON_FAILURE"),
            ("side", "BUY"),
            ("type", "MARKET"),
            ("quantity", "0.001"),
        ],
    )
    .await
    .assert_rejected(
        400,
        -1102,
        "Param 'cancelOrigClientOrderId' or 'cancelOrderId' must be sent, but both were empty/null!",
    );
    // A mode that does not exist.
    replace(&sb, "SOMETIMES", &old, "31000", &[]).await.assert_rejected(
        400,
        -1130,
        "Data sent for parameter 'cancelReplaceMode' is not valid.",
    );
    // ONLY_PARTIALLY_FILLED on a NEW order: the cancel fails, so nothing happens.
    let r =
        replace(&sb, "STOP_ON_FAILURE", &old, "31000", &[("cancelRestrictions", "ONLY_PARTIALLY_FILLED")])
            .await;
    r.assert_rejected(400, -2022, "Order cancel-replace failed.");
    assert_eq!(
        r.json["data"]["cancelResponse"],
        json!({"code": -2011, "msg": "Order was not canceled due to cancel restrictions."})
    );
    assert_eq!(status(&sb, &old).await, "NEW");
    sb.shutdown().await;
}

#[tokio::test]
async fn cancel_replace_over_the_order_count_cancels_only_when_asked() {
    let limits = RateLimits { orders_per_day: 2, ..RateLimits::default() };
    let sb =
        TestSandbox::start_with(Sandbox::builder().memory().market_maker(false).rate_limits(limits)).await;
    let first = resting(&sb, "30000").await;
    resting(&sb, "30001").await;
    // DO_NOTHING (the default): -1015, and the order stays.
    let a = replace(&sb, "STOP_ON_FAILURE", &first, "31000", &[]).await;
    a.assert_rejected(429, -1015, "Too many new orders; current limit is 2 orders per 1 DAY.");
    assert!(a.retry_after.is_some());
    assert_eq!(status(&sb, &first).await, "NEW");
    // CANCEL_ONLY: the cancel goes ahead; the new order fails with -1015.
    let b =
        replace(&sb, "STOP_ON_FAILURE", &first, "31000", &[("orderRateLimitExceededMode", "CANCEL_ONLY")])
            .await;
    b.assert_rejected(409, -2021, "Order cancel-replace partially failed.");
    let data = &b.json["data"];
    assert_eq!((&data["cancelResult"], &data["newOrderResult"]), (&json!("SUCCESS"), &json!("FAILURE")));
    assert_eq!(
        data["newOrderResponse"],
        json!({"code": -1015, "msg": "Too many new orders; current limit is 2 orders per 1 DAY."})
    );
    assert_eq!(status(&sb, &first).await, "CANCELED");
    assert_eq!(b.order_counts.map(|c| c.1), Some(2), "nothing more counted");
    sb.shutdown().await;
}
