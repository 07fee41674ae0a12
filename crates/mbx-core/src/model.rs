//! Binance's enumerations (enums.md) as Rust types, shared by the client and the sandbox.
//!
//! Each enum has one wire spelling per variant ([`crate::WireValue`]) and, for values received from
//! Binance, an `Unknown(String)` variant, so a value Binance adds later is kept rather than failing
//! the whole response.
//!
//! ```
//! use mbx_core::model::{OrderType, Side};
//! use mbx_core::WireValue;
//! assert_eq!(Side::Buy.wire(), "BUY");
//! assert_eq!("LIMIT_MAKER".parse::<OrderType>().unwrap(), OrderType::LimitMaker);
//! let s: Side = serde_json::from_str("\"SELL\"").unwrap();
//! assert_eq!(s, Side::Sell);
//! ```

use std::fmt;
use std::str::FromStr;

use crate::WireValue;

macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident { $( $(#[$vdoc:meta])* $variant:ident = $wire:literal, )* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vdoc])* $variant, )*
            /// A value this version of mbx does not know, kept as sent.
            Unknown(String),
        }

        impl $name {
            /// Every known value.
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )* ];
        }

        impl WireValue for $name {
            fn wire(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )*
                    $name::Unknown(s) => s,
                }
            }
        }

        impl FromStr for $name {
            type Err = std::convert::Infallible;
            /// Never fails: unknown text becomes `Unknown`. Use [`Self::parse_known`] to reject it.
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(match s {
                    $( $wire => $name::$variant, )*
                    other => $name::Unknown(other.to_owned()),
                })
            }
        }

        impl $name {
            /// The known value spelled `s`, or `None`.
            pub fn parse_known(s: &str) -> Option<Self> {
                match s {
                    $( $wire => Some($name::$variant), )*
                    _ => None,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.wire())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.wire())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Ok(s.parse().unwrap_or_else(|never| match never {}))
            }
        }
    };
}

wire_enum!(
    /// Order side.
    Side {
        /// `BUY`
        Buy = "BUY",
        /// `SELL`
        Sell = "SELL",
    }
);

wire_enum!(
    /// Order type.
    OrderType {
        /// `LIMIT`
        Limit = "LIMIT",
        /// `MARKET`
        Market = "MARKET",
        /// `STOP_LOSS`
        StopLoss = "STOP_LOSS",
        /// `STOP_LOSS_LIMIT`
        StopLossLimit = "STOP_LOSS_LIMIT",
        /// `TAKE_PROFIT`
        TakeProfit = "TAKE_PROFIT",
        /// `TAKE_PROFIT_LIMIT`
        TakeProfitLimit = "TAKE_PROFIT_LIMIT",
        /// `LIMIT_MAKER`
        LimitMaker = "LIMIT_MAKER",
    }
);

wire_enum!(
    /// Time in force.
    TimeInForce {
        /// Good till canceled: `GTC`
        Gtc = "GTC",
        /// Immediate or cancel: `IOC`
        Ioc = "IOC",
        /// Fill or kill: `FOK`
        Fok = "FOK",
    }
);

wire_enum!(
    /// Order status.
    OrderStatus {
        /// `NEW`
        New = "NEW",
        /// `PENDING_NEW`
        PendingNew = "PENDING_NEW",
        /// `PARTIALLY_FILLED`
        PartiallyFilled = "PARTIALLY_FILLED",
        /// `FILLED`
        Filled = "FILLED",
        /// `CANCELED`
        Canceled = "CANCELED",
        /// `PENDING_CANCEL`
        PendingCancel = "PENDING_CANCEL",
        /// `REJECTED`
        Rejected = "REJECTED",
        /// `EXPIRED`
        Expired = "EXPIRED",
        /// `EXPIRED_IN_MATCH` (self-trade prevention)
        ExpiredInMatch = "EXPIRED_IN_MATCH",
    }
);

wire_enum!(
    /// How much an order response says: `newOrderRespType`.
    OrderResponseType {
        /// `ACK`
        Ack = "ACK",
        /// `RESULT`
        Result = "RESULT",
        /// `FULL` (with fills)
        Full = "FULL",
    }
);

wire_enum!(
    /// Self-trade prevention mode.
    SelfTradePreventionMode {
        /// `NONE`
        None = "NONE",
        /// `EXPIRE_TAKER`
        ExpireTaker = "EXPIRE_TAKER",
        /// `EXPIRE_MAKER`
        ExpireMaker = "EXPIRE_MAKER",
        /// `EXPIRE_BOTH`
        ExpireBoth = "EXPIRE_BOTH",
        /// `DECREMENT`
        Decrement = "DECREMENT",
        /// `TRANSFER`
        Transfer = "TRANSFER",
    }
);

wire_enum!(
    /// What a cancel-replace does when its cancel fails: `cancelReplaceMode`.
    CancelReplaceMode {
        /// `STOP_ON_FAILURE`: the new order is not attempted.
        StopOnFailure = "STOP_ON_FAILURE",
        /// `ALLOW_FAILURE`: the new order is placed anyway.
        AllowFailure = "ALLOW_FAILURE",
    }
);

wire_enum!(
    /// How each half of a cancel-replace went: `cancelResult`, `newOrderResult`.
    CancelReplaceResult {
        /// `SUCCESS`
        Success = "SUCCESS",
        /// `FAILURE`
        Failure = "FAILURE",
        /// `NOT_ATTEMPTED` (the new order, after a failed cancel with `STOP_ON_FAILURE`)
        NotAttempted = "NOT_ATTEMPTED",
    }
);

wire_enum!(
    /// Which side of the book a pegged order takes its price from: `pegPriceType`.
    PegPriceType {
        /// `PRIMARY_PEG`: the best price on the order's own side.
        PrimaryPeg = "PRIMARY_PEG",
        /// `MARKET_PEG`: the best price on the opposite side.
        MarketPeg = "MARKET_PEG",
    }
);

wire_enum!(
    /// How a pegged order's offset is counted: `pegOffsetType`.
    PegOffsetType {
        /// `PRICE_LEVEL`: that many price levels deeper into the book.
        PriceLevel = "PRICE_LEVEL",
    }
);

wire_enum!(
    /// Why an order expired: `expiryReason` in order responses, `eR` in `executionReport` (enums.md,
    /// "Expiry Reasons").
    ExpiryReason {
        /// `NONE`
        None = "NONE",
        /// `REJECTED`: a contingent order, or one of an OTO, rejected when placed on the book.
        Rejected = "REJECTED",
        /// `EXCHANGE_CANCELED`: cancelled by Binance.
        ExchangeCanceled = "EXCHANGE_CANCELED",
        /// `OCO_TRIGGER`: the other order of its OCO started working, or the whole OCO expired.
        OcoTrigger = "OCO_TRIGGER",
        /// `OTO_PHASE_ONE_EXPIRED`: the working order of its OTO expired.
        OtoPhaseOneExpired = "OTO_PHASE_ONE_EXPIRED",
        /// `UNFILLED_IOC_QUANTITY_EXPIRED`: an IOC order's unfilled rest.
        UnfilledIocQuantityExpired = "UNFILLED_IOC_QUANTITY_EXPIRED",
        /// `UNFILLED_FOK_ORDER_EXPIRED`: a FOK order that could not fill whole.
        UnfilledFokOrderExpired = "UNFILLED_FOK_ORDER_EXPIRED",
        /// `INSUFFICIENT_LIQUIDITY`: the book ran out before the order filled.
        InsufficientLiquidity = "INSUFFICIENT_LIQUIDITY",
        /// `EXECUTION_RULE_PRICE_RANGE_EXCEEDED`: it would have traded outside the price range rule.
        ExecutionRulePriceRangeExceeded = "EXECUTION_RULE_PRICE_RANGE_EXCEEDED",
    }
);

impl OrderStatus {
    /// True for statuses an order never leaves.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            OrderStatus::Filled
                | OrderStatus::Canceled
                | OrderStatus::Rejected
                | OrderStatus::Expired
                | OrderStatus::ExpiredInMatch
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_roundtrip_for_every_known_value() {
        for t in OrderType::ALL {
            assert_eq!(OrderType::parse_known(t.wire()).as_ref(), Some(t));
        }
        for s in OrderStatus::ALL {
            assert_eq!(serde_json::from_str::<OrderStatus>(&serde_json::to_string(s).unwrap()).unwrap(), *s);
        }
    }

    #[test]
    fn unknown_values_survive() {
        let t: OrderType = serde_json::from_str("\"NEW_KIND\"").unwrap();
        assert_eq!(t, OrderType::Unknown("NEW_KIND".into()));
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"NEW_KIND\"");
        assert_eq!(OrderType::parse_known("NEW_KIND"), None);
    }
}
