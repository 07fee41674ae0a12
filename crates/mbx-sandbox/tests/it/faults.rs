//! Fault injection: order placements committed while the answer is dropped, a 5xx or `-1007`, so
//! clients meet an unknown outcome while the order exists.

use mbx_core::Params;
use mbx_core::payload::Placement;
use reqwest::Method;
use serde_json::json;

use crate::support::{DEMO_API_KEY, admin, call, client, demo_signer, empty_books, now_ms, place, sign};

fn order(client_order_id: &str) -> Params {
    Params::new()
        .text("symbol", "BTCUSDT")
        .text("side", "BUY")
        .text("type", "LIMIT")
        .text("timeInForce", "GTC")
        .text("quantity", "0.001")
        .text("price", "20000")
        .text("newClientOrderId", client_order_id)
        .int("timestamp", now_ms())
}

/// Sends an order and reads its answer to the end; `Err` when no complete answer came.
async fn try_place(sb: &mbx_testkit::TestSandbox, client_order_id: &str) -> Result<(u16, String), String> {
    let s = sign(&order(client_order_id), Placement::Body, &demo_signer());
    let resp = client()
        .post(sb.url("/api/v3/order"))
        .header("X-MBX-APIKEY", DEMO_API_KEY)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(s.body().to_owned())
        .send()
        .await
        .map_err(|e| format!("send: {e}"))?;
    let status = resp.status().as_u16();
    let text = resp.text().await.map_err(|e| format!("body: {e}"))?;
    Ok((status, text))
}

async fn assert_order_exists(sb: &mbx_testkit::TestSandbox, client_order_id: &str) {
    let a = call(
        sb,
        Method::GET,
        "/api/v3/order",
        &[("symbol", "BTCUSDT"), ("origClientOrderId", client_order_id)],
    )
    .await;
    a.assert_ok();
    assert_eq!(
        (a.json["clientOrderId"].as_str(), a.json["status"].as_str()),
        (Some(client_order_id), Some("NEW"))
    );
}

#[tokio::test]
async fn dropped_response_after_commit_leaves_the_order_in_place() {
    let sb = empty_books().await;
    sb.faults().drop_response_after_commit(1);
    let outcome = try_place(&sb, "dropped-1").await;
    assert!(outcome.as_ref().is_err_and(|e| e.starts_with("send")), "an answer came: {outcome:?}");
    assert_order_exists(&sb, "dropped-1").await;
    // One fault planned, one consumed: the next order is answered.
    let (status, _) = try_place(&sb, "answered-2").await.expect("answered");
    assert_eq!(status, 200);
    assert!(sb.state().faults().pending().is_empty());
}

#[tokio::test]
async fn rejected_order_does_not_consume_a_fault() {
    let sb = empty_books().await;
    sb.state().faults().drop_response_after_commit(1);
    let bad = place(&sb, &[("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT")]).await;
    assert_eq!(bad.status, 400, "{bad:?}");
    assert_eq!(sb.state().faults().pending().len(), 1);
}

#[tokio::test]
async fn admin_next_status_503_answers_after_commit() {
    let sb = empty_books().await;
    let planned = admin(&sb, "/sandbox/v1/faults", json!({"nextStatus": 503})).await;
    planned.assert_ok();
    assert_eq!(planned.json["pending"], json!([{"fault": "status", "status": 503}]));
    let (status, body) = try_place(&sb, "status-503").await.expect("an answer");
    assert_eq!((status, body.as_str()), (503, ""));
    assert_order_exists(&sb, "status-503").await;
}

#[tokio::test]
async fn admin_next_code_1007_answers_timeout_after_commit() {
    let sb = empty_books().await;
    admin(&sb, "/sandbox/v1/faults", json!({"nextCode": -1007})).await.assert_ok();
    let (status, body) = try_place(&sb, "timeout-1007").await.expect("an answer");
    let body: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(status, 503);
    assert_eq!(
        body,
        json!({"code": -1007, "msg": "Timeout waiting for response from backend server. Send status unknown; execution status unknown."})
    );
    assert_order_exists(&sb, "timeout-1007").await;
}

#[tokio::test]
async fn admin_drop_response_after_commit_and_bad_requests() {
    let sb = empty_books().await;
    let planned = admin(&sb, "/sandbox/v1/faults", json!({"dropResponseAfterCommit": 2})).await;
    assert_eq!(planned.json["pending"].as_array().map(Vec::len), Some(2), "{planned:?}");
    assert!(try_place(&sb, "drop-a").await.is_err());
    assert!(try_place(&sb, "drop-b").await.is_err());
    assert_order_exists(&sb, "drop-a").await;
    assert_order_exists(&sb, "drop-b").await;

    for (body, field) in [
        (json!({"nextStatus": 200}), "nextStatus"),
        (json!({"nextCode": -4242}), "nextCode"),
        (json!({"dropResponse": 1}), "body"),
    ] {
        let a = admin(&sb, "/sandbox/v1/faults", body).await;
        assert_eq!((a.status, a.code()), (400, -1130), "{a:?}");
        assert!(a.hint().contains(field), "{a:?}");
    }
}
