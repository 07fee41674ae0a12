//! Candles: one page with [`Client::klines`], a whole range with [`Client::kline_pages`].
//!
//! Binance answers at most 1000 candles per request, selected by open time between `startTime` and
//! `endTime` (both inclusive). A range is fetched page after page: each next page starts one
//! millisecond after the last open time received, and the download ends on an empty page, a page
//! shorter than asked for, or when the range is covered. The paging rules live in [`KlineCursor`],
//! which does no I/O, so they are tested without a server.

use mbx_core::Params;
use mbx_core::endpoint::spot;

use crate::client::{Client, Retry};
use crate::error::{Error, Result};
use crate::types::{Interval, Kline};

/// The most candles Binance returns per request.
pub const MAX_KLINES_PER_REQUEST: u32 = 1000;

impl Client {
    /// Starts a `GET /api/v3/klines` request:
    /// `client.klines("BTCUSDT", Interval::Minute1).start_time(ms).limit(1000).send().await`.
    /// Without a start or end time Binance returns the most recent candles.
    pub fn klines(&self, symbol: &str, interval: Interval) -> KlinesRequest {
        KlinesRequest {
            client: self.clone(),
            symbol: symbol.to_owned(),
            interval,
            start_time: None,
            end_time: None,
            limit: None,
        }
    }

    /// Every candle opening between `from` and `to` (ms, both inclusive), fetched
    /// [`MAX_KLINES_PER_REQUEST`] at a time as the caller asks for each page:
    ///
    /// ```no_run
    /// # async fn run(client: mbx_client::Client) -> mbx_client::Result<()> {
    /// use mbx_client::types::Interval;
    /// let mut pages = client.kline_pages("BTCUSDT", Interval::Hour1, 1_700_000_000_000, 1_700_600_000_000);
    /// while let Some(page) = pages.next_page().await? {
    ///     for k in &page {
    ///         println!("{} {}", k.open_time, k.close);
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn kline_pages(&self, symbol: &str, interval: Interval, from: u64, to: u64) -> KlinePages {
        KlinePages {
            request: self.klines(symbol, interval),
            cursor: KlineCursor::new(from, to, MAX_KLINES_PER_REQUEST),
        }
    }
}

/// A `GET /api/v3/klines` request being built; [`KlinesRequest::send`] sends it.
#[must_use]
#[derive(Debug, Clone)]
pub struct KlinesRequest {
    client: Client,
    symbol: String,
    interval: Interval,
    start_time: Option<u64>,
    end_time: Option<u64>,
    limit: Option<u32>,
}

impl KlinesRequest {
    /// Only candles opening at or after `ms` (Unix milliseconds, UTC).
    pub fn start_time(mut self, ms: u64) -> Self {
        self.start_time = Some(ms);
        self
    }

    /// Only candles opening at or before `ms` (Unix milliseconds, UTC).
    pub fn end_time(mut self, ms: u64) -> Self {
        self.end_time = Some(ms);
        self
    }

    /// How many candles (Binance: default 500, at most 1000).
    pub fn limit(mut self, n: u32) -> Self {
        self.limit = Some(n);
        self
    }

    fn params(&self) -> Params {
        let mut p =
            Params::new().text("symbol", self.symbol.clone()).text("interval", self.interval.as_str());
        if let Some(t) = self.start_time {
            p = p.int("startTime", t);
        }
        if let Some(t) = self.end_time {
            p = p.int("endTime", t);
        }
        if let Some(n) = self.limit {
            p = p.int("limit", n);
        }
        p
    }

    /// Sends the request; candles come oldest first.
    pub async fn send(&self) -> Result<Vec<Kline>> {
        self.client.send(&spot::KLINES, self.params(), Retry::Safe).await
    }
}

/// The paging state of a kline range download, without I/O: which page to ask for next, and what a
/// received page means for the one after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KlineCursor {
    next_start: u64,
    to: u64,
    page_size: u32,
    done: bool,
}

/// One page to request: candles opening in `start..=end`, at most `limit` of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// `startTime`.
    pub start: u64,
    /// `endTime`.
    pub end: u64,
    /// `limit`.
    pub limit: u32,
}

impl KlineCursor {
    /// A cursor over candles opening in `from..=to`, `page_size` per request (1 to 1000).
    pub fn new(from: u64, to: u64, page_size: u32) -> Self {
        Self { next_start: from, to, page_size: page_size.clamp(1, MAX_KLINES_PER_REQUEST), done: from > to }
    }

    /// The next page to request, or `None` when the range is complete.
    pub fn next_request(&self) -> Option<PageRequest> {
        (!self.done).then_some(PageRequest { start: self.next_start, end: self.to, limit: self.page_size })
    }

    /// Takes in the page received for [`KlineCursor::next_request`]. Candles opening before the
    /// requested start or after the range are dropped (a server should send none). An empty or short
    /// page ends the download; otherwise the next page starts 1 ms after the last open time.
    /// A page that does not move forward is an error rather than a loop.
    pub fn advance(&mut self, mut page: Vec<Kline>) -> Result<Vec<Kline>> {
        let Some(request) = self.next_request() else {
            return Ok(Vec::new());
        };
        let received = page.len();
        page.retain(|k| k.open_time >= request.start && k.open_time <= request.end);
        if page.windows(2).any(|w| w[0].open_time >= w[1].open_time) {
            return Err(Error::Decode {
                path: spot::KLINES.path.into(),
                detail: "candles are not in increasing open-time order".into(),
            });
        }
        match page.last() {
            None => self.done = true,
            Some(last) => {
                self.next_start = last.open_time + 1;
                self.done = received < request.limit as usize || self.next_start > self.to;
            }
        }
        Ok(page)
    }

    /// The open time the next page starts at (for progress reports and resuming).
    pub fn position(&self) -> u64 {
        self.next_start
    }

    /// True when the range is complete.
    pub fn is_done(&self) -> bool {
        self.done
    }
}

/// A kline range download in progress, from [`Client::kline_pages`].
#[derive(Debug)]
pub struct KlinePages {
    request: KlinesRequest,
    cursor: KlineCursor,
}

impl KlinePages {
    /// Fetches the next page: `Ok(None)` when the range is complete. A failed request can be retried
    /// by calling again; the position only moves on success.
    pub async fn next_page(&mut self) -> Result<Option<Vec<Kline>>> {
        let Some(req) = self.cursor.next_request() else {
            return Ok(None);
        };
        let page =
            self.request.clone().start_time(req.start).end_time(req.end).limit(req.limit).send().await?;
        let page = self.cursor.advance(page)?;
        Ok(if page.is_empty() && self.cursor.is_done() { None } else { Some(page) })
    }

    /// The paging state.
    pub fn cursor(&self) -> &KlineCursor {
        &self.cursor
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::*;

    const MIN: u64 = 60_000;

    fn candle(open_time: u64) -> Kline {
        Kline {
            open_time,
            open: Decimal::ONE,
            high: Decimal::ONE,
            low: Decimal::ONE,
            close: Decimal::ONE,
            volume: Decimal::ZERO,
            close_time: open_time + MIN - 1,
            quote_volume: Decimal::ZERO,
            trades: 0,
            taker_buy_base_volume: Decimal::ZERO,
            taker_buy_quote_volume: Decimal::ZERO,
        }
    }

    /// A fake exchange holding one-minute candles at `times`, answering like Binance: open time in
    /// `start..=end`, oldest first, at most `limit`.
    fn serve(times: &[u64], r: PageRequest) -> Vec<Kline> {
        times
            .iter()
            .filter(|&&t| t >= r.start && t <= r.end)
            .take(r.limit as usize)
            .map(|&t| candle(t))
            .collect()
    }

    fn download(times: &[u64], from: u64, to: u64, page: u32) -> (Vec<u64>, Vec<PageRequest>) {
        let mut cursor = KlineCursor::new(from, to, page);
        let (mut got, mut asked) = (Vec::new(), Vec::new());
        while let Some(r) = cursor.next_request() {
            asked.push(r);
            assert!(asked.len() < 10_000, "runaway pagination");
            got.extend(cursor.advance(serve(times, r)).unwrap().iter().map(|k| k.open_time));
        }
        (got, asked)
    }

    #[test]
    fn cursor_fetches_every_candle_once_in_pages_starting_after_the_last_open_time() {
        let times: Vec<u64> = (0..2500).map(|i| 1_000 * MIN + i * MIN).collect();
        let (got, asked) = download(&times, times[0], *times.last().unwrap(), 1000);
        assert_eq!(got, times, "every candle once, in order");
        assert_eq!(asked.len(), 3, "1000 + 1000 + 500: the short page ends it");
        assert_eq!(asked[1].start, times[999] + 1);
        assert_eq!(asked[2].start, times[1999] + 1);
        assert!(asked.iter().all(|r| r.end == times[2499] && r.limit == 1000));
    }

    #[test]
    fn cursor_exact_multiple_of_the_page_size_stops_on_the_empty_page() {
        let times: Vec<u64> = (0..2000).map(|i| i * MIN).collect();
        let (got, asked) = download(&times, 0, 10_000 * MIN, 1000);
        assert_eq!(got.len(), 2000);
        assert_eq!(asked.len(), 3, "two full pages, then an empty one");
    }

    #[test]
    fn cursor_range_bounds_are_inclusive_and_gaps_are_skipped() {
        // Candles missing in the middle (a halted market) do not stop the download.
        let times: Vec<u64> = (0..30).filter(|i| !(10..20).contains(i)).map(|i| i * MIN).collect();
        let (got, _) = download(&times, 5 * MIN, 25 * MIN, 4);
        let expect: Vec<u64> = times.iter().copied().filter(|t| (5 * MIN..=25 * MIN).contains(t)).collect();
        assert_eq!(got, expect);
        assert_eq!(got.first(), Some(&(5 * MIN)));
        assert_eq!(got.last(), Some(&(25 * MIN)));
    }

    #[test]
    fn cursor_empty_and_inverted_ranges_ask_at_most_once() {
        let (got, asked) = download(&[], 0, 100 * MIN, 1000);
        assert!(got.is_empty());
        assert_eq!(asked.len(), 1);
        let (_, asked) = download(&[0, MIN], 5 * MIN, MIN, 1000);
        assert!(asked.is_empty(), "from after to: nothing to ask");
    }

    #[test]
    fn cursor_drops_out_of_range_candles_and_refuses_disorder() {
        let mut c = KlineCursor::new(10 * MIN, 20 * MIN, 1000);
        let page = c.advance(vec![candle(9 * MIN), candle(10 * MIN), candle(21 * MIN)]).unwrap();
        assert_eq!(page.iter().map(|k| k.open_time).collect::<Vec<_>>(), [10 * MIN]);
        assert!(c.is_done(), "a short page ends the range");

        let mut c = KlineCursor::new(0, 20 * MIN, 2);
        assert!(c.advance(vec![candle(2 * MIN), candle(MIN)]).is_err());
        // A server repeating the same page cannot make the download loop forever.
        let mut c = KlineCursor::new(0, 20 * MIN, 2);
        c.advance(vec![candle(0), candle(MIN)]).unwrap();
        assert_eq!(c.position(), MIN + 1);
        let again = c.advance(vec![candle(0), candle(MIN)]).unwrap();
        assert!(again.is_empty() && c.is_done());
    }

    #[test]
    fn cursor_page_size_is_clamped_to_binance_maximum() {
        assert_eq!(KlineCursor::new(0, 1, 5000).next_request().unwrap().limit, 1000);
        assert_eq!(KlineCursor::new(0, 1, 0).next_request().unwrap().limit, 1);
    }
}
