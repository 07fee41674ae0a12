//! How a committed group's answers reach the handlers waiting for them: in one wake-up of the async
//! runtime, not one per answer.
//!
//! Each handler waits on a oneshot channel. Sending on one from the engine's or the syncer's thread
//! (outside the runtime) wakes its task from outside: the runtime's worker, parked in `epoll_wait`,
//! is woken through its event file, and where it shares a core with the sending thread it takes the
//! core at once, answers that one task, parks again, and is woken again for the next answer. Measured
//! with the scheduler's trace under 64 connections on one core: three such round trips a group.
//!
//! So the group's answers travel together, over one channel, to a task on the runtime ([`Answerer`]),
//! which sends them there: waking a task from its own runtime's thread only queues it. Groups keep
//! their order (one channel, one task), which keeps answers in commit order.
//!
//! Without a runtime (the engine started outside one, or the runtime gone) the answers are sent
//! where they are, as before.

use tokio::sync::mpsc;

use super::Reply;

/// One group's answers and, when its commit or sync failed, why.
pub(super) struct Group {
    pub replies: Vec<Reply>,
    pub failure: Option<String>,
}

impl Group {
    fn send(self) {
        for reply in self.replies {
            reply(self.failure.as_deref());
        }
    }
}

/// Groups handed over together (those one sync covered): one wake-up for all of them.
type Groups = Vec<Group>;

/// Hands groups of answers to the runtime's answering task; cheap to clone (the engine and the
/// syncer each hold one).
#[derive(Clone)]
pub(super) struct Answerer {
    tx: Option<mpsc::UnboundedSender<Groups>>,
}

impl Answerer {
    /// An answerer on the runtime this is called from; without one, answers are sent in place.
    pub fn start() -> Answerer {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return Answerer::in_place() };
        let (tx, mut rx) = mpsc::unbounded_channel::<Groups>();
        runtime.spawn(async move {
            while let Some(groups) = rx.recv().await {
                groups.into_iter().for_each(Group::send);
            }
        });
        Answerer { tx: Some(tx) }
    }

    /// An answerer that sends each answer where it is called (tests, no runtime).
    pub fn in_place() -> Answerer {
        Answerer { tx: None }
    }

    /// Sends `replies`, each told `failure`, after every group handed over before.
    pub fn answer(&self, replies: Vec<Reply>, failure: Option<String>) {
        if !replies.is_empty() {
            self.answer_all(vec![Group { replies, failure }]);
        }
    }

    /// Sends every group's answers, in order, after every group handed over before.
    pub fn answer_all(&self, groups: Vec<Group>) {
        match &self.tx {
            Some(tx) => {
                // The task is gone only with its runtime: then nobody can be waiting there, but
                // answer anyway rather than drop.
                if let Err(mpsc::error::SendError(groups)) = tx.send(groups) {
                    groups.into_iter().for_each(Group::send);
                }
            }
            None => groups.into_iter().for_each(Group::send),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    fn logging(log: &Arc<Mutex<Vec<String>>>, name: &'static str) -> Reply {
        let log = log.clone();
        Box::new(move |failure: Option<&str>| {
            log.lock().unwrap().push(format!("{name}:{}", failure.unwrap_or("ok")))
        })
    }

    /// Answers handed over from another thread arrive on the runtime, in the order handed over, each
    /// with its group's failure.
    #[tokio::test]
    async fn groups_are_answered_on_the_runtime_in_order() {
        let answerer = Answerer::start();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (done, finished) = tokio::sync::oneshot::channel::<std::thread::ThreadId>();
        let (from, l) = (answerer.clone(), log.clone());
        std::thread::spawn(move || {
            from.answer(vec![logging(&l, "a"), logging(&l, "b")], None);
            from.answer(vec![logging(&l, "c")], Some("disk gone".into()));
            let last: Reply = Box::new(move |_| {
                let _ = done.send(std::thread::current().id());
            });
            from.answer(vec![last], None);
        })
        .join()
        .unwrap();
        let answered_on = finished.await.unwrap();
        assert_eq!(answered_on, std::thread::current().id(), "answered by the runtime's task");
        assert_eq!(*log.lock().unwrap(), ["a:ok", "b:ok", "c:disk gone"]);
    }

    /// Without a runtime each answer is sent at once, where it is handed over.
    #[test]
    fn without_a_runtime_answers_are_sent_in_place() {
        let answerer = Answerer::start();
        let log = Arc::new(Mutex::new(Vec::new()));
        answerer.answer(vec![logging(&log, "a")], Some("failed".into()));
        assert_eq!(*log.lock().unwrap(), ["a:failed"]);
    }
}
