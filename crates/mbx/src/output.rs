//! What commands print: each command returns a [`Report`], and [`print`] writes it on standard output
//! as a table (aligned text) or JSON. This is the only place command results are printed. Secrets are
//! never put in a report; the one exception is a sandbox's own test key (its demo key in the start
//! banner, a key `mbx sandbox key add` just made), shown once as Binance shows a new key.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::OutputFormat;

/// A command's result in both forms, and its exit code.
#[derive(Debug, Default)]
pub struct Report {
    /// The `--output json` form; `None` prints the table form in either format.
    json: Option<serde_json::Value>,
    /// One line (`println!("{v}")`) rather than indented.
    compact: bool,
    /// The `--output table` form.
    table: Table,
    /// Exit code (see `exit.rs`).
    exit: u8,
}

/// The human-readable form of a report.
#[derive(Debug, Default)]
pub enum Table {
    /// Nothing.
    #[default]
    Empty,
    /// `label  value` rows, labels padded to the widest; an empty label prints the value alone.
    Rows(Vec<(String, String)>),
    /// A grid of cells with a header row, between lines of text.
    Grid(Grid),
    /// Text printed as it is (walkthroughs, diagnoses, JSON answers shown as they are).
    Text(String),
}

/// Rows of cells under a header (drawn with comfy-table), with text before and after it.
#[derive(Debug, Default)]
pub struct Grid {
    before: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    after: String,
}

impl Grid {
    /// A grid with these column names and no rows.
    pub fn new(header: &[&str]) -> Self {
        Self { header: header.iter().map(|h| (*h).to_owned()).collect(), ..Self::default() }
    }

    /// Adds a row (one cell per column).
    pub fn row(&mut self, cells: impl IntoIterator<Item = String>) {
        self.rows.push(cells.into_iter().collect());
    }

    /// Text printed before the grid (with its own line endings).
    #[must_use]
    pub fn before(mut self, text: impl Into<String>) -> Self {
        self.before = text.into();
        self
    }

    /// Text printed after the grid (with its own line endings), such as a count.
    #[must_use]
    pub fn after(mut self, text: impl Into<String>) -> Self {
        self.after = text.into();
        self
    }

    /// The grid and its text as printed.
    fn render(&self) -> String {
        let mut table = comfy_table::Table::new();
        table.set_header(&self.header);
        for row in &self.rows {
            table.add_row(row);
        }
        format!("{}{table}\n{}", self.before, self.after)
    }
}

impl Report {
    /// Aligned `label value` rows, or `json`.
    pub fn rows<L: Into<String>>(
        rows: impl IntoIterator<Item = (L, String)>,
        json: serde_json::Value,
    ) -> Self {
        let rows = rows.into_iter().map(|(l, v)| (l.into(), v)).collect();
        Self { json: Some(json), table: Table::Rows(rows), ..Self::default() }
    }

    /// A grid, or `json`.
    pub fn grid(grid: Grid, json: serde_json::Value) -> Self {
        Self { json: Some(json), table: Table::Grid(grid), ..Self::default() }
    }

    /// `text` as it is, or `json`.
    pub fn text(text: impl Into<String>, json: serde_json::Value) -> Self {
        Self { json: Some(json), table: Table::Text(text.into()), ..Self::default() }
    }

    /// `text` as it is, whatever the output format (a file path, a shell script, a prompt's outcome).
    pub fn plain(text: impl Into<String>) -> Self {
        Self { json: None, table: Table::Text(text.into()), ..Self::default() }
    }

    /// Nothing printed (the command printed what it had to while it ran).
    pub fn none() -> Self {
        Self::default()
    }

    /// The JSON on one line instead of indented.
    #[must_use]
    pub fn compact(mut self) -> Self {
        self.compact = true;
        self
    }

    /// Exits with `code` (see `exit.rs`) once printed.
    #[must_use]
    pub fn exit(mut self, code: u8) -> Self {
        self.exit = code;
        self
    }

    /// The exit code.
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.exit)
    }
}

/// Prints `report` in `format`.
pub fn print(format: OutputFormat, report: &Report) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match (&report.json, format) {
        (Some(json), OutputFormat::Json) if report.compact => writeln!(out, "{json}")?,
        (Some(json), OutputFormat::Json) => writeln!(out, "{}", serde_json::to_string_pretty(json)?)?,
        _ => match &report.table {
            Table::Empty => {}
            Table::Text(text) => out.write_all(text.as_bytes())?,
            Table::Grid(grid) => out.write_all(grid.render().as_bytes())?,
            Table::Rows(rows) => {
                let width = rows.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
                for (label, value) in rows {
                    if label.is_empty() {
                        writeln!(out, "{value}")?;
                    } else {
                        writeln!(out, "{label:<width$}  {value}")?;
                    }
                }
            }
        },
    }
    out.flush()?;
    Ok(())
}
