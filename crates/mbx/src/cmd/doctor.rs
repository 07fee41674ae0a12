//! `mbx doctor`: what Binance will answer to a request, why, and the fix.

use std::io::Read as _;

use mbx_core::diagnose::{self, Context as DoctorContext, RequestRecord};
use mbx_core::time::Timestamp;

use crate::cli::{DoctorCommand, DoctorRequestArgs};
use crate::context::Context;
use crate::exit::{self, usage};
use crate::output::Report;

/// `mbx doctor request|live|sandbox-log`.
pub async fn run(ctx: &Context, cmd: DoctorCommand) -> anyhow::Result<Report> {
    match cmd {
        DoctorCommand::Request(args) => request(ctx, *args),
        DoctorCommand::Live => live(ctx).await,
        DoctorCommand::SandboxLog { limit } => sandbox_log(ctx, limit).await,
    }
}

/// `mbx doctor sandbox-log`: the sandbox's last rejections with their diagnoses.
async fn sandbox_log(ctx: &Context, limit: u32) -> anyhow::Result<Report> {
    use std::fmt::Write as _;
    if !(1..=100).contains(&limit) {
        return Err(usage(format!("--limit {limit}: give a number from 1 to 100")));
    }
    let url = ctx.sandbox_url(None)?;
    let client = ctx.sandbox_client(&url)?;
    let answer = client
        .sandbox_admin(mbx_core::endpoint::Method::Get, &format!("/sandbox/v1/rejections?limit={limit}"), &serde_json::Value::Null)
        .await
        .map_err(|e| anyhow::anyhow!("cannot read the rejections of the sandbox at {url}: {e} (is it running? start it with `mbx sandbox`)"))?;
    let list = answer["rejections"].as_array().cloned().unwrap_or_default();
    let mut text = String::new();
    if list.is_empty() {
        let _ = writeln!(text, "The sandbox at {url} has rejected no request at its acceptance check yet.");
    }
    for (i, r) in list.iter().enumerate() {
        if i > 0 {
            let _ = writeln!(text);
        }
        let _ = writeln!(
            text,
            "#{} at {} ({}): {}",
            i + 1,
            r["time"],
            r["transport"].as_str().unwrap_or_default(),
            r["request"].as_str().unwrap_or_default()
        );
        let msg = r["msg"].as_str().unwrap_or_default();
        // A 404 or 405 has no Binance code (the journal writes -404, -405): the status alone.
        if r["code"].as_i64().zip(r["status"].as_i64()).is_some_and(|(code, status)| code == -status) {
            let _ = writeln!(text, "answered HTTP {} {msg}", r["status"]);
        } else {
            let _ = writeln!(text, "answered {} {} {msg}", r["status"], r["code"]);
        }
        // The sandbox's own reason: it knows what the request does not show (a key's permissions,
        // a revoked key, a session's state).
        if let Some(reason) = r["reason"].as_str().filter(|s| !s.is_empty()) {
            let _ = writeln!(text, "sandbox: {reason}");
        }
        if let Ok(d) = serde_json::from_value::<serde_json::Value>(r["diagnosis"].clone()) {
            for (n, f) in d["findings"].as_array().into_iter().flatten().enumerate() {
                let _ = writeln!(
                    text,
                    "{}. {} [{}]",
                    n + 1,
                    f["title"].as_str().unwrap_or_default(),
                    f["cause"].as_str().unwrap_or_default()
                );
                let _ = writeln!(text, "   evidence: {}", f["evidence"].as_str().unwrap_or_default());
                let _ = writeln!(text, "   fix:      {}", f["fix"].as_str().unwrap_or_default());
            }
        }
    }
    Ok(Report::text(text, answer))
}

/// One line of `doctor live`.
struct Check {
    name: &'static str,
    ok: bool,
    detail: String,
}

/// Checks a configured setup end to end: reachability (and TLS), clock offset, key validity and
/// permissions, and the recvWindow to use.
async fn live(ctx: &Context) -> anyhow::Result<Report> {
    let mut checks = Vec::new();
    let public = ctx.client(false)?;
    let url = public.base_url().to_owned();
    let reach = public.ping().await;
    checks.push(Check {
        name: "reachability",
        ok: reach.is_ok(),
        detail: match &reach {
            Ok(()) => format!(
                "{url} answers{}",
                if url.starts_with("https://") { " over TLS (certificate verified)" } else { "" }
            ),
            Err(e) => format!("{url}: {e}"),
        },
    });
    let mut rtt_ms = 0.0;
    if reach.is_ok() {
        match public.sync_time().await {
            Ok(s) => {
                rtt_ms = s.rtt.as_secs_f64() * 1000.0;
                let off = s.offset_ms.abs();
                let advice = if off < 500 {
                    "fine".to_owned()
                } else if off < 1000 {
                    "close to Binance's 1000 ms limit for timestamps ahead: sync this machine's clock (NTP)"
                        .to_owned()
                } else {
                    "this machine's clock is off by more than Binance tolerates: sync it (NTP); mbx-client corrects for it".to_owned()
                };
                checks.push(Check {
                    name: "clock",
                    ok: off < 1000,
                    detail: format!("offset {:+} ms, round trip {rtt_ms:.1} ms: {advice}", s.offset_ms),
                });
            }
            Err(e) => checks.push(Check { name: "clock", ok: false, detail: e.to_string() }),
        }
    }
    match ctx.client(true) {
        Err(e) => checks.push(Check { name: "key", ok: false, detail: format!("{e:#}") }),
        Ok(signed) => {
            let _ = signed.sync_time_with(3).await;
            match signed.account().await {
                Ok(a) if signed.base_url() == mbx_client::Environment::Binance.rest_url() => {
                    checks.push(Check {
                        name: "key",
                        ok: true,
                        detail: format!(
                            "valid: account readable, trading {}",
                            if a.can_trade { "enabled" } else { "disabled" }
                        ),
                    });
                    // On Binance itself, the key's restrictions (IP whitelist, enabled permissions).
                    let r: mbx_client::Result<serde_json::Value> = signed
                        .request(
                            mbx_core::endpoint::Method::Get,
                            "/sapi/v1/account/apiRestrictions",
                            mbx_core::Params::new(),
                            mbx_core::endpoint::Security::UserData,
                        )
                        .await;
                    checks.push(match r {
                        Ok(v) => Check {
                            name: "restrictions",
                            ok: true,
                            detail: format!(
                                "IP restricted: {}, spot trading: {}, withdrawals: {}",
                                v["ipRestrict"], v["enableSpotAndMarginTrading"], v["enableWithdrawals"]
                            ),
                        },
                        Err(e) => Check { name: "restrictions", ok: false, detail: e.to_string() },
                    });
                }
                Ok(a) => checks.push(Check {
                    name: "key",
                    ok: true,
                    detail: format!(
                        "valid: account readable (USER_DATA), trading {}{}",
                        if a.can_trade { "enabled" } else { "disabled" },
                        if a.permissions.is_empty() {
                            String::new()
                        } else {
                            format!(", permissions {}", a.permissions.join(", "))
                        }
                    ),
                }),
                Err(e) => {
                    let fix = e
                        .code()
                        .and_then(|c| c.entry())
                        .map(|en| format!(" What to do: {}", en.fix))
                        .unwrap_or_default();
                    checks.push(Check { name: "key", ok: false, detail: format!("{e}.{fix}") });
                }
            }
        }
    }
    // Enough for the network's round trip plus jitter, never the 60000 maximum; with no round trip
    // measured (the host not reached), no advice.
    let window = ((rtt_ms * 3.0 + 1000.0) / 500.0).ceil() * 500.0;
    let window = window.clamp(1000.0, 5000.0) as u32;
    let measured = reach.is_ok() && rtt_ms > 0.0;
    checks.push(Check {
        name: "recvWindow",
        ok: measured,
        detail: if measured {
            format!("{window} ms is enough from here (3x the round trip plus 1 s; Binance's default is 5000)")
        } else {
            "not measured: the host did not answer (no round trip to size it by)".to_owned()
        },
    });

    let ok = checks.iter().all(|c| c.ok);
    let list: Vec<_> = checks
        .iter()
        .map(|c| serde_json::json!({ "check": c.name, "ok": c.ok, "detail": c.detail }))
        .collect();
    let text: String = checks
        .iter()
        .map(|c| format!("{} {:<13} {}\n", if c.ok { "ok  " } else { "FAIL" }, c.name, c.detail))
        .collect();
    let json = serde_json::json!({ "ok": ok, "checks": list, "recvWindow": measured.then_some(window) });
    // Not reached: the network's failure (exit 3), as for any other command.
    let code = match (ok, reach.is_ok()) {
        (true, _) => exit::OK,
        (false, false) => exit::TRANSPORT,
        (false, true) => exit::REJECTED,
    };
    Ok(Report::text(text, json).exit(code))
}

fn request(ctx: &Context, args: DoctorRequestArgs) -> anyhow::Result<Report> {
    let key = ctx.key_optional(args.ask_secret)?;
    let server_time = match &args.time {
        Some(t) => Timestamp::parse(t)
            .ok_or_else(|| usage(format!("--time '{t}' is not a number of milliseconds")))?,
        None => Timestamp::Millis(super::now_millis()),
    };
    let doctor = doctor_context(ctx, key.as_ref(), args.key_env.as_deref())?.at(server_time);
    let key_source = key.as_ref().map(|k| k.source.as_str());
    if let Some(path) = &args.har {
        return har(&read_input(path)?, &doctor, key_source, args.time.is_none());
    }
    // Several frames one after another (a program's log of a connection): each as the connection
    // stood when it was sent.
    let ws_text = args.ws_api.as_deref().map(read_input).transpose()?;
    // A log of JSON events holding the frames and answers: those.
    let mut ws_text = ws_text.map(|t| diagnose::unwrap_json_log(&t).unwrap_or(t));
    // What a log prints as the text its program signed (`sign: apiKey=...&price=...`).
    let mut printed = Vec::new();
    // Binance's answers the log shows beside its one frame.
    let mut ws_answers = Vec::new();
    let mut ws_log: Option<String> = None;
    if let Some(text) = &ws_text {
        let values = json_values(text);
        // Binance's answer alone (`{"id":..,"status":400,"error":{...}}`), no frame: explained
        // from the answer.
        if !values.is_empty() && values.iter().all(|v| is_answer(v)) {
            let e = diagnose::ParseError::Http("the text holds Binance's answer but no request frame".into());
            return answer_alone_or(text, e, key_source, &doctor);
        }
        if values.len() > 1 {
            // Frames sent, and Binance's answers to them when the file holds those too.
            let frames: Vec<&str> = values.into_iter().filter(|v| !is_answer(v)).collect();
            return ws_frames(text, &frames, args.host.as_deref(), &doctor, key_source, &[]);
        }
        // A program's log of the connection: the frames it sent, read out of their lines (or
        // printed as objects, not JSON: Node.js's console.log of a frame).
        let inspected: Vec<String>;
        let in_log = match diagnose::ws_frames_in_log(text) {
            Ok(found) => found,
            Err(e) => {
                inspected = diagnose::inspected_frames_sent(text);
                // Frames printed as a language's objects, whose answers (printed so too) are not
                // read beside them: an error answer the text shows is what there is to explain.
                let unread_answer = diagnose::ws_answers_in_log(text).is_empty()
                    && diagnose::diagnose_answer_alone(text).is_some();
                if inspected.is_empty() || unread_answer {
                    return answer_alone_or(text, e, key_source, &doctor);
                }
                Some(inspected.iter().map(String::as_str).collect())
            }
        };
        if let Some(report) = in_log.as_deref().and_then(|frames| stream_log(text, frames)) {
            return Ok(report);
        }
        match in_log {
            Some(frames) if frames.len() > 1 => {
                let printed = diagnose::printed_forms(text);
                return ws_frames(text, &frames, args.host.as_deref(), &doctor, key_source, &printed);
            }
            Some(frames) => {
                printed = diagnose::printed_forms(text);
                ws_answers = diagnose::ws_answers_in_log(text);
                ws_log = Some(text.clone());
                ws_text = frames.first().map(|f| (*f).to_owned());
            }
            None => {}
        }
    }
    // The request (or frame), how to diagnose it at a given time, and whether its capture holds an
    // answer other than -1021 (Binance took its timestamp then).
    let mut key_unshown = false;
    let mut params_unshown = false;
    let mut answered_ahead = false;
    let mut from_code = false;
    let mut pasted: Option<String> = ws_log;
    let ws_sent = ws_text.is_some();
    let (sent, judged_then, diagnose_at): (String, bool, DiagnoseAt) = if let Some(frame) = ws_text {
        let ws_sent = frame.clone();
        let host = args.host.clone();
        let diagnose_frame = move |c: &DoctorContext| {
            diagnose::diagnose_ws_log(&[frame.as_str()], &ws_answers, host.as_deref(), c, &printed).remove(0)
        };
        (ws_sent.clone(), false, Box::new(diagnose_frame))
    } else {
        let record = match read_request(&args, &doctor)? {
            Read::Request(record, text) => {
                pasted = text;
                *record
            }
            Read::AnswerAlone(d) => {
                let note = "the text holds Binance's answer but no request: the findings explain that answer; give the request too (curl -v, the program's DEBUG log, a HAR) to have it checked";
                return Ok(doctor_report(&d, key_source, Some(note.to_owned())));
            }
            Read::SourceAlone(d) => {
                return Ok(doctor_report(&d, key_source, Some(SOURCE_NOTE.to_owned())));
            }
            Read::Har(json) => return har(&json, &doctor, key_source, args.time.is_none()),
        };
        key_unshown = record.key_unshown;
        params_unshown = record.params_unshown();
        from_code = (!record.source.is_empty() || record.code_signs) && !record.shows_signed();
        // Binance's answer other than -1021 (an error past the time check, or a success).
        let answered = record.answered.as_ref().is_some_and(diagnose::Answered::took_timestamp);
        // Binance's -1021 for a timestamp ahead of its clock, captured with the request.
        answered_ahead = record.answered.as_ref().is_some_and(diagnose::Answered::timestamp_ahead);
        let sent = format!("{}&{}", record.query, record.body);
        (sent, answered, Box::new(move |c| diagnose::diagnose(&record, c)))
    };
    // Secrets the pasted text shows (a config file beside the log): tried as another key pair's
    // when the signature does not match the one given; never shown.
    let doctor = match (&pasted, key.is_some()) {
        (Some(text), true) => {
            let own = doctor.secret.clone();
            diagnose::secrets_in_text(text)
                .into_iter()
                .filter(|(_, s)| own.as_ref().is_none_or(|own| own.expose() != s.expose()))
                .fold(doctor, |d, (name, secret)| {
                    d.with_other(diagnose::OtherKey {
                        label: format!("the text's '{name}'"),
                        venue: None,
                        api_key: None,
                        secret: Some(secret),
                        verifier: None,
                    })
                })
        }
        _ => doctor,
    };
    let mut d = diagnose_at(&doctor);
    if let Some(text) = &pasted {
        environment_first(&mut d, text);
        if ws_sent {
            code_slips_first(&mut d, text, &doctor);
        }
    }
    // A capture diagnosed long after it was sent: judged now, its timestamp is stale whatever the
    // client did. Judged as of its sending when its answer shows Binance took the timestamp; else
    // the output says how.
    // Whole hours of age read as a time-zone mistake, unless the text shows when it was sent.
    let mut note = None;
    let stale = d
        .findings
        .iter()
        .any(|f| matches!(f.cause, diagnose::Cause::TimestampTooOld | diagnose::Cause::TimestampTimeZone));
    let ts = sent_timestamp(&sent).map(|t| if t > 100_000_000_000_000 { t / 1000 } else { t });
    if let (true, Some(ts)) = (stale, ts) {
        let age_ms = server_time.as_millis().saturating_sub(ts);
        let shown = pasted.as_deref().and_then(|text| diagnose::sent_time_shown(text, ts));
        if age_ms > STALE_CAPTURE_MS {
            let then = ts + 100;
            let age = human_age(age_ms);
            if judged_then {
                d = diagnose_at(&doctor.clone().at(Timestamp::Millis(then)));
                note = Some(format!(
                    "judged as of the request's own time ({then}, {age} ago): the captured answer shows Binance took its timestamp then"
                ));
            } else if let Some(shown) = shown {
                d = diagnose_at(&doctor.clone().at(Timestamp::Millis(shown.ms)));
                note = Some(match shown.clock {
                    diagnose::ShownClock::Server => format!(
                        "judged as of the Date header of Binance's answer ({}), not now ({age} after the timestamp): Binance's own clock when it answered",
                        shown.ms
                    ),
                    diagnose::ShownClock::Client => format!(
                        "judged as of the log line's time ({}), not now ({age} after the timestamp); your machine's clock wrote that time, so a drift of it from Binance's would not show here (mbx time measures it)",
                        shown.ms
                    ),
                });
            } else if answered_ahead
                && let Some(answer) = pasted.as_deref().and_then(diagnose::diagnose_answer_alone)
                && let Some(ahead) =
                    answer.findings.first().filter(|f| f.cause == diagnose::Cause::TimestampAhead)
            {
                // Judged now the capture is old; Binance's answer then says the timestamp was
                // ahead of its clock: that is the finding.
                d.findings.retain(|f| f.cause != diagnose::Cause::TimestampTooOld);
                d.findings.insert(0, ahead.clone());
                d.verdict = answer.verdict.clone();
                note = Some(format!(
                    "the timestamp is {age} before now, and Binance's answer captured with it says it was ahead of Binance's clock then: judged by that answer"
                ));
            } else if args.time.is_none() {
                note = Some(format!(
                    "the timestamp is {age} before now: if this request was captured then, judge it as of its sending with --time {then}"
                ));
            }
        }
    }
    let unshown = if from_code {
        Some(SOURCE_NOTE)
    } else if params_unshown {
        Some(
            "the text shows the request's method and URL but neither its headers nor its parameters, which Binance's answer shows were sent: the findings explain that answer; give the whole request (the query string and body, or curl -v) to have it checked",
        )
    } else if key_unshown {
        Some(
            "the text shows the request's URL but not its headers: the X-MBX-APIKEY was taken as sent and well formed (your configured key, when one is), and not judged; give the headers too (or -H 'X-MBX-APIKEY: ...' with --url) to have it checked",
        )
    } else {
        None
    };
    if let Some(unshown) = unshown {
        note = Some(match note {
            Some(n) => format!("{n}; {unshown}"),
            None => unshown.to_owned(),
        });
    }
    Ok(doctor_report(&d, key_source, note))
}

/// A request's diagnosis as the command prints it, with its note.
fn doctor_report(d: &diagnose::Diagnosis, key_source: Option<&str>, note: Option<String>) -> Report {
    let mut text = render_text(d, key_source);
    let mut json = d.to_json();
    if let Some(n) = &note {
        text.push_str(&format!("\nnote     {n}\n"));
        json["note"] = serde_json::json!(n);
    }
    Report::text(text, json).exit(if d.verdict.code == 0 { exit::OK } else { exit::REJECTED })
}

/// A request's diagnosis at a given time (the doctor's context holds it).
type DiagnoseAt = Box<dyn Fn(&DoctorContext) -> diagnose::Diagnosis>;

/// How far behind the time now a timestamp must be to read as a capture diagnosed later rather than
/// a clock that is off: a minute, past any recvWindow (60 s at most).
const STALE_CAPTURE_MS: u64 = 60_000;

/// The `timestamp` a request or frame sends (`timestamp=...` or `"timestamp": ...`).
fn sent_timestamp(text: &str) -> Option<u64> {
    let at = text.find("timestamp=").map(|i| i + "timestamp=".len()).or_else(|| {
        text.find("\"timestamp\"").map(|i| {
            let rest = &text[i + "\"timestamp\"".len()..];
            i + "\"timestamp\"".len() + (rest.len() - rest.trim_start_matches([' ', ':', '"']).len())
        })
    })?;
    let digits: String = text[at..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// An age in words: seconds, minutes, hours or days.
fn human_age(ms: u64) -> String {
    match ms / 1000 {
        s if s < 120 => format!("{s} s"),
        s if s < 7200 => format!("{} min", s / 60),
        s if s < 172_800 => format!("{} h", s / 3600),
        s => format!("{} days", s / 86_400),
    }
}

/// The JSON values a text holds one after another (white space between them, or none), each as
/// written; none when anything else is in it.
fn json_values(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<serde::de::IgnoredAny>();
    let mut start = 0;
    while let Some(next) = stream.next() {
        if next.is_err() {
            return Vec::new();
        }
        let end = stream.byte_offset();
        out.push(text[start..end].trim());
        start = end;
    }
    out
}

/// A log of a market stream connection (a stream URL, no `/ws-api`) whose frames are all stream
/// control messages (SUBSCRIBE, UNSUBSCRIBE, ...): where they belong. Said so, not judged as
/// WebSocket API requests (which would refuse them).
fn stream_log(text: &str, frames: &[&str]) -> Option<Report> {
    let stream_url = text.match_indices("ws").any(|(at, _)| {
        let url = text[at..].split(|c: char| c.is_whitespace() || "'\"<>".contains(c)).next().unwrap_or("");
        mbx_core::stream::is_stream_url(url)
    });
    let control = |f: &&str| {
        serde_json::from_str::<serde_json::Value>(f)
            .ok()
            .and_then(|v| v["method"].as_str().map(str::to_owned))
            .is_some_and(|m| mbx_core::stream::CONTROL_METHODS.contains(&m.as_str()))
    };
    if !stream_url || text.contains("/ws-api") || frames.is_empty() || !frames.iter().all(control) {
        return None;
    }
    let note = "these frames are market stream control messages sent on a market stream connection (/ws, /stream), where they belong; the doctor checks WebSocket API requests (/ws-api/v3) and REST requests, and has nothing to say about them (`mbx stream` subscribes the same way)";
    let json = serde_json::json!({
        "verdict": {"code": 0, "msg": "Binance will accept this.", "status": 200},
        "findings": [],
        "note": note,
    });
    Some(Report::text(format!("verdict  Binance will accept this.\nnote     {note}\n"), json))
}

/// Whether a JSON value of a WebSocket log is Binance's answer (`status`, no `method`), not a frame sent.
fn is_answer(value: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(value)
        .is_ok_and(|v| v.get("status").is_some() && v.get("method").is_none())
}

/// A -2015 the text explains: it names another environment than the one the request went to
/// (the first Binance host the text shows, else binance.com).
fn environment_first(d: &mut diagnose::Diagnosis, text: &str) {
    if !d.findings.first().is_some_and(|f| f.cause == diagnose::Cause::KeyPermission) {
        return;
    }
    // The request's host: of the Binance URLs the text shows, the first to an API path (a site
    // named in the prose, `https://testnet.binance.vision`, is where a key was made, not sent).
    let hosts: Vec<(mbx_core::venue::Venue, bool)> = text
        .match_indices("://")
        .filter_map(|(i, _)| {
            let rest = &text[i + 3..];
            let host = rest.split(['/', '?', ' ', '"', '\'', '\n']).next()?;
            let api = ["/api/", "/sapi/", "/ws-api/"].iter().any(|p| rest[host.len()..].starts_with(p));
            host.contains("binance")
                .then(|| mbx_core::venue::Venue::of_host(host))
                .flatten()
                .map(|v| (v, api))
        })
        .collect();
    let venue = hosts
        .iter()
        .find(|(_, api)| *api)
        .or(hosts.first())
        .map_or(mbx_core::venue::Venue::Binance, |(v, _)| *v);
    if let Some((title, fix)) = diagnose::environment_named(text, venue) {
        let evidence = format!("the request went to {}", venue.rest_url());
        let finding = diagnose::Finding::new(
            diagnose::Cause::KeyOtherEnvironment,
            diagnose::Certainty::Likely,
            title,
            evidence,
            fix,
        );
        d.findings.insert(0, finding);
    }
}

/// A WebSocket API frame whose signature nothing explains, or whose answer the frame does not
/// explain, in a text that also shows the program's code: the slips the code shows (a Go map walked
/// to build the signed text, the frame sent as bytes) come first.
fn code_slips_first(d: &mut diagnose::Diagnosis, text: &str, doctor: &DoctorContext) {
    // (Or an answer the frame itself does not explain: a -1135 to a valid frame sent as bytes.)
    if d.findings.first().is_none_or(|f| {
        f.cause != diagnose::Cause::SignatureMismatch && f.cause != diagnose::Cause::AnswerUnexplained
    }) {
        return;
    }
    let Some(from_code) = diagnose::diagnose_source(text, doctor) else { return };
    let slips: Vec<diagnose::Finding> = from_code
        .findings
        .into_iter()
        .filter(|f| f.evidence.starts_with("your code:") && f.cause != diagnose::Cause::SignatureMismatch)
        .filter(|f| from_code.verdict.code == d.verdict.code || f.cause.to_string().starts_with("signed"))
        .collect();
    if !slips.is_empty() {
        d.findings.splice(0..0, slips);
    }
}

/// A frame as the output shows it: secrets taken out, and its `apiKey` shortened as every other
/// output shortens keys (enough to recognise, not to use).
fn shown_frame(doctor: &DoctorContext, frame: &str) -> String {
    let mut shown = doctor.redact(frame);
    let key = serde_json::from_str::<serde_json::Value>(frame)
        .ok()
        .and_then(|v| v["params"]["apiKey"].as_str().map(str::to_owned));
    if let Some(key) = key.filter(|k| k.len() > 8) {
        shown = shown.replace(&key, &mbx_core::accept::shorten_key(&key));
    }
    shown
}

/// WebSocket API frames sent in order on one connection (read out of `text`), each diagnosed
/// beside Binance's answer to it when `text` shows that too (by id).
fn ws_frames(
    text: &str,
    frames: &[&str],
    host: Option<&str>,
    doctor: &DoctorContext,
    key_source: Option<&str>,
    printed: &[String],
) -> anyhow::Result<Report> {
    use std::fmt::Write as _;
    let mut out = String::new();
    let mut list = Vec::new();
    let answers = diagnose::ws_answers_in_log(text);
    let mut diagnoses = diagnose::diagnose_ws_log(frames, &answers, host, doctor, printed);
    diagnoses.iter_mut().for_each(|d| {
        environment_first(d, text);
        code_slips_first(d, text, doctor);
    });
    for (i, (frame, d)) in frames.iter().zip(&diagnoses).enumerate() {
        let _ = writeln!(out, "== frame {}: {}", i + 1, accept_clip(&shown_frame(doctor, frame), 160));
        out.push_str(&render_text(d, key_source));
        out.push('\n');
        let mut json = d.to_json();
        json["frame"] = serde_json::json!(i + 1);
        list.push(json);
    }
    let rejected = diagnoses.iter().any(|d| d.verdict.code != 0);
    Ok(Report::text(out, serde_json::Value::Array(list)).exit(if rejected {
        exit::REJECTED
    } else {
        exit::OK
    }))
}

/// Every Binance request of a HAR file, diagnosed.
fn har(
    text: &str,
    doctor: &DoctorContext,
    key_source: Option<&str>,
    at_sent: bool,
) -> anyhow::Result<Report> {
    use std::fmt::Write as _;
    let entries = diagnose::read_har(text).map_err(|e| usage(e.to_string()))?;
    if entries.is_empty() {
        return Err(usage(
            "the HAR file holds no request the doctor checks: no REST request to a Binance host or path and no WebSocket API frame (CORS preflights and market stream subscriptions are left out)",
        ));
    }
    let mut out = String::new();
    let mut list = Vec::new();
    let mut rejected = false;
    for e in &entries {
        // Without --time, each request is judged as of when the file says it was sent; with it,
        // so is one whose answer in the file shows Binance took its timestamp then.
        let d = match e.sent_ms.filter(|_| at_sent || e.answered_in_time()) {
            Some(ms) => e.diagnose(&doctor.clone().at(Timestamp::Millis(ms))),
            None => e.diagnose(doctor),
        };
        rejected |= d.verdict.code != 0;
        let described = doctor.redact(&e.describe());
        let _ = writeln!(out, "== entry {}: {}", e.entry, accept_clip(&described, 160));
        out.push_str(&render_text(&d, key_source));
        out.push('\n');
        let mut json = d.to_json();
        json["entry"] = serde_json::json!(e.entry);
        json["request"] = serde_json::json!(described);
        list.push(json);
    }
    Ok(Report::text(out, serde_json::Value::Array(list)).exit(if rejected {
        exit::REJECTED
    } else {
        exit::OK
    }))
}

fn accept_clip(s: &str, n: usize) -> String {
    mbx_core::accept::clip(s, n)
}

/// The doctor's view of the key: its material, the environment it belongs to (`--key-env`, else the
/// profile's), and, when a key is given, the user's other profiles' keys whose secrets come from a
/// variable or a file (commands are not run for this).
fn doctor_context(
    ctx: &Context,
    key: Option<&crate::context::Key>,
    key_env: Option<&str>,
) -> anyhow::Result<DoctorContext> {
    use mbx_core::venue::Venue;
    let mut doctor = key.map_or_else(DoctorContext::default, |k| k.diagnose_context());
    let venue_of = |name: &str| {
        Venue::parse(name).ok_or_else(|| {
            usage(format!("unknown environment '{name}': use binance, testnet, demo, us or sandbox"))
        })
    };
    let active = ctx.profile();
    let venue = match (key_env, active.and_then(|(_, p)| p.env.as_deref())) {
        (Some(name), _) | (None, Some(name)) => Some(venue_of(name)?),
        (None, None) => None,
    };
    if let Some(v) = venue {
        doctor = doctor.of(v, ctx.api_key());
    }
    // With no key given the signature is not checked: the other profiles' keys are not read.
    if key.is_none() {
        return Ok(doctor);
    }
    let Ok(config) = crate::profile::load_config() else { return Ok(doctor) };
    for (name, p) in &config.profiles {
        if active.is_some_and(|(n, _)| n == name) || p.secret_command.is_some() {
            continue;
        }
        let secret = if p.secret_env.is_some() || p.secret_file.is_some() {
            crate::profile::secret(p).ok().flatten().map(|(s, _)| s)
        } else {
            None
        };
        let verifier = p
            .key_file
            .as_ref()
            .and_then(|f| std::fs::read(f).ok())
            .and_then(|pem| mbx_core::keys::load_pem(&pem, None).ok())
            .map(|k| k.verifier());
        if secret.is_none() && verifier.is_none() {
            continue;
        }
        doctor = doctor.with_other(diagnose::OtherKey {
            label: format!("profile '{name}'"),
            venue: p.env.as_deref().and_then(Venue::parse),
            api_key: p.api_key.clone(),
            secret,
            verifier,
        });
    }
    Ok(doctor)
}

/// A file's text, or standard input's for `-`. Bytes that are not UTF-8 are named: a request
/// written in another encoding (GBK, Latin-1) is what Binance cannot read either.
fn read_input(path: &str) -> anyhow::Result<String> {
    let mut raw = Vec::new();
    if path == "-" {
        std::io::stdin().read_to_end(&mut raw).map_err(|e| usage(format!("reading standard input: {e}")))?;
    } else {
        raw = std::fs::read(path).map_err(|e| usage(format!("cannot read {path}: {e}")))?;
    }
    String::from_utf8(raw).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let shown: Vec<String> = bytes[at..bytes.len().min(at + 4)].iter().map(|b| format!("{b:02X}")).collect();
        let before = String::from_utf8_lossy(&bytes[at.saturating_sub(40)..at]).replace(['\r', '\n'], " ");
        usage(format!(
            "the request holds bytes that are not UTF-8 at byte {at} (after '{before}': {}): text in another encoding (GBK, Latin-1, Windows-1252) sent as it is. Binance reads parameters as UTF-8, percent-encoded: encode the text as UTF-8 (e.g. Python's str.encode('utf-8'), Java's StandardCharsets.UTF_8), then percent-encode it, and sign that",
            shown.join(" ")
        ))
    })
}

/// A WebSocket API log without a frame (`e` says why): explained from Binance's answer when it
/// holds one, else the reason.
fn answer_alone_or(
    text: &str,
    e: diagnose::ParseError,
    key_source: Option<&str>,
    doctor: &DoctorContext,
) -> anyhow::Result<Report> {
    // A request sent in a binary frame, which the log shows as bytes.
    if let Some(len) = diagnose::binary_frame_in_log(text) {
        return Ok(doctor_report(&diagnose::diagnose_ws_binary(len), key_source, None));
    }
    // The program's code, when the text shows it: the slips it makes.
    if let Some(d) = diagnose::diagnose_source(text, doctor) {
        return Ok(doctor_report(&d, key_source, Some(SOURCE_NOTE.to_owned())));
    }
    match diagnose::diagnose_answer_alone(text) {
        Some(d) => {
            let note = "the text holds Binance's answer but not the frame it answered: the findings explain that answer; give the frame too (the program's log of what it sent) to have it checked";
            Ok(doctor_report(&d, key_source, Some(note.to_owned())))
        }
        // A success answer (an SDK's print of the response or its result), and no frame.
        None => match diagnose::ws_answered_success(text) {
            Some(d) => Ok(doctor_report(&d, key_source, None)),
            None => Err(usage(e.to_string())),
        },
    }
}

/// The note of a diagnosis read from a program's code rather than the request it sent.
const SOURCE_NOTE: &str = "the text shows the program's code but not the request it sent: the findings are read from the code; give the request too (the program's print of the URL and body, curl -v, a HAR) to have the signature checked";

/// What the text given holds: a request (with the text it was read from, when a file gave it), or
/// only Binance's error answer to one (a bot's log).
enum Read {
    Request(Box<RequestRecord>, Option<String>),
    AnswerAlone(diagnose::Diagnosis),
    /// A program's code without the request it sent, diagnosed from the code.
    SourceAlone(diagnose::Diagnosis),
    /// A HAR pasted as a text (a proxy's export in a post, with words around it): its JSON.
    Har(String),
}

/// The HAR a text holds, as its JSON: from the first `{` to the last `}`, when that is a HAR's
/// (`"log"` with `"entries"`).
fn har_in_text(text: &str) -> Option<&str> {
    let (start, end) = (text.find('{')?, text.rfind('}')?);
    let json = text.get(start..=end)?;
    let v: serde_json::Value = serde_json::from_str(json).ok()?;
    v["log"]["entries"].is_array().then_some(json)
}

fn read_request(args: &DoctorRequestArgs, doctor: &DoctorContext) -> anyhow::Result<Read> {
    // A text: the request it holds, else the code's slips, else Binance's answer alone.
    let read_text = |text: String| match RequestRecord::from_http(&text) {
        _ if let Some(json) = har_in_text(&text) => Ok(Read::Har(json.to_owned())),
        Ok(record) => Ok(Read::Request(Box::new(record), Some(text))),
        Err(e) => diagnose::diagnose_source(&text, doctor)
            .map(Read::SourceAlone)
            .or_else(|| diagnose::diagnose_answer_alone(&text).map(Read::AnswerAlone))
            .ok_or_else(|| usage(e.to_string())),
    };
    if let Some(curl) = &args.curl {
        // A whole script, or the command with what it printed: read as a text is (its variables'
        // assignments, its signing lines, the answer).
        if several_commands(curl) {
            return read_text(curl.clone());
        }
        return RequestRecord::from_curl(curl)
            .map(|r| Read::Request(Box::new(r), None))
            .map_err(|e| usage(e.to_string()));
    }
    if let Some(path) = &args.http {
        return read_text(read_input(path)?);
    }
    let Some(url) = &args.url else {
        return Err(usage(
            "give the request: --curl '<command>', --http FILE (or - for stdin), --ws-api FILE (a WebSocket API frame), --har FILE, or --method M --url URL [--header 'Name: value'] [--body B]",
        ));
    };
    let mut headers = Vec::new();
    for h in &args.headers {
        let (k, v) =
            h.split_once(':').ok_or_else(|| usage(format!("--header '{h}' is not 'Name: value'")))?;
        // White space before the colon stays in the name, as an HTTP client sends it.
        headers.push((k.trim_start().to_owned(), v.trim().to_owned()));
    }
    RequestRecord::new(&args.method, url, headers, &args.body)
        .map(|r| Read::Request(Box::new(r), None))
        .map_err(|e| usage(e.to_string()))
}

/// Whether a `--curl` text holds more than one command line (a quoted value over lines, brackets
/// open over lines and a continuation, a line ending with `\\`, cmd's `^` or PowerShell's
/// backtick, stay in one),
/// comments and blank lines aside: a script, or a command pasted with its output.
fn several_commands(text: &str) -> bool {
    let mut commands = 0;
    let mut quote: Option<char> = None;
    // Brackets open over lines (PowerShell's `-Headers @{`, a fetch's options) keep one command.
    let mut depth = 0usize;
    let mut line = String::new();
    let mut close = |line: &mut String| {
        let t = line.trim();
        if !t.is_empty() && !t.starts_with('#') {
            commands += 1;
        }
        line.clear();
    };
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            (None, '{' | '(' | '[') => depth += 1,
            (None, '}' | ')' | ']') => depth = depth.saturating_sub(1),
            (None, '\n') if depth == 0 && !line.trim_end().ends_with(['\\', '^', '`']) => {
                close(&mut line);
                continue;
            }
            _ => {}
        }
        line.push(c);
    }
    close(&mut line);
    commands > 1
}

fn render_text(d: &diagnose::Diagnosis, key_source: Option<&str>) -> String {
    use std::fmt::Write as _;
    let mut o = String::new();
    if d.verdict.code == 0 {
        let _ = writeln!(o, "verdict  {}", d.verdict.msg);
    } else {
        if d.verdict.code == -i32::from(d.verdict.status) {
            let _ = writeln!(o, "verdict  Binance answers HTTP {} {}", d.verdict.status, d.verdict.msg);
        } else {
            let _ = writeln!(o, "verdict  Binance answers {} {}", d.verdict.code, d.verdict.msg);
        }
    }
    let _ = writeln!(
        o,
        "key      {}",
        key_source
            .unwrap_or("none given: the signature is not checked (set BINANCE_API_SECRET or --key-file)")
    );
    for (i, f) in d.findings.iter().enumerate() {
        let _ = writeln!(o);
        let _ = writeln!(o, "{}. {} [{}, {:?}]", i + 1, f.title, f.cause, f.certainty);
        let _ = writeln!(o, "   evidence: {}", f.evidence);
        let _ = writeln!(o, "   fix:      {}", f.fix);
    }
    o
}
