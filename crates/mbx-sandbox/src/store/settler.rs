//! The settler: on disk, the thread that writes the tables from the backlog while the engine goes
//! on committing groups.
//!
//! The engine's group commits write the backlog (`backlog.db`, a database file of its own with a
//! write-ahead log of its own, which the durable syncer syncs) and never the tables. Once enough
//! has accumulated ([`super::backlog::SETTLE_AT`]) the engine hands what is pending to this thread,
//! which writes it to the tables of `sandbox.db` through a connection of its own, in one
//! transaction that also records the last backlog record it covers (`settled`), synced
//! (`synchronous=FULL`). The engine deletes those backlog records in a later commit, once it has
//! learnt that the settle landed.
//!
//! Two files, so that the two writers never wait for each other's lock: the engine's commits stay
//! short while a settle of thousands of rows is under way, and the settle's work fills the time
//! the engine's core would otherwise wait for the backlog's sync (BENCHMARKS.md, session 50).
//!
//! One settle at a time: while one is under way the engine keeps absorbing groups, and hands
//! them over when it is done. A read waits for the settle under way and settles the rest before
//! it reads ([`super::Store::settle`]), so it sees every commit. A settle that fails gives its
//! records back: they stay in memory and in the backlog, and the next settle takes them again.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use rusqlite::Connection;

use super::Written;
use super::backlog::Pending;
use crate::error::StoreError;

/// What a settle sends back: the last backlog record the tables now hold, or the records it could
/// not write, with why.
type Outcome = Result<i64, (Pending, StoreError)>;

/// The thread and the way to it.
#[derive(Debug)]
pub(super) struct Settler {
    jobs: Option<mpsc::Sender<Pending>>,
    done: mpsc::Receiver<Outcome>,
    /// A settle was handed over and its outcome not yet read.
    busy: bool,
    thread: Option<JoinHandle<()>>,
}

impl Settler {
    /// Starts the thread, which writes through `conn` (to `sandbox.db`) and keeps `written` (what
    /// the tables hold) up to date.
    pub(super) fn start(conn: Connection, written: Arc<Mutex<Written>>) -> std::io::Result<Settler> {
        let (jobs, rx) = mpsc::channel::<Pending>();
        let (tx, done) = mpsc::channel::<Outcome>();
        let thread = std::thread::Builder::new().name("mbx-settler".into()).spawn(move || {
            while let Ok(pending) = rx.recv() {
                // A panic (a bug) fails this settle as an error would: the records go back.
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    let mut w = written.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                    let finish = super::Finish::Mark(pending.through_seq);
                    super::trading::apply(&conn, &mut w, &pending.batch, finish)
                }))
                .unwrap_or_else(|_| Err(StoreError::Commit("the settle panicked".into())));
                let sent = match outcome {
                    Ok(_) => tx.send(Ok(pending.through_seq)),
                    Err(e) => tx.send(Err((pending, e))),
                };
                if sent.is_err() {
                    break;
                }
            }
        })?;
        Ok(Settler { jobs: Some(jobs), done, busy: false, thread: Some(thread) })
    }

    /// Whether a settle was handed over and its outcome not yet read.
    pub(super) fn busy(&self) -> bool {
        self.busy
    }

    /// Hands `pending` over (none may be under way); gives it back if the thread is gone.
    pub(super) fn hand(&mut self, pending: Box<Pending>) -> Result<(), Box<Pending>> {
        debug_assert!(!self.busy);
        let Some(jobs) = self.jobs.as_ref() else { return Err(pending) };
        jobs.send(*pending).map_err(|e| Box::new(e.0))?;
        self.busy = true;
        Ok(())
    }

    /// The outcome of the settle under way once it is known; `None` while it runs (or when none
    /// is under way).
    pub(super) fn poll(&mut self) -> Option<Outcome> {
        if !self.busy {
            return None;
        }
        let outcome = self.done.try_recv().ok()?;
        self.busy = false;
        Some(outcome)
    }

    /// Waits for the settle under way, if any, and gives its outcome.
    pub(super) fn wait(&mut self) -> Option<Outcome> {
        if !self.busy {
            return None;
        }
        self.busy = false;
        self.done.recv().ok()
    }
}

impl Drop for Settler {
    fn drop(&mut self) {
        // Closing the channel ends the thread once its settle (if any) is done.
        self.jobs.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
