//! The durable engine's syncer: the engine commits each group to SQLite's write-ahead log without
//! waiting for the disk (`synchronous=NORMAL`, [`crate::store::Store::defer_sync`]) and hands the
//! group's answers and publications to this thread as a [`Ticket`]; the thread syncs the WAL
//! (`fdatasync`) and only then answers and publishes, in commit order. Meanwhile the engine carries
//! out the next group, so the disk's wait overlaps the next group's work instead of stalling it,
//! and one sync covers every group written before it began.
//!
//! ```text
//!  engine: group N ─commit(WAL write)─▶ Ticket N ─┐   group N+1 ─commit─▶ Ticket N+1 ─┐
//!  syncer:                                         └▶ fdatasync ─▶ answer + publish N └▶ ...
//! ```
//!
//! What a client may learn of a group (its answer, the account views, trades, user data and book
//! events) waits for that sync: nothing is shown that a power cut could take back. In memory
//! (`--memory`) there is no syncer and the engine answers after each commit itself.
//!
//! While a sync is under way the engine does not commit the commands it carries out: it keeps them
//! in one open group and commits that group once the syncer is idle (or the group is full), since
//! a commit made earlier would wait for the same next sync anyway. Fewer, larger commits write
//! fewer pages to the log. An engine that holds a group and finds nothing more to do sleeps until a
//! command comes or the syncer wakes it ([`Syncer::sleeps`]).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread::JoinHandle;

use super::Reply;
use super::answers::{Answerer, Group};
use super::exchange::{Publication, Sinks};

/// One group's results, waiting for the sync.
pub(super) struct Ticket {
    /// What its commit made visible, in commit order.
    pub publications: Vec<Publication>,
    /// Its commands' answers.
    pub replies: Vec<Reply>,
    /// Why its commit failed (every answer is then an error).
    pub failure: Option<String>,
    /// Whether it wrote anything (else it only waits for the groups before it).
    pub wrote: bool,
}

/// The syncer thread and the way to it.
pub(super) struct Syncer {
    tx: Option<mpsc::Sender<Ticket>>,
    /// Tickets sent and not yet answered.
    outstanding: Arc<AtomicUsize>,
    /// The engine sleeps holding a group, to be woken once every ticket is answered.
    sleeping: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Syncer {
    /// Starts the thread that syncs `wal` (the database file `db` when the WAL does not exist yet)
    /// and publishes through `sinks`; `wake` wakes the engine sleeping in [`Syncer::sleeps`];
    /// answers leave through `answerer`.
    pub fn start(
        wal: PathBuf,
        db: PathBuf,
        sinks: Sinks,
        answerer: Answerer,
        wake: impl Fn() + Send + 'static,
    ) -> std::io::Result<Syncer> {
        let mut file = None;
        Syncer::with(move || sync(&wal, &db, &mut file), sinks, answerer, wake)
    }

    /// A syncer whose sync is `sync` (tests watch it).
    fn with(
        sync: impl FnMut() -> Result<(), String> + Send + 'static,
        sinks: Sinks,
        answerer: Answerer,
        wake: impl Fn() + Send + 'static,
    ) -> std::io::Result<Syncer> {
        let (tx, rx) = mpsc::channel();
        let outstanding = Arc::new(AtomicUsize::new(0));
        let sleeping = Arc::new(AtomicBool::new(false));
        let (counter, sleeper) = (outstanding.clone(), sleeping.clone());
        let thread = std::thread::Builder::new()
            .name("mbx-sandbox-syncer".into())
            .spawn(move || serve(&rx, sync, &sinks, &answerer, &counter, &sleeper, &wake))?;
        Ok(Syncer { tx: Some(tx), outstanding, sleeping, thread: Some(thread) })
    }

    /// Whether every ticket sent has been answered (so that answering now keeps commit order).
    pub fn idle(&self) -> bool {
        self.outstanding.load(Ordering::SeqCst) == 0
    }

    /// The engine, holding a group, is about to sleep until a command comes: `true` when it may
    /// (a ticket is still being synced, and the syncer will call `wake` once every ticket is
    /// answered), `false` when the syncer is idle already (commit now instead of sleeping).
    pub fn sleeps(&self) -> bool {
        self.sleeping.store(true, Ordering::SeqCst);
        if self.idle() {
            self.sleeping.store(false, Ordering::SeqCst);
            return false;
        }
        true
    }

    /// Hands a group over; it is answered once it, and every group before it, is on disk.
    pub fn send(&self, ticket: Ticket) {
        self.outstanding.fetch_add(1, Ordering::SeqCst);
        if let Some(tx) = &self.tx
            && let Err(mpsc::SendError(ticket)) = tx.send(ticket)
        {
            // The thread is gone (it panicked): answer with an error rather than not at all.
            self.outstanding.fetch_sub(1, Ordering::SeqCst);
            for reply in ticket.replies {
                reply(Some("the sandbox's syncer stopped"));
            }
        }
    }

    /// Answers everything sent, then stops the thread.
    pub fn finish(mut self) {
        self.tx = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The thread: takes every ticket waiting, syncs once if any wrote, then publishes what each made
/// visible, in order, and hands all their answers over together ([`Answerer`]: one wake-up of the
/// handlers' runtime); once none is left, wakes the engine if it sleeps holding a group.
fn serve(
    rx: &mpsc::Receiver<Ticket>,
    mut sync: impl FnMut() -> Result<(), String>,
    sinks: &Sinks,
    answerer: &Answerer,
    outstanding: &AtomicUsize,
    sleeping: &AtomicBool,
    wake: &impl Fn(),
) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        batch.extend(rx.try_iter());
        let synced = if batch.iter().any(|t| t.wrote) { sync() } else { Ok(()) };
        if let Err(why) = &synced {
            tracing::error!(target: "mbx_sandbox::engine", error = %why, "syncing the log failed; the group's commands are answered with an error");
        }
        let n = batch.len();
        let mut groups = Vec::with_capacity(n);
        for ticket in batch {
            let failure = ticket.failure.or_else(|| synced.clone().err());
            if failure.is_none() {
                for p in ticket.publications {
                    sinks.publish(p);
                }
            }
            groups.push(Group { replies: ticket.replies, failure });
        }
        answerer.answer_all(groups);
        // Both SeqCst, against `Syncer::sleeps` (store `sleeping`, then load `outstanding`): the
        // engine either sees the count at zero or is woken here.
        if outstanding.fetch_sub(n, Ordering::SeqCst) == n && sleeping.swap(false, Ordering::SeqCst) {
            wake();
        }
    }
}

/// `fdatasync` of the WAL (opened once); of the database file while there is no WAL yet.
fn sync(wal: &Path, db: &Path, file: &mut Option<File>) -> Result<(), String> {
    if file.is_none() {
        match File::open(wal) {
            Ok(f) => *file = Some(f),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return File::open(db)
                    .and_then(|f| f.sync_data())
                    .map_err(|e| format!("syncing {}: {e}", db.display()));
            }
            Err(e) => return Err(format!("opening {}: {e}", wal.display())),
        }
    }
    match file {
        Some(f) => f.sync_data().map_err(|e| format!("syncing {}: {e}", wal.display())),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    fn sinks() -> Sinks {
        let store = crate::store::Store::open_memory().unwrap();
        crate::engine::Exchange::load(store, Vec::new(), crate::seed::default_commission(), None)
            .unwrap()
            .sinks()
    }

    /// Each written group is answered only after a sync that began after it was handed over, in
    /// the order handed over; a failed sync answers its groups with the error.
    #[test]
    fn answers_follow_the_sync_in_order() {
        let log = Arc::new(Mutex::new(Vec::<String>::new()));
        let (synclog, fail) = (log.clone(), Arc::new(std::sync::atomic::AtomicBool::new(false)));
        let failing = fail.clone();
        let syncer = Syncer::with(
            move || {
                synclog.lock().unwrap().push("sync".into());
                if failing.load(Ordering::Acquire) { Err("disk gone".into()) } else { Ok(()) }
            },
            sinks(),
            Answerer::in_place(),
            || {},
        )
        .unwrap();
        let ticket = |name: &'static str, wrote: bool| {
            let log = log.clone();
            let reply: Reply = Box::new(move |failure: Option<&str>| {
                log.lock().unwrap().push(format!("{name}:{}", failure.unwrap_or("ok")));
            });
            Ticket { publications: Vec::new(), replies: vec![reply], failure: None, wrote }
        };
        syncer.send(ticket("a", true));
        syncer.send(ticket("b", false));
        syncer.send(ticket("c", true));
        while !syncer.idle() {
            std::thread::yield_now();
        }
        fail.store(true, Ordering::Release);
        syncer.send(ticket("d", true));
        syncer.finish();
        let log = log.lock().unwrap().clone();
        let answers: Vec<&String> = log.iter().filter(|l| *l != "sync").collect();
        assert_eq!(answers, ["a:ok", "b:ok", "c:ok", "d:disk gone"], "{log:?}");
        // A sync precedes each written group's answer.
        for name in ["a:ok", "c:ok", "d:disk gone"] {
            let at = log.iter().position(|l| l == name).unwrap();
            assert!(log[..at].iter().any(|l| l == "sync"), "{log:?}");
        }
        assert_eq!(log.last().map(String::as_str), Some("d:disk gone"));
        assert_eq!(log[log.len() - 2], "sync", "the failed sync came right before d's answer: {log:?}");
    }

    /// An engine that sleeps while a ticket is being synced is woken once it is answered; one that
    /// finds the syncer idle is told not to sleep.
    #[test]
    fn the_engine_sleeping_on_a_sync_is_woken() {
        let (release, released) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicBool::new(false)));
        let woken = Arc::new(AtomicUsize::new(0));
        let (gate, wakes) = (release.clone(), woken.clone());
        let syncer = Syncer::with(
            move || {
                while !gate.load(Ordering::Acquire) {
                    std::thread::yield_now();
                }
                Ok(())
            },
            sinks(),
            Answerer::in_place(),
            move || {
                wakes.fetch_add(1, Ordering::SeqCst);
            },
        )
        .unwrap();
        assert!(!syncer.sleeps(), "nothing outstanding: commit instead of sleeping");
        let answered = released.clone();
        let reply: Reply = Box::new(move |_| answered.store(true, Ordering::Release));
        syncer.send(Ticket { publications: Vec::new(), replies: vec![reply], failure: None, wrote: true });
        assert!(syncer.sleeps(), "a ticket is being synced");
        assert_eq!(woken.load(Ordering::SeqCst), 0);
        release.store(true, Ordering::Release);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while woken.load(Ordering::SeqCst) == 0 && std::time::Instant::now() < deadline {
            std::thread::yield_now();
        }
        assert!(released.load(Ordering::Acquire), "answered before the wake-up");
        assert_eq!(woken.load(Ordering::SeqCst), 1);
        assert!(syncer.idle());
        syncer.finish();
    }
}
