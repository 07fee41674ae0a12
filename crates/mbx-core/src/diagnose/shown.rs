//! When a pasted text says its request was sent: an answer's `Date` header (Binance's own clock,
//! to the second) or a log line's time stamp (the client's clock). A capture diagnosed hours later
//! is judged as of that time rather than of now (`mbx doctor request`), so that a request Binance
//! took then is not called stale, nor its whole hours of age a time-zone mistake.

/// Whose clock a time shown comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShownClock {
    /// Binance's: an answer's `Date` header.
    Server,
    /// The client's: a log line's time stamp (which a drift of the client's clock moves too).
    Client,
}

/// A time the text shows, in Unix milliseconds, and whose clock it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    /// Unix milliseconds (a `Date` header's second, taken at its middle).
    pub ms: u64,
    /// Whose clock.
    pub clock: ShownClock,
}

/// The time the text shows nearest after a request's `timestamp` (`ts`, ms), within a minute of
/// it (Binance's longest recvWindow): a `Date` header first, else a log line's time stamp. A time
/// further off says nothing about this request (another request's line, a local time without its
/// zone), but for a line that sends it (or logs its answer) and writes its zone: the last such
/// line's time, up to an hour after the timestamp (any time later for a request sent more than
/// once: a warm serverless invocation re-sending a URL minutes later).
///
/// ```
/// use mbx_core::diagnose::{ShownClock, sent_time_shown};
/// let log = "2026-07-20 10:00:00,087 DEBUG urllib3 \"GET /api/v3/account?timestamp=1784541599690 HTTP/1.1\" 200";
/// let s = sent_time_shown(log, 1_784_541_599_690).unwrap();
/// assert_eq!((s.ms, s.clock), (1_784_541_600_087, ShownClock::Client));
/// let curl = "< HTTP/1.1 400 Bad Request\n< Date: Mon, 20 Jul 2026 10:00:00 GMT\n";
/// assert_eq!(sent_time_shown(curl, 1_784_541_599_690).unwrap().clock, ShownClock::Server);
/// assert_eq!(sent_time_shown(log, 1_784_500_000_000), None);
/// let logrus = "time=\"2026-07-20T10:00:00Z\" level=info msg=request";
/// assert_eq!(sent_time_shown(logrus, 1_784_541_592_000).unwrap().ms, 1_784_541_600_000);
/// let resent = "2026-07-20T10:00:00Z POST /api/v3/order?timestamp=1784541599690\n\
///               2026-07-20T10:07:00Z POST /api/v3/order?timestamp=1784541599690\n";
/// assert_eq!(sent_time_shown(resent, 1_784_541_599_690).unwrap().ms, 1_784_542_020_000);
/// let late = "[2026-07-20T10:01:15Z DEBUG] response '400' for /api/v3/account?timestamp=1784541600000";
/// assert_eq!(sent_time_shown(late, 1_784_541_600_000).unwrap().ms, 1_784_541_675_000);
/// ```
pub fn sent_time_shown(text: &str, ts: u64) -> Option<Shown> {
    let near = |ms: &u64| *ms + 1_000 >= ts && *ms <= ts + 60_000;
    // A log that sends the request more than once (a retry, a warm serverless invocation reusing
    // a URL): the last line that sends it, at its own time when that time says its zone.
    let own = format!("timestamp={ts}");
    let sends: Vec<&str> = text.lines().filter(|l| l.contains(&own)).collect();
    // Or the one line that sends it (or logs its answer), its zone written, within an hour after
    // the timestamp: a request that waited (a queue, a stale cached offset) before it went out.
    if let Some((ms, true)) = sends.last().and_then(|l| log_time(l))
        && ms + 1_000 >= ts
        && (sends.len() > 1 || ms <= ts + 3_600_000)
    {
        return Some(Shown { ms, clock: ShownClock::Client });
    }
    let dates: Vec<u64> = text.lines().filter_map(date_header).collect();
    if let Some(ms) = dates.iter().copied().filter(near).min_by_key(|ms| ms.abs_diff(ts)) {
        return Some(Shown { ms, clock: ShownClock::Server });
    }
    // The one answer's `Date`, later than the longest recvWindow after the timestamp (within an
    // hour): Binance's clock when it answered this request, which came to it late.
    if let [only] = dates.as_slice()
        && *only > ts + 60_000
        && *only <= ts + 3_600_000
    {
        return Some(Shown { ms: *only, clock: ShownClock::Server });
    }
    let stamps = text.lines().filter_map(log_time).map(|(ms, _)| ms).filter(near);
    stamps.min_by_key(|ms| ms.abs_diff(ts)).map(|ms| Shown { ms, clock: ShownClock::Client })
}

/// `Date: Mon, 20 Jul 2026 10:00:00 GMT` (any case, after a log's `< ` or a quote), at the middle
/// of its second.
fn date_header(line: &str) -> Option<u64> {
    let lower = line.to_ascii_lowercase();
    let at = lower.find("date")?;
    let rest = line[at + 4..].trim_start_matches(['\'', '"', ' ']).strip_prefix(':')?;
    let rest = rest.trim_start_matches(['\'', '"', ' ']);
    // `Mon, 20 Jul 2026 10:00:00 GMT`
    let (_, rest) = rest.split_once(", ")?;
    let mut words = rest.split_whitespace();
    let (day, month, year, time) = (words.next()?, words.next()?, words.next()?, words.next()?);
    // (A dict's or a map's closing bracket after it: `'date': '... GMT'}`.)
    let zone = words.next()?.trim_end_matches(['\'', '"', ',', '}', ']', ')']);
    if zone != "GMT" && zone != "UTC" {
        return None;
    }
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let month = MONTHS.iter().position(|m| *m == month)? + 1;
    let iso = format!("{year}-{month:02}-{:0>2}T{time}Z", day);
    crate::time::parse_time(&iso, false).ok().map(|ms| ms + 500)
}

/// A log line's time stamp, its first date and time: `2026-07-20 10:00:00,087 DEBUG ...`,
/// `[2026-07-20T10:00:00.087Z]`, logrus' `time="2026-07-20T10:00:00Z"`; without a zone taken as UTC.
/// With whether the line wrote its zone.
fn log_time(line: &str) -> Option<(u64, bool)> {
    let bytes = line.as_bytes();
    let start = (0..bytes.len().saturating_sub(18)).find(|&i| {
        let b = &bytes[i..i + 19];
        b[..4].iter().all(u8::is_ascii_digit)
            && b[4] == b'-'
            && b[7] == b'-'
            && matches!(b[10], b'T' | b' ')
            && b[13] == b':'
            && b[16] == b':'
            && (i == 0 || !bytes[i - 1].is_ascii_digit())
    })?;
    let line = &line[start..];
    let b = line.as_bytes();
    let mut end = 19;
    if matches!(b.get(19), Some(b'.' | b',')) {
        end += 1 + b[20..].iter().take_while(|c| c.is_ascii_digit()).count();
    }
    let mut stamp = line[..end].replace(',', ".");
    let rest = &line[end..];
    let zoned = if rest.starts_with(['Z', 'z']) {
        stamp.push('Z');
        true
    } else if rest.len() >= 6 && rest.starts_with(['+', '-']) && rest.as_bytes()[3] == b':' {
        stamp.push_str(&rest[..6]);
        true
    } else {
        stamp.push('Z');
        false
    };
    crate::time::parse_time(&stamp, false).ok().map(|ms| (ms, zoned))
}
