//! Timestamps, `recvWindow` and Binance's timing-security check, as pure functions of their inputs.
//!
//! mbx-core never reads the clock: callers pass the current (server) time in.
//!
//! ```
//! use mbx_core::time::{check_timing, RecvWindow, Timestamp};
//! let sent = Timestamp::parse("1499827319559").unwrap();
//! let window = RecvWindow::DEFAULT; // 5000 ms
//! assert!(check_timing(sent, window, Timestamp::Millis(1499827320000)).is_ok());
//! let err = check_timing(sent, window, Timestamp::Millis(1499827330000)).unwrap_err();
//! assert_eq!(err.code.get(), -1021);
//! assert_eq!(err.msg, "Timestamp for this request is outside of the recvWindow.");
//! ```

use std::fmt;

use crate::error::{ApiError, ErrorCode};

/// Values at or above this are read as microseconds (16 digits); below, as milliseconds (13 digits
/// today). A seconds timestamp (10 digits) is therefore read as milliseconds in January 1970 and
/// rejected as outside the recvWindow, exactly as Binance does.
pub const MICROS_THRESHOLD: u64 = 1_000_000_000_000_000;

/// A `timestamp` parameter: milliseconds or microseconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Timestamp {
    /// Milliseconds (13 digits today).
    Millis(u64),
    /// Microseconds (16 digits today).
    Micros(u64),
}

impl Timestamp {
    /// Reads a decimal timestamp, choosing the unit by magnitude (see [`MICROS_THRESHOLD`]).
    /// `None` for anything that is not 1 to 20 ASCII digits.
    pub fn parse(s: &str) -> Option<Timestamp> {
        if s.is_empty() || s.len() > 20 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: u64 = s.parse().ok()?;
        Some(Timestamp::from_number(n))
    }

    /// Chooses the unit of a number by magnitude.
    pub fn from_number(n: u64) -> Timestamp {
        if n >= MICROS_THRESHOLD { Timestamp::Micros(n) } else { Timestamp::Millis(n) }
    }

    /// Microseconds since the epoch.
    pub fn as_micros(self) -> u64 {
        match self {
            Timestamp::Millis(ms) => ms.saturating_mul(1000),
            Timestamp::Micros(us) => us,
        }
    }

    /// Milliseconds since the epoch (microseconds truncated).
    pub fn as_millis(self) -> u64 {
        match self {
            Timestamp::Millis(ms) => ms,
            Timestamp::Micros(us) => us / 1000,
        }
    }

    /// The same instant in milliseconds plus `offset_ms` (which may be negative), saturating.
    pub fn offset_millis(self, offset_ms: i64) -> Timestamp {
        Timestamp::Millis(self.as_millis().saturating_add_signed(offset_ms))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Timestamp::Millis(n) | Timestamp::Micros(n) => write!(f, "{n}"),
        }
    }
}

/// A `recvWindow`: milliseconds with up to three decimals (microsecond precision), at most 60000.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecvWindow {
    micros: u64,
}

impl RecvWindow {
    /// What Binance assumes when `recvWindow` is not sent: 5000 ms.
    pub const DEFAULT: RecvWindow = RecvWindow { micros: 5_000_000 };
    /// The largest value Binance accepts: 60000 ms.
    pub const MAX: RecvWindow = RecvWindow { micros: 60_000_000 };

    /// From whole milliseconds; `None` above 60000.
    pub fn from_millis(ms: u32) -> Option<RecvWindow> {
        let w = RecvWindow { micros: u64::from(ms) * 1000 };
        (w <= Self::MAX).then_some(w)
    }

    /// Reads a `recvWindow` value as Binance does, returning Binance's error for bad values:
    /// `-1100` for characters other than digits and one decimal point, `-1111` for more than three
    /// decimals, `-1102` ("Cannot be greater than 60000") above the maximum.
    ///
    /// ```
    /// use mbx_core::time::RecvWindow;
    /// assert_eq!(RecvWindow::parse("6000.346").unwrap().as_micros(), 6_000_346);
    /// assert_eq!(RecvWindow::parse("60001").unwrap_err().code.get(), -1102);
    /// assert_eq!(RecvWindow::parse("1.2345").unwrap_err().code.get(), -1111);
    /// ```
    pub fn parse(s: &str) -> Result<RecvWindow, ApiError> {
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || !digits(int) || !digits(frac) || (s.contains('.') && frac.is_empty()) {
            return Err(ApiError::with_args(
                ErrorCode::ILLEGAL_CHARS,
                1,
                &["recvWindow", "^[0-9]{1,5}(\\.[0-9]{1,3})?$"],
            ));
        }
        if frac.len() > 3 {
            return Err(ApiError::with_args(ErrorCode::BAD_PRECISION, 0, &["recvWindow"]));
        }
        let too_big = || {
            ApiError::with_args(ErrorCode::MANDATORY_PARAM_EMPTY_OR_MALFORMED, 5, &["recvWindow", "60000"])
        };
        let whole: u64 = int
            .trim_start_matches('0')
            .parse()
            .or_else(|_| if int.bytes().all(|b| b == b'0') { Ok(0) } else { Err(too_big()) })?;
        let mut frac_us: u64 = 0;
        for (i, b) in frac.bytes().enumerate() {
            frac_us += u64::from(b - b'0') * 10u64.pow(2 - i as u32);
        }
        let micros = whole.checked_mul(1000).and_then(|w| w.checked_add(frac_us)).ok_or_else(too_big)?;
        let w = RecvWindow { micros };
        if w > Self::MAX {
            return Err(too_big());
        }
        Ok(w)
    }

    /// The window in microseconds.
    pub fn as_micros(self) -> u64 {
        self.micros
    }
}

impl Default for RecvWindow {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl fmt::Display for RecvWindow {
    /// Milliseconds, with the decimals only when there are any (`5000`, `6000.346`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.micros / 1000;
        let us = self.micros % 1000;
        if us == 0 {
            write!(f, "{ms}")
        } else {
            let frac = format!("{us:03}");
            write!(f, "{ms}.{}", frac.trim_end_matches('0'))
        }
    }
}

/// Binance's timing-security check: a request is accepted when its `timestamp` is less than one second
/// ahead of the server's time and no more than `recv_window` behind it.
///
/// Returns `-1021` with "...1000ms ahead of the server's time." for the first failure and "...outside of
/// the recvWindow." for the second.
pub fn check_timing(
    timestamp: Timestamp,
    recv_window: RecvWindow,
    server_now: Timestamp,
) -> Result<(), ApiError> {
    let ts = timestamp.as_micros();
    let now = server_now.as_micros();
    if ts >= now.saturating_add(1_000_000) {
        return Err(ApiError::with_variant(ErrorCode::INVALID_TIMESTAMP, 1));
    }
    if now.saturating_sub(ts) > recv_window.as_micros() {
        return Err(ApiError::with_variant(ErrorCode::INVALID_TIMESTAMP, 0));
    }
    Ok(())
}

/// Binance's second timing check (CHANGELOG, the 2025 recvWindow change): just before the matching
/// engine takes a request that [`check_timing`] accepted at receipt, it is rejected when more than
/// `recv_window` has passed since `timestamp` by the server's time then (`engine_now`). A request
/// held up between receipt and the engine can therefore never be placed once
/// `timestamp + recvWindow` has passed.
///
/// Returns `-1021` "...outside of the recvWindow." Unlike a rejection at receipt, this one counts
/// against the unfilled order count of order placements ([`ENGINE_CHECK_COUNTS_ORDERS`]).
///
/// ```
/// use mbx_core::time::{RecvWindow, Timestamp, check_before_engine};
/// let sent = Timestamp::Millis(1_700_000_000_000);
/// assert!(check_before_engine(sent, RecvWindow::DEFAULT, sent.offset_millis(5000)).is_ok());
/// let late = check_before_engine(sent, RecvWindow::DEFAULT, sent.offset_millis(5001)).unwrap_err();
/// assert_eq!(late.code.get(), -1021);
/// ```
pub fn check_before_engine(
    timestamp: Timestamp,
    recv_window: RecvWindow,
    engine_now: Timestamp,
) -> Result<(), ApiError> {
    if engine_now.as_micros().saturating_sub(timestamp.as_micros()) > recv_window.as_micros() {
        return Err(ApiError::with_variant(ErrorCode::INVALID_TIMESTAMP, 0));
    }
    Ok(())
}

/// Whether a rejection by [`check_before_engine`] counts against the unfilled order count of an
/// order placement: it does (CHANGELOG), where one at receipt does not.
pub const ENGINE_CHECK_COUNTS_ORDERS: bool = true;

/// The unit of the times in answers that a client asks for: the REST header `X-MBX-TIME-UNIT`,
/// `timeUnit` in a WebSocket API or stream URL. Anything else than these two names (in any case,
/// as the docs write both) is refused with `-1194` ([`crate::accept::read_time_unit`]).
///
/// ```
/// use mbx_core::time::TimeUnit;
/// assert_eq!(TimeUnit::parse("microsecond"), Some(TimeUnit::Microsecond));
/// assert_eq!(TimeUnit::parse("SECOND"), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimeUnit {
    /// Milliseconds, the default.
    #[default]
    Millisecond,
    /// Microseconds.
    Microsecond,
}

impl TimeUnit {
    /// `MILLISECOND` or `MICROSECOND`, in any case; `None` otherwise.
    pub fn parse(value: &str) -> Option<TimeUnit> {
        if value.eq_ignore_ascii_case("MILLISECOND") {
            Some(TimeUnit::Millisecond)
        } else if value.eq_ignore_ascii_case("MICROSECOND") {
            Some(TimeUnit::Microsecond)
        } else {
            None
        }
    }
}

/// A source of the current time, for code that must stay testable. mbx-core itself never calls one;
/// the client and sandbox pass a `Clock`'s reading into the pure functions above.
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> Timestamp;
}

/// Parses a time as people and files write it: Unix milliseconds, `YYYY-MM-DD` (UTC; the start of
/// the day, or its last millisecond when `end_of_day`), or RFC 3339 (`2024-03-01T12:30:00Z`,
/// `2024-03-01T14:30:00.250+02:00`, a HAR file's `startedDateTime`). The error says what is read.
///
/// ```
/// use mbx_core::time::parse_time;
/// assert_eq!(parse_time("2024-02-29T14:30:15.250+02:00", false), Ok(1_709_209_815_250));
/// assert!(parse_time("1704067200", false).unwrap_err().contains("seconds"));
/// ```
pub fn parse_time(s: &str, end_of_day: bool) -> Result<u64, String> {
    let s = s.trim();
    let hint = "expected Unix milliseconds (1704067200000), a UTC date (2024-01-01) or RFC 3339 (2024-01-01T12:00:00Z)";
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        let ms: u64 = s.parse().map_err(|_| format!("'{s}' is too large; {hint}"))?;
        if ms < 100_000_000_000 {
            return Err(format!("'{s}' looks like seconds, not milliseconds: use {s}000"));
        }
        return Ok(ms);
    }
    let bad = || format!("'{s}' is not a time; {hint}");
    let num = |range: std::ops::Range<usize>| -> Result<i64, String> {
        let part = s.get(range).ok_or_else(bad)?;
        if part.bytes().all(|b| b.is_ascii_digit()) { part.parse().map_err(|_| bad()) } else { Err(bad()) }
    };
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return Err(format!("'{s}' is not a calendar date"));
    }
    let days = days_from_civil(year, month, day);
    if b.len() == 10 {
        let start = days * 86_400_000;
        let ms = if end_of_day { start + 86_399_999 } else { start };
        return u64::try_from(ms).map_err(|_| format!("'{s}' is before 1970"));
    }
    if b.len() < 19 || !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' || b[16] != b':' {
        return Err(bad());
    }
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if hour > 23 || minute > 59 || second > 59 {
        return Err(format!("'{s}' has an impossible time of day"));
    }
    let mut rest = &s[19..];
    let mut millis = 0;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(bad());
        }
        let padded = format!("{:0<3}", &frac[..digits.min(3)]);
        millis = padded.parse::<i64>().map_err(|_| bad())?;
        rest = &frac[digits..];
    }
    let offset_min = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6 && matches!(rest.as_bytes()[0], b'+' | b'-') && rest.as_bytes()[3] == b':' => {
            let h: i64 = rest[1..3].parse().map_err(|_| bad())?;
            let m: i64 = rest[4..6].parse().map_err(|_| bad())?;
            let sign = if rest.starts_with('-') { -1 } else { 1 };
            sign * (h * 60 + m)
        }
        _ => return Err(format!("'{s}' has no time zone: end it with Z for UTC, or an offset like +02:00")),
    };
    let ms = ((days * 24 + hour) * 60 + minute - offset_min) * 60_000 + second * 1000 + millis;
    u64::try_from(ms).map_err(|_| format!("'{s}' is before 1970"))
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of the proleptic Gregorian date `y`-`m`-`d` (`m` in 1..=12); the calendar
/// arithmetic behind kline intervals (`1w`, `1M`) and date parsing, without a date library.
///
/// Counts from 0000-03-01, so that the leap day ends a year, in 400-year eras of 146097 days.
///
/// ```
/// use mbx_core::time::{civil_from_days, days_from_civil};
/// assert_eq!(days_from_civil(1970, 1, 1), 0);
/// assert_eq!(civil_from_days(days_from_civil(2000, 2, 29)), (2000, 2, 29));
/// ```
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let month_from_march = (m + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + d - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date (`y`, `m` in 1..=12, `d`) of day `days` since 1970-01-01; the inverse of
/// [`days_from_civil`].
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let d = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let m = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 };
    (year_of_era + era * 400 + i64::from(m <= 2), m, d)
}

/// A clock that always reads the same instant (tests, reproducible examples).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedClock(pub Timestamp);

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = Timestamp::Millis(1_700_000_000_000);

    #[test]
    fn check_timing_exactly_one_second_ahead_is_rejected_as_ahead() {
        let err = check_timing(NOW.offset_millis(1000), RecvWindow::DEFAULT, NOW).unwrap_err();
        assert_eq!(err.msg, "Timestamp for this request was 1000ms ahead of the server's time.");
        assert!(check_timing(NOW.offset_millis(999), RecvWindow::DEFAULT, NOW).is_ok());
    }

    #[test]
    fn check_before_engine_judges_the_age_only() {
        // A timestamp ahead of the server passed the receipt check; the engine does not judge it again.
        assert!(check_before_engine(NOW.offset_millis(900), RecvWindow::DEFAULT, NOW).is_ok());
        assert!(check_before_engine(NOW.offset_millis(-5000), RecvWindow::DEFAULT, NOW).is_ok());
        let err = check_before_engine(NOW.offset_millis(-5001), RecvWindow::DEFAULT, NOW).unwrap_err();
        assert_eq!(
            (err.code, err.msg.as_str()),
            (ErrorCode::INVALID_TIMESTAMP, "Timestamp for this request is outside of the recvWindow.")
        );
        let window = RecvWindow::parse("0.5").unwrap();
        let ts = Timestamp::Micros(NOW.as_micros() - 501);
        assert!(check_before_engine(ts, window, NOW).is_err());
    }

    #[test]
    fn check_timing_window_edge_is_inclusive() {
        assert!(check_timing(NOW.offset_millis(-5000), RecvWindow::DEFAULT, NOW).is_ok());
        let err = check_timing(NOW.offset_millis(-5001), RecvWindow::DEFAULT, NOW).unwrap_err();
        assert_eq!(err.msg, "Timestamp for this request is outside of the recvWindow.");
    }

    #[test]
    fn check_timing_seconds_timestamp_is_outside_window() {
        let secs = Timestamp::parse("1700000000").unwrap();
        assert_eq!(secs, Timestamp::Millis(1_700_000_000));
        assert_eq!(check_timing(secs, RecvWindow::MAX, NOW).unwrap_err().code, ErrorCode::INVALID_TIMESTAMP);
    }

    #[test]
    fn check_timing_micros_compare_with_millis_server_time() {
        let ts = Timestamp::parse("1700000000000500").unwrap();
        assert_eq!(ts, Timestamp::Micros(1_700_000_000_000_500));
        assert!(
            check_timing(ts, RecvWindow::parse("0.5").unwrap(), Timestamp::Micros(1_700_000_000_001_000))
                .is_ok()
        );
        assert!(
            check_timing(ts, RecvWindow::parse("0.499").unwrap(), Timestamp::Micros(1_700_000_000_001_000))
                .is_err()
        );
    }

    #[test]
    fn recv_window_parse_and_display_roundtrip() {
        for s in ["0", "5000", "60000", "6000.346", "1.5", "0.001"] {
            assert_eq!(RecvWindow::parse(s).unwrap().to_string(), s);
        }
        assert_eq!(RecvWindow::parse("60000.001").unwrap_err().code.get(), -1102);
        assert_eq!(RecvWindow::parse("99999999999999999999999").unwrap_err().code.get(), -1102);
        for bad in ["", "-1", "1e3", "1.", ".5", "5 000", "abc"] {
            assert_eq!(RecvWindow::parse(bad).unwrap_err().code.get(), -1100, "{bad}");
        }
    }
}
