//! Time frames of market data, as pure arithmetic on millisecond timestamps: kline intervals
//! ([`Interval`]), the `timeZone` parameter ([`TimeZone`]) and the rolling ticker's `windowSize`
//! ([`WindowSize`]). Nothing here reads a clock.
//!
//! How a candle's open time is found (rest-api.md, "Kline/Candlestick data"; the alignments marked
//! *assumed* are not written in the docs and follow what Binance's published candles show):
//!
//! | interval | open time, in the requested time zone |
//! |---|---|
//! | `1s` … `12h` | a multiple of the length since 1970-01-01 00:00 |
//! | `1d` | midnight |
//! | `3d` | midnight of a day whose number since 1970-01-01 is a multiple of 3 (*assumed*) |
//! | `1w` | Monday midnight (*assumed*, as Binance's weekly candles open) |
//! | `1M` | midnight of the first day of the month (calendar months, leap years included) |
//!
//! A time zone moves every boundary: a `1d` candle at `timeZone=8` opens at 16:00 UTC. `startTime` and
//! `endTime` stay UTC instants whatever the zone, as the docs say.
//!
//! The interval table here is the only one: [`crate::stream::KLINE_INTERVALS`] (the names streams
//! and the REST API take) is read from it; the sandbox computes its candles with it.
//!
//! ```
//! use mbx_core::timeframe::{Interval, TimeZone};
//! let day = Interval::parse("1d").unwrap();
//! let t = 1_709_214_330_123; // 2024-02-29 13:45:30.123 UTC
//! assert_eq!(day.open_of(t, TimeZone::UTC), 1_709_164_800_000); // that day's midnight, UTC
//! let utc8 = TimeZone::parse("8").unwrap();
//! assert_eq!(day.open_of(t, utc8), 1_709_164_800_000 - 8 * 3_600_000); // 16:00 UTC the day before
//! assert!(Interval::parse("1D").is_none());
//! ```

use crate::time::{civil_from_days, days_from_civil};

/// One day in milliseconds.
pub const DAY_MS: i64 = 86_400_000;

/// How a kline interval divides time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Length {
    /// Equal spans of `ms`, the first opening `anchor_ms` after the epoch.
    Span { ms: i64, anchor_ms: i64 },
    /// Calendar months.
    Month,
}

/// The supported kline intervals, in the docs' order (case-sensitive: `1m` is a minute, `1M` a month).
const INTERVALS: [(&str, Length); 16] = [
    ("1s", span(1_000)),
    ("1m", span(60_000)),
    ("3m", span(3 * 60_000)),
    ("5m", span(5 * 60_000)),
    ("15m", span(15 * 60_000)),
    ("30m", span(30 * 60_000)),
    ("1h", span(3_600_000)),
    ("2h", span(2 * 3_600_000)),
    ("4h", span(4 * 3_600_000)),
    ("6h", span(6 * 3_600_000)),
    ("8h", span(8 * 3_600_000)),
    ("12h", span(12 * 3_600_000)),
    ("1d", span(DAY_MS)),
    ("3d", span(3 * DAY_MS)),
    // 1970-01-05, the first Monday after the epoch (a Thursday).
    ("1w", Length::Span { ms: 7 * DAY_MS, anchor_ms: 4 * DAY_MS }),
    ("1M", Length::Month),
];

const fn span(ms: i64) -> Length {
    Length::Span { ms, anchor_ms: 0 }
}

/// The names of [`INTERVALS`], in order (what `stream::KLINE_INTERVALS` holds).
pub(crate) const INTERVAL_NAMES: [&str; INTERVALS.len()] = {
    let mut names = [""; INTERVALS.len()];
    let mut i = 0;
    while i < INTERVALS.len() {
        names[i] = INTERVALS[i].0;
        i += 1;
    }
    names
};

/// A kline interval (`interval` of `klines` and `uiKlines`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    name: &'static str,
    length: Length,
}

impl Interval {
    /// The interval named `s` exactly as the docs spell it, or `None`.
    pub fn parse(s: &str) -> Option<Interval> {
        INTERVALS.iter().find(|(name, _)| *name == s).map(|&(name, length)| Interval { name, length })
    }

    /// Every supported name, for hints.
    pub fn names() -> impl Iterator<Item = &'static str> {
        INTERVALS.iter().map(|(name, _)| *name)
    }

    /// The wire name (`1m`, `1M`, ...).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The open time of the candle holding instant `t` (ms, UTC), in zone `tz`.
    pub fn open_of(&self, t: i64, tz: TimeZone) -> i64 {
        let local = t + tz.offset_ms();
        let open_local = match self.length {
            Length::Span { ms, anchor_ms } => (local - anchor_ms).div_euclid(ms) * ms + anchor_ms,
            Length::Month => {
                let (y, m, _) = civil_from_days(local.div_euclid(DAY_MS));
                days_from_civil(y, m, 1) * DAY_MS
            }
        };
        open_local - tz.offset_ms()
    }

    /// The open time of the candle after the one opening at `open`.
    pub fn next_open(&self, open: i64, tz: TimeZone) -> i64 {
        self.shift(open, tz, 1)
    }

    /// The open time of the candle before the one opening at `open`.
    pub fn prev_open(&self, open: i64, tz: TimeZone) -> i64 {
        self.shift(open, tz, -1)
    }

    /// The open time of the first candle opening at or after `t`.
    pub fn open_at_or_after(&self, t: i64, tz: TimeZone) -> i64 {
        let open = self.open_of(t, tz);
        if open == t { open } else { self.next_open(open, tz) }
    }

    fn shift(&self, open: i64, tz: TimeZone, by: i64) -> i64 {
        match self.length {
            Length::Span { ms, .. } => open + by * ms,
            Length::Month => {
                let local = open + tz.offset_ms();
                let (y, m, _) = civil_from_days(local.div_euclid(DAY_MS));
                let months = y * 12 + (m - 1) + by;
                days_from_civil(months.div_euclid(12), months.rem_euclid(12) + 1, 1) * DAY_MS - tz.offset_ms()
            }
        }
    }
}

/// The `timeZone` parameter: a fixed offset from UTC, from -12:00 to +14:00.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TimeZone {
    minutes: i64,
}

impl TimeZone {
    /// UTC (`timeZone=0`, the default).
    pub const UTC: TimeZone = TimeZone { minutes: 0 };

    /// Reads the docs' forms: hours (`0`, `8`, `-5`, `+3`) or hours and minutes (`05:45`, `-1:00`),
    /// within -12:00 ..= +14:00. `None` for anything else.
    pub fn parse(s: &str) -> Option<TimeZone> {
        let (negative, rest) = match s.as_bytes().first()? {
            b'-' => (true, &s[1..]),
            b'+' => (false, &s[1..]),
            _ => (false, s),
        };
        let (hours, minutes) = rest.split_once(':').unwrap_or((rest, "00"));
        let number = |text: &str, max_len: usize| -> Option<i64> {
            let ok = !text.is_empty() && text.len() <= max_len && text.bytes().all(|b| b.is_ascii_digit());
            ok.then(|| text.parse().ok()).flatten()
        };
        let (h, m) = (number(hours, 2)?, number(minutes, 2)?);
        if minutes.len() != 2 || m >= 60 {
            return None;
        }
        let total = h * 60 + m;
        let minutes = if negative { -total } else { total };
        (-12 * 60..=14 * 60).contains(&minutes).then_some(TimeZone { minutes })
    }

    /// The offset from UTC in milliseconds.
    pub fn offset_ms(&self) -> i64 {
        self.minutes * 60_000
    }

    /// Midnight (UTC instant) of the day holding `t` in this zone: the trading day's open time.
    pub fn day_open(&self, t: i64) -> i64 {
        (t + self.offset_ms()).div_euclid(DAY_MS) * DAY_MS - self.offset_ms()
    }
}

/// The rolling ticker's `windowSize`: `1m`..`59m`, `1h`..`23h` or `1d`..`7d`, units never combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowSize {
    ms: i64,
}

impl WindowSize {
    /// The default, `1d`.
    pub const DAY: WindowSize = WindowSize { ms: DAY_MS };

    /// Reads `s`, or `None` when it is not one of the docs' values.
    pub fn parse(s: &str) -> Option<WindowSize> {
        let unit = s.chars().last()?;
        let digits = &s[..s.len() - unit.len_utf8()];
        if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if digits.starts_with('0') {
            return None;
        }
        let n: i64 = digits.parse().ok()?;
        let (max, unit_ms) = match unit {
            'm' => (59, 60_000),
            'h' => (23, 3_600_000),
            'd' => (7, DAY_MS),
            _ => return None,
        };
        (1..=max).contains(&n).then_some(WindowSize { ms: n * unit_ms })
    }

    /// The window's length in milliseconds.
    pub fn ms(&self) -> i64 {
        self.ms
    }

    /// The window ending at `now`: it opens on the minute at or before `now - size`, so it is up to
    /// 59 999 ms wider than asked (rest-api.md, "Rolling window price change statistics").
    pub fn open_before(&self, now: i64) -> i64 {
        (now - self.ms).div_euclid(60_000) * 60_000
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_intervals_are_mbx_core_s() {
        // Their lengths are the sandbox's; the names, mbx-core's (`stream::KLINE_INTERVALS`).
        assert_eq!(Interval::names().collect::<Vec<_>>(), crate::stream::KLINE_INTERVALS);
    }

    /// 2024-02-29 13:45:30.123 UTC, a Thursday in a leap year.
    const T: i64 = 1_709_214_330_123;

    fn iv(s: &str) -> Interval {
        Interval::parse(s).unwrap()
    }

    #[test]
    fn interval_parse_is_exact_and_case_sensitive() {
        assert_eq!(Interval::names().count(), 16);
        assert_eq!(iv("1M").name(), "1M");
        for bad in ["1S", "2m", "1y", "", "1mo", "60s", "1H"] {
            assert!(Interval::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn interval_open_times_align_in_utc() {
        let utc = TimeZone::UTC;
        assert_eq!(iv("1s").open_of(T, utc), 1_709_214_330_000);
        assert_eq!(iv("15m").open_of(T, utc), 1_709_214_300_000); // 13:45
        assert_eq!(iv("4h").open_of(T, utc), 1_709_208_000_000); // 12:00
        assert_eq!(iv("1d").open_of(T, utc), 1_709_164_800_000); // 2024-02-29
        assert_eq!(iv("1w").open_of(T, utc), 1_708_905_600_000); // Monday 2024-02-26
        assert_eq!(iv("1M").open_of(T, utc), 1_706_745_600_000); // 2024-02-01
        assert_eq!(iv("1M").next_open(1_706_745_600_000, utc), 1_709_251_200_000); // 2024-03-01
        assert_eq!(iv("1M").prev_open(1_706_745_600_000, utc), 1_704_067_200_000); // 2024-01-01
        assert_eq!(iv("1M").open_of(0, utc), 0);
        assert_eq!(iv("3d").open_of(T, utc) % (3 * DAY_MS), 0);
        assert_eq!(iv("1h").open_at_or_after(T, utc), 1_709_215_200_000);
        assert_eq!(iv("1h").open_at_or_after(1_709_215_200_000, utc), 1_709_215_200_000);
    }

    #[test]
    fn interval_open_times_follow_the_time_zone() {
        let plus8 = TimeZone::parse("8").unwrap();
        // 21:45 local on 2024-02-29: the local day opened at 16:00 UTC on the 28th.
        assert_eq!(iv("1d").open_of(T, plus8), 1_709_164_800_000 - 8 * 3_600_000);
        let minus5 = TimeZone::parse("-5:00").unwrap();
        // 08:45 local on 2024-02-29: February opened at 05:00 UTC on the 1st.
        assert_eq!(iv("1M").open_of(T, minus5), 1_706_745_600_000 + 5 * 3_600_000);
        let m = iv("1M").open_of(T, minus5);
        assert_eq!(iv("1M").next_open(m, minus5), 1_709_251_200_000 + 5 * 3_600_000);
        let odd = TimeZone::parse("05:45").unwrap();
        // 19:30 local: the hour opened at 19:00 local, 13:15 UTC.
        assert_eq!(iv("1h").open_of(T, odd), 1_709_213_400_000 - 15 * 60_000);
    }

    #[test]
    fn calendar_roundtrips_over_leap_years_and_centuries() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(days_from_civil(2100, 3, 1) - days_from_civil(2100, 2, 28), 1, "2100 is not leap");
    }

    #[test]
    fn time_zone_accepts_the_docs_forms_and_range() {
        for (s, minutes) in
            [("0", 0), ("8", 480), ("-1:00", -60), ("05:45", 345), ("+14:00", 840), ("-12", -720)]
        {
            assert_eq!(TimeZone::parse(s).map(|z| z.offset_ms()), Some(minutes * 60_000), "{s}");
        }
        for bad in ["", "+", "14:01", "-12:30", "15", "5:7", "5:60", "abc", "8h", "1:000", "123"] {
            assert!(TimeZone::parse(bad).is_none(), "{bad}");
        }
        assert_eq!(TimeZone::parse("8").unwrap().day_open(T), 1_709_164_800_000 - 8 * 3_600_000);
    }

    #[test]
    fn window_size_takes_one_unit_within_its_range() {
        assert_eq!(WindowSize::parse("1m").map(|w| w.ms()), Some(60_000));
        assert_eq!(WindowSize::parse("59m").map(|w| w.ms()), Some(59 * 60_000));
        assert_eq!(WindowSize::parse("23h").map(|w| w.ms()), Some(23 * 3_600_000));
        assert_eq!(WindowSize::parse("7d").map(|w| w.ms()), Some(7 * DAY_MS));
        for bad in ["60m", "24h", "8d", "0m", "1d2h", "1w", "d", "01m", "1M", "", "é"] {
            assert!(WindowSize::parse(bad).is_none(), "{bad}");
        }
        // The docs' example: closeTime 2022-01-04 09:17:47.099 with 1d opens 2022-01-03 09:17:00.
        assert_eq!(WindowSize::DAY.open_before(1_641_287_867_099), 1_641_201_420_000);
    }
}
