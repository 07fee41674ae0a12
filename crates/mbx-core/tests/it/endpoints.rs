//! The endpoint table against rest-api.md: every documented `METHOD /api/v3/...` is there, in order,
//! with the security type of its heading.

use mbx_core::Params;
use mbx_core::endpoint::{self, Method, SPOT, Security};

fn docs() -> String {
    let path = crate::support::vectors_dir().join("../binance-docs/rest-api.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn endpoints_match_every_documented_method_and_path_in_order() {
    let docs = docs();
    let mut documented = Vec::new();
    let mut heading_security = Security::None;
    for line in docs.lines() {
        if line.starts_with("###") {
            heading_security = if line.contains("(TRADE)") {
                Security::Trade
            } else if line.contains("(USER_DATA)") {
                Security::UserData
            } else if line.contains("(USER_STREAM)") {
                Security::UserStream
            } else {
                Security::None
            };
        }
        let mut parts = line.split_whitespace();
        if let (Some(m), Some(p), None) = (parts.next(), parts.next(), parts.next())
            && let Some(method) = Method::parse(m)
            && p.starts_with("/api/v3/")
            && m.chars().all(|c| c.is_ascii_uppercase())
        {
            documented.push((method, p.to_owned(), heading_security));
        }
    }
    assert!(documented.len() >= 45, "found {} documented endpoints", documented.len());
    let ours: Vec<(Method, String, Security)> =
        SPOT.iter().map(|e| (e.method, e.path.to_owned(), e.security)).collect();
    assert_eq!(&ours[..documented.len()], &documented[..]);
    // The retired listenKey endpoints follow.
    assert!(
        ours[documented.len()..]
            .iter()
            .all(|(_, p, s)| p == "/api/v3/userDataStream" && *s == Security::UserStream)
    );
}

#[test]
fn endpoint_weights_follow_parameters() {
    let depth = endpoint::find(Method::Get, "/api/v3/depth").unwrap();
    assert_eq!(depth.weight_for(&Params::new()), 5);
    assert_eq!(depth.weight_for(&Params::new().int("limit", 5000)), 250);
    let open = endpoint::find(Method::Get, "/api/v3/openOrders").unwrap();
    assert_eq!(open.weight_for(&Params::new().text("symbol", "BTCUSDT")), 6);
    assert_eq!(open.weight_for(&Params::new()), 80);
    let ticker = endpoint::find(Method::Get, "/api/v3/ticker/24hr").unwrap();
    assert_eq!(ticker.weight_for(&Params::new().text("symbol", "BTCUSDT")), 2);
    assert_eq!(ticker.weight_for(&Params::new()), 80);
    assert_eq!(endpoint::find(Method::Post, "/api/v3/order").unwrap().weight_for(&Params::new()), 1);
    assert!(endpoint::find(Method::Get, "/api/v3/account").unwrap().security.needs_signature());
    assert!(!endpoint::find(Method::Get, "/api/v3/ping").unwrap().security.needs_api_key());
}

#[test]
fn endpoint_per_symbol_weight_is_capped() {
    let t = endpoint::find(Method::Get, "/api/v3/ticker").unwrap();
    assert_eq!(t.weight_for(&Params::new().text("symbol", "BTCUSDT")), 4);
    assert_eq!(t.weight_for(&Params::new().json_array("symbols", ["A", "B", "C"])), 12);
    let many: Vec<String> = (0..80).map(|i| format!("S{i}")).collect();
    assert_eq!(t.weight_for(&Params::new().json_array("symbols", &many)), 200);
    let rules = endpoint::find(Method::Get, "/api/v3/executionRules").unwrap();
    assert_eq!(rules.weight_for(&Params::new()), 40);
}
