//! The engine: one thread that owns the [`Store`] and carries out commands in arrival order.
//!
//! Handlers talk to it through an [`EngineHandle`] and get their answer on a oneshot channel, sent
//! only after the change is committed, so nothing is acknowledged that a crash could lose. Milestone 2
//! adds the order books to this thread; they and the store then change together, in one place.
//!
//! ```text
//!  handler ──Command{.., reply}──▶ engine thread ──commit──▶ SQLite (WAL, synchronous=FULL)
//!     ▲                                  │
//!     └──────────── reply (after commit) ┘
//! ```

use std::thread::JoinHandle;

use tokio::sync::{mpsc, oneshot};

use crate::error::{SandboxError, StoreError};
use crate::keys::StoredKey;
use crate::store::{AccountSnapshot, Store};

/// How many commands may wait for the engine before senders wait too.
const QUEUE: usize = 1024;

/// What the engine can be asked to do.
#[derive(Debug)]
enum Command {
    /// Store a new API key.
    RegisterKey { key: StoredKey, now_ms: u64, reply: oneshot::Sender<Result<bool, StoreError>> },
    /// Read an account's balances.
    Account { account_id: i64, reply: oneshot::Sender<Result<Option<AccountSnapshot>, StoreError>> },
    /// Close the store and end the thread.
    Stop { reply: oneshot::Sender<()> },
}

/// A cheap, cloneable way to send commands to the engine.
#[derive(Debug, Clone)]
pub struct EngineHandle {
    tx: mpsc::Sender<Command>,
}

/// The engine thread, to wait for at shutdown.
#[derive(Debug)]
pub struct EngineThread(JoinHandle<()>);

impl EngineThread {
    /// Whether the thread has ended.
    pub fn is_finished(&self) -> bool {
        self.0.is_finished()
    }

    /// Waits for the thread to end (after [`EngineHandle::stop`], or once every handle is dropped).
    pub fn join(self) {
        let _ = self.0.join();
    }
}

impl EngineHandle {
    /// Starts the engine thread, which takes ownership of `store`.
    pub fn start(store: Store) -> Result<(EngineHandle, EngineThread), SandboxError> {
        let (tx, rx) = mpsc::channel(QUEUE);
        let thread = std::thread::Builder::new()
            .name("mbx-sandbox-engine".into())
            .spawn(move || run(store, rx))
            .map_err(|source| SandboxError::Io { context: "starting the engine thread".into(), source })?;
        Ok((EngineHandle { tx }, EngineThread(thread)))
    }

    async fn call<T>(&self, make: impl FnOnce(oneshot::Sender<T>) -> Command) -> Result<T, SandboxError> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(make(reply)).await.map_err(|_| SandboxError::EngineStopped)?;
        rx.await.map_err(|_| SandboxError::EngineStopped)
    }

    /// Stores a key; `Ok(false)` when the key text is already taken. Returns after the commit.
    pub async fn register_key(&self, key: StoredKey, now_ms: u64) -> Result<bool, SandboxError> {
        Ok(self.call(|reply| Command::RegisterKey { key, now_ms, reply }).await??)
    }

    /// An account's balances.
    pub async fn account(&self, account_id: i64) -> Result<Option<AccountSnapshot>, SandboxError> {
        Ok(self.call(|reply| Command::Account { account_id, reply }).await??)
    }

    /// Closes the store and ends the thread; returns once the database is closed. Later calls answer
    /// [`SandboxError::EngineStopped`].
    pub async fn stop(&self) {
        let _ = self.call(|reply| Command::Stop { reply }).await;
    }
}

fn run(mut store: Store, mut rx: mpsc::Receiver<Command>) {
    while let Some(cmd) = rx.blocking_recv() {
        match cmd {
            Command::RegisterKey { key, now_ms, reply } => {
                let _ = reply.send(store.insert_key(&key, now_ms));
            }
            Command::Account { account_id, reply } => {
                let _ = reply.send(store.account(account_id));
            }
            Command::Stop { reply } => {
                rx.close();
                drop(store);
                let _ = reply.send(());
                return;
            }
        }
    }
}
