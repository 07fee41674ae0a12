//! [`SERVED`]: the endpoints of mbx-core's table that the sandbox answers, each with its handler. The
//! REST router mounts exactly these (at the row's method and path) and the WebSocket API answers
//! exactly their methods (the row's `ws` names); neither keeps a list of its own.
//!
//! [`run_signed`] is what both transports do around a signed handler once the request is
//! authenticated: `-1104` for a parameter the endpoint does not read, then the handler, then the
//! `ORDERS` counts on every answer of an endpoint that counts orders (rejections included).

use std::future::Future;
use std::pin::Pin;

use mbx_core::endpoint::{Endpoint, sapi, spot};

use super::{
    Reply, account, amend, general, klines, market, order_lists, prevented, rules, sor, tickers, trading,
    user_stream, wallet,
};
use crate::error::SandboxError;
use crate::extract::{Signed, check_params};
use crate::state::AppState;

/// A handler's answer, boxed so that every handler has one type.
pub type Answering = Pin<Box<dyn Future<Output = Reply> + Send>>;

/// How an endpoint is answered.
#[derive(Clone, Copy)]
pub enum Handler {
    /// A public endpoint: the decoded parameters.
    Public(fn(AppState, mbx_core::Params) -> Answering),
    /// An endpoint that takes a key: the authenticated request.
    Signed(fn(AppState, Signed) -> Answering),
}

impl std::fmt::Debug for Handler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Handler::Public(_) => "Handler::Public",
            Handler::Signed(_) => "Handler::Signed",
        })
    }
}

/// Every Binance endpoint the sandbox serves, with its handler. (The retired listenKey endpoints
/// depend on the sandbox's flavor and are mounted by the router itself.)
pub static SERVED: &[(&Endpoint, Handler)] = &[
    (&spot::PING, Handler::Public(|_, _| Box::pin(general::ping()))),
    (&spot::TIME, Handler::Public(|s, _| Box::pin(general::time(s)))),
    (
        &spot::EXCHANGE_INFO,
        Handler::Public(|s, p| Box::pin(async { Reply::from(general::exchange_info(s, p).await) })),
    ),
    (
        &spot::EXECUTION_RULES,
        Handler::Public(|s, p| Box::pin(async { Reply::from(rules::execution_rules(s, p).await) })),
    ),
    (&spot::DEPTH, Handler::Public(|s, p| Box::pin(async { Reply::from(market::depth(s, p).await) }))),
    (&spot::TRADES, Handler::Public(|s, p| Box::pin(async { Reply::from(market::trades(s, p).await) }))),
    (
        &spot::HISTORICAL_TRADES,
        Handler::Public(|s, p| Box::pin(async { Reply::from(market::historical_trades(s, p).await) })),
    ),
    (
        &spot::HISTORICAL_BLOCK_TRADES,
        Handler::Public(|s, p| Box::pin(async { Reply::from(market::historical_block_trades(s, p).await) })),
    ),
    (
        &spot::AGG_TRADES,
        Handler::Public(|s, p| Box::pin(async { Reply::from(market::agg_trades(s, p).await) })),
    ),
    (&spot::KLINES, Handler::Public(|s, p| Box::pin(async { Reply::from(klines::klines(s, p).await) }))),
    (
        &spot::UI_KLINES,
        Handler::Public(|s, p| Box::pin(async { Reply::from(klines::ui_klines(s, p).await) })),
    ),
    (
        &spot::AVG_PRICE,
        Handler::Public(|s, p| Box::pin(async { Reply::from(market::avg_price(s, p).await) })),
    ),
    (
        &spot::TICKER_24HR,
        Handler::Public(|s, p| Box::pin(async { Reply::from(tickers::ticker_24hr(s, p).await) })),
    ),
    (
        &spot::TICKER_TRADING_DAY,
        Handler::Public(|s, p| Box::pin(async { Reply::from(tickers::ticker_trading_day(s, p).await) })),
    ),
    (
        &spot::TICKER_ROLLING,
        Handler::Public(|s, p| Box::pin(async { Reply::from(tickers::ticker_rolling(s, p).await) })),
    ),
    (
        &spot::TICKER_PRICE,
        Handler::Public(|s, p| Box::pin(async { Reply::from(market::ticker_price(s, p).await) })),
    ),
    (
        &spot::TICKER_BOOK,
        Handler::Public(|s, p| Box::pin(async { Reply::from(market::book_ticker(s, p).await) })),
    ),
    (
        &spot::REFERENCE_PRICE,
        Handler::Public(|s, p| Box::pin(async { Reply::from(rules::reference_price(s, p).await) })),
    ),
    (
        &spot::REFERENCE_PRICE_CALCULATION,
        Handler::Public(|s, p| {
            Box::pin(async { Reply::from(rules::reference_price_calculation(s, p).await) })
        }),
    ),
    (&spot::ACCOUNT, Handler::Signed(|s, r| Box::pin(async { Reply::from(account::account(s, r).await) }))),
    (
        &spot::COMMISSION,
        Handler::Signed(|s, r| Box::pin(async { Reply::from(account::commission(s, r).await) })),
    ),
    (&spot::NEW_ORDER, Handler::Signed(|s, r| Box::pin(trading::new_order(s, r)))),
    (
        &spot::TEST_ORDER,
        Handler::Signed(|s, r| Box::pin(async { Reply::from(trading::order_test(s, r).await) })),
    ),
    (
        &spot::CANCEL_ORDER,
        Handler::Signed(|s, r| Box::pin(async { Reply::from(trading::cancel_order(s, r).await) })),
    ),
    (
        &spot::CANCEL_OPEN_ORDERS,
        Handler::Signed(|s, r| Box::pin(async { Reply::from(trading::cancel_open_orders(s, r).await) })),
    ),
    (&spot::CANCEL_REPLACE, Handler::Signed(|s, r| Box::pin(trading::cancel_replace(s, r)))),
    (&spot::NEW_OCO, Handler::Signed(|s, r| Box::pin(order_lists::new_oco(s, r)))),
    (&spot::NEW_OCO_DEPRECATED, Handler::Signed(|s, r| Box::pin(order_lists::new_oco_deprecated(s, r)))),
    (
        &spot::NEW_OTO,
        Handler::Signed(|s, r| Box::pin(order_lists::new_oto(s, r, mbx_core::order_list::ListKind::Oto))),
    ),
    (
        &spot::NEW_OTOCO,
        Handler::Signed(|s, r| Box::pin(order_lists::new_oto(s, r, mbx_core::order_list::ListKind::Otoco))),
    ),
    (
        &spot::NEW_OPO,
        Handler::Signed(|s, r| Box::pin(order_lists::new_oto(s, r, mbx_core::order_list::ListKind::Opo))),
    ),
    (
        &spot::NEW_OPOCO,
        Handler::Signed(|s, r| Box::pin(order_lists::new_oto(s, r, mbx_core::order_list::ListKind::Opoco))),
    ),
    (
        &spot::CANCEL_ORDER_LIST,
        Handler::Signed(|s, r| Box::pin(async { Reply::from(order_lists::cancel_order_list(s, r).await) })),
    ),
    (
        &spot::QUERY_ORDER,
        Handler::Signed(|s, r| Box::pin(async { Reply::from(account::query_order(s, r).await) })),
    ),
    (
        &spot::OPEN_ORDERS,
        Handler::Signed(|s, r| Box::pin(async { Reply::from(account::open_orders(s, r).await) })),
    ),
    (
        &spot::ALL_ORDERS,
        Handler::Signed(|s, r| Box::pin(async { Reply::from(account::all_orders(s, r).await) })),
    ),
    (
        &spot::QUERY_ORDER_LIST,
        Handler::Signed(|s, r| Box::pin(async { Reply::from(order_lists::query_order_list(s, r).await) })),
    ),
    (
        &spot::ALL_ORDER_LISTS,
        Handler::Signed(|s, r| Box::pin(async { Reply::from(order_lists::all_order_lists(s, r).await) })),
    ),
    (
        &spot::OPEN_ORDER_LISTS,
        Handler::Signed(|s, r| Box::pin(async { Reply::from(order_lists::open_order_lists(s, r).await) })),
    ),
    (
        &spot::MY_TRADES,
        Handler::Signed(|s, r| Box::pin(async { Reply::from(account::my_trades(s, r).await) })),
    ),
    (
        &spot::UNFILLED_ORDER_COUNT,
        Handler::Signed(|s, r| Box::pin(async { Reply::from(account::unfilled_order_count(s, r).await) })),
    ),
    (
        &spot::MY_FILTERS,
        Handler::Signed(|s, r| Box::pin(async { Reply::from(account::my_filters(s, r).await) })),
    ),
    (
        &spot::AMEND_KEEP_PRIORITY,
        Handler::Signed(|s, r| Box::pin(async { Reply::from(amend::amend_keep_priority(s, r).await) })),
    ),
    (
        &spot::ORDER_AMENDMENTS,
        Handler::Signed(|s, r| Box::pin(async { Reply::from(amend::amendments(s, r).await) })),
    ),
    (&spot::SOR_ORDER, Handler::Signed(|s, r| Box::pin(sor::sor_order(s, r)))),
    (
        &spot::SOR_ORDER_TEST,
        Handler::Signed(|s, r| Box::pin(async { Reply::from(sor::sor_order_test(s, r).await) })),
    ),
    (
        &spot::MY_ALLOCATIONS,
        Handler::Signed(|s, r| Box::pin(async { Reply::from(sor::my_allocations(s, r).await) })),
    ),
    (&spot::MY_PREVENTED_MATCHES, Handler::Signed(|s, r| Box::pin(prevented::my_prevented_matches(s, r)))),
    // SAPI: what client libraries read at start (mbx-core's `endpoint::sapi`).
    (&sapi::SYSTEM_STATUS, Handler::Public(|_, _| Box::pin(wallet::system_status()))),
    (
        &sapi::COIN_INFO,
        Handler::Signed(|s, r| Box::pin(async { Reply::from(wallet::coin_info(s, r).await) })),
    ),
    (&sapi::CROSS_MARGIN_PAIRS, Handler::Signed(|_, _| Box::pin(wallet::margin_pairs()))),
    (&sapi::ISOLATED_MARGIN_PAIRS, Handler::Signed(|_, _| Box::pin(wallet::margin_pairs()))),
    (
        &sapi::TRADE_FEE,
        Handler::Signed(|s, r| Box::pin(async { Reply::from(wallet::trade_fee(s, r).await) })),
    ),
];

/// The retired listenKey endpoints, served in the Binance.US flavor only (the router chooses).
pub const USER_STREAM_START: Handler =
    Handler::Signed(|s, r| Box::pin(async { Reply::from(user_stream::start(s, r).await) }));
/// `PUT /api/v3/userDataStream`, Binance.US flavor.
pub const USER_STREAM_KEEPALIVE: Handler =
    Handler::Signed(|s, r| Box::pin(async { Reply::from(user_stream::keepalive(s, r).await) }));
/// `DELETE /api/v3/userDataStream`, Binance.US flavor.
pub const USER_STREAM_CLOSE: Handler =
    Handler::Signed(|s, r| Box::pin(async { Reply::from(user_stream::close(s, r).await) }));

/// The retired listenKey endpoints with their handlers: the Binance.US flavor's REST routes (the
/// router mounts them) and WebSocket API methods.
pub const LISTEN_KEY: [(&Endpoint, Handler); 3] = [
    (&spot::USER_STREAM_START, USER_STREAM_START),
    (&spot::USER_STREAM_KEEPALIVE, USER_STREAM_KEEPALIVE),
    (&spot::USER_STREAM_CLOSE, USER_STREAM_CLOSE),
];

/// The handler of a retired listenKey endpoint ([`LISTEN_KEY`]).
pub fn listen_key_handler(endpoint: &Endpoint) -> Option<Handler> {
    LISTEN_KEY.iter().find(|(e, _)| std::ptr::eq(*e, endpoint)).map(|(_, h)| *h)
}

/// The handler of `endpoint`, if the sandbox serves it.
pub fn handler(endpoint: &Endpoint) -> Option<Handler> {
    SERVED.iter().find(|(e, _)| std::ptr::eq(*e, endpoint)).map(|(_, h)| *h)
}

/// Answers a public request: `-1104` for a parameter the endpoint does not read, else the handler.
pub async fn run_public(
    state: AppState,
    endpoint: &'static Endpoint,
    handler: fn(AppState, mbx_core::Params) -> Answering,
    params: mbx_core::Params,
) -> Reply {
    match check_params(endpoint, &params) {
        Err(e) => e.into(),
        Ok(()) => handler(state, params).await,
    }
}

/// Answers an authenticated request: `-1104` for a parameter the endpoint does not read, else the
/// handler; an endpoint that counts orders shows the account's counts on every answer (a rejected
/// order leaves them unchanged).
pub async fn run_signed(
    state: AppState,
    handler: fn(AppState, Signed) -> Answering,
    signed: Signed,
) -> Reply {
    let endpoint = signed.endpoint;
    let account = signed.key.account_id;
    let reply = match check_params(endpoint, &signed.params) {
        Err(e) => e.into(),
        // An order placement goes through its faults (`crate::faults`). Under chaos it runs in a
        // task of its own: a client that hangs up while a fault holds its order before the engine
        // does not cancel what the exchange received. Without chaos nothing holds it there, and
        // once the engine has the command a hang-up cannot undo it, so the task (a trip through
        // the scheduler per order) is saved.
        Ok(()) if endpoint.counts_orders() => {
            let placing = crate::faults::order_placement(state.clone(), handler, signed);
            if !state.chaos().enabled() {
                placing.await
            } else {
                match tokio::spawn(placing).await {
                    Ok(reply) => reply,
                    Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                    Err(_) => SandboxError::EngineStopped.into(),
                }
            }
        }
        Ok(()) => handler(state.clone(), signed).await,
    };
    // A successful order request weighs nothing (mbx-core's list), unless its handler weighed it.
    let reply = match (&reply.body, reply.weight) {
        (Ok(super::Answer::Json(_)), None) if mbx_core::endpoint::free_on_success(endpoint) => {
            reply.weighing(0)
        }
        _ => reply,
    };
    match reply.orders {
        None if endpoint.counts_orders() && !matches!(reply.body, Ok(super::Answer::Severed)) => {
            // Read at the answer (a placement may have been held up by an injected delay): an
            // earlier time would roll the count windows back.
            let counts = state.order_counts().get(account, state.clock().now_ms());
            reply.counting(counts)
        }
        _ => reply,
    }
}
