//! Parameters an endpoint does not define: `-1104` with Binance's counts (signature and timestamp
//! included), before the endpoint's own checks.

use reqwest::Method;

use crate::support::{call, empty_books, get, place};

const UNREAD_8_OF_7: &str = "Not all sent parameters were read; read '7' parameter(s) but was sent '8'.";

#[tokio::test]
async fn misspelled_order_parameter_gets_1104_before_missing_time_in_force() {
    let sb = empty_books().await;
    let a = place(
        &sb,
        &[
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("type", "LIMIT"),
            ("timeInforce", "GTC"),
            ("quantity", "0.001"),
            ("price", "20000"),
        ],
    )
    .await;
    a.assert_rejected(400, -1104, UNREAD_8_OF_7);
    assert!(a.hint().contains("'timeInforce'"), "{a:?}");
    assert_eq!(a.order_counts, Some((0, 0)));
}

#[tokio::test]
async fn public_endpoint_with_undefined_parameter_gets_1104() {
    let sb = empty_books().await;
    let a = get(&sb, "/api/v3/depth?symbol=BTCUSDT&depth=5").await;
    a.assert_rejected(
        400,
        -1104,
        "Not all sent parameters were read; read '1' parameter(s) but was sent '2'.",
    );
    get(&sb, "/api/v3/depth?symbol=BTCUSDT&limit=5").await.assert_ok();
    let ping = get(&sb, "/api/v3/ping?symbol=BTCUSDT").await;
    ping.assert_rejected(
        400,
        -1104,
        "Not all sent parameters were read; read '0' parameter(s) but was sent '1'.",
    );
}

#[tokio::test]
async fn signed_endpoints_accept_only_their_parameters() {
    let sb = empty_books().await;
    call(&sb, Method::GET, "/api/v3/account", &[("omitZeroBalances", "true"), ("recvWindow", "5000")])
        .await
        .assert_ok();
    let a = call(&sb, Method::GET, "/api/v3/account", &[("symbol", "BTCUSDT")]).await;
    a.assert_rejected(
        400,
        -1104,
        "Not all sent parameters were read; read '2' parameter(s) but was sent '3'.",
    );
    let t = call(
        &sb,
        Method::POST,
        "/api/v3/order/test",
        &[
            ("symbol", "BTCUSDT"),
            ("side", "BUY"),
            ("type", "MARKET"),
            ("quantity", "0.001"),
            ("computeCommissionRates", "true"),
        ],
    )
    .await;
    t.assert_ok();
    let o = call(&sb, Method::GET, "/api/v3/openOrders", &[("symbol", "BTCUSDT"), ("limit", "5")]).await;
    assert_eq!((o.status, o.code()), (400, -1104), "{o:?}");
}

/// A list an HTTP library spread over several parameters, as PHP's http_build_query
/// (`symbols[0]=`) and Python's requests (the name repeated) write one: Binance's `-1104` and
/// `-1101`, each with the hint to send the list once, as a JSON array.
#[tokio::test]
async fn a_list_spread_over_parameters_gets_the_json_array_hint() {
    let sb = empty_books().await;
    let indexed = get(&sb, "/api/v3/ticker/price?symbols%5B0%5D=BTCUSDT&symbols%5B1%5D=ETHUSDT").await;
    indexed.assert_rejected(
        400,
        -1104,
        "Not all sent parameters were read; read '0' parameter(s) but was sent '2'.",
    );
    let repeated = get(&sb, "/api/v3/ticker/24hr?symbols=BTCUSDT&symbols=ETHUSDT").await;
    repeated.assert_rejected(400, -1101, "Duplicate values for a parameter detected.");
    for answer in [&indexed, &repeated] {
        assert!(
            answer.hint().contains("as a JSON array") && answer.hint().contains("symbols=%5B%22"),
            "{answer:?}"
        );
    }
    // Another parameter sent twice keeps the plain hint.
    let twice = get(&sb, "/api/v3/depth?symbol=BTCUSDT&symbol=ETHUSDT").await;
    twice.assert_rejected(400, -1101, "Duplicate values for a parameter detected.");
    assert!(twice.hint().ends_with("send each parameter once."), "{twice:?}");
}
