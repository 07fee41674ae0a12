//! mbx-client against a real sandbox over loopback (one sandbox per test, random port).

mod book;
mod chaos;
mod listen_key;
mod market;
mod outcomes;
mod replace;
mod rest;
mod sandbox_admin;
mod secrets;
mod soak;
mod storms;
mod streams;
mod trading;
mod transport;
mod ws_api;

/// A client of the sandbox's demo account (HMAC key).
fn demo_client(sb: &mbx_testkit::TestSandbox) -> mbx_client::Client {
    mbx_client::Client::builder()
        .environment(mbx_client::Environment::custom(sb.rest_url()))
        .api_key(mbx_testkit::keys::DEMO_API_KEY)
        .hmac_secret(mbx_testkit::keys::DEMO_SECRET_KEY)
        .build()
        .unwrap()
}

/// A bare WebSocket server on a free loopback port for one connection: it reads `requests` text
/// frames, sends a Close (1001, "going away"), and resolves to the code of the Close the client
/// answers with (an error when it answers none within 5 s: RFC 6455, 5.5.1).
async fn closing_server(
    requests: usize,
) -> (std::net::SocketAddr, tokio::task::JoinHandle<Result<Option<u16>, String>>) {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::tungstenite::protocol::CloseFrame;
    use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let (tcp, _) = listener.accept().await.unwrap();
        let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
        let wait = std::time::Duration::from_secs(5);
        for _ in 0..requests {
            let frame = tokio::time::timeout(wait, ws.next()).await;
            assert!(matches!(frame, Ok(Some(Ok(Message::Text(_))))), "{frame:?}");
        }
        let bye = CloseFrame { code: CloseCode::Away, reason: "going away".into() };
        ws.send(Message::Close(Some(bye))).await.unwrap();
        loop {
            match tokio::time::timeout(wait, ws.next()).await {
                Ok(Some(Ok(Message::Close(c)))) => return Ok(c.map(|c| u16::from(c.code))),
                Ok(Some(Ok(_))) => {}
                other => return Err(format!("{other:?}")),
            }
        }
    });
    (addr, server)
}
