//! [`SandboxClock`]: the sandbox's "now", read once per request and passed into mbx-core's pure
//! `check_timing`.
//!
//! The clock is the system clock or a fixed instant, plus an offset that the admin API
//! (`POST /sandbox/v1/clock {"offsetMs":N}`) changes at run time. A negative offset puts the server
//! behind the client (requests look ahead: the "1000ms ahead" `-1021`); a positive one puts it ahead
//! (requests look old: "outside of the recvWindow").

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use mbx_core::time::{Clock, Timestamp};

/// The sandbox clock. Clones share the offset.
#[derive(Debug, Clone)]
pub struct SandboxClock {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    base: Base,
    offset_ms: AtomicI64,
}

#[derive(Debug, Clone, Copy)]
enum Base {
    System,
    Fixed(Timestamp),
}

impl SandboxClock {
    /// The system clock, no offset.
    pub fn system() -> SandboxClock {
        SandboxClock::with_base(Base::System)
    }

    /// Always `at` (plus the offset): for reproducible tests.
    pub fn fixed(at: Timestamp) -> SandboxClock {
        SandboxClock::with_base(Base::Fixed(at))
    }

    fn with_base(base: Base) -> SandboxClock {
        SandboxClock { inner: Arc::new(Inner { base, offset_ms: AtomicI64::new(0) }) }
    }

    /// Sets the offset added to the base time, in milliseconds (may be negative).
    pub fn set_offset_ms(&self, offset_ms: i64) {
        self.inner.offset_ms.store(offset_ms, Ordering::Relaxed);
    }

    /// The current offset in milliseconds.
    pub fn offset_ms(&self) -> i64 {
        self.inner.offset_ms.load(Ordering::Relaxed)
    }

    /// The sandbox's current time: microseconds for the system clock, so microsecond timestamps and
    /// fractional `recvWindow`s are judged at full precision.
    pub fn now(&self) -> Timestamp {
        self.at(SystemTime::now())
    }

    /// The sandbox's time when the system clock reads `wall` (for a caller that needs both from one
    /// read of the clock).
    ///
    /// ```
    /// use mbx_core::time::Timestamp;
    /// let clock = mbx_sandbox::SandboxClock::fixed(Timestamp::Millis(1_000));
    /// clock.set_offset_ms(-250);
    /// assert_eq!(clock.at(std::time::SystemTime::now()).as_millis(), 750);
    /// ```
    pub fn at(&self, wall: SystemTime) -> Timestamp {
        let offset_us = self.offset_ms().saturating_mul(1000);
        match self.inner.base {
            Base::System => {
                let us = wall
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX));
                Timestamp::Micros(us.saturating_add_signed(offset_us))
            }
            Base::Fixed(t) => Timestamp::Micros(t.as_micros().saturating_add_signed(offset_us)),
        }
    }

    /// The current time in milliseconds, as `serverTime` is sent.
    pub fn now_ms(&self) -> u64 {
        self.now().as_millis()
    }
}

impl Default for SandboxClock {
    fn default() -> Self {
        SandboxClock::system()
    }
}

impl Clock for SandboxClock {
    fn now(&self) -> Timestamp {
        SandboxClock::now(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_applies_shared_offset() {
        let c = SandboxClock::fixed(Timestamp::Millis(1_700_000_000_000));
        let shared = c.clone();
        shared.set_offset_ms(-2500);
        assert_eq!(c.now_ms(), 1_699_999_997_500);
        assert_eq!(c.now(), Timestamp::Micros(1_699_999_997_500_000));
    }
}
