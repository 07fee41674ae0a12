//! The endpoint table against rest-api.md: every documented `METHOD /api/v3/...` is there, in order,
//! with the security type of its heading.

use mbx_core::Params;
use mbx_core::endpoint::{
    self, Endpoint, Kind, Method, Param, Presence, SIGNED_PARAMS, SPOT, Security, WS_SESSION,
    WS_SIGNED_PARAMS,
};

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
    let prevented = endpoint::find(Method::Get, "/api/v3/myPreventedMatches").unwrap();
    assert_eq!(prevented.weight_for(&Params::new().int("preventedMatchId", 1)), 2);
    assert_eq!(prevented.weight_for(&Params::new().int("orderId", 1)), 20);
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

/// One documented endpoint or method: its request line or WebSocket method, the text of its section,
/// and the rows of its parameter table as `(name, type, mandatory)`.
#[derive(Debug, Default)]
struct Section {
    heading: String,
    request: Option<(Method, String)>,
    ws: Option<String>,
    text: String,
    params: Vec<(String, String, String)>,
}

fn read_doc(name: &str) -> String {
    let path = crate::support::vectors_dir().join("../binance-docs").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A cell's text: tags, entities and backquotes removed.
fn cell(raw: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in raw.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&nbsp;", " ").trim().trim_matches('`').trim().to_owned()
}

/// The `<td>` cells of the rows of an HTML table, rows spanning down (`rowspan`) filled in.
fn html_rows(table: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut spans: std::collections::BTreeMap<usize, (usize, String)> = Default::default();
    for tr in table.split("<tr>").skip(1) {
        let tr = tr.split("</tr>").next().unwrap_or("");
        if tr.contains("<th") {
            continue;
        }
        let mut cells: Vec<(String, String)> = Vec::new();
        for td in tr.split("<td").skip(1) {
            let (attrs, rest) = td.split_once('>').unwrap_or(("", td));
            cells.push((attrs.to_owned(), cell(rest.split("</td>").next().unwrap_or(""))));
        }
        let mut row = Vec::new();
        let mut next = cells.into_iter();
        loop {
            let col = row.len();
            if let Some((left, value)) = spans.get_mut(&col) {
                row.push(value.clone());
                *left -= 1;
                if *left == 0 {
                    spans.remove(&col);
                }
                continue;
            }
            let Some((attrs, value)) = next.next() else { break };
            if let Some(n) = attrs.split("rowspan=").nth(1) {
                let n: usize =
                    n.trim_matches('"').split(|c: char| !c.is_ascii_digit()).next().unwrap().parse().unwrap();
                if n > 1 {
                    spans.insert(col, (n - 1, value.clone()));
                }
            }
            row.push(value);
        }
        rows.push(row);
    }
    rows
}

/// The sections of a docs page that have a request line, a WebSocket method or a parameter table.
fn sections(doc: &str) -> Vec<Section> {
    let lines: Vec<&str> = doc.lines().collect();
    let mut out: Vec<Section> = Vec::new();
    let mut in_code = false;
    let mut in_params = false;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        }
        if !in_code && (line.starts_with("## ") || line.starts_with("### ") || line.starts_with("#### ")) {
            out.push(Section {
                heading: line.trim_start_matches('#').trim().to_owned(),
                ..Section::default()
            });
            in_params = false;
            i += 1;
            continue;
        }
        let Some(s) = out.last_mut() else {
            i += 1;
            continue;
        };
        s.text.push_str(line);
        s.text.push('\n');
        let mut words = line.split_whitespace();
        if let (Some(m), Some(p), None) = (words.next(), words.next(), words.next())
            && let Some(method) = Method::parse(m)
            && p.starts_with('/')
            && m.chars().all(|c| c.is_ascii_uppercase())
        {
            s.request = Some((method, p.to_owned()));
        } else if s.ws.is_none()
            && let Some(rest) = line.trim().strip_prefix("\"method\": \"")
        {
            s.ws = rest.split('"').next().map(str::to_owned);
        } else if line.starts_with("**Parameters") {
            in_params = true;
        } else if in_params && line.trim_start().starts_with("<table") {
            let mut table = String::new();
            while i < lines.len() && !lines[i].contains("</table>") {
                table.push_str(lines[i]);
                i += 1;
            }
            s.params = html_rows(&table)
                .into_iter()
                .filter(|r| r.len() >= 3)
                .map(|r| (r[0].clone(), r[1].clone(), r[2].clone()))
                .collect();
            in_params = false;
        } else if in_params && line.trim_start().trim_start_matches('|').trim_start().starts_with("Name") {
            i += 2;
            while i < lines.len() && lines[i].contains('|') {
                let cells: Vec<String> = lines[i].trim().trim_matches('|').split('|').map(cell).collect();
                if cells.len() >= 3 {
                    s.params.push((cells[0].clone(), cells[1].clone(), cells[2].clone()));
                }
                i += 1;
            }
            in_params = false;
            continue;
        } else if line.starts_with("**") {
            in_params = false;
        }
        i += 1;
    }
    out
}

fn kind_of(doc_type: &str) -> Kind {
    match doc_type.to_ascii_uppercase().as_str() {
        "STRING" => Kind::Str,
        "ENUM" => Kind::Enum,
        "DECIMAL" => Kind::Decimal,
        "INT" => Kind::Int,
        "LONG" => Kind::Long,
        "BOOLEAN" => Kind::Bool,
        "ARRAY OF STRING" => Kind::StrArray,
        other => panic!("unknown type {other}"),
    }
}

/// The docs' mandatory column against a row's presence: a plain YES is mandatory (or one of a
/// group), a NO or a starred value never always-mandatory.
fn check_presence(what: &str, doc: &str, presence: Presence) {
    let doc = doc.replace(['\\', ' '], "").to_ascii_uppercase();
    match doc.as_str() {
        "YES" => assert!(
            matches!(presence, Presence::Mandatory | Presence::OneOf(_)),
            "{what}: the docs say mandatory, the table {presence:?}"
        ),
        _ => assert!(!presence.is_mandatory(), "{what}: the docs say {doc}, the table Mandatory"),
    }
}

/// A documented parameter table against an endpoint's parameters: the same names, in order, with
/// `extra` (the transport's own) and the signed parameters set aside.
fn check_params(what: &str, section: &Section, e: &Endpoint, extra: &[&str], check_kinds: bool) {
    let documented: Vec<&(String, String, String)> = section
        .params
        .iter()
        .filter(|(n, _, _)| !SIGNED_PARAMS.contains(&n.as_str()) && !extra.contains(&n.as_str()))
        .collect();
    // An endpoint that reads all of another's parameters documents only its own ("In addition to
    // all parameters of ..."): they are its last group. Otherwise its groups together are the table.
    let ours: Vec<&Param> = if section.text.contains("In addition to all") {
        assert!(e.params.len() > 1, "{what}: the docs add to another endpoint's parameters");
        e.params.last().unwrap().iter().collect()
    } else {
        e.params().collect()
    };
    let mut doc_names: Vec<&str> = documented.iter().map(|(n, _, _)| n.as_str()).collect();
    let mut our_names: Vec<&str> = ours.iter().map(|p| p.name).collect();
    doc_names.sort_unstable();
    our_names.sort_unstable();
    assert_eq!(our_names, doc_names, "{what}: parameters");
    for (name, doc_type, mandatory) in documented {
        let p = ours.iter().find(|p| p.name == name).unwrap();
        if check_kinds {
            assert_eq!(p.kind, kind_of(doc_type), "{what}: {name}'s type");
        }
        check_presence(&format!("{what}: {name}"), mandatory, p.presence);
    }
    // A signed endpoint's table lists timestamp; a public one's never does.
    if section.params.iter().any(|(n, _, _)| n == "timestamp") {
        assert!(e.security.needs_signature() || extra.contains(&"timestamp"), "{what}: timestamp");
    }
}

#[test]
fn every_rest_parameter_matches_the_docs() {
    let mut checked = 0;
    for doc in ["rest-api.md", "legacy/rest-userdatastream-listenkey-2025-08.md"] {
        for s in sections(&read_doc(doc)) {
            let Some((method, path)) = &s.request else { continue };
            if !path.starts_with("/api/v3/") {
                continue;
            }
            let e = endpoint::find(*method, path)
                .unwrap_or_else(|| panic!("{method} {path} is not in the table"));
            check_params(&format!("{method} {path}"), &s, e, &[], true);
            checked += 1;
        }
    }
    assert_eq!(checked, SPOT.len());
    // The table reads each one's own names, the signed ones, and nothing else.
    let order = endpoint::find(Method::Post, "/api/v3/order").unwrap();
    assert!(order.reads("timeInForce") && order.reads("recvWindow") && !order.reads("timeinforce"));
    assert_eq!(order.unread(["symbol", "created", "timestamp"]), ["created"]);
    assert!(!endpoint::find(Method::Get, "/api/v3/depth").unwrap().reads("timestamp"));
}

#[test]
fn every_websocket_method_matches_the_docs() {
    let doc = read_doc("web-socket-api.md");
    // Requests are documented from "General requests" on; earlier sections show examples.
    let start = doc.find("\n## General requests").expect("General requests heading");
    let mut seen = Vec::new();
    for s in sections(&doc[start..]) {
        let Some(name) = &s.ws else { continue };
        let what = format!("WebSocket API {name} ({})", s.heading);
        if let Some(e) = endpoint::ws_method(name) {
            check_params(&what, &s, e, WS_SIGNED_PARAMS, false);
        } else {
            let m = endpoint::ws_session(name).unwrap_or_else(|| panic!("{what} is not in the table"));
            let mut documented: Vec<&str> = s
                .params
                .iter()
                .map(|(n, _, _)| n.as_str())
                .filter(|n| !SIGNED_PARAMS.contains(n) && !WS_SIGNED_PARAMS.contains(n))
                .collect();
            let mut ours: Vec<&str> = m.params.iter().map(|p| p.name).collect();
            documented.sort_unstable();
            ours.sort_unstable();
            assert_eq!(ours, documented, "{what}: parameters");
            let signed = s.params.iter().any(|(n, _, _)| n == "signature");
            assert_eq!(m.security.needs_signature(), signed, "{what}: signed");
        }
        seen.push(name.clone());
    }
    // Every method the table names is documented.
    for e in SPOT {
        for name in e.ws {
            assert!(
                seen.contains(&(*name).to_owned()),
                "{name} ({} {}) is not in the docs",
                e.method,
                e.path
            );
        }
    }
    for m in WS_SESSION {
        assert!(seen.contains(&m.name.to_owned()), "{} is not in the docs", m.name);
    }
    assert!(seen.len() >= 50, "found {} methods", seen.len());
}

/// The SAPI rows: found by method and path like the spot ones, signed as their docs say (the family
/// rule agrees), no WebSocket API method, and no `-1104` (SAPI reads no unknown name as an error).
#[test]
fn sapi_rows_are_found_and_read_everything() {
    for e in endpoint::SAPI {
        assert_eq!(endpoint::find(e.method, e.path), Some(*e), "{}", e.path);
        assert!(e.path.starts_with("/sapi/v1/") && e.ws.is_empty(), "{}", e.path);
        assert!(e.unread(["recvWindow", "bogus"]).is_empty(), "{}", e.path);
        assert!(endpoint::ws_method(e.name).is_none());
    }
    let status = endpoint::find(Method::Get, "/sapi/v1/system/status").unwrap();
    assert_eq!(status.security, Security::None);
    let coins = endpoint::find(Method::Get, "/sapi/v1/capital/config/getall").unwrap();
    assert_eq!((coins.security, coins.weight_for(&Params::new())), (Security::UserData, 10));
    assert_eq!(endpoint::needs_signature(Method::Get, "/sapi/v1/margin/allPairs"), Some(true));
    // Spot rows still answer -1104.
    assert_eq!(endpoint::find(Method::Get, "/api/v3/depth").unwrap().unread(["bogus"]), vec!["bogus"]);
}
