//! Printing results as tables (aligned text) or JSON. Secrets are never passed in here.

use std::io::Write;

use crate::cli::OutputFormat;

/// Prints aligned `label value` rows (text) or the JSON object (json).
pub fn emit(format: OutputFormat, rows: &[(&str, String)], json: &serde_json::Value) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        OutputFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(json)?)?,
        OutputFormat::Table => {
            let width = rows.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
            for (label, value) in rows {
                if label.is_empty() {
                    writeln!(out, "{value}")?;
                } else {
                    writeln!(out, "{label:<width$}  {value}")?;
                }
            }
        }
    }
    Ok(())
}
