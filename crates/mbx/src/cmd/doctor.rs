//! `mbx doctor`: what Binance will answer to a request, why, and the fix.

use std::io::Read as _;
use std::process::ExitCode;

use mbx_core::diagnose::{self, Context, RequestRecord};
use mbx_core::time::Timestamp;

use crate::cli::{DoctorCommand, DoctorRequestArgs, KeyArgs, OutputFormat};
use crate::context::load_key_optional;
use crate::exit::{self, usage};

pub fn run(cmd: DoctorCommand, key_args: &KeyArgs, format: OutputFormat) -> anyhow::Result<ExitCode> {
    match cmd {
        DoctorCommand::Request(args) => request(args, key_args, format),
    }
}

fn request(args: DoctorRequestArgs, key_args: &KeyArgs, format: OutputFormat) -> anyhow::Result<ExitCode> {
    let record = read_request(&args)?;
    let key = load_key_optional(key_args, args.ask_secret)?;
    let server_time = match &args.time {
        Some(t) => Timestamp::parse(t)
            .ok_or_else(|| usage(format!("--time '{t}' is not a number of milliseconds")))?,
        None => Timestamp::Millis(super::now_millis()),
    };
    let ctx = key.as_ref().map_or_else(Context::default, |k| k.diagnose_context()).at(server_time);
    let d = diagnose::diagnose(&record, &ctx);
    match format {
        OutputFormat::Json => println!("{}", serde_json::to_string_pretty(&d.to_json())?),
        OutputFormat::Text => print!("{}", render_text(&d, key.as_ref().map(|k| k.source.as_str()))),
    }
    Ok(ExitCode::from(if d.verdict.code == 0 { exit::OK } else { exit::REJECTED }))
}

fn read_request(args: &DoctorRequestArgs) -> anyhow::Result<RequestRecord> {
    if let Some(curl) = &args.curl {
        return RequestRecord::from_curl(curl).map_err(|e| usage(e.to_string()));
    }
    if let Some(path) = &args.http {
        let mut raw = String::new();
        if path == "-" {
            std::io::stdin()
                .read_to_string(&mut raw)
                .map_err(|e| usage(format!("reading standard input: {e}")))?;
        } else {
            raw = std::fs::read_to_string(path).map_err(|e| usage(format!("cannot read {path}: {e}")))?;
        }
        return RequestRecord::from_http(&raw).map_err(|e| usage(e.to_string()));
    }
    let Some(url) = &args.url else {
        return Err(usage(
            "give the request: --curl '<command>', --http FILE (or - for stdin), or --method M --url URL [--header 'Name: value'] [--body B]",
        ));
    };
    let mut headers = Vec::new();
    for h in &args.headers {
        let (k, v) =
            h.split_once(':').ok_or_else(|| usage(format!("--header '{h}' is not 'Name: value'")))?;
        headers.push((k.trim().to_owned(), v.trim().to_owned()));
    }
    RequestRecord::new(&args.method, url, headers, &args.body).map_err(|e| usage(e.to_string()))
}

fn render_text(d: &diagnose::Diagnosis, key_source: Option<&str>) -> String {
    use std::fmt::Write as _;
    let mut o = String::new();
    if d.verdict.code == 0 {
        let _ = writeln!(o, "verdict  {}", d.verdict.msg);
    } else {
        let _ = writeln!(o, "verdict  Binance answers {} {}", d.verdict.code, d.verdict.msg);
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
