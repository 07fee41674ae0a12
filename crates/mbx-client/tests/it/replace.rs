//! Cancel-replace: both halves, the `-2021`/`-2022` answers decoded with their data, and an unknown
//! outcome settled by lookup without sending the request again.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use mbx_client::types::Order;
use mbx_client::{CancelTarget, Client, Error};
use mbx_core::ErrorCode;
use mbx_core::model::{CancelReplaceMode, CancelReplaceResult, OrderStatus, OrderType, Side};
use mbx_testkit::TestSandbox;
use rust_decimal::Decimal;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

fn client_at(url: String) -> Client {
    Client::builder()
        .base_url(url)
        .api_key(mbx_testkit::keys::DEMO_API_KEY)
        .hmac_secret(mbx_testkit::keys::DEMO_SECRET_KEY)
        .build()
        .unwrap()
}

/// A resting BUY LIMIT well below the market maker's quotes.
async fn rest(c: &Client, price: i64) -> Order {
    let o = c
        .new_order("BTCUSDT", Side::Buy, OrderType::Limit)
        .quantity(Decimal::new(1, 3))
        .price(Decimal::new(price, 0))
        .send()
        .await
        .unwrap();
    assert_eq!(o.status, Some(OrderStatus::New));
    o
}

async fn open_ids(c: &Client) -> Vec<u64> {
    let mut ids: Vec<u64> =
        c.open_orders(Some("BTCUSDT")).await.unwrap().iter().map(|o| o.order_id).collect();
    ids.sort_unstable();
    ids
}

#[tokio::test]
async fn client_cancel_replace_success_cancels_and_places_with_a_generated_id() {
    let sb = TestSandbox::start().await;
    let c = client_at(sb.rest_url());
    let old = rest(&c, 55_000).await;
    let r = c
        .cancel_replace("BTCUSDT", CancelTarget::OrderId(old.order_id), Side::Buy, OrderType::Limit)
        .quantity(Decimal::new(2, 3))
        .price(Decimal::new(56_000, 0))
        .send()
        .await
        .unwrap();
    assert_eq!(
        (r.cancel_result.clone(), r.new_order_result.clone()),
        (CancelReplaceResult::Success, CancelReplaceResult::Success)
    );
    assert_eq!(r.cancel_response.order_id, old.order_id);
    assert_eq!(r.cancel_response.status, Some(OrderStatus::Canceled));
    assert_eq!(r.new_order_response.status, Some(OrderStatus::New));
    assert!(r.new_order_response.client_order_id.starts_with("mbx-"), "{:?}", r.new_order_response);
    assert_eq!(r.new_order_response.orig_qty, Decimal::new(2, 3));
    assert_eq!(open_ids(&c).await, [r.new_order_response.order_id]);

    // By client order id too.
    let again = c
        .cancel_replace(
            "BTCUSDT",
            CancelTarget::ClientOrderId(r.new_order_response.client_order_id.clone()),
            Side::Buy,
            OrderType::Limit,
        )
        .quantity(Decimal::new(1, 3))
        .price(Decimal::new(57_000, 0))
        .client_order_id("my-replacement")
        .send()
        .await
        .unwrap();
    assert_eq!(again.new_order_response.client_order_id, "my-replacement");
    assert_eq!(open_ids(&c).await, [again.new_order_response.order_id]);
}

#[tokio::test]
async fn client_cancel_replace_failures_carry_each_half() {
    let sb = TestSandbox::start().await;
    let c = client_at(sb.rest_url());
    let old = rest(&c, 55_000).await;
    let replace = |target: u64, mode: CancelReplaceMode| {
        c.cancel_replace("BTCUSDT", CancelTarget::OrderId(target), Side::Buy, OrderType::Limit)
            .quantity(Decimal::new(1, 3))
            .price(Decimal::new(54_000, 0))
            .mode(mode)
    };

    // STOP_ON_FAILURE, unknown order: -2022, the new order not attempted.
    let err = replace(999_999, CancelReplaceMode::StopOnFailure).send().await.unwrap_err();
    let Error::CancelReplace { error, data } = &err else { panic!("{err:?}") };
    assert_eq!((error.code, error.http_status), (ErrorCode::ORDER_CANCEL_REPLACE_FAILED, 400));
    assert_eq!(err.code(), Some(ErrorCode::ORDER_CANCEL_REPLACE_FAILED));
    assert_eq!(data.cancel_result, CancelReplaceResult::Failure);
    assert_eq!(data.new_order_result, CancelReplaceResult::NotAttempted);
    assert_eq!(data.cancel_response.error().unwrap().code, ErrorCode::CANCEL_REJECTED);
    assert!(data.new_order_response.is_none());
    assert!(err.to_string().contains("cancel FAILURE, new order NOT_ATTEMPTED"), "{err}");
    assert_eq!(open_ids(&c).await, [old.order_id], "nothing placed");

    // ALLOW_FAILURE, unknown order: -2021, the new order placed anyway.
    let err = replace(999_999, CancelReplaceMode::AllowFailure).send().await.unwrap_err();
    let Error::CancelReplace { error, data } = &err else { panic!("{err:?}") };
    assert_eq!((error.code, error.http_status), (ErrorCode::ORDER_CANCEL_REPLACE_PARTIALLY_FAILED, 409));
    let placed = data.placed().expect("new order placed").clone();
    assert_eq!(data.new_order_result, CancelReplaceResult::Success);
    assert_eq!(open_ids(&c).await, {
        let mut v = vec![old.order_id, placed.order_id];
        v.sort_unstable();
        v
    });

    // Cancel done, new order refused (a LIMIT_MAKER that would take): -2021 with the cancelled order.
    let book = c.depth("BTCUSDT", Some(1)).await.unwrap();
    let above_ask = book.best_ask().unwrap().price + Decimal::ONE;
    let err = c
        .cancel_replace("BTCUSDT", CancelTarget::OrderId(old.order_id), Side::Buy, OrderType::LimitMaker)
        .quantity(Decimal::new(1, 3))
        .price(above_ask)
        .send()
        .await
        .unwrap_err();
    let Error::CancelReplace { error, data } = &err else { panic!("{err:?}") };
    assert_eq!(error.code, ErrorCode::ORDER_CANCEL_REPLACE_PARTIALLY_FAILED);
    assert_eq!(data.cancelled().unwrap().status, Some(OrderStatus::Canceled));
    assert_eq!(data.new_order_result, CancelReplaceResult::Failure);
    assert_eq!(data.new_order_response.as_ref().unwrap().error().unwrap().code, ErrorCode(-2010));
    assert_eq!(open_ids(&c).await, [placed.order_id]);

    // A new order failing the symbol's filters is refused locally: nothing is sent or cancelled.
    let err = c
        .cancel_replace("BTCUSDT", CancelTarget::OrderId(placed.order_id), Side::Buy, OrderType::Limit)
        .quantity(Decimal::new(1, 3))
        .price(Decimal::new(54_000_001, 3))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Invalid { .. }), "{err:?}");
    assert_eq!(open_ids(&c).await, [placed.order_id]);
}

/// A loopback proxy to the sandbox that forwards every request but answers nothing to the first
/// `POST /api/v3/order/cancelReplace` (after the sandbox has executed it), as a lost answer would.
struct DroppingProxy {
    url: String,
    replaces_forwarded: Arc<AtomicUsize>,
}

async fn dropping_proxy(upstream: SocketAddr) -> DroppingProxy {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let replaces = Arc::new(AtomicUsize::new(0));
    let counter = replaces.clone();
    tokio::spawn(async move {
        while let Ok((conn, _)) = listener.accept().await {
            tokio::spawn(serve(conn, upstream, counter.clone()));
        }
    });
    DroppingProxy { url, replaces_forwarded: replaces }
}

/// Serves one client connection (keep-alive): each request is sent upstream on its own connection.
async fn serve(mut conn: TcpStream, upstream: SocketAddr, replaces: Arc<AtomicUsize>) {
    let mut buf = Vec::new();
    loop {
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            let mut chunk = [0u8; 4096];
            match conn.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        let length: usize = head
            .lines()
            .find_map(|l| {
                l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap())
            })
            .unwrap_or(0);
        while buf.len() < head_end + length {
            let mut chunk = [0u8; 4096];
            match conn.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let body = buf[head_end..head_end + length].to_vec();
        buf.drain(..head_end + length);
        let mut request: Vec<u8> = head
            .trim_end()
            .lines()
            .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
            .flat_map(|l| format!("{l}\r\n").into_bytes())
            .collect();
        request.extend_from_slice(b"connection: close\r\n\r\n");
        request.extend_from_slice(&body);
        let response = mbx_testkit::send_raw(upstream, &request).await.unwrap();
        if head.starts_with("POST /api/v3/order/cancelReplace")
            && replaces.fetch_add(1, Ordering::SeqCst) == 0
        {
            // Executed upstream; the client hears nothing.
            return;
        }
        let mut out = format!("HTTP/1.1 {} X\r\n", response.status);
        for (k, v) in &response.headers {
            if !matches!(k.as_str(), "content-length" | "transfer-encoding" | "connection") {
                out.push_str(&format!("{k}: {v}\r\n"));
            }
        }
        out.push_str(&format!("content-length: {}\r\n\r\n", response.body.len()));
        let mut bytes = out.into_bytes();
        bytes.extend_from_slice(&response.body);
        if conn.write_all(&bytes).await.is_err() {
            return;
        }
    }
}

#[tokio::test]
async fn client_cancel_replace_lost_answer_is_settled_by_lookup_not_resent() {
    let sb = TestSandbox::start().await;
    let proxy = dropping_proxy(sb.addr()).await;
    let c = client_at(proxy.url.clone());
    let old = rest(&c, 55_000).await;
    let r = c
        .cancel_replace("BTCUSDT", CancelTarget::OrderId(old.order_id), Side::Buy, OrderType::Limit)
        .quantity(Decimal::new(1, 3))
        .price(Decimal::new(56_000, 0))
        .send()
        .await
        .expect("settled by looking the new order up");
    assert_eq!(proxy.replaces_forwarded.load(Ordering::SeqCst), 1, "sent exactly once");
    assert_eq!(r.new_order_result, CancelReplaceResult::Success);
    assert_eq!(r.new_order_response.status, Some(OrderStatus::New));
    assert_eq!(r.new_order_response.price, Decimal::new(56_000, 0));
    assert_eq!(r.cancel_result, CancelReplaceResult::Success);
    assert_eq!(
        (r.cancel_response.order_id, r.cancel_response.status.clone()),
        (old.order_id, Some(OrderStatus::Canceled))
    );
    assert_eq!(open_ids(&c).await, [r.new_order_response.order_id], "one new order, the old one cancelled");

    // A lost answer to a STOP_ON_FAILURE replace whose cancel failed: the new order is not found, so
    // the outcome stays unknown (named by the client order id) and nothing is re-sent.
    proxy.replaces_forwarded.store(0, Ordering::SeqCst);
    let err = c
        .cancel_replace("BTCUSDT", CancelTarget::OrderId(999_999), Side::Buy, OrderType::Limit)
        .quantity(Decimal::new(1, 3))
        .price(Decimal::new(56_000, 0))
        .client_order_id("lost-replace")
        .send()
        .await
        .unwrap_err();
    let Error::UnknownOutcome { client_order_id, cause } = &err else { panic!("{err:?}") };
    assert_eq!(client_order_id.as_deref(), Some("lost-replace"));
    assert!(cause.contains("STOP_ON_FAILURE"), "{cause}");
    assert_eq!(proxy.replaces_forwarded.load(Ordering::SeqCst), 1, "sent exactly once");
    assert_eq!(open_ids(&c).await, [r.new_order_response.order_id]);
}
