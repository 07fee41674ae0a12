//! The rejection journal: the last requests the sandbox refused at its acceptance check (REST and
//! WebSocket API), kept in memory so that `GET /sandbox/v1/rejections` (and `mbx doctor sandbox-log`)
//! can show each with the doctor's diagnosis. Bounded: the oldest entries are dropped.

use std::collections::VecDeque;
use std::sync::Mutex;

use mbx_core::diagnose::{Context, Diagnosis, RequestRecord, diagnose, diagnose_ws};
use mbx_core::time::Timestamp;

/// How many rejections are kept.
pub const CAPACITY: usize = 100;

/// A rejected request as received.
#[derive(Debug, Clone)]
pub enum Journaled {
    /// A REST request.
    Rest(RequestRecord),
    /// A WebSocket API request frame.
    WsApi(String),
}

/// One rejection.
#[derive(Debug, Clone)]
pub struct Rejected {
    /// When (the sandbox clock, in milliseconds).
    pub at_ms: u64,
    /// The request.
    pub request: Journaled,
    /// The code answered.
    pub code: i32,
    /// The message answered.
    pub msg: String,
    /// The HTTP status (the WebSocket API's `status`).
    pub status: u16,
    /// The doctor's view of the key, when the API key was one of the sandbox's (for the signature
    /// hypotheses).
    pub key: Option<Context>,
}

impl Rejected {
    /// The doctor's diagnosis, judged at the time of the request with the key.
    pub fn diagnose(&self) -> Diagnosis {
        let ctx = self.key.clone().unwrap_or_default().at(Timestamp::Millis(self.at_ms));
        match &self.request {
            Journaled::Rest(r) => diagnose(r, &ctx),
            Journaled::WsApi(frame) => diagnose_ws(frame, None, &ctx),
        }
    }
}

/// The journal.
#[derive(Debug, Default)]
pub struct Journal {
    entries: Mutex<VecDeque<Rejected>>,
}

impl Journal {
    /// Adds a rejection (dropping the oldest beyond [`CAPACITY`]).
    pub fn record(&self, rejected: Rejected) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() == CAPACITY {
            entries.pop_front();
        }
        entries.push_back(rejected);
    }

    /// The last `n` rejections, newest first.
    pub fn last(&self, n: usize) -> Vec<Rejected> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.iter().rev().take(n).cloned().collect()
    }
}
