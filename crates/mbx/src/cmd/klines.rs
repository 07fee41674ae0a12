//! `mbx klines SYMBOL INTERVAL --from --to [--out FILE.csv]`: a candle range, page after page; without
//! `--from`, the latest `--limit` candles in one request.
//!
//! With `--out`, candles go to `FILE.csv.part` (flushed after every page) and the file is renamed to
//! `FILE.csv` only once the range is complete, so a `FILE.csv` is never a partial download. An
//! interrupted download leaves the `.part` file; `--resume` continues it after its last candle.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Read, Seek, Write};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use mbx_client::types::Kline;
use mbx_core::time::{civil_from_days, parse_time};
use serde_json::json;

use crate::cli::{KlinesArgs, OutputFormat};
use crate::context::Context;
use crate::exit::usage;
use crate::output::{Grid, Report};

/// `mbx klines`: the latest candles, or a range printed or written to a CSV file.
pub async fn run(ctx: &Context, args: KlinesArgs) -> anyhow::Result<Report> {
    let Some(from) = &args.from else { return latest(ctx, &args).await };
    let from = parse_time(from, false).map_err(|e| usage(format!("--from: {e}")))?;
    let to = match &args.to {
        Some(t) => parse_time(t, true).map_err(|e| usage(format!("--to: {e}")))?,
        None => super::now_millis(),
    };
    if from > to {
        return Err(usage(format!(
            "--from ({}) is after --to ({}); swap them",
            show_time(from),
            show_time(to)
        )));
    }
    let symbol = args.symbol.to_ascii_uppercase();
    let c = ctx.client(false)?;
    match &args.out {
        Some(out) => download(&c, &symbol, &args, from, to, out, ctx.output).await,
        None => {
            let mut pages = c.kline_pages(&symbol, args.interval, from, to);
            let mut all = Vec::new();
            while let Some(page) = pages.next_page().await? {
                all.extend(page);
            }
            Ok(candles_report(&all))
        }
    }
}

/// Candles shown without `--from`: the latest ones.
pub const DEFAULT_LATEST: u32 = 30;

/// `mbx klines SYMBOL INTERVAL [--limit N] [--to TIME]`: the latest N candles (up to --to).
async fn latest(ctx: &Context, args: &KlinesArgs) -> anyhow::Result<Report> {
    if args.out.is_some() {
        return Err(usage(
            "--out downloads a time range: give its start with --from (without --from, klines prints the latest --limit candles)",
        ));
    }
    let limit = args.limit.unwrap_or(DEFAULT_LATEST);
    if !(1..=mbx_client::MAX_KLINES_PER_REQUEST).contains(&limit) {
        return Err(usage(format!(
            "--limit {limit}: Binance returns 1 to {} candles at a time; for more, give a range with --from",
            mbx_client::MAX_KLINES_PER_REQUEST
        )));
    }
    let mut request =
        ctx.client(false)?.klines(&args.symbol.to_ascii_uppercase(), args.interval).limit(limit);
    if let Some(to) = &args.to {
        request = request.end_time(parse_time(to, true).map_err(|e| usage(format!("--to: {e}")))?);
    }
    Ok(candles_report(&request.send().await?))
}

async fn download(
    c: &mbx_client::Client,
    symbol: &str,
    args: &KlinesArgs,
    from: u64,
    to: u64,
    out: &Path,
    format: OutputFormat,
) -> anyhow::Result<Report> {
    if out.exists() && !args.force {
        return Err(usage(format!(
            "{} exists; pass --force to replace it, or choose another --out",
            out.display()
        )));
    }
    let part = part_path(out);
    let (file, start, resumed) = if part.exists() {
        if !args.resume {
            return Err(usage(format!(
                "{} is left from an interrupted download: pass --resume to continue it (same symbol and interval), or delete it to start over",
                part.display()
            )));
        }
        let (file, last) = reopen_part(&part)?;
        let start = last.map_or(from, |l| from.max(l + 1));
        (file, start, last.is_some())
    } else {
        let mut file =
            File::create(&part).map_err(|e| usage(format!("cannot create {}: {e}", part.display())))?;
        writeln!(file, "{}", Kline::CSV_HEADER)?;
        (file, from, false)
    };
    if resumed {
        eprintln!("resuming {} from {}", part.display(), show_time(start));
    }
    let mut csv = BufWriter::new(file);
    let bar = if format == OutputFormat::Json || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::new(to.saturating_sub(from).max(1));
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {percent:>3}% {msg} (eta {eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_position(start - from);
        bar
    };
    let mut pages = c.kline_pages(symbol, args.interval, start, to);
    let (mut count, mut first, mut last) = (0u64, None, None);
    while let Some(page) = pages.next_page().await? {
        for k in &page {
            writeln!(csv, "{}", k.csv_row())?;
        }
        // Every page ends on a complete line on disk, so --resume can pick up after it.
        csv.flush()?;
        count += page.len() as u64;
        if let (Some(f), Some(l)) = (page.first(), page.last()) {
            first.get_or_insert(f.open_time);
            last = Some(l.open_time);
            bar.set_position(l.close_time.min(to).saturating_sub(from));
            bar.set_message(format!("{count} candles, up to {}", show_time(l.open_time)));
        }
    }
    bar.finish_and_clear();
    let file = csv.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&part, out)
        .map_err(|e| anyhow::anyhow!("cannot rename {} to {}: {e}", part.display(), out.display()))?;
    let span = match (first, last) {
        (Some(f), Some(l)) => format!("{} to {}", show_time(f), show_time(l)),
        _ => "none in that range".to_owned(),
    };
    Ok(Report::rows(
        [
            ("file", out.display().to_string()),
            ("candles", format!("{count} written{}", if resumed { " (this run)" } else { "" })),
            ("open times", span),
        ],
        json!({
            "file": out, "symbol": symbol, "interval": args.interval.as_str(), "candles": count,
            "firstOpenTime": first, "lastOpenTime": last, "from": from, "to": to, "resumed": resumed,
        }),
    ))
}

fn part_path(out: &Path) -> PathBuf {
    let mut name = out.as_os_str().to_owned();
    name.push(".part");
    PathBuf::from(name)
}

/// Opens an interrupted download for appending: checks the header, drops a trailing incomplete line,
/// and returns the last open time written (`None` for a header alone).
fn reopen_part(part: &Path) -> anyhow::Result<(File, Option<u64>)> {
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(part)
        .map_err(|e| usage(format!("cannot open {}: {e}", part.display())))?;
    let mut text = String::new();
    file.read_to_string(&mut text)
        .map_err(|_| usage(format!("{} is not a CSV written by mbx klines; delete it", part.display())))?;
    if !text.starts_with(&format!("{}\n", Kline::CSV_HEADER)) {
        return Err(usage(format!(
            "{} does not start with mbx's kline header; it is not an interrupted mbx download (delete it to start over)",
            part.display()
        )));
    }
    let complete = text.rfind('\n').map_or(0, |i| i + 1);
    let last_line = text[..complete].lines().last().unwrap_or_default();
    let last = if last_line == Kline::CSV_HEADER {
        None
    } else {
        let field = last_line.split(',').next().unwrap_or_default();
        Some(field.parse::<u64>().map_err(|_| {
            usage(format!("{}: the last line does not start with an open time: {last_line}", part.display()))
        })?)
    };
    file.set_len(complete as u64)?;
    file.seek(std::io::SeekFrom::End(0))?;
    Ok((file, last))
}

/// Candles as a table with a count, or a JSON array.
fn candles_report(candles: &[Kline]) -> Report {
    let list: Vec<_> = candles
        .iter()
        .map(|k| {
            json!({
                "openTime": k.open_time, "open": k.open.to_string(), "high": k.high.to_string(),
                "low": k.low.to_string(), "close": k.close.to_string(), "volume": k.volume.to_string(),
                "closeTime": k.close_time, "quoteVolume": k.quote_volume.to_string(), "trades": k.trades,
                "takerBuyBaseVolume": k.taker_buy_base_volume.to_string(),
                "takerBuyQuoteVolume": k.taker_buy_quote_volume.to_string(),
            })
        })
        .collect();
    let mut grid = Grid::new(&["open time (UTC)", "open", "high", "low", "close", "volume", "trades"]);
    for k in candles {
        grid.row([
            show_time(k.open_time),
            k.open.normalize().to_string(),
            k.high.normalize().to_string(),
            k.low.normalize().to_string(),
            k.close.normalize().to_string(),
            k.volume.normalize().to_string(),
            k.trades.to_string(),
        ]);
    }
    let n = candles.len();
    let grid = grid.after(format!("{n} candle{}\n", if n == 1 { "" } else { "s" }));
    Report::grid(grid, serde_json::Value::Array(list))
}

/// Unix milliseconds as `2024-01-01 12:00:00 UTC`.
pub fn show_time(ms: u64) -> String {
    let ms = i64::try_from(ms).unwrap_or(i64::MAX);
    let (days, in_day) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000) / 1000);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC", in_day / 3600, in_day / 60 % 60, in_day % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
    use mbx_core::time::days_from_civil;

    #[test]
    fn parse_time_accepts_millis_dates_and_rfc3339() {
        assert_eq!(parse_time("1704067200000", false), Ok(1_704_067_200_000));
        assert_eq!(parse_time("2024-01-01", false), Ok(1_704_067_200_000));
        assert_eq!(parse_time("2024-01-01", true), Ok(1_704_067_200_000 + 86_399_999));
        assert_eq!(parse_time("2024-01-01T00:00:00Z", true), Ok(1_704_067_200_000), "exact times stay exact");
        assert_eq!(parse_time("2024-02-29T12:30:15.25Z", false), Ok(1_709_209_815_250));
        assert_eq!(parse_time("2024-02-29 14:30:15.250+02:00", false), Ok(1_709_209_815_250));
        assert_eq!(parse_time("2024-02-29T07:00:15.250123-05:30", false), Ok(1_709_209_815_250));
        assert_eq!(parse_time("1970-01-01", false), Ok(0));
        assert_eq!(parse_time("2000-03-01", false), Ok(951_868_800_000));
    }

    #[test]
    fn parse_time_refusals_say_what_to_write() {
        let err = parse_time("1704067200", false).unwrap_err();
        assert!(err.contains("seconds") && err.contains("1704067200000"), "{err}");
        for bad in ["2023-02-29", "2024-13-01", "2024-04-31"] {
            assert!(parse_time(bad, false).unwrap_err().contains("not a calendar date"), "{bad}");
        }
        assert!(parse_time("2024-01-01T12:00:00", false).unwrap_err().contains("time zone"));
        assert!(parse_time("2024-01-01T25:00:00Z", false).unwrap_err().contains("impossible"));
        for bad in ["yesterday", "", "2024/01/01", "2024-1-1", "2024-01-01T12:00Z", "1969-12-31"] {
            let err = parse_time(bad, false).unwrap_err();
            assert!(err.contains(&format!("'{}'", bad.trim())), "{bad}: {err}");
        }
    }

    #[test]
    fn show_time_inverts_parse_time_over_four_centuries() {
        for ms in [0, 951_868_800_000, 1_709_209_815_000, 4_102_444_799_000, 13_000_000_000_000] {
            let shown = show_time(ms);
            let rfc = format!("{}Z", shown.trim_end_matches(" UTC").replace(' ', "T"));
            assert_eq!(parse_time(&rfc, false), Ok(ms), "{shown}");
        }
        for days in (0..150_000).step_by(97) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(show_time(1_709_209_815_250), "2024-02-29 12:30:15 UTC");
    }
}
