//! `mbx keygen` and `mbx key show`.

use std::io::Write as _;

use mbx_core::keys;
use mbx_core::{KeyKind, SecretBytes};
use serde_json::json;

use crate::cli::{KeygenArgs, KeygenKind};
use crate::context::{Context, ENV_PASSPHRASE, Material};
use crate::exit::usage;
use crate::output::Report;

/// `mbx keygen`: a new Ed25519 or RSA key pair in files.
pub fn keygen(args: KeygenArgs) -> anyhow::Result<Report> {
    let bits: usize = match (&args.bits, args.kind) {
        (Some(_), KeygenKind::Ed25519) => {
            return Err(usage("--bits applies to rsa keys only; Ed25519 keys have one size"));
        }
        (Some(b), KeygenKind::Rsa) => b.parse().map_err(|_| usage("--bits is 2048, 3072 or 4096"))?,
        (None, _) => 2048,
    };
    let out = args.out.clone().unwrap_or_else(|| {
        std::path::PathBuf::from(match args.kind {
            KeygenKind::Ed25519 => "mbx-ed25519.pem",
            KeygenKind::Rsa => "mbx-rsa.pem",
        })
    });
    if out.exists() {
        return Err(usage(format!("{} exists; choose another --out or remove it first", out.display())));
    }
    let passphrase = if args.encrypt { Some(new_passphrase()?) } else { None };
    let der = match args.kind {
        KeygenKind::Ed25519 => keys::generate_ed25519()?,
        KeygenKind::Rsa => keys::generate_rsa(bits)?,
    };
    let private = keys::private_key_pem(&der, passphrase.as_ref())?;
    let verifier = keys::load_pkcs8(&der)?.verifier();
    let public =
        keys::public_key_pem(&verifier).ok_or_else(|| anyhow::anyhow!("cannot encode the public key"))?;
    let fingerprint = keys::fingerprint(&verifier).unwrap_or_default();
    write_private(&out, private.as_bytes())?;
    let pub_path = out.with_extension("pem.pub");
    std::fs::write(&pub_path, &public)
        .map_err(|e| usage(format!("cannot write {}: {e}", pub_path.display())))?;
    let kind = match args.kind {
        KeygenKind::Ed25519 => "Ed25519".to_owned(),
        KeygenKind::Rsa => format!("RSA {bits} bits"),
    };
    let rows = [
        ("key type", kind.clone()),
        (
            "private key",
            format!("{} (mode 600{})", out.display(), if args.encrypt { ", encrypted" } else { "" }),
        ),
        ("public key", pub_path.display().to_string()),
        ("fingerprint", fingerprint.clone()),
        ("", String::new()),
        ("", "Register this public key with Binance (API Management, 'Self-generated' key):".into()),
        ("", public.trim_end().to_owned()),
    ];
    Ok(Report::rows(
        rows,
        json!({ "type": kind, "private": out, "public": pub_path, "publicKey": public, "fingerprint": fingerprint }),
    ))
}

fn new_passphrase() -> anyhow::Result<SecretBytes> {
    if let Some(p) = std::env::var_os(ENV_PASSPHRASE) {
        return Ok(SecretBytes::new(p.into_encoded_bytes()));
    }
    if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        return Err(usage(format!(
            "--encrypt needs a passphrase: set {ENV_PASSPHRASE} or run in a terminal"
        )));
    }
    let first = rpassword::prompt_password("New passphrase: ")?;
    let second = rpassword::prompt_password("Again: ")?;
    if first != second {
        return Err(usage("the passphrases differ"));
    }
    if first.is_empty() {
        return Err(usage("an empty passphrase protects nothing; leave out --encrypt instead"));
    }
    Ok(SecretBytes::from(first))
}

/// Creates the file readable by its owner only (0600) before writing the key into it.
fn write_private(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| usage(format!("cannot create {}: {e}", path.display())))?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(())
}

/// `mbx key show`: the public key and fingerprint of `--key-file`.
pub fn show(ctx: &Context) -> anyhow::Result<Report> {
    if ctx.keys.key_file.is_none() {
        return Err(usage("pass --key-file FILE (an Ed25519 or RSA key, private or public)"));
    }
    let key = ctx.key()?;
    let Material::Pem(loaded) = &key.material else {
        return Err(usage("the key file holds an HMAC secret: it has no public key or fingerprint"));
    };
    let verifier = loaded.verifier();
    let public = keys::public_key_pem(&verifier).unwrap_or_default();
    let fingerprint = keys::fingerprint(&verifier).unwrap_or_default();
    let kind: KeyKind = loaded.kind();
    let rows = [
        ("key", key.source.clone()),
        ("fingerprint", fingerprint.clone()),
        ("", public.trim_end().to_owned()),
    ];
    Ok(Report::rows(rows, json!({ "kind": kind.as_str(), "fingerprint": fingerprint, "publicKey": public })))
}
