//! Planned faults for client tests: make the next order placements succeed on the exchange while the
//! client learns nothing certain about them.
//!
//! Each planned fault applies to one order placement (`POST /api/v3/order`, WebSocket API
//! `order.place`) that the engine committed, in the order planned; rejected placements leave the
//! plan untouched. The order, its trades and the balances are committed exactly as without the
//! fault; only the answer changes:
//!
//! | fault | what the client sees |
//! |---|---|
//! | [`OrderFault::DropResponse`] | the connection closes with no answer |
//! | [`OrderFault::Status`] | that HTTP status (5xx) with an empty body |
//! | [`OrderFault::Code`] | Binance's answer for that code (e.g. `-1007`, 503) |
//!
//! Plan faults with [`AppState::faults`](crate::AppState::faults) or the admin API
//! (`POST /sandbox/v1/faults`).

use std::collections::VecDeque;
use std::sync::Mutex;

use mbx_core::ErrorCode;

/// What happens to the answer of one committed order placement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderFault {
    /// Close the connection without answering.
    DropResponse,
    /// Answer this HTTP status (500 to 599) with an empty body.
    Status(u16),
    /// Answer this Binance code with its catalog status and message.
    Code(ErrorCode),
}

/// The planned faults, consumed one per committed order placement.
#[derive(Debug, Default)]
pub struct Faults {
    planned: Mutex<VecDeque<OrderFault>>,
}

impl Faults {
    fn plan(&self, fault: OrderFault, n: usize) -> &Faults {
        let mut planned = self.planned.lock().unwrap_or_else(|e| e.into_inner());
        planned.extend(std::iter::repeat_n(fault, n));
        self
    }

    /// The next `n` committed order placements get no answer: the connection is closed.
    pub fn drop_response_after_commit(&self, n: usize) -> &Faults {
        self.plan(OrderFault::DropResponse, n)
    }

    /// The next committed order placement is answered `status` (meant for 5xx) with an empty body.
    pub fn next_status(&self, status: u16) -> &Faults {
        self.plan(OrderFault::Status(status), 1)
    }

    /// The next committed order placement is answered with `code` (e.g. `-1007 TIMEOUT`).
    pub fn next_code(&self, code: ErrorCode) -> &Faults {
        self.plan(OrderFault::Code(code), 1)
    }

    /// Forgets every planned fault.
    pub fn clear(&self) {
        self.planned.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// The faults still planned, next first.
    pub fn pending(&self) -> Vec<OrderFault> {
        self.planned.lock().unwrap_or_else(|e| e.into_inner()).iter().copied().collect()
    }

    /// Takes the fault for the order placement just committed, if one is planned.
    pub fn take(&self) -> Option<OrderFault> {
        self.planned.lock().unwrap_or_else(|e| e.into_inner()).pop_front()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_taken_in_plan_order() {
        let f = Faults::default();
        f.drop_response_after_commit(2).next_status(503).next_code(ErrorCode::TIMEOUT);
        assert_eq!(f.pending().len(), 4);
        assert_eq!(f.take(), Some(OrderFault::DropResponse));
        assert_eq!(f.take(), Some(OrderFault::DropResponse));
        assert_eq!(f.take(), Some(OrderFault::Status(503)));
        assert_eq!(f.take(), Some(OrderFault::Code(ErrorCode::TIMEOUT)));
        assert_eq!(f.take(), None);
        f.next_status(500).clear();
        assert_eq!(f.take(), None);
    }
}
