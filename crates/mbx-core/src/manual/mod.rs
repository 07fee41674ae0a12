//! The mbx manual: how Binance authenticates requests, and how mbx makes the common mistakes impossible.
//!
//! Read in order:
//!
//! 1. [`_01_signing`]: what exactly is signed, for REST and for the WebSocket API.
//! 2. [`_02_time`]: `timestamp`, `recvWindow` and the clock.
//! 3. [`_03_errors_and_fixes`]: the rejections people hit, what they mean and what to change.
//! 4. [`_04_rest_vs_ws_api`]: the two payload forms side by side.

pub mod _01_signing;
pub mod _02_time;
pub mod _03_errors_and_fixes;
pub mod _04_rest_vs_ws_api;
