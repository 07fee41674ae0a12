// The rows of the error catalog: one per code in Binance's errors.md, in that file's order.
// Columns: code, NAME, HTTP status, [messages verbatim from errors.md], fix (ours).
// Generated once from errors.md and then maintained by hand; messages must stay verbatim.
// The messages the matching engine sends with -1010, -2010, -2011 and -2038 ("Messages for -1010
// ERROR_MSG_RECEIVED, ..." in errors.md), written once: a row whose messages are `{ "OWN" }` gets its own
// message followed by these.
macro_rules! with_engine_messages {
    ($own:literal) => {
        &[
            $own,
            "Unknown order sent.",
            "Duplicate order sent.",
            "Market is closed.",
            "Account has insufficient balance for requested action.",
            "Market orders are not supported for this symbol.",
            "Iceberg orders are not supported for this symbol.",
            "Stop loss orders are not supported for this symbol.",
            "Stop loss limit orders are not supported for this symbol.",
            "Take profit orders are not supported for this symbol.",
            "Take profit limit orders are not supported for this symbol.",
            "Order amend is not supported for this symbol.",
            "Price * QTY is zero or less.",
            "IcebergQty exceeds QTY.",
            "This action is disabled on this account.",
            "This account may not place or cancel orders.",
            "Unsupported order combination",
            "Order would trigger immediately.",
            "Cancel order is invalid. Check origClOrdId and orderId.",
            "Order would immediately match and take.",
            "The relationship of the prices for the orders is not correct.",
            "OCO orders are not supported for this symbol",
            "Quote order qty market orders are not support for this symbol.",
            "Trailing stop orders are not supported for this symbol.",
            "Order cancel-replace is not supported for this symbol.",
            "This symbol is not permitted for this account.",
            "This symbol is restricted for this account.",
            "Order was not canceled due to cancel restrictions.",
            "Rest API trading is not enabled.",
            "WebSocket API trading is not enabled.",
            "FIX API trading is not enabled.",
            "Order book liquidity is less than LOT_SIZE filter minimum quantity.",
            "Order book liquidity is less than MARKET_LOT_SIZE filter minimum quantity.",
            "Order book liquidity is less than symbol minimum quantity.",
            "Order amend (quantity increase) is not supported.",
            "The requested action would change no state; rejecting",
            "Pegged orders are not supported for this symbol.",
            "This order type may not use pegged price.",
            "This price peg cannot be used with this order type.",
            "Order book liquidity is too low for this pegged order.",
            "OPO orders are not supported for this symbol.",
            "Order amend (pending OPO order) is not supported.",
        ]
    };
}

catalog! {
    // 10xx: general server or network issues
    -1000 UNKNOWN 500 ["An unknown error occurred while processing the request."]
        "Retry after a short backoff; if the request placed, changed or cancelled an order, look the order up first instead of assuming it failed.";
    -1001 DISCONNECTED 500 ["Internal error; unable to process your request. Please try again."]
        "Retry with exponential backoff, and query order status before resending anything that trades.";
    // 401 (errors.md gives no status): Binance answers authorization failures with 401.
    -1002 UNAUTHORIZED 401 ["You are not authorized to execute this request."]
        "Use an API key that holds the permission this endpoint needs and that allows the calling IP.";
    -1003 TOO_MANY_REQUESTS 429 [
        "Too many requests queued.",
        "Too much request weight used; current limit is %s request weight per %s. Please use WebSocket Streams for live updates to avoid polling the API.",
        "Way too much request weight used; IP banned until %s. Please use WebSocket Streams for live updates to avoid bans.",
    ] "Slow down: watch the X-MBX-USED-WEIGHT response headers, honour Retry-After, and move live data to WebSocket streams; carrying on after a 429 gets the IP banned (418).";
    // 502 (errors.md gives no status): a bad answer from Binance's backend, so a gateway error.
    -1006 UNEXPECTED_RESP 502 [
        "An unexpected response was received from the message bus. Execution status unknown.",
    ] "The outcome is unknown: query the order or account state before retrying, and never assume the request failed.";
    -1007 TIMEOUT 503 [
        "Timeout waiting for response from backend server. Send status unknown; execution status unknown.",
    ] "The outcome is unknown: look the order up by its client order ID (or watch the user data stream) before resending anything.";
    -1008 SERVER_BUSY 503 [
        "Server is currently overloaded with other requests. Please try again in a few minutes.",
    ] "Back off and retry later, with exponentially growing delays and some jitter.";
    // Its own bullets (verbatim, though descriptive), then every "Filter failure: ..." message.
    -1013 INVALID_MESSAGE 400 [
        "The request is rejected by the API. (i.e. The request didn't reach the Matching Engine.)",
        "Potential error messages can be found in Filter Failures or Failures during order placement.",
        "Filter failure: PRICE_FILTER",
        "Filter failure: PERCENT_PRICE",
        "Filter failure: LOT_SIZE",
        "Filter failure: MIN_NOTIONAL",
        "Filter failure: NOTIONAL",
        "Filter failure: ICEBERG_PARTS",
        "Filter failure: MARKET_LOT_SIZE",
        "Filter failure: MAX_POSITION",
        "Filter failure: MAX_NUM_ORDERS",
        "Filter failure: MAX_NUM_ALGO_ORDERS",
        "Filter failure: MAX_NUM_ICEBERG_ORDERS",
        "Filter failure: MAX_NUM_ORDER_AMENDS",
        "Filter failure: MAX_NUM_ORDER_LISTS",
        "Filter failure: TRAILING_DELTA",
        "Filter failure: EXCHANGE_MAX_NUM_ORDERS",
        "Filter failure: EXCHANGE_MAX_NUM_ALGO_ORDERS",
        "Filter failure: EXCHANGE_MAX_NUM_ICEBERG_ORDERS",
        "Filter failure: EXCHANGE_MAX_NUM_ORDER_LISTS",
    ] "Check price and quantity against the symbol's filters in exchangeInfo (tick size, step size, notional bounds, open-order limits) and round or resize the order to satisfy them.";
    -1014 UNKNOWN_ORDER_COMPOSITION 400 ["Unsupported order combination."]
        "Use a combination of order type, timeInForce, price, stopPrice and icebergQty that is valid for that order type.";
    -1015 TOO_MANY_ORDERS 429 [
        "Too many new orders.",
        "Too many new orders; current limit is %s orders per %s.",
    ] "Place fewer new orders: stay under the order-count limits in exchangeInfo, watch the X-MBX-ORDER-COUNT headers, and wait for the interval to roll over.";
    // 503 (errors.md gives no status): the service is going away, so unavailable.
    -1016 SERVICE_SHUTTING_DOWN 503 ["This service is no longer available."]
        "Stop calling this service; move to its current replacement, or reconnect to another server if this one is being taken down.";
    -1020 UNSUPPORTED_OPERATION 400 ["This operation is not supported."]
        "Call an endpoint, method or option combination that this API supports; check its reference for what it accepts.";
    -1021 INVALID_TIMESTAMP 400 [
        "Timestamp for this request is outside of the recvWindow.",
        "Timestamp for this request was 1000ms ahead of the server's time.",
    ] "Sync the local clock (NTP) or offset by the server time from /api/v3/time, send timestamp in milliseconds (13 digits) rather than seconds, and widen recvWindow (at most 60000) if latency is high.";
    -1022 INVALID_SIGNATURE 400 ["Signature for this request is not valid."]
        "Sign exactly the bytes you send: the percent-encoded query string followed directly by the body, with timestamp included, using the secret exactly as issued.";
    -1033 COMP_ID_IN_USE 400 [
        "SenderCompId(49) is currently in use. Concurrent use of the same SenderCompId within one account is not allowed.",
    ] "Give each concurrent FIX session on the account its own SenderCompID, or close the other session before logging on with this one.";
    // Judgment call: FIX-only connection limit with no REST status; kept at 400 rather than 429.
    -1034 TOO_MANY_CONNECTIONS 400 [
        "Too many concurrent connections; current limit is '%s'.",
        "Too many connection attempts for account; current limit is %s per '%s'.",
        "Too many connection attempts from IP; current limit is %s per '%s'.",
    ] "Open fewer concurrent connections and space out reconnection attempts, backing off until the limit's interval has passed.";
    -1035 LOGGED_OUT 400 ["Please send Logout<5> message to close the session."]
        "The server is ending the session: answer with a Logout message, then open a new session, on another server if this one is going down.";

    // 11xx: request issues
    -1100 ILLEGAL_CHARS 400 [
        "Illegal characters found in a parameter.",
        "Illegal characters found in parameter '%s'; legal range is '%s'.",
    ] "Remove characters outside the parameter's allowed set (the message names the legal range) and percent-encode values correctly.";
    -1101 TOO_MANY_PARAMETERS 400 [
        "Too many parameters sent for this endpoint.",
        "Too many parameters; expected '%s' and received '%s'.",
        "Duplicate values for a parameter detected.",
    ] "Send each parameter once, and only the parameters this endpoint defines.";
    -1102 MANDATORY_PARAM_EMPTY_OR_MALFORMED 400 [
        "A mandatory parameter was not sent, was empty/null, or malformed.",
        "Mandatory parameter '%s' was not sent, was empty/null, or malformed.",
        "Param '%s' or '%s' must be sent, but both were empty/null!",
        "Required tag '%s' missing.",
        "Field value was empty or malformed.",
        "'%s' contains unexpected value. Cannot be greater than %s.",
    ] "Send every mandatory parameter with a non-empty, well-formed value, and check the spelling and case of parameter names.";
    -1103 UNKNOWN_PARAM 400 [
        "An unknown parameter was sent.",
        "Undefined Tag.",
    ] "Drop parameters or FIX tags the endpoint does not define, and check names for typos and wrong case.";
    -1104 UNREAD_PARAMETERS 400 [
        "Not all sent parameters were read.",
        "Not all sent parameters were read; read '%s' parameter(s) but was sent '%s'.",
    ] "Remove parameters this endpoint does not use, including duplicates and ones that only apply to other order types.";
    -1105 PARAM_EMPTY 400 [
        "A parameter was empty.",
        "Parameter '%s' was empty.",
    ] "Give the parameter a value, or leave it out entirely if it is optional.";
    -1106 PARAM_NOT_REQUIRED 400 [
        "A parameter was sent when not required.",
        "Parameter '%s' sent when not required.",
        "A tag '%s' was sent when not required.",
    ] "Leave that parameter or tag out of this request; it only applies to other order types or modes.";
    -1108 PARAM_OVERFLOW 400 ["Parameter '%s' overflowed."]
        "Send a value within the parameter's numeric range.";
    -1111 BAD_PRECISION 400 ["Parameter '%s' has too much precision."]
        "Round the value to the symbol's precision: price to tickSize and quantity to stepSize from exchangeInfo, with no extra decimal places.";
    -1112 NO_DEPTH 400 ["No orders on book for symbol."]
        "The book for this symbol is empty; wait for liquidity, or use an order type that does not need resting orders to match.";
    -1114 TIF_NOT_REQUIRED 400 ["TimeInForce parameter sent when not required."]
        "Omit timeInForce for order types that do not take it, such as MARKET and LIMIT_MAKER.";
    -1115 INVALID_TIF 400 ["Invalid timeInForce."]
        "Send a timeInForce value the symbol supports, such as GTC, IOC or FOK.";
    -1116 INVALID_ORDER_TYPE 400 ["Invalid orderType."]
        "Use an order type listed in the symbol's orderTypes in exchangeInfo, spelled exactly.";
    -1117 INVALID_SIDE 400 ["Invalid side."]
        "Send side as BUY or SELL.";
    -1118 EMPTY_NEW_CL_ORD_ID 400 ["New client order ID was empty."]
        "Send a non-empty newClientOrderId, or omit it and let Binance generate one.";
    -1119 EMPTY_ORG_CL_ORD_ID 400 ["Original client order ID was empty."]
        "Send a non-empty origClientOrderId, or identify the order by orderId instead.";
    -1120 BAD_INTERVAL 400 ["Invalid interval."]
        "Use one of the supported kline intervals (such as 1m, 1h or 1d); they are case-sensitive.";
    -1121 BAD_SYMBOL 400 ["Invalid symbol."]
        "Use a symbol that exists, spelled as in exchangeInfo: uppercase with no separator, e.g. BTCUSDT.";
    -1122 INVALID_SYMBOLSTATUS 400 ["Invalid symbolStatus."]
        "Use a symbolStatus value from the enum list, such as TRADING, HALT or BREAK.";
    -1125 INVALID_LISTEN_KEY 400 ["This listenKey does not exist."]
        "Create a new listenKey and reconnect, then keep it alive with a ping well within its 60-minute expiry.";
    -1127 MORE_THAN_XX_HOURS 400 [
        "Lookup interval is too big.",
        "More than %s hours between startTime and endTime.",
    ] "Keep the span between startTime and endTime within the endpoint's maximum, and page through longer ranges with several requests.";
    -1128 OPTIONAL_PARAMS_BAD_COMBO 400 [
        "Combination of optional parameters invalid.",
        "Combination of optional fields invalid. Recommendation: '%s' and '%s' must both be sent.",
        "Fields [%s] must be sent together or omitted entirely.",
        "Invalid MDEntryType (269) combination. BID and OFFER must be requested together.",
        "Conflicting fields: ['%s'...]",
    ] "Send optional parameters only in combinations the endpoint accepts: pair the ones that belong together and drop the ones that conflict.";
    -1130 INVALID_PARAMETER 400 [
        "Invalid data sent for a parameter.",
        "Data sent for parameter '%s' is not valid.",
    ] "Send a value of the right type, within the allowed range or enum for that parameter.";
    -1134 BAD_STRATEGY_TYPE 400 [
        "strategyType was less than 1000000.",
        "TargetStrategy (847) was less than 1000000.",
    ] "Use a strategyType of 1000000 or more; lower values are reserved.";
    -1135 INVALID_JSON 400 [
        "Invalid JSON Request",
        "JSON sent for parameter '%s' is not valid",
    ] "Send well-formed JSON in that parameter (valid syntax, double-quoted strings), percent-encoded when it travels in the query string.";
    -1139 INVALID_TICKER_TYPE 400 ["Invalid ticker type."]
        "Use a ticker type the endpoint accepts: FULL or MINI.";
    // The first is the answer rest-api.md and web-socket-api.md print for this error (their cancel
    // pages); errors.md words it as the second.
    -1145 INVALID_CANCEL_RESTRICTIONS 400 [
        "Invalid cancelRestrictions",
        "cancelRestrictions has to be either ONLY_NEW or ONLY_PARTIALLY_FILLED.",
    ] "Set cancelRestrictions to ONLY_NEW or ONLY_PARTIALLY_FILLED, or leave it out.";
    -1151 DUPLICATE_SYMBOLS 400 ["Symbol is present multiple times in the list."]
        "Remove repeated symbols so each appears in the list once.";
    -1152 INVALID_SBE_HEADER 400 [
        "Invalid X-MBX-SBE header; expected <SCHEMA_ID>:<VERSION>.",
        "Invalid SBE message header.",
    ] "Format the X-MBX-SBE header as the schema ID and version joined by a colon, and send a well-formed SBE message header.";
    -1153 UNSUPPORTED_SCHEMA_ID 400 [
        "Unsupported SBE schema ID or version specified in the X-MBX-SBE header.",
        "Invalid SBE schema ID or version specified.",
    ] "Ask for a schema ID and version that the server currently supports, as listed in the published SBE schema files.";
    -1155 SBE_DISABLED 400 ["SBE is not enabled."]
        "Request JSON responses instead, or use an environment where SBE is enabled.";
    -1158 OCO_ORDER_TYPE_REJECTED 400 [
        "Order type not supported in OCO.",
        "If the order type provided in the aboveType and/or belowType is not supported.",
    ] "Use order types that are allowed for OCO legs in aboveType and belowType.";
    -1160 OCO_ICEBERGQTY_TIMEINFORCE 400 [
        "Parameter '%s' is not supported if aboveTimeInForce/belowTimeInForce is not GTC.",
        "If the order type for the above or below leg is STOP_LOSS_LIMIT, and icebergQty is provided for that leg, the timeInForce has to be GTC else it will throw an error.",
        "TimeInForce (59) must be GTC (1) when MaxFloor (111) is used.",
    ] "Use GTC as the time in force on any OCO leg that carries an iceberg quantity, or drop the iceberg quantity.";
    -1161 DEPRECATED_SCHEMA 400 [
        "Unable to encode the response in SBE schema 'x'. Please use schema 'y' or higher.",
    ] "Move to the schema version named in the message or a newer one.";
    -1165 BUY_OCO_LIMIT_MUST_BE_BELOW 400 ["A limit order in a buy OCO must be below."]
        "In a buy OCO, price the limit leg below the current market price.";
    -1166 SELL_OCO_LIMIT_MUST_BE_ABOVE 400 ["A limit order in a sell OCO must be above."]
        "In a sell OCO, price the limit leg above the current market price.";
    -1168 BOTH_OCO_ORDERS_CANNOT_BE_LIMIT 400 ["At least one OCO order must be contingent."]
        "Make at least one OCO leg a stop-loss or take-profit order; two plain limit legs are not accepted.";

    // 11xx, FIX API only (no REST status exists; 400 as for any request error)
    -1169 INVALID_TAG_NUMBER 400 ["Invalid tag number."]
        "Use only tag numbers defined in Binance's FIX dictionary.";
    -1170 TAG_NOT_DEFINED_IN_MESSAGE 400 ["Tag '%s' not defined for this message type."]
        "Remove the tag from this message type; it is only valid on other messages.";
    -1171 TAG_APPEARS_MORE_THAN_ONCE 400 ["Tag '%s' appears more than once."]
        "Send the tag once per message, or once per repeating-group entry.";
    -1172 TAG_OUT_OF_ORDER 400 ["Tag '%s' specified out of required order."]
        "Send the tags in the order the FIX specification requires (standard header first, trailer last).";
    -1173 GROUP_FIELDS_OUT_OF_ORDER 400 ["Repeating group '%s' fields out of order."]
        "Send the fields of each repeating-group entry in dictionary order, starting with the group's first field.";
    -1174 INVALID_COMPONENT 400 [
        "Component '%s' is incorrectly populated on '%s' order. Recommendation: '%s'",
    ] "Fill the named component as this order type requires, following the recommendation in the message.";
    -1175 RESET_SEQ_NUM_SUPPORT 400 [
        "Continuation of sequence numbers to new session is currently unsupported. Sequence numbers must be reset for each new session.",
    ] "Start every new session with sequence numbers reset to 1, setting ResetSeqNumFlag on Logon.";
    -1176 ALREADY_LOGGED_IN 400 ["Logon<A> should only be sent once."]
        "Send Logon once per connection; to start a different session, log out and reconnect.";
    -1177 GARBLED_MESSAGE 400 [
        "CheckSum(10) contains an incorrect value.",
        "BeginString (8) is not the first tag in a message.",
        "MsgType (35) is not the third tag in a message.",
        "BodyLength (9) does not contain the correct byte count.",
        "Only printable ASCII characters and SOH (Start of Header) are allowed.",
        "Tag specified without a value.",
        "Invalid encodingType.",
    ] "Rebuild the message framing: BeginString first, BodyLength second with the correct byte count, MsgType third, a correct CheckSum, printable ASCII separated by SOH, and no empty tags.";
    -1178 BAD_SENDER_COMPID 400 [
        "SenderCompId(49) contains an incorrect value. The SenderCompID value should not change throughout the lifetime of a session.",
    ] "Keep the SenderCompID on every message of a session identical to the one sent on Logon.";
    -1179 BAD_SEQ_NUM 400 ["MsgSeqNum(34) contains an unexpected value. Expected: '%d'."]
        "Send MsgSeqNum one higher than the previous message, using the value the server says it expects.";
    -1180 EXPECTED_LOGON 400 ["Logon<A> must be the first message in the session."]
        "Send Logon as the first message after connecting, before any other request.";
    // Judgment call: FIX-only message-rate limit with no REST status; kept at 400 rather than 429.
    -1181 TOO_MANY_MESSAGES 400 ["Too many messages; current limit is '%d' messages per '%s'."]
        "Send fewer messages per interval; throttle on the client to stay under the limit given in the message.";
    -1182 PARAMS_BAD_COMBO 400 ["Conflicting fields: [%s]"]
        "Remove one of the conflicting fields; they cannot be sent together.";
    -1183 NOT_ALLOWED_IN_DROP_COPY_SESSIONS 400 ["Requested operation is not allowed in DropCopy sessions."]
        "Send this request on an order-entry or market-data session rather than a drop copy session.";
    -1184 DROP_COPY_SESSION_NOT_ALLOWED 400 [
        "DropCopy sessions are not supported on this server. Please reconnect to a drop copy server.",
    ] "Connect to a drop copy server for drop copy sessions, or log on here without the drop copy flag.";
    -1185 DROP_COPY_SESSION_REQUIRED 400 [
        "Only DropCopy sessions are supported on this server. Either reconnect to order entry server or send DropCopyFlag (9406) field.",
    ] "Set DropCopyFlag on Logon, or connect to an order-entry server instead.";
    -1186 NOT_ALLOWED_IN_ORDER_ENTRY_SESSIONS 400 [
        "Requested operation is not allowed in order entry sessions.",
    ] "Send this request on a session type that supports it; order-entry sessions do not.";
    -1187 NOT_ALLOWED_IN_MARKET_DATA_SESSIONS 400 [
        "Requested operation is not allowed in market data sessions.",
    ] "Send this request on a session type that supports it; market-data sessions only handle market-data requests.";
    -1188 INCORRECT_NUM_IN_GROUP_COUNT 400 ["Incorrect NumInGroup count for repeating group '%s'."]
        "Make the NumInGroup count equal the number of entries actually sent in that group.";
    -1189 DUPLICATE_ENTRIES_IN_A_GROUP 400 ["Group '%s' contains duplicate entries."]
        "Remove the duplicate entries from the repeating group.";
    -1190 INVALID_REQUEST_ID 400 [
        "MDReqID (262) contains a subscription request id that is already in use on this connection.",
        "MDReqID (262) contains an unsubscription request id that does not match any active subscription.",
    ] "Use a fresh MDReqID for each subscription, and unsubscribe only with the ID of an active one.";
    -1191 TOO_MANY_SUBSCRIPTIONS 400 [
        "Too many subscriptions. Connection may create up to '%s' subscriptions at a time.",
        "Similar subscription is already active on this connection. Symbol='%s', active subscription id: '%s'.",
    ] "Unsubscribe from data you no longer need, and do not subscribe twice to the same data on one connection.";

    // 11xx: request issues, continued
    -1194 INVALID_TIME_UNIT 400 ["Invalid value for time unit; expected either MICROSECOND or MILLISECOND."]
        "Set the time unit to MICROSECOND or MILLISECOND, or omit it to get milliseconds.";
    -1196 BUY_OCO_STOP_LOSS_MUST_BE_ABOVE 400 ["A stop loss order in a buy OCO must be above."]
        "In a buy OCO, set the stop-loss leg's stop price above the current market price.";
    -1197 SELL_OCO_STOP_LOSS_MUST_BE_BELOW 400 ["A stop loss order in a sell OCO must be below."]
        "In a sell OCO, set the stop-loss leg's stop price below the current market price.";
    -1198 BUY_OCO_TAKE_PROFIT_MUST_BE_BELOW 400 ["A take profit order in a buy OCO must be below."]
        "In a buy OCO, set the take-profit leg's price below the current market price.";
    -1199 SELL_OCO_TAKE_PROFIT_MUST_BE_ABOVE 400 ["A take profit order in a sell OCO must be above."]
        "In a sell OCO, set the take-profit leg's price above the current market price.";
    -1210 INVALID_PEG_PRICE_TYPE 400 ["Invalid pegPriceType."]
        "Use a pegPriceType value from the enum list, such as PRIMARY_PEG or MARKET_PEG.";
    -1211 INVALID_PEG_OFFSET_TYPE 400 ["Invalid pegOffsetType."]
        "Use a pegOffsetType value from the enum list, such as PRICE_LEVEL.";
    -1220 SYMBOL_DOES_NOT_MATCH_STATUS 400 ["The symbol's status does not match the requested symbolStatus."]
        "Drop the symbolStatus filter, or ask for the status the symbol is actually in.";
    -1221 INVALID_SBE_MESSAGE_FIELD 400 ["Invalid/missing field(s) in SBE message."]
        "Send every required field of the SBE message, each with a valid value.";
    -1222 OPO_WORKING_MUST_BE_BUY 400 ["Working order in an OPO list must be a bid."]
        "Make the working order of an OPO list a BUY order.";
    -1223 OPO_PENDING_MUST_BE_SELL 400 ["Pending orders in an OPO list must be asks."]
        "Make the pending orders of an OPO list SELL orders.";
    -1224 WORKING_PARAM_REQUIRED 400 ["Working order must include the '{param}' tag."]
        "Add the parameter named in the message to the working order.";
    -1225 PENDING_PARAM_NOT_REQUIRED 400 ["Pending orders should not include the '%s' tag."]
        "Remove the parameter named in the message from the pending orders.";

    // 20xx: order and account issues
    // Its own message, then the engine messages from "Messages for -1010 ERROR_MSG_RECEIVED, ...".
    -2010 NEW_ORDER_REJECTED 400 { "NEW_ORDER_REJECTED" } "The matching engine rejected the new order; read the message for the reason (balance, symbol permissions, unsupported order type, price relationships) and fix it before resending.";
    // Its own message, then the engine messages from "Messages for -1010 ERROR_MSG_RECEIVED, ...".
    -2011 CANCEL_REJECTED 400 { "CANCEL_REJECTED" } "The cancel was refused, usually because the order is already filled, cancelled or unknown; query it by orderId or origClientOrderId to see its state.";
    -2013 NO_SUCH_ORDER 400 ["Order does not exist."]
        "Check the symbol and the orderId or origClientOrderId; the order may never have been accepted, or may have been archived.";
    // 401 (errors.md gives no status): Binance answers a rejected API key with 401.
    -2014 BAD_API_KEY_FMT 401 ["API-key format invalid."]
        "Send the API key in the X-MBX-APIKEY header, exactly as issued: not in a query parameter, the body or an Authorization header, and without quotes or whitespace.";
    // 401 (errors.md gives no status): Binance answers a rejected API key with 401.
    -2015 REJECTED_MBX_KEY 401 ["Invalid API-key, IP, or permissions for action."]
        "Check that the key is active and belongs to this environment (live or testnet), that the calling IP is on its whitelist, and that it has the permission this endpoint needs.";
    -2016 NO_TRADING_WINDOW 400 ["No trading window could be found for the symbol. Try ticker/24hrs instead."]
        "Use the 24-hour ticker for this symbol, or a window size the symbol has data for.";
    -2026 ORDER_ARCHIVED 400 [
        "Order was canceled or expired with no executed qty over 90 days ago and has been archived.",
    ] "The order is too old to query one by one; rely on your own records or the trade history for it.";
    // Judgment call: WebSocket-API-only; 400 as for any request error.
    -2035 SUBSCRIPTION_ACTIVE 400 ["User Data Stream subscription already active."]
        "A user data stream subscription is already open on this connection; reuse it, or unsubscribe before subscribing again.";
    // Judgment call: WebSocket-API-only; 400 as for any request error.
    -2036 SUBSCRIPTION_INACTIVE 400 ["User Data Stream subscription not active."]
        "Subscribe to the user data stream on this connection before using or cancelling the subscription.";
    -2039 CLIENT_ORDER_ID_INVALID 400 ["Client order ID is not correct for this order ID."]
        "Send the orderId and client order ID of the same order, or identify the order by just one of them.";
    // Judgment call: WebSocket-API-only; 400 as for any request error.
    -2042 MAXIMUM_SUBSCRIPTION_IDS 400 ["Maximum subscription ID reached for this connection."]
        "Unsubscribe what you no longer need or open a new connection; this one has used up its subscription IDs.";
    -2043 NO_REFERENCE_PRICE 400 ["This symbol doesn't have a reference price."]
        "Use another symbol, or retry once a reference price is published for this one.";

    // -1010 and -2038 have no heading of their own: errors.md names them only in the heading of
    // "Messages for -1010 ERROR_MSG_RECEIVED, -2010 NEW_ORDER_REJECTED, ...", so they sit here.
    // No message of its own is documented: the name, then the engine messages.
    // Judgment call: errors.md gives no status; 400 like -2010/-2011, as an engine rejection.
    -1010 ERROR_MSG_RECEIVED 400 { "ERROR_MSG_RECEIVED" } "The matching engine refused the request; read the message to see which condition failed and correct it before retrying.";
    // No message of its own is documented: the name, then the engine messages.
    // Judgment call: errors.md gives no status; 400 like -2010/-2011, as an engine rejection.
    -2038 ORDER_AMEND_REJECTED 400 { "ORDER_AMEND_REJECTED" } "The amendment was refused; read the message, and note that an amend can only lower the quantity of an order that is still open.";

    // Errors regarding placing orders via cancelReplace
    // Name invented: errors.md's heading is "Order cancel-replace partially failed" with no NAME.
    // Message from rest-api.md's cancelReplace examples (the bullet here only describes the code).
    -2021 ORDER_CANCEL_REPLACE_PARTIALLY_FAILED 409 ["Order cancel-replace partially failed."]
        "One half of the cancel-replace failed: read cancelResponse and newOrderResponse in the data to see which, and check open orders before acting again.";
    // Name invented: errors.md's heading is "Order cancel-replace failed." with no NAME.
    // Message from rest-api.md's cancelReplace examples (the bullet here only describes the code).
    // 400: rest-api.md's cancelReplace table gives 400 when the cancel fails and no order is placed.
    -2022 ORDER_CANCEL_REPLACE_FAILED 400 ["Order cancel-replace failed."]
        "Neither the cancel nor the new order went through; read cancelResponse and newOrderResponse in the data for the reasons before retrying.";
}
