//! What an RSA signature was made as: the doctor opens it with the public key (the RSA public
//! operation, `s^e mod n`) and reads the padding and digest inside, so it can say "you signed with PSS
//! padding" or "with SHA-512" instead of only "the signature does not match".
//!
//! Binance verifies RSASSA-PKCS1-v1_5 with SHA-256 over the payload. The public operation here is for
//! diagnosis only (a few hundred microseconds, not constant-time: it handles public data); signing
//! and Binance's own check stay with ring.

use ring::digest;

/// How a signature's encoded message was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Padding {
    /// RSASSA-PKCS1-v1_5 with a DigestInfo (what Binance reads, with SHA-256).
    Pkcs1,
    /// RSASSA-PKCS1-v1_5 holding a bare digest, no DigestInfo (`openssl pkeyutl -sign` of a digest).
    Pkcs1Bare,
    /// PKCS#1 v1.5 type 1 padding around the message itself, unhashed (a raw private-key
    /// encryption: `private_encrypt`).
    Pkcs1Raw,
    /// RSASSA-PSS with MGF1 of the same hash, and this salt length.
    Pss(usize),
}

/// A signature, opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Opened {
    /// The padding.
    pub padding: Padding,
    /// The hash named or used by the padding.
    pub hash: &'static str,
    /// For PKCS#1: the digest inside. (PSS hides it: check with [`Opened::matches`].)
    digest: Vec<u8>,
    /// The encoded message (for PSS checks).
    em: Vec<u8>,
    /// The modulus length in bits.
    bits: usize,
}

fn algorithm(name: &str) -> &'static digest::Algorithm {
    match name {
        "SHA-1" => &digest::SHA1_FOR_LEGACY_USE_ONLY,
        "SHA-384" => &digest::SHA384,
        "SHA-512" => &digest::SHA512,
        _ => &digest::SHA256,
    }
}

/// DigestInfo prefixes (RFC 8017, 9.2 note 1).
const DIGEST_INFO: &[(&str, &[u8])] = &[
    (
        "SHA-256",
        &[
            0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
            0x00, 0x04, 0x20,
        ],
    ),
    (
        "SHA-512",
        &[
            0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05,
            0x00, 0x04, 0x40,
        ],
    ),
    (
        "SHA-384",
        &[
            0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05,
            0x00, 0x04, 0x30,
        ],
    ),
    ("SHA-1", &[0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14]),
];

impl Opened {
    /// Opens `signature` (raw bytes) with the PKCS#1 `RSAPublicKey` DER. `None` when the key cannot
    /// be read, the signature is not below the modulus, or the message is neither padding.
    pub fn open(public_der: &[u8], signature: &[u8]) -> Option<Opened> {
        let (n, e) = parse_public_key(public_der)?;
        let bits = bit_len(&n);
        let em = public_op(&n, &e, signature)?;
        // PKCS#1 v1.5: 00 01 FF..FF 00 T.
        if em.len() > 11 && em[0] == 0 && em[1] == 1 {
            let ff = em[2..].iter().take_while(|&&b| b == 0xff).count();
            let rest = &em[2 + ff..];
            if ff >= 8 && rest.first() == Some(&0) {
                let t = &rest[1..];
                for (hash, prefix) in DIGEST_INFO {
                    if let Some(d) = t.strip_prefix(*prefix) {
                        return Some(Opened { padding: Padding::Pkcs1, hash, digest: d.to_vec(), em, bits });
                    }
                }
                let hash = match t.len() {
                    20 => "SHA-1",
                    48 => "SHA-384",
                    64 => "SHA-512",
                    _ => "SHA-256",
                };
                return Some(Opened { padding: Padding::Pkcs1Bare, hash, digest: t.to_vec(), em, bits });
            }
        }
        // PSS: the last byte is 0xbc; find the hash whose check holds (salt length read from DB).
        if em.last() == Some(&0xbc) {
            return Some(Opened { padding: Padding::Pss(0), hash: "", digest: Vec::new(), em, bits });
        }
        None
    }

    /// Whether this signature was made over `message` (its padding's digest of it). For PSS, fills in
    /// the hash and salt length on a match.
    pub fn matches(&mut self, message: &[u8]) -> bool {
        match self.padding {
            Padding::Pkcs1 => {
                digest::digest(algorithm(self.hash), message).as_ref() == self.digest.as_slice()
            }
            Padding::Pkcs1Raw => self.digest.as_slice() == message,
            // A bare digest, or the message itself.
            Padding::Pkcs1Bare => {
                if self.digest.as_slice() == message {
                    self.padding = Padding::Pkcs1Raw;
                    return true;
                }
                digest::digest(algorithm(self.hash), message).as_ref() == self.digest.as_slice()
            }
            Padding::Pss(_) => {
                for hash in ["SHA-256", "SHA-512", "SHA-384", "SHA-1"] {
                    if let Some(salt) = pss_verify(&self.em, self.bits, hash, message) {
                        self.hash = hash;
                        self.padding = Padding::Pss(salt);
                        return true;
                    }
                }
                false
            }
        }
    }

    /// In words, e.g. "RSA-PSS with SHA-256 (salt of 222 bytes)".
    pub fn describe(&self) -> String {
        match self.padding {
            Padding::Pkcs1 => format!("RSA PKCS#1 v1.5 with {}", self.hash),
            Padding::Pkcs1Bare => format!("RSA PKCS#1 v1.5 over a bare {} digest (no DigestInfo)", self.hash),
            Padding::Pkcs1Raw => "a raw RSA encryption (PKCS#1 v1.5 padding, no hash)".to_owned(),
            Padding::Pss(salt) => format!("RSA-PSS with {} (salt of {salt} bytes)", self.hash),
        }
    }
}

/// EMSA-PSS-VERIFY (RFC 8017, 9.1.2) with MGF1 of `hash`, any salt length. Returns the salt length.
fn pss_verify(em: &[u8], mod_bits: usize, hash: &str, message: &[u8]) -> Option<usize> {
    let alg = algorithm(hash);
    let h_len = alg.output_len();
    let em_bits = mod_bits - 1;
    let em_len = em_bits.div_ceil(8);
    // The public operation gives k bytes; EM is its last em_len bytes (the first is 0 when em_len < k).
    let em = &em[em.len().checked_sub(em_len)?..];
    if em_len < h_len + 2 || em[em_len - 1] != 0xbc {
        return None;
    }
    let (masked_db, rest) = em.split_at(em_len - h_len - 1);
    let h = &rest[..h_len];
    let mut db = mgf1(alg, h, masked_db.len());
    for (d, m) in db.iter_mut().zip(masked_db) {
        *d ^= m;
    }
    let clear = 8 * em_len - em_bits;
    if clear > 0 {
        db[0] &= 0xff >> clear;
    }
    let one = db.iter().position(|&b| b != 0)?;
    if db[one] != 1 {
        return None;
    }
    let salt = &db[one + 1..];
    let m_hash = digest::digest(alg, message);
    let mut m_prime = vec![0u8; 8];
    m_prime.extend_from_slice(m_hash.as_ref());
    m_prime.extend_from_slice(salt);
    (digest::digest(alg, &m_prime).as_ref() == h).then_some(salt.len())
}

fn mgf1(alg: &'static digest::Algorithm, seed: &[u8], len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + alg.output_len());
    let mut counter: u32 = 0;
    while out.len() < len {
        let mut ctx = digest::Context::new(alg);
        ctx.update(seed);
        ctx.update(&counter.to_be_bytes());
        out.extend_from_slice(ctx.finish().as_ref());
        counter += 1;
    }
    out.truncate(len);
    out
}

/// `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }`, as big-endian magnitudes.
fn parse_public_key(der: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    fn tlv(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
        let (&t, rest) = input.split_first()?;
        if t != tag {
            return None;
        }
        let (&first, rest) = rest.split_first()?;
        let (len, rest) = match first {
            l if l < 0x80 => (usize::from(l), rest),
            0x81 => (usize::from(*rest.first()?), &rest[1..]),
            0x82 => (usize::from(*rest.first()?) << 8 | usize::from(*rest.get(1)?), rest.get(2..)?),
            _ => return None,
        };
        Some((rest.get(..len)?, rest.get(len..)?))
    }
    let (seq, _) = tlv(der, 0x30)?;
    let (n, rest) = tlv(seq, 0x02)?;
    let (e, _) = tlv(rest, 0x02)?;
    let strip = |v: &[u8]| v.iter().position(|&b| b != 0).map(|i| v[i..].to_vec());
    Some((strip(n)?, strip(e)?))
}

fn bit_len(n: &[u8]) -> usize {
    n.len() * 8 - n[0].leading_zeros() as usize
}

/// Big-endian bytes to little-endian 64-bit limbs, `k` of them.
fn limbs(bytes: &[u8], k: usize) -> Vec<u64> {
    let mut out = vec![0u64; k];
    for (i, b) in bytes.iter().rev().enumerate() {
        out[i / 8] |= u64::from(*b) << (8 * (i % 8));
    }
    out
}

fn geq(a: &[u64], b: &[u64]) -> bool {
    for i in (0..a.len()).rev() {
        if a[i] != b[i] {
            return a[i] > b[i];
        }
    }
    true
}

fn sub_in_place(a: &mut [u64], b: &[u64]) {
    let mut borrow = 0u64;
    for i in 0..a.len() {
        let (d, o1) = a[i].overflowing_sub(b[i]);
        let (d, o2) = d.overflowing_sub(borrow);
        a[i] = d;
        borrow = u64::from(o1 || o2);
    }
}

/// `a * b / R mod n` (Montgomery multiplication, CIOS).
fn mont_mul(a: &[u64], b: &[u64], n: &[u64], n0inv: u64) -> Vec<u64> {
    let k = n.len();
    let mut t = vec![0u64; k + 2];
    for &bi in b {
        let mut carry = 0u128;
        for j in 0..k {
            let v = u128::from(t[j]) + u128::from(a[j]) * u128::from(bi) + carry;
            t[j] = v as u64;
            carry = v >> 64;
        }
        let v = u128::from(t[k]) + carry;
        t[k] = v as u64;
        t[k + 1] = (v >> 64) as u64;
        let m = t[0].wrapping_mul(n0inv);
        let mut carry = (u128::from(t[0]) + u128::from(m) * u128::from(n[0])) >> 64;
        for j in 1..k {
            let v = u128::from(t[j]) + u128::from(m) * u128::from(n[j]) + carry;
            t[j - 1] = v as u64;
            carry = v >> 64;
        }
        let v = u128::from(t[k]) + carry;
        t[k - 1] = v as u64;
        t[k] = t[k + 1] + (v >> 64) as u64;
    }
    let mut r = t[..=k].to_vec();
    let mut n_ext = n.to_vec();
    n_ext.push(0);
    if geq(&r, &n_ext) {
        sub_in_place(&mut r, &n_ext);
    }
    r.truncate(k);
    r
}

/// `s^e mod n` as big-endian bytes of the modulus' length; `None` when `s >= n`.
fn public_op(n_bytes: &[u8], e_bytes: &[u8], s_bytes: &[u8]) -> Option<Vec<u8>> {
    let k = n_bytes.len().div_ceil(8);
    if s_bytes.len() > n_bytes.len() || k == 0 || n_bytes[n_bytes.len() - 1] & 1 == 0 {
        return None;
    }
    let n = limbs(n_bytes, k);
    let s = limbs(s_bytes, k);
    if geq(&s, &n) {
        return None;
    }
    // -n^-1 mod 2^64 by Newton's iteration.
    let mut inv: u64 = 1;
    for _ in 0..6 {
        inv = inv.wrapping_mul(2u64.wrapping_sub(n[0].wrapping_mul(inv)));
    }
    let n0inv = inv.wrapping_neg();
    // R mod n and R^2 mod n by doubling (R = 2^(64k)).
    let mut x = vec![0u64; k];
    x[0] = 1;
    let mut r_mod_n = Vec::new();
    for step in 0..2 * 64 * k {
        let top = x[k - 1] >> 63;
        for i in (1..k).rev() {
            x[i] = x[i] << 1 | x[i - 1] >> 63;
        }
        x[0] <<= 1;
        if top == 1 || geq(&x, &n) {
            sub_in_place(&mut x, &n);
        }
        if step + 1 == 64 * k {
            r_mod_n = x.clone();
        }
    }
    let r2 = x;
    let s_m = mont_mul(&s, &r2, &n, n0inv);
    let mut acc = r_mod_n;
    let e_bits = bit_len(e_bytes);
    for i in (0..e_bits).rev() {
        acc = mont_mul(&acc, &acc, &n, n0inv);
        let byte = e_bytes[e_bytes.len() - 1 - i / 8];
        if byte >> (i % 8) & 1 == 1 {
            acc = mont_mul(&acc, &s_m, &n, n0inv);
        }
    }
    let mut one = vec![0u64; k];
    one[0] = 1;
    let m = mont_mul(&acc, &one, &n, n0inv);
    let mut out = vec![0u8; n_bytes.len()];
    for (i, b) in out.iter_mut().rev().enumerate() {
        *b = (m[i / 8] >> (8 * (i % 8))) as u8;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sign::Signer;

    fn rsa() -> (Signer, Vec<u8>) {
        let shared = std::env::var_os("MBX_SHARED_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
        let pem = std::fs::read(shared.join("vectors/rsa-private.pem")).unwrap();
        let crate::keys::LoadedKey::Private(signer) = crate::keys::load_pem(&pem, None).unwrap() else {
            unreachable!()
        };
        let crate::sign::Verifier::Rsa(v) = signer.verifier() else { unreachable!() };
        (signer, v.der().to_vec())
    }

    #[test]
    fn opens_a_pkcs1_sha256_signature() {
        let (signer, der) = rsa();
        let sig = signer.sign(b"timestamp=1");
        let raw = crate::sign::decode_base64(sig.as_str()).unwrap();
        let mut opened = Opened::open(&der, &raw).unwrap();
        assert_eq!((opened.padding, opened.hash), (Padding::Pkcs1, "SHA-256"));
        assert!(opened.matches(b"timestamp=1"));
        assert!(!opened.matches(b"timestamp=2"));
    }

    #[test]
    fn rejects_garbage() {
        let (_, der) = rsa();
        assert!(Opened::open(&der, &[0xff; 256]).is_none());
        assert!(Opened::open(&der, &[1, 2, 3]).is_none_or(|o| o.padding != Padding::Pkcs1));
        assert!(Opened::open(&[0x30, 0x03], &[1]).is_none());
    }
}
