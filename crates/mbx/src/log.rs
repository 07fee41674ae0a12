//! Logging for the long-running commands (`mbx sandbox`): tracing's formatter, writing through a
//! background thread so that a request never waits on stderr.
//!
//! Each formatted line is appended to a shared buffer; the writer thread wakes when the buffer goes
//! from empty to non-empty, lets lines gather for up to 20 ms, and writes them with one `write(2)`,
//! so under load a request pays only for formatting and a short lock, and the writer wakes about
//! 50 times a second whatever the request rate. [`LogGuard`] flushes everything on the way
//! out.

use mbx_core::params::Integer;
use std::io::Write;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// Above this many bytes waiting, a logging request waits for the writer (nothing is dropped).
const MAX_PENDING: usize = 4 << 20;
/// How long the writer lets lines gather before writing them (a line is at most this late).
const GATHER: Duration = Duration::from_millis(20);
/// Written at once without waiting out [`GATHER`].
const GATHER_BYTES: usize = 256 << 10;

#[derive(Default)]
struct Pending {
    bytes: Vec<u8>,
    /// Flushes asked for / completed (a guard waits for its number).
    flush_asked: u64,
    flushed: u64,
}

#[derive(Default)]
struct Shared {
    pending: Mutex<Pending>,
    /// Signalled when there is something to write or a flush is asked for.
    work: Condvar,
    /// Signalled after each write (flush waiters, writers held back by MAX_PENDING).
    written: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A `MakeWriter` whose writers hand each line to the writer thread.
#[derive(Clone)]
struct Background(Arc<Shared>);

/// What one event is written through: it collects the event's text and hands it over, as one
/// line, when dropped.
struct LineWriter<'a> {
    shared: &'a Shared,
    line: Vec<u8>,
}

impl Write for LineWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.line.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for LineWriter<'_> {
    fn drop(&mut self) {
        self.shared.push(&self.line);
    }
}

impl Shared {
    /// Hands one or more whole lines to the writer thread.
    fn push(&self, line: &[u8]) {
        if line.is_empty() {
            return;
        }
        let mut p = self.lock();
        while p.bytes.len() > MAX_PENDING {
            p = self.written.wait(p).unwrap_or_else(|e| e.into_inner());
        }
        let was_empty = p.bytes.is_empty();
        p.bytes.extend_from_slice(line);
        drop(p);
        if was_empty {
            self.work.notify_one();
        }
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Background {
    type Writer = LineWriter<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        LineWriter { shared: &self.0, line: Vec::with_capacity(256) }
    }
}

/// Flushes the log when dropped (at most a second's wait).
#[must_use = "the log is flushed when the guard is dropped"]
pub struct LogGuard(Option<Arc<Shared>>);

impl Drop for LogGuard {
    fn drop(&mut self) {
        let Some(shared) = self.0.take() else { return };
        let mut p = shared.lock();
        p.flush_asked += 1;
        let ticket = p.flush_asked;
        shared.work.notify_one();
        let _ = shared.written.wait_timeout_while(p, Duration::from_secs(1), |p| p.flushed < ticket);
    }
}

/// The writer thread: waits for lines, writes all that have gathered, repeats.
fn write_all(shared: &Shared, out: &mut impl Write) {
    let mut batch = Vec::with_capacity(64 * 1024);
    loop {
        let mut p = shared.lock();
        while p.bytes.is_empty() && p.flushed == p.flush_asked {
            p = shared.work.wait(p).unwrap_or_else(|e| e.into_inner());
        }
        // Let a burst gather (unless a flush is waiting or much is already here): one write, and
        // one wake-up of this thread, per GATHER rather than per request.
        let (mut p, _) = shared
            .work
            .wait_timeout_while(p, GATHER, |p| p.flushed == p.flush_asked && p.bytes.len() < GATHER_BYTES)
            .unwrap_or_else(|e| e.into_inner());
        std::mem::swap(&mut batch, &mut p.bytes);
        let ticket = p.flush_asked;
        drop(p);
        let _ = out.write_all(&batch);
        let _ = out.flush();
        batch.clear();
        shared.lock().flushed = ticket;
        shared.written.notify_all();
    }
}

/// Request logs to stderr (`RUST_LOG` overrides the default `info`), written by a background
/// thread. Keep the guard until the command ends.
pub fn init() -> LogGuard {
    init_at("info")
}

/// [`init`] with another default level (`RUST_LOG` still overrides it): `mbx -vv` logs at `debug`.
pub fn init_at(default: &str) -> LogGuard {
    use tracing_subscriber::Layer as _;
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;

    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let shared = Arc::new(Shared::default());
    let for_thread = shared.clone();
    let spawned = std::thread::Builder::new()
        .name("mbx-log".into())
        .spawn(move || write_all(&for_thread, &mut std::io::stderr()));
    if spawned.is_err() {
        // No thread: log straight to stderr rather than not at all.
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .with_ansi(ansi)
            .with_target(false)
            .try_init();
        return LogGuard(None);
    }
    // The per-request line has its own compact formatter (it runs on every request); every other
    // event goes through tracing's usual one.
    let general = tracing_subscriber::fmt::layer()
        .with_writer(Background(shared.clone()))
        .with_ansi(ansi)
        .with_target(false)
        .with_filter(tracing_subscriber::filter::filter_fn(|m| m.target() != REQUEST_TARGET));
    let _ =
        tracing_subscriber::registry().with(filter).with(general).with(RequestLog(shared.clone())).try_init();
    LogGuard(Some(shared))
}

/// The target of the sandbox's per-request events.
const REQUEST_TARGET: &str = "mbx_sandbox::request";

/// Writes the sandbox's per-request events as one line each,
/// `2026-11-23T23:55:01.123Z  INFO method=GET path=/api/v3/ping status=200 latency_us=41`
/// (`code=-1022` before the latency when Binance's code is set), with the second's text cached.
struct RequestLog(Arc<Shared>);

/// Collects an event's fields as `name=value` pairs.
struct Fields<'a>(&'a mut String);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        use std::fmt::Write as _;
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }

    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        push_field(self.0, field.name(), |l| l.push_str(value));
    }

    fn record_u64(&mut self, field: &tracing::field::Field, value: u64) {
        push_field(self.0, field.name(), |l| value.push_decimal(l));
    }

    fn record_i64(&mut self, field: &tracing::field::Field, value: i64) {
        push_field(self.0, field.name(), |l| value.push_decimal(l));
    }
}

thread_local! {
    /// The request line being written on this thread (kept between lines for its capacity).
    static LINE: std::cell::Cell<String> = const { std::cell::Cell::new(String::new()) };
    /// The last second formatted on this thread, and its text (`2026-11-23T23:55:01`).
    static SECOND: std::cell::RefCell<(u64, String)> = const { std::cell::RefCell::new((u64::MAX, String::new())) };
}

/// `ms` since the epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ`, appended to `out`.
fn push_time(out: &mut String, ms: u64) {
    use std::fmt::Write as _;
    let secs = ms / 1000;
    SECOND.with(|cell| {
        let mut cached = cell.borrow_mut();
        if cached.0 != secs {
            let days = i64::try_from(secs / 86_400).unwrap_or(0);
            let (y, m, d) = mbx_core::time::civil_from_days(days);
            let rest = secs % 86_400;
            cached.1.clear();
            let _ = write!(
                cached.1,
                "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
                rest / 3600,
                rest / 60 % 60,
                rest % 60
            );
            cached.0 = secs;
        }
        out.push_str(&cached.1);
    });
    let milli = ms % 1000;
    out.push('.');
    for d in [milli / 100, milli / 10 % 10, milli % 10] {
        out.push(char::from(b'0' + d as u8));
    }
    out.push('Z');
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for RequestLog {
    fn on_event(&self, event: &tracing::Event<'_>, _ctx: tracing_subscriber::layer::Context<'_, S>) {
        if event.metadata().target() != REQUEST_TARGET {
            return;
        }
        let now_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        write_line(&self.0, now_ms, event.metadata().level().as_str(), |line| {
            event.record(&mut Fields(line))
        });
    }
}

/// Writes one request line: the time, `level`, then what `fields` appends (` name=value` pairs).
fn write_line(shared: &Shared, now_ms: u64, level: &str, fields: impl FnOnce(&mut String)) {
    LINE.with(|cell| {
        // One buffer per thread, reused: a request's line costs no allocation.
        let mut line = cell.take();
        line.clear();
        push_time(&mut line, now_ms);
        line.push_str("  ");
        line.push_str(level);
        fields(&mut line);
        line.push('\n');
        shared.push(line.as_bytes());
        cell.set(line);
    });
}

/// ` name=value`, as the [`Fields`] visitor writes a field.
fn push_field(line: &mut String, name: &str, value: impl FnOnce(&mut String)) {
    line.push(' ');
    line.push_str(name);
    line.push('=');
    value(line);
}

/// The sandbox's request lines written straight to `shared`, the line [`RequestLog`] writes from the
/// tracing event, without the event's dispatch (see `mbx_sandbox::SandboxBuilder::request_lines`).
fn request_line(shared: &Shared, r: &mbx_sandbox::RequestLine<'_>) {
    // The time the sandbox read for the request (`at_ms`): no second read of the clock.
    write_line(shared, r.at_ms, "INFO", |line| {
        push_field(line, "method", |l| l.push_str(r.method));
        push_field(line, "path", |l| l.push_str(r.path));
        push_field(line, "status", |l| r.status.push_decimal(l));
        if let Some(code) = r.code {
            push_field(line, "code", |l| code.push_decimal(l));
        }
        push_field(line, "latency_us", |l| r.latency_us.push_decimal(l));
    });
}

impl LogGuard {
    /// Where `mbx sandbox` sends its request lines (`SandboxBuilder::request_lines`): this log,
    /// when its filter lets the sandbox's request lines through (`RUST_LOG` is read once, at
    /// start); `None` otherwise, or when the log has no writer thread.
    pub fn request_lines(&self) -> Option<mbx_sandbox::RequestLines> {
        let shared = self.0.clone()?;
        tracing::enabled!(target: REQUEST_TARGET, tracing::Level::INFO).then(|| {
            let sink: mbx_sandbox::RequestLines =
                Arc::new(move |r: &mbx_sandbox::RequestLine<'_>| request_line(&shared, r));
            sink
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer that records what it is given, for the test to read.
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);

    impl Write for Sink {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// Lines reach the output whole and in order, and the guard returns only once they are written.
    #[test]
    fn lines_in_order_and_flushed_by_the_guard() {
        let shared = Arc::new(Shared::default());
        let sink = Sink::default();
        let (s, mut out) = (shared.clone(), sink.clone());
        std::thread::spawn(move || write_all(&s, &mut out));
        for i in 0..1000 {
            let mut w = LineWriter { shared: &shared, line: Vec::new() };
            write!(w, "line ").unwrap();
            writeln!(w, "{i}").unwrap();
        }
        drop(LogGuard(Some(shared)));
        let text = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1000);
        assert!(lines.iter().enumerate().all(|(i, l)| *l == format!("line {i}")));
    }

    /// The line written straight from the sandbox (`LogGuard::request_lines`) is the one the
    /// tracing layer writes from the event, with and without Binance's code.
    #[test]
    fn request_lines_from_the_sink_and_from_tracing_are_the_same() {
        use tracing_subscriber::layer::SubscriberExt as _;

        let shared = Arc::new(Shared::default());
        let sink = Sink::default();
        let (s, mut out) = (shared.clone(), sink.clone());
        std::thread::spawn(move || write_all(&s, &mut out));
        let lines = [
            mbx_sandbox::RequestLine {
                method: "GET",
                path: "/api/v3/ping",
                status: 200,
                code: None,
                latency_us: 41,
                at_ms: 1_709_214_330_123,
            },
            mbx_sandbox::RequestLine {
                method: "POST",
                path: "/api/v3/order",
                status: 400,
                code: Some(-1022),
                latency_us: 1_234_567,
                at_ms: 1_709_214_331_007,
            },
        ];
        let subscriber = tracing_subscriber::registry().with(RequestLog(shared.clone()));
        tracing::subscriber::with_default(subscriber, || {
            for l in &lines {
                tracing::info!(
                    target: "mbx_sandbox::request",
                    method = l.method,
                    path = l.path,
                    status = l.status,
                    code = l.code,
                    latency_us = l.latency_us,
                );
            }
        });
        let guard = LogGuard(Some(shared));
        let direct = guard.request_lines();
        // Without a subscriber that lets the lines through, no sink is offered.
        assert!(direct.is_none());
        for l in &lines {
            request_line(guard.0.as_ref().unwrap(), l);
        }
        drop(guard);
        let text = String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
        // The sink's lines carry the time the sandbox gave them.
        let times: Vec<&str> = text.lines().skip(2).map(|l| l.split_once("  ").unwrap().0).collect();
        assert_eq!(times, ["2024-02-29T13:45:30.123Z", "2024-02-29T13:45:31.007Z"]);
        // Each line without its time (`2026-...Z`).
        let lines: Vec<&str> = text.lines().map(|l| l.split_once("  ").unwrap().1).collect();
        assert_eq!(
            lines,
            [
                "INFO method=GET path=/api/v3/ping status=200 latency_us=41",
                "INFO method=POST path=/api/v3/order status=400 code=-1022 latency_us=1234567",
                "INFO method=GET path=/api/v3/ping status=200 latency_us=41",
                "INFO method=POST path=/api/v3/order status=400 code=-1022 latency_us=1234567",
            ]
        );
    }

    #[test]
    fn request_time_is_utc_with_milliseconds() {
        let mut out = String::new();
        push_time(&mut out, 1_709_214_330_123);
        assert_eq!(out, "2024-02-29T13:45:30.123Z");
        out.clear();
        push_time(&mut out, 1_709_214_331_007);
        assert_eq!(out, "2024-02-29T13:45:31.007Z", "a new second is formatted anew");
    }
}
