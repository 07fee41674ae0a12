//! `-1104` for parameters an endpoint does not read, by mbx-core's endpoint table
//! (`Endpoint::unread`, through the acceptance check's last step).
//!
//! errors.md lists both `-1103 UNKNOWN_PARAM` ("An unknown parameter was sent.") and `-1104
//! UNREAD_PARAMETERS`. Client reports against Binance's REST API show an undefined parameter (a typo
//! such as `timeInforce`, an extra `created`) answered with `-1104` and the counts, "read '7'
//! parameter(s) but was sent '8'", where the counts include `timestamp` and `signature`, and before the
//! endpoint's own checks (a LIMIT order with `timeInforce` gets `-1104`, not a missing `timeInForce`).
//! The sandbox does the same; it never sends `-1103` over REST. This is inferred from those reports,
//! not from the docs, which say nothing about the order of checks.

use mbx_core::Params;
use mbx_core::accept::Target;
use mbx_core::endpoint::Endpoint;

use crate::error::Result;

/// `-1104` when `params` hold a name `endpoint` does not read, then `-1102` for a mandatory one
/// missing (mbx-core's [`mbx_core::accept::check_params`], from the endpoint table). For an endpoint
/// that needs a signature, `signature` (already removed from `params`) counts as sent and read.
pub fn check_params(endpoint: &Endpoint, params: &Params) -> Result<()> {
    Ok(mbx_core::accept::check_params(Target::of(endpoint), params)?)
}

#[cfg(test)]
mod tests {
    use mbx_core::endpoint::spot;

    use super::*;

    #[test]
    fn unknown_parameter_gets_1104_with_counts() {
        let p: Params = [("symbol", "BTCUSDT"), ("timeInforce", "GTC"), ("timestamp", "1")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let e = check_params(&spot::NEW_ORDER, &p).unwrap_err();
        assert_eq!(
            e.api_error().unwrap().msg,
            "Not all sent parameters were read; read '3' parameter(s) but was sent '4'."
        );
        assert!(e.hint().contains("'timeInforce'"), "{}", e.hint());
        assert!(e.hint().starts_with("POST /api/v3/order does not define"), "{}", e.hint());
        // A public endpoint reads no timestamp.
        assert!(check_params(&spot::DEPTH, &p).is_err());
        let ok: Params = [("symbol", "BTCUSDT"), ("timestamp", "1")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        assert!(check_params(&spot::QUERY_ORDER, &ok).is_ok());
    }
}
