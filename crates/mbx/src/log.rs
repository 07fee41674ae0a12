//! Logging for the long-running commands (`mbx sandbox`): tracing's formatter, writing through a
//! background thread so that a request never waits on stderr.
//!
//! Each formatted line is handed over a bounded channel; the writer thread writes what has arrived
//! through one buffer and flushes when the channel is empty, so a burst of requests costs one
//! `write(2)` per burst, not one per line. A full channel makes the logging request wait (nothing
//! is dropped). [`LogGuard`] flushes everything on the way out.

use std::io::Write;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::time::Duration;

/// Lines that may wait for the writer before a logging request waits too.
const QUEUE: usize = 16 * 1024;

enum Message {
    Line(Vec<u8>),
    Flush(SyncSender<()>),
}

/// A `MakeWriter` whose writers hand each line to the writer thread.
#[derive(Clone)]
struct Background(SyncSender<Message>);

/// What one event is written through: it collects the event's text and hands it over, as one
/// line, when dropped.
struct LineWriter<'a> {
    tx: &'a SyncSender<Message>,
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
        if !self.line.is_empty() {
            // A closed channel means the writer thread is gone (process exit): the line is dropped.
            let _ = self.tx.send(Message::Line(std::mem::take(&mut self.line)));
        }
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Background {
    type Writer = LineWriter<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        LineWriter { tx: &self.0, line: Vec::with_capacity(256) }
    }
}

/// Flushes the log when dropped (at most a second's wait).
#[must_use = "the log is flushed when the guard is dropped"]
pub struct LogGuard(Option<SyncSender<Message>>);

impl Drop for LogGuard {
    fn drop(&mut self) {
        if let Some(tx) = self.0.take() {
            let (ack_tx, ack) = sync_channel(1);
            if tx.send(Message::Flush(ack_tx)).is_ok() {
                let _ = ack.recv_timeout(Duration::from_secs(1));
            }
        }
    }
}

fn write_all(rx: &Receiver<Message>) {
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stderr());
    while let Ok(first) = rx.recv() {
        let mut next = Some(first);
        while let Some(msg) = next {
            match msg {
                Message::Line(line) => {
                    let _ = out.write_all(&line);
                }
                Message::Flush(ack) => {
                    let _ = out.flush();
                    let _ = ack.send(());
                }
            }
            next = rx.try_recv().ok();
        }
        let _ = out.flush();
    }
}

/// Request logs to stderr (`RUST_LOG` overrides the default `info`), written by a background
/// thread. Keep the guard until the command ends.
pub fn init() -> LogGuard {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let (tx, rx) = sync_channel(QUEUE);
    let spawned = std::thread::Builder::new().name("mbx-log".into()).spawn(move || write_all(&rx));
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
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(Background(tx.clone()))
        .with_ansi(ansi)
        .with_target(false)
        .try_init();
    LogGuard(Some(tx))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines reach the writer in order, and a flush is acknowledged only after the lines before it.
    #[test]
    fn lines_then_flush_in_order() {
        let (tx, rx) = sync_channel(4);
        let seen = std::thread::spawn(move || {
            let mut lines = Vec::new();
            while let Ok(m) = rx.recv() {
                match m {
                    Message::Line(l) => lines.push(String::from_utf8(l).unwrap()),
                    Message::Flush(ack) => {
                        ack.send(()).unwrap();
                        break;
                    }
                }
            }
            lines
        });
        for i in 0..10 {
            let mut w = LineWriter { tx: &tx, line: Vec::new() };
            write!(w, "line ").unwrap();
            writeln!(w, "{i}").unwrap();
        }
        drop(LogGuard(Some(tx.clone())));
        let lines = seen.join().unwrap();
        assert_eq!(lines.len(), 10);
        assert_eq!(lines[9], "line 9\n");
    }
}
