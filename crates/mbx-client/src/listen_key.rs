//! The user data stream by listenKey, as Binance.US still serves it (and the sandbox with
//! `--flavor us`): [`ListenKeyStream`]. Binance spot retired these endpoints; there use
//! [`crate::WsApi::user_stream`].
//!
//! A key comes from `POST /api/v3/userDataStream`, the events from `<stream_url>/ws/<listenKey>`. The
//! key is kept alive with a `PUT` every 30 minutes (it expires after 60 without one). When it expires
//! anyway (`listenKeyExpired`, or `-1125` on a keepalive), or the connection is lost, the stream
//! reports a [`UserItem::Gap`], takes a new key, connects again and reconciles its view with a
//! snapshot ([`crate::user_view`], shared with the WebSocket API's stream), so that nothing is
//! passed over in silence and the stream's view ([`ListenKeyStream::view`]) equals the exchange's.

use std::time::Duration;

use futures_util::StreamExt;
use mbx_core::Params;
use mbx_core::endpoint::spot;
use serde_json::Value;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

use crate::client::Retry;
use crate::error::{Error, Result};
use crate::user_view::UserView;
use crate::ws_api::UserItem;
use crate::{Client, streams};

/// How often the key is kept alive (Binance: every 30 minutes; it lives 60).
const KEEPALIVE: Duration = Duration::from_secs(30 * 60);

/// The listenKey user data stream of a [`Client`]'s account; see the module docs.
#[derive(Debug)]
pub struct ListenKeyStream {
    rx: mpsc::Receiver<Msg>,
    task: tokio::task::JoinHandle<()>,
    client: Client,
    view: UserView,
    pending: std::collections::VecDeque<UserItem>,
}

/// What the connection task hands the reader.
#[derive(Debug)]
enum Msg {
    Item(UserItem),
    /// A new key and connection are up: the reader reconciles (events from here on come after).
    Back,
}

impl Drop for ListenKeyStream {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl ListenKeyStream {
    /// The next item. The stream never gives up on its own: while the key cannot be renewed it
    /// keeps trying, with a [`UserItem::Gap`] every 8 failures.
    pub async fn next(&mut self) -> Option<UserItem> {
        let item = loop {
            if let Some(item) = self.pending.pop_front() {
                break item;
            }
            match self.rx.recv().await? {
                Msg::Item(item) => break item,
                Msg::Back => match crate::user_view::reconcile(&self.view, &self.client).await {
                    Ok(items) => self.pending.extend(items),
                    Err(e) => {
                        self.pending.push_back(UserItem::Gap { reason: format!("the snapshot failed: {e}") })
                    }
                },
            }
        };
        self.view.apply(&item);
        Some(item)
    }

    /// The account's open orders and balances as the items read so far show them (before the
    /// first item: the snapshot taken when the stream opened).
    pub fn view(&self) -> &UserView {
        &self.view
    }
}

impl Client {
    /// The account's user data stream by listenKey (Binance.US). Fails when the first key or
    /// connection cannot be had.
    pub async fn listen_key_stream(&self) -> Result<ListenKeyStream> {
        let (key, ws) = open(self).await?;
        // The view starts from a snapshot taken once the connection is up: nothing falls between.
        let (account, open_orders) = crate::user_view::snapshot(self).await?;
        let view = UserView::from_snapshot(&account, &open_orders);
        let (tx, rx) = mpsc::channel(4096);
        let task = tokio::spawn(run(self.clone(), key, ws, tx));
        Ok(ListenKeyStream {
            rx,
            task,
            client: self.clone(),
            view,
            pending: std::collections::VecDeque::new(),
        })
    }
}

type Ws = tokio_tungstenite::WebSocketStream<crate::http::Io>;

/// A new key and its connection.
async fn open(client: &Client) -> Result<(String, Ws)> {
    let answer: Value = client.send(&spot::USER_STREAM_START, Params::new(), Retry::Never).await?;
    let key = answer
        .get("listenKey")
        .and_then(Value::as_str)
        .ok_or_else(|| Error::Decode {
            path: spot::USER_STREAM_START.path.into(),
            detail: "no listenKey".into(),
        })?
        .to_owned();
    let settings: &streams::WsSettings = &client.inner.websocket;
    let ws = settings.open(&format!("{}/ws/{key}", settings.stream_url)).await?;
    Ok((key, ws))
}

async fn run(client: Client, mut key: String, mut ws: Ws, tx: mpsc::Sender<Msg>) {
    loop {
        let reason = serve(&client, &key, &mut ws, &tx).await;
        let Some(reason) = reason else { return };
        if tx.send(Msg::Item(UserItem::Gap { reason })).await.is_err() {
            return;
        }
        // A new key and connection, with backoff and never given up (a long outage is reported
        // every 8 failures), then the account as it is now.
        let mut failures = 0u32;
        let mut backoff = streams::Backoff::new();
        loop {
            match open(&client).await {
                Ok((k, w)) => {
                    (key, ws) = (k, w);
                    break;
                }
                Err(e) => {
                    failures += 1;
                    tracing::warn!(target: "mbx_client::listen_key", error = %e, failures, "renewing the user data stream");
                    if failures.is_multiple_of(8) {
                        let reason = format!("still renewing after {failures} attempts: {e}");
                        if tx.send(Msg::Item(UserItem::Gap { reason })).await.is_err() {
                            return;
                        }
                    }
                    backoff.wait_after(failures, &e).await;
                }
            }
        }
        if tx.send(Msg::Back).await.is_err() {
            return;
        }
    }
}

/// Reads one connection until it or its key ends (`Some(why)`), or nobody reads (`None`).
async fn serve(client: &Client, key: &str, ws: &mut Ws, tx: &mpsc::Sender<Msg>) -> Option<String> {
    let mut keepalive = tokio::time::interval_at(tokio::time::Instant::now() + KEEPALIVE, KEEPALIVE);
    loop {
        tokio::select! {
            _ = keepalive.tick() => {
                let params = Params::new().text("listenKey", key);
                if let Err(e) = client.send::<Value>(&spot::USER_STREAM_KEEPALIVE, params, Retry::Safe).await {
                    return Some(format!("the listenKey could not be kept alive: {e}"));
                }
            }
            frame = ws.next() => match frame {
                Some(Ok(Message::Text(text))) => {
                    let event: Value = serde_json::from_str(text.as_str()).unwrap_or(Value::Null);
                    let kind = event.get("e").and_then(Value::as_str).unwrap_or_default().to_owned();
                    if kind == "listenKeyExpired" {
                        return Some("the listenKey expired".into());
                    }
                    if tx.send(Msg::Item(UserItem::Event { kind, event })).await.is_err() {
                        return None;
                    }
                }
                Some(Ok(Message::Close(_))) => {
                    streams::answer_close(ws).await;
                    return Some("the connection was lost".into());
                }
                Some(Err(_)) | None => return Some("the connection was lost".into()),
                Some(Ok(_)) => {}
            }
        }
    }
}
