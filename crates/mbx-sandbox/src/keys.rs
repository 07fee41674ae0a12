//! API keys: their permissions, how they are issued, and the in-memory [`KeyRing`] that every signed
//! request looks its key up in.
//!
//! The store is the record; the key ring is a read-mostly copy of the usable (not revoked) keys, updated
//! only after a new key is committed, so a request never sees a key the store would lose on restart.

use crate::hash::FastMap;
use std::fmt;
use std::sync::{Arc, RwLock};

use mbx_core::endpoint::Security;
use mbx_core::keys::{self, LoadedKey};
use mbx_core::sign::{HmacSigner, KeyKind, Verifier};
use ring::rand::{SecureRandom, SystemRandom};

use crate::error::StoreError;

/// Length of an API key and of an HMAC secret, as Binance issues them: 64 ASCII letters and digits.
pub(crate) const KEY_LEN: usize = 64;

/// What an API key may be used for: one flag per security type that needs a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Permissions {
    /// `TRADE`: place and cancel orders.
    pub trade: bool,
    /// `USER_DATA`: read account data.
    pub user_data: bool,
    /// `USER_STREAM`: manage user data streams.
    pub user_stream: bool,
}

impl Permissions {
    /// Every permission (the demo key's).
    pub const ALL: Permissions = Permissions { trade: true, user_data: true, user_stream: true };

    /// Whether a key with these permissions may call an endpoint of this security type.
    pub fn allows(self, security: Security) -> bool {
        match security {
            Security::None => true,
            Security::Trade => self.trade,
            Security::UserData => self.user_data,
            Security::UserStream => self.user_stream,
        }
    }

    /// Reads permission names (`TRADE`, `USER_DATA`, `USER_STREAM`); returns the first unknown name
    /// as the error.
    pub fn parse<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Permissions, String> {
        let mut p = Permissions::default();
        for name in names {
            match name.trim() {
                "TRADE" => p.trade = true,
                "USER_DATA" => p.user_data = true,
                "USER_STREAM" => p.user_stream = true,
                "" => {}
                other => return Err(other.to_owned()),
            }
        }
        Ok(p)
    }

    /// The names, in the docs' order.
    pub fn names(self) -> Vec<&'static str> {
        let mut v = Vec::with_capacity(3);
        if self.trade {
            v.push("TRADE");
        }
        if self.user_data {
            v.push("USER_DATA");
        }
        if self.user_stream {
            v.push("USER_STREAM");
        }
        v
    }
}

impl fmt::Display for Permissions {
    /// Comma-separated names, as stored.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.names().join(","))
    }
}

/// The key material the sandbox keeps to verify signatures.
#[derive(Clone, PartialEq, Eq)]
pub enum KeyMaterial {
    /// An HMAC secret, exactly as issued.
    Hmac {
        /// The secret's text (its bytes are the HMAC key).
        secret: String,
    },
    /// An Ed25519 or RSA public key.
    Public {
        /// Which kind the PEM holds.
        kind: KeyKind,
        /// The public key as PEM (SPKI `PUBLIC KEY`, or `RSA PUBLIC KEY`).
        pem: String,
    },
}

impl KeyMaterial {
    /// The key kind.
    pub fn kind(&self) -> KeyKind {
        match self {
            KeyMaterial::Hmac { .. } => KeyKind::Hmac,
            KeyMaterial::Public { kind, .. } => *kind,
        }
    }

    /// The verifier for signatures made with this key.
    pub fn verifier(&self) -> Result<Verifier, keys::KeyError> {
        match self {
            KeyMaterial::Hmac { secret } => Ok(Verifier::Hmac(HmacSigner::new(secret.as_bytes()))),
            KeyMaterial::Public { pem, .. } => match keys::load_pem(pem.as_bytes(), None)? {
                LoadedKey::Public(v) => Ok(v),
                LoadedKey::Private(s) => Ok(s.verifier()),
            },
        }
    }

    /// The text kept in the store: the secret or the PEM.
    pub fn stored_text(&self) -> &str {
        match self {
            KeyMaterial::Hmac { secret } => secret,
            KeyMaterial::Public { pem, .. } => pem,
        }
    }
}

impl fmt::Debug for KeyMaterial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyMaterial::Hmac { .. } => f.write_str("Hmac(<redacted>)"),
            KeyMaterial::Public { kind, .. } => write!(f, "Public({kind})"),
        }
    }
}

/// An API key as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredKey {
    /// The `X-MBX-APIKEY` value.
    pub api_key: String,
    /// The account the key acts on.
    pub account_id: i64,
    /// Secret or public key.
    pub material: KeyMaterial,
    /// What the key may do.
    pub permissions: Permissions,
    /// A revoked key is answered `-2015`, like an unknown one.
    pub revoked: bool,
}

/// A usable key, ready to verify signatures.
#[derive(Debug)]
pub struct KeyEntry {
    /// The `X-MBX-APIKEY` value.
    pub api_key: String,
    /// The account the key acts on.
    pub account_id: i64,
    /// Checks this key's signatures.
    pub verifier: Verifier,
    /// What the key may do.
    pub permissions: Permissions,
    /// The doctor's view of the key: the HMAC secret (so it can try what clients do to secrets:
    /// decode, trim, quote them) or the public key.
    pub doctor: mbx_core::diagnose::Context,
    /// The last requests this key signed, for the doctor's "one HMAC never reset" hypothesis.
    pub recent: RecentPayloads,
}

/// The last payloads signed with an HMAC key, as received (query string and body, signature pairs
/// in place): a client that writes every request into one HMAC and never resets it signs them all
/// joined, and the doctor finds that only with them ([`mbx_core::diagnose::RequestRecord::earlier`]).
#[derive(Default)]
pub struct RecentPayloads(std::sync::Mutex<std::collections::VecDeque<(String, String)>>);

impl RecentPayloads {
    /// How many are kept.
    const KEPT: usize = 8;

    /// Notes a request's query string and body (the oldest kept one's buffers are reused).
    pub fn note(&self, query: &str, body: &str) {
        let mut ring = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let (mut q, mut b) =
            if ring.len() == Self::KEPT { ring.pop_front().unwrap_or_default() } else { Default::default() };
        q.clear();
        q.push_str(query);
        b.clear();
        b.push_str(body);
        ring.push_back((q, b));
    }

    /// The payloads noted, oldest first, each as Binance verifies it (signature pairs left out).
    pub fn payloads(&self) -> Vec<String> {
        let ring = self.0.lock().unwrap_or_else(|e| e.into_inner());
        ring.iter()
            .map(|(q, b)| {
                let (q, _) = mbx_core::payload::split_signature(q);
                let (b, _) = mbx_core::payload::split_signature(b);
                q + &b
            })
            .collect()
    }
}

impl fmt::Debug for RecentPayloads {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.lock().map_or(0, |r| r.len());
        write!(f, "RecentPayloads({n})")
    }
}

impl KeyEntry {
    /// Builds the entry of a stored key; fails when the stored PEM no longer loads.
    pub fn from_stored(key: &StoredKey) -> Result<KeyEntry, StoreError> {
        let verifier = key.material.verifier().map_err(|e| StoreError::Corrupt {
            what: "api_keys.material",
            detail: format!("key {}…: {e}", key.api_key.chars().take(4).collect::<String>()),
        })?;
        let doctor = match &key.material {
            KeyMaterial::Hmac { secret } => {
                mbx_core::diagnose::Context::hmac(mbx_core::SecretBytes::from(secret.as_str()))
            }
            KeyMaterial::Public { .. } => mbx_core::diagnose::Context::key(verifier.clone()),
        };
        Ok(KeyEntry {
            api_key: key.api_key.clone(),
            account_id: key.account_id,
            verifier,
            permissions: key.permissions,
            doctor,
            recent: RecentPayloads::default(),
        })
    }
}

/// The most other keys of an account a rejection's diagnosis tries (each is a search of its own).
const MAX_OTHER_KEYS: usize = 4;

/// The usable API keys, by key text. Cheap to share (`Arc` inside the state).
#[derive(Debug, Default)]
pub struct KeyRing {
    keys: RwLock<FastMap<String, Arc<KeyEntry>>>,
}

impl KeyRing {
    /// Looks a key up.
    pub fn get(&self, api_key: &str) -> Option<Arc<KeyEntry>> {
        self.keys.read().unwrap_or_else(|e| e.into_inner()).get(api_key).cloned()
    }

    /// The doctor's view of the key a request names by `sent` (its API key, or its secret sent in
    /// the API key's place), with its account's other keys ([`KeyRing::doctor_context`]).
    pub fn doctor_view(&self, sent: &str) -> Option<mbx_core::diagnose::Context> {
        self.get(sent).or_else(|| self.by_secret(sent)).map(|k| self.doctor_context(&k))
    }

    /// The doctor's view of `key` with the other keys of its account beside it: a request signed
    /// with one of them (two keys of one account mixed up) is named with the key it was.
    pub fn doctor_context(&self, key: &KeyEntry) -> mbx_core::diagnose::Context {
        let keys = self.keys.read().unwrap_or_else(|e| e.into_inner());
        let mut others: Vec<&Arc<KeyEntry>> =
            keys.values().filter(|k| k.account_id == key.account_id && k.api_key != key.api_key).collect();
        // A stable order, so that a diagnosis names the same key every time.
        others.sort_by(|a, b| a.api_key.cmp(&b.api_key));
        others.into_iter().take(MAX_OTHER_KEYS).fold(key.doctor.clone(), |ctx, other| {
            ctx.with_other(mbx_core::diagnose::OtherKey {
                label: format!("API key {} of the same account", shorten(&other.api_key)),
                venue: None,
                api_key: Some(other.api_key.clone()),
                secret: other.doctor.secret.clone(),
                verifier: other.doctor.verifier.clone(),
            })
        })
    }

    /// The key whose HMAC secret is `text`: a client that sent its secret where the API key belongs
    /// (looked up only to explain that rejection).
    pub fn by_secret(&self, text: &str) -> Option<Arc<KeyEntry>> {
        let keys = self.keys.read().unwrap_or_else(|e| e.into_inner());
        keys.values()
            .find(|k| k.doctor.secret.as_ref().is_some_and(|s| s.expose() == text.as_bytes()))
            .cloned()
    }

    /// `text` with every HMAC secret of the ring replaced by `<secret key of abcd…>` (its API key,
    /// shortened): for hints that quote what a client sent, which may hold a secret sent by mistake
    /// (as the API key or as a parameter). Binance never echoes a secret; neither does the sandbox.
    pub fn redact<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        let keys = self.keys.read().unwrap_or_else(|e| e.into_inner());
        let mut out = std::borrow::Cow::Borrowed(text);
        for k in keys.values() {
            let Some(secret) = k.doctor.secret.as_ref().and_then(|s| std::str::from_utf8(s.expose()).ok())
            else {
                continue;
            };
            if secret.len() >= 8 && out.contains(secret) {
                out = std::borrow::Cow::Owned(
                    out.replace(secret, &format!("<secret key of {}>", shorten(&k.api_key))),
                );
            }
        }
        out
    }

    /// Every string of `value` (recursively) through [`KeyRing::redact`]: for the answers that show
    /// requests as received (the rejection journal, the console's log entries).
    pub fn redact_json(&self, value: &mut serde_json::Value) {
        match value {
            serde_json::Value::String(s) => {
                if let std::borrow::Cow::Owned(redacted) = self.redact(s) {
                    *s = redacted;
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(|v| self.redact_json(v)),
            serde_json::Value::Object(map) => map.values_mut().for_each(|v| self.redact_json(v)),
            _ => {}
        }
    }

    /// Adds (or replaces) a key.
    pub fn insert(&self, entry: KeyEntry) {
        self.keys.write().unwrap_or_else(|e| e.into_inner()).insert(entry.api_key.clone(), Arc::new(entry));
    }

    /// Removes a key (revoked): later requests with it are answered `-2015`.
    pub fn remove(&self, api_key: &str) -> bool {
        self.keys.write().unwrap_or_else(|e| e.into_inner()).remove(api_key).is_some()
    }

    /// Number of usable keys.
    pub fn len(&self) -> usize {
        self.keys.read().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// True when no key is usable.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The token the admin API and the console require (`X-Sandbox-Token`): compared, never shown.
/// `Debug` gives its length only, so the builder's and the state's `Debug` do not print it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct AdminToken(String);

impl AdminToken {
    /// Wraps `token`.
    pub(crate) fn new(token: String) -> AdminToken {
        AdminToken(token)
    }

    /// The token itself, to compare with the one presented (and for the start line that shows a
    /// made-up token, the only way to learn it).
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AdminToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AdminToken(<redacted, {} chars>)", self.0.chars().count())
    }
}

/// `n` random ASCII letters and digits from the system's secure generator, for new API keys and HMAC
/// secrets.
pub(crate) fn random_alnum(n: usize) -> String {
    const ALPHABET: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let rng = SystemRandom::new();
    let mut out = String::with_capacity(n);
    let mut buf = [0u8; 64];
    while out.len() < n {
        if rng.fill(&mut buf).is_err() {
            // The OS generator does not fail on supported platforms; if it ever does, retrying is all
            // there is to do.
            continue;
        }
        // 248 = 4 * 62: rejecting bytes at or above it keeps every character equally likely.
        for b in buf.iter().filter(|b| **b < 248) {
            if out.len() == n {
                break;
            }
            out.push(char::from(ALPHABET[usize::from(*b % 62)]));
        }
    }
    out
}

/// `n` random ASCII letters and digits for ids that guard nothing (generated client order ids, as
/// Binance generates them when a request names none): a per-thread generator seeded once from the
/// system's, so an id costs no system call. API keys and secrets use [`random_alnum`].
pub(crate) fn random_client_id(n: usize) -> String {
    thread_local! {
        static STATE: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    }
    const ALPHABET: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    STATE.with(|state| {
        let mut x = state.get();
        if x == 0 {
            let mut seed = [0u8; 8];
            // Never fails on supported platforms; a fixed odd seed would still give distinct ids.
            let _ = SystemRandom::new().fill(&mut seed);
            x = u64::from_le_bytes(seed) | 1;
        }
        let mut out = String::with_capacity(n);
        while out.len() < n {
            // splitmix64: one step per character (62 values from 64 bits: the bias is below 2^-57).
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            out.push(char::from(ALPHABET[(z % 62) as usize]));
        }
        state.set(x);
        out
    })
}

/// The first characters of a key, for hints and logs (keys are private too).
pub(crate) fn shorten(key: &str) -> String {
    mbx_core::accept::shorten_key(key)
}

/// The sandbox's keys as mbx-core's acceptance check sees them.
impl mbx_core::accept::KeyRing for KeyRing {
    type Key = Arc<KeyEntry>;

    fn key(&self, api_key: &str) -> Option<Arc<KeyEntry>> {
        self.get(api_key)
    }

    fn permits(&self, key: &Arc<KeyEntry>, security: Security) -> Result<(), String> {
        if key.permissions.allows(security) { Ok(()) } else { Err(key.permissions.names().join(", ")) }
    }

    fn verifier<'k>(&'k self, key: &'k Arc<KeyEntry>) -> Option<&'k Verifier> {
        Some(&key.verifier)
    }

    fn unknown_hint(&self, api_key: &str) -> String {
        // The secret sent in the API key's place: said so, and not shown (not even shortened).
        if let Some(owner) = self.by_secret(api_key) {
            return format!(
                "X-MBX-APIKEY holds the secret key of API key {}, not an API key: send the API key in the header and keep the secret to sign with (never send it; replace this key pair, since its secret went over the network).",
                shorten(&owner.api_key)
            );
        }
        format!(
            "No API key {} is registered in this sandbox (or it was revoked); use the demo key or register one with POST /sandbox/v1/keys.",
            shorten(api_key)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_client_ids_are_alphanumeric_and_distinct() {
        let ids: std::collections::HashSet<String> = (0..10_000).map(|_| random_client_id(22)).collect();
        assert_eq!(ids.len(), 10_000);
        assert!(ids.iter().all(|id| id.len() == 22 && id.bytes().all(|b| b.is_ascii_alphanumeric())));
    }

    #[test]
    fn random_alnum_has_key_shape() {
        let k = random_alnum(KEY_LEN);
        assert!(mbx_core::accept::is_well_formed_key(&k), "{k}");
        assert_ne!(k, random_alnum(KEY_LEN));
    }

    #[test]
    fn permissions_parse_and_display_roundtrip() {
        let p = Permissions::parse(["USER_DATA", "TRADE"]).unwrap();
        assert_eq!(p.to_string(), "TRADE,USER_DATA");
        assert_eq!(Permissions::parse(p.to_string().split(',')).unwrap(), p);
        assert_eq!(Permissions::parse(["SPOT"]).unwrap_err(), "SPOT");
        assert!(!p.allows(Security::UserStream));
        assert!(p.allows(Security::None));
    }
}
