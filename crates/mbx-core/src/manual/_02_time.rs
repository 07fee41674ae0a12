//! # Time
//!
//! Every signed request carries `timestamp`, in milliseconds (13 digits today) or microseconds (16).
//! Binance accepts it when it is less than 1000 ms ahead of its clock and at most `recvWindow`
//! (default 5000 ms, at most 60000, up to three decimals) behind. A timestamp in **seconds** reads as
//! January 1970 and is always too old.
//!
//! ```
//! use mbx_core::time::{check_timing, RecvWindow, Timestamp};
//! let server = Timestamp::Millis(1_499_827_320_000);
//! assert!(check_timing(Timestamp::Millis(1_499_827_319_559), RecvWindow::DEFAULT, server).is_ok());
//! // Seconds instead of milliseconds:
//! let e = check_timing(Timestamp::parse("1499827319").unwrap(), RecvWindow::MAX, server).unwrap_err();
//! assert_eq!(e.msg, "Timestamp for this request is outside of the recvWindow.");
//! // A clock 2 s fast:
//! let e = check_timing(server.offset_millis(2000), RecvWindow::DEFAULT, server).unwrap_err();
//! assert_eq!(e.msg, "Timestamp for this request was 1000ms ahead of the server's time.");
//! ```
//!
//! mbx-core never reads the clock; the client measures the offset to the server (lowest round-trip
//! sample of `GET /api/v3/time`) and adds it to every timestamp it signs.
