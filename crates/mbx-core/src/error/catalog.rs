//! The catalog of every error code in Binance's `errors.md`: one row per code.
//!
//! Each row gives the code, Binance's name (which becomes an [`ErrorCode`] constant), the HTTP status
//! Binance answers with, the message variants exactly as documented (`%s` marks a placeholder), and a
//! generic fix used when no more precise diagnosis applies.

use super::code::ErrorCode;

/// One documented Binance error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogEntry {
    /// The code, e.g. `-1022`.
    pub code: ErrorCode,
    /// Binance's name for it, e.g. `INVALID_SIGNATURE`.
    pub name: &'static str,
    /// The HTTP status Binance answers with when it sends this code over REST.
    pub http_status: u16,
    /// The documented messages; the first is the default. `%s` marks a placeholder.
    pub messages: &'static [&'static str],
    /// What to do about it, in one or two sentences.
    pub fix: &'static str,
}

impl CatalogEntry {
    /// The default message (the first documented one).
    pub fn message(&self) -> &'static str {
        self.messages[0]
    }
}

/// Fills the `%s` placeholders of `template` with `args`, in order. Missing args leave `%s`.
///
/// ```
/// let m = mbx_core::error::fill_template("Mandatory parameter '%s' was not sent, was empty/null, or malformed.", &["timestamp"]);
/// assert_eq!(m, "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.");
/// ```
pub fn fill_template(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut args = args.iter();
    let mut rest = template;
    while let Some(pos) = rest.find("%s").or_else(|| rest.find("%d")) {
        out.push_str(&rest[..pos]);
        match args.next() {
            Some(a) => out.push_str(a),
            None => out.push_str(&rest[pos..pos + 2]),
        }
        rest = &rest[pos + 2..];
    }
    out.push_str(rest);
    out
}

/// A row's message list: `[...]` as written, or `{ "OWN" }` for OWN followed by the engine messages.
macro_rules! messages {
    ([$($m:literal),+ $(,)?]) => { &[$($m),+] };
    ({ $own:literal }) => { with_engine_messages!($own) };
}

/// A row's first (default) message.
macro_rules! first_message {
    ([$first:literal $(, $m:literal)* $(,)?]) => {
        $first
    };
    ({ $own:literal }) => {
        $own
    };
}

macro_rules! catalog {
    ($( $code:literal $name:ident $status:literal $msgs:tt $fix:literal; )*) => {
        impl ErrorCode {
            $(
                #[doc = concat!("`", stringify!($code), "` ", stringify!($name), ": `", first_message!($msgs), "`")]
                pub const $name: ErrorCode = ErrorCode($code);
            )*
        }

        /// Every documented code, in the order of `errors.md`.
        pub static ENTRIES: &[CatalogEntry] = &[
            $( CatalogEntry {
                code: ErrorCode($code),
                name: stringify!($name),
                http_status: $status,
                messages: messages!($msgs),
                fix: $fix,
            }, )*
        ];
    };
}

/// Every documented message with its code, in the catalog's order.
///
/// ```
/// assert!(mbx_core::error::catalog::messages().any(|(c, m)| c == -1022 && m.starts_with("Signature")));
/// ```
pub fn messages() -> impl Iterator<Item = (i32, &'static str)> {
    ENTRIES.iter().flat_map(|e| e.messages.iter().map(|m| (e.code.get(), *m)))
}

/// Looks up the catalog row of `code`.
pub fn lookup(code: ErrorCode) -> Option<&'static CatalogEntry> {
    ENTRIES.iter().find(|e| e.code == code)
}

include!("catalog_rows.rs");
