//! `order`, `orders`, `trades`, `depth`, `ticker` against a sandbox.

use mbx_testkit::TestSandbox;

use crate::support::*;

async fn run(sb: &TestSandbox, args: &[&str]) -> std::process::Output {
    let mut cmd = mbx_hmac();
    cmd.env("BINANCE_API_KEY", DOCS_API_KEY).arg("--base-url").arg(sb.rest_url()).args(args);
    tokio::task::spawn_blocking(move || cmd.output().unwrap()).await.unwrap()
}

fn json_of(out: &std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_order_lifecycle_against_sandbox() {
    let sb = TestSandbox::start().await;
    let placed = json_of(
        &run(
            &sb,
            &[
                "--output", "json", "order", "new", "BTCUSDT", "buy", "limit", "--qty", "0.001", "--price",
                "30000",
            ],
        )
        .await,
    );
    assert_eq!(placed[0]["status"], "NEW");
    let order_id = placed[0]["orderId"].as_u64().unwrap();
    let id = order_id.to_string();
    let open = json_of(&run(&sb, &["--output", "json", "orders", "open", "BTCUSDT"]).await);
    assert!(open.as_array().unwrap().iter().any(|o| o["orderId"].as_u64() == Some(order_id)));
    let got = json_of(&run(&sb, &["--output", "json", "orders", "get", "BTCUSDT", &id]).await);
    assert_eq!(got[0]["orderId"].as_u64(), Some(order_id));
    let cancelled = json_of(&run(&sb, &["--output", "json", "order", "cancel", "BTCUSDT", &id]).await);
    assert_eq!(cancelled[0]["status"], "CANCELED");

    let filled = json_of(
        &run(&sb, &["--output", "json", "order", "new", "BTCUSDT", "BUY", "MARKET", "--qty", "0.001"]).await,
    );
    assert_eq!(filled[0]["status"], "FILLED");
    let trades = json_of(&run(&sb, &["--output", "json", "trades", "BTCUSDT"]).await);
    assert!(!trades.as_array().unwrap().is_empty());
    let text = String::from_utf8(run(&sb, &["depth", "BTCUSDT", "--limit", "5"]).await.stdout).unwrap();
    assert!(text.contains("bid") && text.contains("ask"), "{text}");
    let ticker = json_of(&run(&sb, &["--output", "json", "ticker", "BTCUSDT"]).await);
    assert!(ticker["price"].as_str().is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_places_iceberg_pegged_and_trailing_orders() {
    let sb = TestSandbox::start().await;
    let new = |extra: &'static [&'static str]| {
        let sb = &sb;
        async move {
            let mut args = vec!["--output", "json", "order", "new", "BTCUSDT"];
            args.extend_from_slice(extra);
            json_of(&run(sb, &args).await)
        }
    };
    let iceberg = new(&["buy", "limit", "--qty", "0.01", "--price", "30000", "--iceberg-qty", "0.002"]).await;
    assert_eq!(
        (&iceberg[0]["status"], &iceberg[0]["icebergQty"]),
        (&"NEW".into(), &"0.00200000".into()),
        "{iceberg}"
    );
    let pegged = new(&["buy", "limit", "--qty", "0.001", "--peg", "primary_peg", "--peg-levels", "1"]).await;
    assert_eq!(
        (&pegged[0]["pegPriceType"], &pegged[0]["pegOffsetValue"]),
        (&"PRIMARY_PEG".into(), &1.into()),
        "{pegged}"
    );
    assert!(pegged[0]["peggedPrice"].is_string(), "{pegged}");
    let trailing = new(&["sell", "stop_loss", "--qty", "0.001", "--trailing-delta", "200"]).await;
    let id = trailing[0]["orderId"].to_string();
    let got = json_of(&run(&sb, &["--output", "json", "orders", "get", "BTCUSDT", &id]).await);
    assert_eq!(got[0]["trailingDelta"], 200, "{got}");
    let out = run(&sb, &["order", "new", "BTCUSDT", "buy", "limit", "--qty", "0.001", "--peg", "best"]).await;
    assert_eq!(out.status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_order_filter_failure_is_refused_locally_with_advice() {
    let sb = TestSandbox::start().await;
    let out =
        run(&sb, &["order", "new", "BTCUSDT", "BUY", "LIMIT", "--qty", "0.001", "--price", "30000.001"])
            .await;
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("Filter failure: PRICE_FILTER") && err.contains("tick size"), "{err}");
    let out = run(&sb, &["order", "new", "BTCUSDT", "SIDEWAYS", "LIMIT"]).await;
    assert_eq!(out.status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_order_replace_success_and_failures_read_like_help() {
    let sb = TestSandbox::start().await;
    let placed = json_of(
        &run(
            &sb,
            &[
                "--output", "json", "order", "new", "BTCUSDT", "BUY", "LIMIT", "--qty", "0.001", "--price",
                "55000",
            ],
        )
        .await,
    );
    let old_id = placed[0]["orderId"].as_u64().unwrap().to_string();
    let replaced = json_of(
        &run(
            &sb,
            &[
                "--output",
                "json",
                "order",
                "replace",
                "btcusdt",
                "--cancel-order-id",
                &old_id,
                "--side",
                "buy",
                "--type",
                "limit",
                "--quantity",
                "0.002",
                "--price",
                "56000",
            ],
        )
        .await,
    );
    assert_eq!(replaced["cancelResult"], "SUCCESS", "{replaced}");
    assert_eq!(replaced["newOrderResult"], "SUCCESS");
    assert_eq!(replaced["cancelResponse"]["status"], "CANCELED");
    assert_eq!(replaced["newOrderResponse"]["status"], "NEW");
    assert_eq!(
        replaced["newOrderResponse"]["origQty"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap(),
        rust_decimal::Decimal::new(2, 3)
    );
    let new_cid = replaced["newOrderResponse"]["clientOrderId"].as_str().unwrap().to_owned();
    assert!(new_cid.starts_with("mbx-"), "generated id: {new_cid}");

    // By client order id, table output, and -v shows the signed request with a generated id.
    let out = run(
        &sb,
        &[
            "-v",
            "order",
            "replace",
            "BTCUSDT",
            "--cancel-orig-client-order-id",
            &new_cid,
            "--side",
            "BUY",
            "--type",
            "LIMIT",
            "--qty",
            "0.001",
            "--price",
            "57000",
        ],
    )
    .await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("cancelled order ") && text.contains("CANCELED") && text.contains("NEW"),
        "{text}"
    );
    let err = String::from_utf8(out.stderr).unwrap();
    let line =
        err.lines().find(|l| l.starts_with("> POST ") && l.contains("/api/v3/order/cancelReplace?")).unwrap();
    assert!(
        line.contains("newClientOrderId=mbx-") && line.contains("cancelReplaceMode=STOP_ON_FAILURE"),
        "{line}"
    );
    assert!(line.contains(&format!("cancelOrigClientOrderId={new_cid}")), "{line}");

    // STOP_ON_FAILURE with an unknown order: -2022, each half explained, exit 1.
    let base =
        ["order", "replace", "BTCUSDT", "--cancel-order-id", "999999", "--side", "BUY", "--type", "LIMIT"];
    let new = ["--quantity", "0.001", "--price", "54000"];
    let out = run(&sb, &[&base[..], &new[..]].concat()).await;
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("-2022 Order cancel-replace failed."), "{err}");
    assert!(err.contains("cancel: failed: -2011"), "{err}");
    assert!(err.contains("new order: not attempted") && err.contains("ALLOW_FAILURE"), "{err}");

    // ALLOW_FAILURE: -2021, the new order placed anyway and named.
    let out = run(&sb, &[&base[..], &new[..], &["--mode", "allow_failure"]].concat()).await;
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("-2021 Order cancel-replace partially failed."), "{err}");
    assert!(err.contains("new order: placed: order ") && err.contains("now NEW"), "{err}");
    // ...and what went through is on stdout, as Binance answered it.
    let out =
        run(&sb, &[&["--output", "json"][..], &base[..], &new[..], &["--mode", "ALLOW_FAILURE"]].concat())
            .await;
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["code"].as_i64(), v["data"]["newOrderResult"].as_str()),
        (Some(-2021), Some("SUCCESS")),
        "{v}"
    );
    assert_eq!(v["data"]["cancelResponse"]["code"], -2011, "{v}");
    assert_eq!(v["data"]["newOrderResponse"]["status"], "NEW", "{v}");

    // Usage errors: no order to cancel, a bad mode.
    let out = run(&sb, &["order", "replace", "BTCUSDT", "--side", "BUY", "--type", "LIMIT"]).await;
    assert_eq!(out.status.code(), Some(2));
    let out = run(&sb, &[&base[..], &new[..], &["--mode", "SOMETIMES"]].concat()).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("STOP_ON_FAILURE, ALLOW_FAILURE"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_orders_over_the_websocket_api() {
    let sb = TestSandbox::start().await;
    let new =
        ["--output", "json", "order", "new", "BTCUSDT", "BUY", "LIMIT", "--qty", "0.001", "--price", "30000"];
    let placed = json_of(&run(&sb, &[&new[..], &["--ws-api"]].concat()).await);
    assert_eq!(placed[0]["status"], "NEW", "{placed}");
    let id = placed[0]["orderId"].as_u64().unwrap().to_string();
    let open = json_of(&run(&sb, &["--output", "json", "orders", "open", "BTCUSDT"]).await);
    assert_eq!(open.as_array().unwrap().len(), 1, "placed once: {open}");
    let test = run(
        &sb,
        &["order", "test", "BTCUSDT", "BUY", "LIMIT", "--qty", "0.001", "--price", "30000", "--ws-api"],
    )
    .await;
    assert!(test.status.success(), "{}", String::from_utf8_lossy(&test.stderr));
    let cancelled =
        json_of(&run(&sb, &["--output", "json", "order", "cancel", "BTCUSDT", &id, "--ws-api"]).await);
    assert_eq!(cancelled[0]["status"], "CANCELED", "{cancelled}");
    let again = run(&sb, &["order", "cancel", "BTCUSDT", &id, "--ws-api"]).await;
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("-2011"), "{again:?}");
}
