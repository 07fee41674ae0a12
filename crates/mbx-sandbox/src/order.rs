//! New-order requests: reading the parameters of `POST /api/v3/order(/test)` (and of each order an
//! order list or a cancel-replace places) into [`OrderTerms`] and checking them against the symbol's
//! filters, with Binance's codes and messages.
//!
//! Checks, first failure wins: `symbol` (`-1102`, `-1121`), `side` (`-1117`), `type` (`-1116`),
//! `timeInForce` (`-1115`), number formats (`-1100`, `-1111`, `-1108`), peg types (`-1210`, `-1211`)
//! and offset (`-1130`), the mandatory parameters of the order type (`-1102`), parameters the type
//! does not take (`-1106`), the combinations the matching engine refuses (`-2010`: an iceberg or a
//! `PRIMARY_PEG` order that is not `GTC`, `icebergQty` not under `quantity`, a peg on a type without
//! a limit price, `MARKET_PEG` on a `LIMIT_MAKER`), all in mbx-core's `OrderTerms`, then the filters
//! in `exchangeInfo` order (`-1013 Filter failure: ...`): `PRICE_FILTER`, `LOT_SIZE` (and
//! `icebergQty`), `ICEBERG_PARTS`, `MARKET_LOT_SIZE`, `TRAILING_DELTA` here ([`NewOrder::parse`]); `PERCENT_PRICE_BY_SIDE` and `NOTIONAL` in [`check_at_average`], which
//! needs the symbol's average price and so runs in the engine, at placement, against the average of
//! that moment (`order/test` asks the engine for the average first).
//!
//! The average is the volume-weighted price of the symbol's trades over the filter's `avgPriceMins`
//! (the last trade price when none traded in that window), as `GET /api/v3/avgPrice` shows it. A
//! symbol that has never traded has no average, and the two filters that need one pass: so a fresh
//! sandbox takes the documentation's example order (LTCBTC at 0.1, far above the market maker's
//! prices around 0.0015) until its first trade, after which that order fails
//! `PERCENT_PRICE_BY_SIDE` as it would on Binance.
//!
//! The engine adds the checks that need its state: `MAX_NUM_ORDERS` and `MAX_NUM_ICEBERG_ORDERS`
//! (`-1013`), a pegged order's price from the book (`-2010 Order book liquidity is too low for this
//! pegged order.`; the average-price filters then judge the pegged price), duplicate client order
//! ids and balances (`-2010`).
//!
//! Known limitation: the `NOTIONAL` of a `STOP_LOSS` / `TAKE_PROFIT` (market) order is not checked.
//! The legs of an order list take `icebergQty`, `trailingDelta` and the peg instructions as single
//! orders do (spelled with the leg's prefix: `abovePegPriceType`, `workingPegOffsetValue`, ...).

use mbx_core::Params;
pub use mbx_core::filters::AveragePrices;
use mbx_core::model::{OrderResponseType, SelfTradePreventionMode};
use mbx_core::order as terms;
pub(crate) use mbx_core::order::leg_param;
use rust_decimal::Decimal;

use crate::engine::order::{OrderTerms, Strategy};
use crate::error::{Result, SandboxError};
use crate::extract::{optional_long, required};
use crate::market::{Market, SymbolSpec};

/// A new order, read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrder<'m> {
    /// The symbol's rules.
    pub symbol: &'m SymbolSpec,
    /// What the order asks for.
    pub terms: OrderTerms,
    /// Wire: newOrderRespType (`None`: the type's default).
    pub resp_type: Option<OrderResponseType>,
    /// Wire: strategyId and strategyType, as sent.
    pub strategy: Strategy,
}

impl<'m> NewOrder<'m> {
    /// Reads and checks the parameters of a new order: everything up to the filters that need the
    /// average price ([`check_at_average`], which the engine runs at placement).
    pub fn parse(params: &Params, market: &'m Market) -> Result<NewOrder<'m>> {
        let symbol = market.require(required(params, "symbol")?)?;
        let (terms, resp_type) = mbx_core::order::read_new_order(params)?;
        stp_mode_param(params)?;
        let strategy = strategy_params(params, "")?;
        check_filters(&terms, symbol)?;
        Ok(NewOrder { symbol, terms, resp_type, strategy })
    }
}

/// A client order id parameter: `-1100` outside Binance's pattern.
pub(crate) fn client_id_param(params: &Params, name: &str) -> Result<Option<String>> {
    Ok(terms::client_id_param(params, name)?)
}

/// `selfTradePreventionMode`, one of the modes the symbols allow (mbx-core's
/// [`mbx_core::order::stp_mode_param`]).
pub(crate) fn stp_mode_param(params: &Params) -> Result<Option<SelfTradePreventionMode>> {
    Ok(terms::stp_mode_param(params)?)
}

/// `strategyId` and `strategyType` (spelled with `prefix` for an order-list leg): whole numbers
/// (`-1100`, `-1108`), `strategyType` 1000000 or more (`-1134`).
pub(crate) fn strategy_params(params: &Params, prefix: &str) -> Result<Strategy> {
    let id = optional_long(params, &leg_param(prefix, "strategyId"))?;
    let type_name = leg_param(prefix, "strategyType");
    let kind = match optional_long(params, &type_name)? {
        None => None,
        Some(t) => Some(mbx_core::order::strategy_type_value(&type_name, t)?),
    };
    Ok(Strategy { id, kind })
}

/// The symbol's precisions (mbx-core's [`OrderTerms::check_precision`], `-1111`), then the filters
/// that need nothing but the order and the symbol ([`mbx_core::filters::SymbolFilters::check`]):
/// `PRICE_FILTER`, `LOT_SIZE`, `MARKET_LOT_SIZE`.
pub(crate) fn check_filters(terms: &OrderTerms, s: &SymbolSpec) -> Result<()> {
    terms.check_precision(s.base_precision, s.quote_precision)?;
    Ok(s.filters().check(terms)?)
}

/// The filters that need the average price (mbx-core's
/// [`mbx_core::filters::SymbolFilters::check_at_average`]): `PERCENT_PRICE_BY_SIDE`, then `NOTIONAL`.
/// A filter whose average is unknown passes.
pub fn check_at_average(terms: &OrderTerms, s: &SymbolSpec, avg: AveragePrices) -> Result<()> {
    Ok(s.filters().check_at_average(terms, avg)?)
}

/// A `DECIMAL` parameter: digits with an optional fraction, each part at most 20 digits.
pub(crate) fn decimal_param(params: &Params, name: &str) -> Result<Option<Decimal>> {
    Ok(terms::decimal_param(params, name)?)
}

/// `-1013` with the catalog's exact `Filter failure: NAME` message.
pub(crate) fn filter_failure(filter: &str, hint: String) -> SandboxError {
    mbx_core::filters::filter_failure(filter, hint).into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::market::RateLimits;
    use crate::seed;
    use mbx_core::{ApiError, ErrorCode};

    fn market() -> Market {
        Market::new(seed::default_symbols(), RateLimits::default())
    }

    fn parse(q: &str) -> std::result::Result<(), ApiError> {
        parse_at(q, AveragePrices::default())
    }

    /// Parses and runs the average-price filters with `avg`.
    fn parse_at(q: &str, avg: AveragePrices) -> std::result::Result<(), ApiError> {
        let m = market();
        let p = Params::parse_query(q).unwrap();
        NewOrder::parse(&p, &m)
            .and_then(|o| check_at_average(&o.terms, o.symbol, avg))
            .map_err(|e| e.api_error().unwrap())
    }

    #[test]
    fn docs_example_passes() {
        parse("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1").unwrap();
        parse("symbol=这是测试币456&side=SELL&type=MARKET&quantity=2.5").unwrap();
    }

    #[test]
    fn errors_carry_binance_codes_and_messages() {
        let e = parse("side=BUY&type=LIMIT").unwrap_err();
        assert_eq!(e.msg, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
        assert_eq!(parse("symbol=NOPE&side=BUY&type=LIMIT").unwrap_err().code, ErrorCode::BAD_SYMBOL);
        assert_eq!(parse("symbol=LTCBTC&side=buy&type=LIMIT").unwrap_err().code, ErrorCode::INVALID_SIDE);
        let e =
            parse("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1e3&price=0.1").unwrap_err();
        assert_eq!(
            e.msg,
            "Illegal characters found in parameter 'quantity'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'."
        );
        let e = parse("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1000001")
            .unwrap_err();
        assert_eq!(e.msg, "Filter failure: PRICE_FILTER");
        // More decimals than the asset has: -1111 before the filters (CHANGELOG 2023-12-04), trailing
        // zeros not counted.
        let e = parse(
            "symbol=ETHBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=0.30000000000000004",
        )
        .unwrap_err();
        assert_eq!(e.msg, "Parameter 'price' has too much precision.");
        let e = parse("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.001234567").unwrap_err();
        assert_eq!(e.msg, "Parameter 'quantity' has too much precision.");
        let e = parse("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.001234500").unwrap_err();
        assert_eq!(e.msg, "Filter failure: LOT_SIZE");
        let e =
            parse("symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.0001&price=0.1").unwrap_err();
        assert_eq!(e.msg, "Filter failure: LOT_SIZE");
        let e =
            parse("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.0001&price=1").unwrap_err();
        assert_eq!(e.msg, "Filter failure: NOTIONAL");
        let e = parse("symbol=BTCUSDT&side=BUY&type=MARKET").unwrap_err();
        assert_eq!(e.msg, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!");
        let e = parse("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1&timeInForce=GTC").unwrap_err();
        assert_eq!(e.msg, "Parameter 'timeInForce' sent when not required.");
    }

    #[test]
    fn percent_price_by_side_bands_each_side_around_the_average() {
        let at = |price: &str, side: &str| {
            let avg = AveragePrices { percent_price: Some(Decimal::from(100)), notional: None };
            parse_at(
                &format!("symbol=BTCUSDT&side={side}&type=LIMIT&timeInForce=GTC&quantity=1&price={price}"),
                avg,
            )
            .map_err(|e| e.msg)
        };
        // 0.2 to 5 times the average, on either side.
        assert_eq!(at("20", "BUY"), Ok(()));
        assert_eq!(at("500", "SELL"), Ok(()));
        assert_eq!(at("19.99", "BUY"), Err("Filter failure: PERCENT_PRICE_BY_SIDE".into()));
        assert_eq!(at("500.01", "SELL"), Err("Filter failure: PERCENT_PRICE_BY_SIDE".into()));
        // No average (never traded): nothing to judge by.
        assert_eq!(
            parse("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=999999"),
            Ok(())
        );
    }

    #[test]
    fn market_notional_by_quantity_uses_the_average_and_apply_flags() {
        let avg = AveragePrices { percent_price: None, notional: Some(Decimal::from(60_000)) };
        // 0.00008 * 60000 = 4.8 < minNotional 5, and applyMinToMarket is true.
        let e = parse_at("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.00008", avg).unwrap_err();
        assert_eq!(e.msg, "Filter failure: NOTIONAL");
        parse_at("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.0001", avg).unwrap();
        // applyMaxToMarket is false: 100 * 60000 is over maxNotional 9000000 but passes.
        parse_at("symbol=BTCUSDT&side=SELL&type=MARKET&quantity=100", avg).unwrap();
        let e = parse_at("symbol=BTCUSDT&side=BUY&type=MARKET&quoteOrderQty=4.99", avg).unwrap_err();
        assert_eq!(e.msg, "Filter failure: NOTIONAL");
        // Without an average, a MARKET order by quantity is not judged.
        parse("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.00008").unwrap();
    }

    #[test]
    fn absurd_numbers_are_rejected_not_panicking() {
        let huge = format!("symbol=BTCUSDT&side=BUY&type=MARKET&quantity={}", "9".repeat(20));
        assert!(parse(&huge).is_err());
        let precise = format!("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1.{}", "1".repeat(20));
        assert!(parse(&precise).is_err());
        let both = format!(
            "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity={0}.{0}&price={0}",
            "9".repeat(20)
        );
        assert!(parse(&both).is_err());
    }
}
