//! `order` (new, test, cancel, cancel-all, replace), `orders`, `trades`.

use mbx_client::types::Order;
use mbx_client::{CancelTarget, Client};
use mbx_core::WireValue;
use mbx_core::model::{CancelReplaceMode, OrderType, PegOffsetType, PegPriceType, Side, TimeInForce};
use mbx_core::order::{OrderFeatures, OrderTerms};

use crate::cli::{NewOrderArgs, OrderCommand, OrderTermsArgs, OrdersCommand, ReplaceArgs};
use crate::context::Context;
use crate::exit::usage;
use crate::output::{Grid, Report};

fn parse<T: std::str::FromStr>(what: &str, s: &str, known: fn(&str) -> Option<T>) -> anyhow::Result<T> {
    known(&s.to_ascii_uppercase()).ok_or_else(|| usage(format!("'{s}' is not a known {what}")))
}

/// The order the command line describes: its side, type, time in force and peg (already parsed)
/// and the other terms as given.
struct CommandLineOrder<'a> {
    side: Side,
    order_type: OrderType,
    time_in_force: Option<TimeInForce>,
    peg: Option<PegPriceType>,
    args: &'a OrderTermsArgs,
}

impl From<CommandLineOrder<'_>> for OrderTerms {
    fn from(o: CommandLineOrder<'_>) -> OrderTerms {
        OrderTerms {
            side: o.side,
            order_type: o.order_type,
            time_in_force: o.time_in_force,
            quantity: o.args.qty,
            quote_order_qty: o.args.quote_qty,
            price: o.args.price,
            stop_price: o.args.stop_price,
            client_order_id: o.args.client_id.clone(),
            stp_mode: None,
            features: OrderFeatures {
                iceberg_qty: o.args.iceberg_qty,
                trailing_delta: o.args.trailing_delta,
                peg_price_type: o.peg,
                peg_offset_type: o.args.peg_levels.map(|_| PegOffsetType::PriceLevel),
                peg_offset_value: o.args.peg_levels,
            },
        }
    }
}

/// The terms of `args` with `side` and `order_type`; a time in force that is not GTC, IOC or FOK, or
/// a peg that is not PRIMARY_PEG or MARKET_PEG, is refused with the fix.
fn terms(side: Side, order_type: OrderType, args: &OrderTermsArgs) -> anyhow::Result<OrderTerms> {
    let time_in_force = args
        .tif
        .as_deref()
        .map(|t| parse("time in force (GTC, IOC, FOK)", t, TimeInForce::parse_known))
        .transpose()?;
    let peg = args
        .peg
        .as_deref()
        .map(|p| parse("peg (PRIMARY_PEG, MARKET_PEG)", p, PegPriceType::parse_known))
        .transpose()?;
    let amounts = [
        ("--qty", args.qty),
        ("--quote-qty", args.quote_qty),
        ("--price", args.price),
        ("--stop-price", args.stop_price),
        ("--iceberg-qty", args.iceberg_qty),
    ];
    if let Some((flag, v)) =
        amounts.iter().find_map(|(f, v)| v.filter(|v| v.is_sign_negative()).map(|v| (f, v)))
    {
        return Err(usage(format!("{flag} {v}: amounts and prices are positive")));
    }
    // As the client sends it: GTC for the limit types when none is given.
    let time_in_force = time_in_force.or_else(|| mbx_client::default_time_in_force(&order_type));
    let terms = OrderTerms::from(CommandLineOrder { side, order_type, time_in_force, peg, args });
    // What Binance refuses whatever the market (a LIMIT without a quantity or time in force, a
    // parameter the type does not take): said here, nothing sent.
    terms.check_composition("").map_err(|r| {
        usage(format!(
            "not sent: Binance would answer {} {} {}",
            r.error.code.get(),
            r.error.msg,
            cli_names(&r.advice)
        ))
    })?;
    Ok(terms)
}

/// Binance's parameter names in `text` as this command's flags (`'quantity'` as `--qty`).
fn cli_names(text: &str) -> String {
    [
        ("'quoteOrderQty'", "--quote-qty"),
        ("'quantity'", "--qty"),
        ("'timeInForce'", "--tif"),
        ("'stopPrice'", "--stop-price"),
        ("'price'", "--price"),
        ("'icebergQty'", "--iceberg-qty"),
        ("'trailingDelta'", "--trailing-delta"),
    ]
    .iter()
    .fold(text.to_owned(), |t, (name, flag)| {
        t.replace(name, &format!("{flag} ({})", name.trim_matches('\'')))
    })
}

fn build(c: &Client, a: &NewOrderArgs) -> anyhow::Result<mbx_client::NewOrder> {
    let side = parse("side (BUY, SELL)", &a.side, Side::parse_known)?;
    let order_type = parse("order type", &a.order_type, OrderType::parse_known)?;
    let terms = terms(side.clone(), order_type.clone(), &a.terms)?;
    // The whole answer, whatever the type (Binance's default for the stop, take-profit and
    // LIMIT_MAKER types is ACK: ids alone, nothing to show of the order).
    Ok(c.new_order(&a.symbol.to_ascii_uppercase(), side, order_type)
        .terms(&terms)
        .response_type(mbx_core::model::OrderResponseType::Full))
}

fn build_replace(c: &Client, a: &ReplaceArgs) -> anyhow::Result<mbx_client::CancelReplaceOrder> {
    let side = parse("side (BUY, SELL)", &a.side, Side::parse_known)?;
    let order_type = parse("order type", &a.order_type, OrderType::parse_known)?;
    let mode = parse("--mode (STOP_ON_FAILURE, ALLOW_FAILURE)", &a.mode, CancelReplaceMode::parse_known)?;
    let target = match (a.cancel_order_id, &a.cancel_orig_client_order_id) {
        (Some(id), _) => CancelTarget::OrderId(id),
        (None, Some(cid)) => CancelTarget::ClientOrderId(cid.clone()),
        (None, None) => {
            return Err(usage(
                "name the order to cancel: --cancel-order-id ID or --cancel-orig-client-order-id ID",
            ));
        }
    };
    let terms = terms(side.clone(), order_type.clone(), &a.terms)?;
    Ok(c.cancel_replace(&a.symbol.to_ascii_uppercase(), target, side, order_type).mode(mode).terms(&terms))
}

/// `mbx order new|test|cancel|cancel-all|replace`.
pub async fn order(ctx: &Context, cmd: OrderCommand) -> anyhow::Result<Report> {
    let c = ctx.signed_client().await?;
    Ok(match cmd {
        OrderCommand::New(a) if a.ws_api => orders_report(&[c.ws_api().place_order(build(&c, &a)?).await?]),
        OrderCommand::New(a) => orders_report(&[build(&c, &a)?.send().await?]),
        OrderCommand::Test(a) => {
            if a.ws_api {
                c.ws_api().test_order(build(&c, &a)?).await?;
            } else {
                build(&c, &a)?.test().await?;
            }
            Report::text(
                "ok: Binance validated this order (nothing was placed; a test does not reach the matching engine, so the balance and the book are not checked)\n",
                serde_json::json!({"ok": true, "placed": false}),
            )
        }
        OrderCommand::Cancel { symbol, order_id, ws_api: true } => {
            orders_report(&[c.ws_api().cancel_order(&symbol.to_ascii_uppercase(), order_id).await?])
        }
        OrderCommand::Cancel { symbol, order_id, .. } => {
            orders_report(&[c.cancel_order(&symbol.to_ascii_uppercase(), order_id).await?])
        }
        OrderCommand::CancelAll { symbol } => {
            orders_report(&c.cancel_all(&symbol.to_ascii_uppercase()).await?)
        }
        OrderCommand::Replace(a) => {
            let r = match build_replace(&c, &a)?.send().await {
                Ok(r) => r,
                // One half went through (-2021) or neither did (-2022): what did is printed as a
                // result would be, Binance's answer beside it; stderr says what to do (exit 1).
                Err(e @ mbx_client::Error::CancelReplace { .. }) => {
                    let mbx_client::Error::CancelReplace { error, data } = &e else { unreachable!() };
                    eprintln!("error: {e}");
                    let leg = |l: Option<&mbx_client::types::ReplaceLeg>| match l {
                        Some(mbx_client::types::ReplaceLeg::Order(o)) => order_json(o),
                        Some(mbx_client::types::ReplaceLeg::Rejected(e)) => {
                            serde_json::json!({"code": e.code.get(), "msg": e.msg})
                        }
                        None => serde_json::Value::Null,
                    };
                    let json = serde_json::json!({
                        "code": error.code.get(),
                        "msg": error.msg,
                        "data": {
                            "cancelResult": data.cancel_result.wire(),
                            "newOrderResult": data.new_order_result.wire(),
                            "cancelResponse": leg(Some(&data.cancel_response)),
                            "newOrderResponse": leg(data.new_order_response.as_ref()),
                        },
                    });
                    let done: Vec<Order> =
                        [data.cancelled(), data.placed()].into_iter().flatten().cloned().collect();
                    crate::exit::explain_replace(data);
                    let summary = format!("{} {}\n", error.code.get(), error.msg);
                    return Ok(
                        Report::grid(orders_grid(&done).before(summary), json).exit(crate::exit::REJECTED)
                    );
                }
                Err(e) => return Err(e.into()),
            };
            let json = serde_json::json!({
                "cancelResult": r.cancel_result.wire(),
                "newOrderResult": r.new_order_result.wire(),
                "cancelResponse": order_json(&r.cancel_response),
                "newOrderResponse": order_json(&r.new_order_response),
            });
            let summary = format!(
                "cancelled order {} and placed order {} (client id {})\n",
                r.cancel_response.order_id,
                r.new_order_response.order_id,
                r.new_order_response.client_order_id,
            );
            Report::grid(orders_grid(&[r.cancel_response, r.new_order_response]).before(summary), json)
        }
    })
}

/// `mbx orders open|all|get`.
pub async fn orders(ctx: &Context, cmd: OrdersCommand) -> anyhow::Result<Report> {
    let c = ctx.signed_client().await?;
    let list = match cmd {
        OrdersCommand::Open { symbol } => {
            c.open_orders(symbol.map(|s| s.to_ascii_uppercase()).as_deref()).await?
        }
        OrdersCommand::All { symbol } => c.all_orders(&symbol.to_ascii_uppercase()).await?,
        OrdersCommand::Get { symbol, order_id, client_id } => {
            let symbol = symbol.to_ascii_uppercase();
            let order = match (order_id, client_id) {
                (Some(id), _) => c.order(&symbol, id).await?,
                (None, Some(cid)) => c.order_by_client_id(&symbol, &cid).await?,
                (None, None) => return Err(usage("give an order id or --client-id")),
            };
            vec![order]
        }
    };
    Ok(orders_report(&list))
}

/// An order as the CLI prints it in JSON (with its iceberg, trailing and peg fields when it has
/// them).
pub fn order_json(o: &Order) -> serde_json::Value {
    let mut v = order_core_json(o);
    if let Some(obj) = v.as_object_mut() {
        let extras = [
            ("icebergQty", o.iceberg_qty.filter(|q| !q.is_zero()).map(|q| q.to_string().into())),
            ("trailingDelta", o.trailing_delta.map(Into::into)),
            ("trailingTime", o.trailing_time.map(Into::into)),
            ("pegPriceType", o.peg_price_type.as_ref().map(|p| p.wire().into())),
            ("pegOffsetValue", o.peg_offset_value.map(Into::into)),
            ("peggedPrice", o.pegged_price.map(|p| p.to_string().into())),
        ];
        for (name, value) in extras {
            if let Some(value) = value {
                obj.insert(name.to_owned(), value);
            }
        }
        // A cancel's answer: `clientOrderId` is the cancel request's and `origClientOrderId` the
        // order's own, as Binance writes them.
        if let Some(orig) = &o.orig_client_order_id {
            obj.insert("origClientOrderId".to_owned(), orig.clone().into());
        }
    }
    v
}

fn order_core_json(o: &Order) -> serde_json::Value {
    serde_json::json!({
        "symbol": o.symbol, "orderId": o.order_id, "clientOrderId": o.client_order_id,
        "side": o.side.as_ref().map(|s| s.wire().to_owned()), "type": o.order_type.as_ref().map(|t| t.wire().to_owned()),
        "status": o.status.as_ref().map(|s| s.wire().to_owned()), "price": o.price.to_string(),
        "origQty": o.orig_qty.to_string(), "executedQty": o.executed_qty.to_string(),
        "fills": o.fills.iter().map(|f| serde_json::json!({"price": f.price.to_string(), "qty": f.qty.to_string(), "tradeId": f.trade_id})).collect::<Vec<_>>(),
    })
}

/// The order's own client id. A cancel answer's `clientOrderId` names the cancel request; the
/// cancelled order's id is its `origClientOrderId`.
fn own_client_id(o: &Order) -> &str {
    o.orig_client_order_id.as_deref().unwrap_or(&o.client_order_id)
}

/// Orders as a table, or a JSON array.
fn orders_report(orders: &[Order]) -> Report {
    let list: Vec<_> = orders.iter().map(order_json).collect();
    Report::grid(orders_grid(orders), serde_json::Value::Array(list))
}

/// Orders as a grid.
fn orders_grid(orders: &[Order]) -> Grid {
    let mut grid =
        Grid::new(&["symbol", "order id", "client id", "side", "type", "status", "price", "qty", "executed"]);
    for o in orders {
        grid.row([
            o.symbol.clone(),
            o.order_id.to_string(),
            own_client_id(o).to_owned(),
            o.side.as_ref().map_or("", |s| s.wire()).to_owned(),
            o.order_type.as_ref().map_or("", |s| s.wire()).to_owned(),
            o.status.as_ref().map_or("", |s| s.wire()).to_owned(),
            o.price.normalize().to_string(),
            o.orig_qty.normalize().to_string(),
            o.executed_qty.normalize().to_string(),
        ]);
    }
    grid
}

/// `mbx trades SYMBOL`: your trades.
pub async fn trades(ctx: &Context, symbol: &str) -> anyhow::Result<Report> {
    let trades = ctx.signed_client().await?.my_trades(&symbol.to_ascii_uppercase()).await?;
    let list: Vec<_> = trades
        .iter()
        .map(|t| serde_json::json!({"id": t.id, "orderId": t.order_id, "price": t.price.to_string(), "qty": t.qty.to_string(), "commission": t.commission.to_string(), "commissionAsset": t.commission_asset, "isBuyer": t.is_buyer, "time": t.time}))
        .collect();
    let mut grid = Grid::new(&["trade", "order", "side", "price", "qty", "commission"]);
    for x in &trades {
        grid.row([
            x.id.to_string(),
            x.order_id.to_string(),
            (if x.is_buyer { "BUY" } else { "SELL" }).to_owned(),
            x.price.normalize().to_string(),
            x.qty.normalize().to_string(),
            format!("{} {}", x.commission.normalize(), x.commission_asset),
        ]);
    }
    Ok(Report::grid(grid, serde_json::Value::Array(list)))
}
