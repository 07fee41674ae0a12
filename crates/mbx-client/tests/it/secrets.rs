//! No secret in any output of the client (issue 19): `Debug` of the builder, the client and the
//! WebSocket API handle; every error (`Display` and `Debug`) of key configuration and of failed
//! calls; what `on_request` (`mbx -v`) is shown; and every log record of the process at TRACE (the
//! client's and the in-process sandbox's `tracing` events and spans, tungstenite's and rustls's
//! `log` records) while it signs REST calls, places orders, opens a listenKey stream, logs on to the
//! WebSocket API with an encrypted Ed25519 key and sends a request with a wrong secret.

use std::sync::{Arc, Mutex};

use mbx_client::{Client, Environment};
use mbx_core::SecretBytes;
use mbx_core::model::{OrderType, Side};
use mbx_core::sign::KeyKind;
use mbx_sandbox::{Flavor, Sandbox};
use mbx_testkit::TestSandbox;
use mbx_testkit::keys::read_vector_file;
use mbx_testkit::secrets::{LogCapture, Secret, assert_hidden};
use rust_decimal::Decimal;
use serde_json::json;

/// The passphrase of `ed25519-private-encrypted.pem` (shared/vectors/README.md).
const PASSPHRASE: &str = "correct-horse";
/// A secret that signs nothing the sandbox knows (the failed-signature case).
const WRONG_SECRET: &str = "wrongSecretOfTheSecretsTestThatSignsNothing0123456789abcdefghijk";

fn secrets(created: &str) -> Vec<Secret> {
    vec![
        Secret::bytes("HMAC secret made by the sandbox", created.as_bytes()),
        Secret::bytes("wrong HMAC secret", WRONG_SECRET.as_bytes()),
        Secret::bytes("passphrase", PASSPHRASE.as_bytes()),
        Secret::pem("Ed25519 private key", &read_vector_file("ed25519-private.pem")),
        Secret::pem("RSA private key", &read_vector_file("rsa-private.pem")),
        Secret::pem("encrypted Ed25519 key", &read_vector_file("ed25519-private-encrypted.pem")),
    ]
}

#[test]
fn client_builder_client_and_config_errors_never_show_a_key() {
    let secrets = secrets("NoSandboxSecretInThisTestButTheFormsNeedOne0123456789");
    let pem = |name: &str| read_vector_file(name).into_bytes();
    let pass = SecretBytes::from(PASSPHRASE);
    let builders = [
        ("HMAC", Client::builder().api_key("k".repeat(64)).hmac_secret(WRONG_SECRET)),
        ("HMAC with whitespace", Client::builder().hmac_secret(format!(" {WRONG_SECRET}\n"))),
        ("Ed25519 PEM", Client::builder().private_key_pem(&pem("ed25519-private.pem"), None)),
        ("RSA PEM", Client::builder().private_key_pem(&pem("rsa-private.pem"), None)),
        (
            "encrypted PEM",
            Client::builder().private_key_pem(&pem("ed25519-private-encrypted.pem"), Some(&pass)),
        ),
        (
            "encrypted PEM, wrong passphrase",
            Client::builder().private_key_pem(
                &pem("ed25519-private-encrypted.pem"),
                Some(&SecretBytes::from(WRONG_SECRET)),
            ),
        ),
        (
            "encrypted PEM, no passphrase",
            Client::builder().private_key_pem(&pem("ed25519-private-encrypted.pem"), None),
        ),
        ("the secret as a PEM", Client::builder().private_key_pem(WRONG_SECRET.as_bytes(), None)),
        (
            "a public key as the private key",
            Client::builder().private_key_pem(&pem("ed25519-public.pem"), None),
        ),
        (
            "a proxy with a password",
            Client::builder().hmac_secret(WRONG_SECRET).proxy(format!("http://u:{PASSPHRASE}@127.0.0.1:1")),
        ),
    ];
    for (case, builder) in builders {
        assert_hidden(
            &format!("{builder:?} {builder:#?}"),
            &secrets,
            &format!("{case}: ClientBuilder Debug"),
        );
        match builder.build() {
            Ok(client) => {
                let shown = format!("{client:?} {client:#?} {:?}", client.ws_api());
                assert_hidden(&shown, &secrets, &format!("{case}: Client Debug"));
            }
            Err(e) => assert_hidden(&format!("{e} {e:?} {e:#?}"), &secrets, &format!("{case}: build error")),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_and_sandbox_logs_at_trace_and_request_observers_never_hold_a_secret() {
    let capture = LogCapture::start();
    // Binance.US's flavor: the listenKey endpoints still work there.
    let sb =
        TestSandbox::start_with(Sandbox::builder().memory().market_maker(false).flavor(Flavor::Us)).await;
    let admin = Client::builder().environment(Environment::custom(sb.rest_url())).build().unwrap();
    let hmac = admin.sandbox_add_key(&json!({"kind": "hmac"})).await.unwrap();
    let (api_key, created) =
        (hmac["apiKey"].as_str().unwrap().to_owned(), hmac["secretKey"].as_str().unwrap().to_owned());
    let ed = admin
        .sandbox_add_key(
            &json!({"kind": "ed25519", "publicKey": mbx_testkit::keys::public_pem(KeyKind::Ed25519)}),
        )
        .await
        .unwrap();
    let ed_key = ed["apiKey"].as_str().unwrap().to_owned();
    let secrets = secrets(&created);

    // What `mbx -v` prints: every request just before it is sent.
    let observed: Arc<Mutex<Vec<String>>> = Arc::default();
    let record = observed.clone();
    let mut outputs: Vec<(String, String)> = Vec::new();

    let client = Client::builder()
        .environment(Environment::custom(sb.rest_url()))
        .api_key(api_key.clone())
        .hmac_secret(created.clone())
        .on_request(move |req| record.lock().unwrap().push(format!("{req} {req:?}")))
        .build()
        .unwrap();
    client.sync_time().await.unwrap();
    client.account().await.unwrap();
    let buy = || {
        client
            .new_order("BTCUSDT", Side::Buy, OrderType::Limit)
            .quantity(Decimal::new(1, 3))
            .price(Decimal::new(30_000, 0))
    };
    let order = buy().send().await.unwrap();
    outputs.push(("an order".into(), format!("{order:?}")));
    // listenKey: open, one event, and the stream's Debug.
    let mut stream = client.listen_key_stream().await.unwrap();
    buy().send().await.unwrap();
    let item = tokio::time::timeout(std::time::Duration::from_secs(10), stream.next()).await.unwrap();
    outputs.push(("a listenKey stream".into(), format!("{item:?}")));
    drop(stream);
    // The WebSocket API with the same HMAC key: an order, signed per request.
    let ws = client.ws_api();
    ws.place_order(buy()).await.unwrap();
    outputs.push(("the WebSocket API handle".into(), format!("{ws:?}")));

    // A wrong secret: REST and the WebSocket API both answer -1022.
    let wrong = Client::builder()
        .environment(Environment::custom(sb.rest_url()))
        .api_key(api_key.clone())
        .hmac_secret(WRONG_SECRET)
        .build()
        .unwrap();
    let e = wrong.account().await.unwrap_err();
    assert_eq!(e.code(), Some(mbx_core::ErrorCode::INVALID_SIGNATURE), "{e}");
    outputs.push(("a REST -1022".into(), format!("{e} {e:?}")));
    let e = wrong.ws_api().account().await.unwrap_err();
    assert_eq!(e.code(), Some(mbx_core::ErrorCode::INVALID_SIGNATURE), "{e}");
    outputs.push(("a WebSocket API -1022".into(), format!("{e} {e:?}")));

    // An Ed25519 session, logged on with the encrypted key loaded with its passphrase.
    let session = Client::builder()
        .environment(Environment::custom(sb.rest_url()))
        .api_key(ed_key)
        .private_key_pem(
            read_vector_file("ed25519-private-encrypted.pem").as_bytes(),
            Some(&SecretBytes::from(PASSPHRASE)),
        )
        .build()
        .unwrap();
    let ws = session.ws_api();
    let logon = ws.logon().await.unwrap();
    outputs.push(("session.logon".into(), logon.to_string()));
    ws.place_order(
        session
            .new_order("BTCUSDT", Side::Buy, OrderType::Limit)
            .quantity(Decimal::new(1, 3))
            .price(Decimal::new(30_000, 0)),
    )
    .await
    .unwrap();
    ws.account().await.unwrap();
    outputs.push(("the session's client".into(), format!("{session:?} {ws:?}")));
    drop((ws, session, wrong, client));
    sb.shutdown().await;

    let observed = observed.lock().unwrap().join("\n");
    assert!(observed.contains("signature="), "the observer saw signed requests: {observed}");
    assert_hidden(&observed, &secrets, "on_request (mbx -v)");
    for (what, text) in &outputs {
        assert_hidden(text, &secrets, what);
    }
    let logs = capture.text();
    for target in ["mbx_sandbox::request", "mbx_sandbox::ws_api", "LOG "] {
        assert!(logs.contains(target), "the capture holds records of {target}");
    }
    assert_hidden(&logs, &secrets, "the process's logs at TRACE");
}
