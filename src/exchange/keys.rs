//! Secretariat keys in age's standard text forms: a public key `age1...` to paste into members'
//! Settings, and an identity file holding `AGE-SECRET-KEY-1...` as `age-keygen` writes it.

use age::secrecy::ExposeSecret;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("no key found in {0}")]
    NoKey(String),
    #[error("{0}")]
    Invalid(String),
    #[error("cannot read or write {path}: {source}")]
    Io { path: String, source: std::io::Error },
}

/// Parses an identity file (comments and blank lines allowed, one key per line).
pub fn parse_identities(text: &str) -> Result<Vec<age::x25519::Identity>, KeyError> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let id: age::x25519::Identity = line.parse().map_err(|e: &str| KeyError::Invalid(e.to_string()))?;
        out.push(id);
    }
    Ok(out)
}

pub fn load_identities(path: &Path) -> Result<Vec<age::x25519::Identity>, KeyError> {
    let text =
        std::fs::read_to_string(path).map_err(|source| KeyError::Io { path: path.display().to_string(), source })?;
    let ids = parse_identities(&text)?;
    if ids.is_empty() {
        return Err(KeyError::NoKey(path.display().to_string()));
    }
    Ok(ids)
}

/// Reads a recipient: the first `age1...` line of a text (a key file, or the key itself).
pub fn parse_recipient(text: &str) -> Result<String, KeyError> {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .ok_or_else(|| KeyError::NoKey("text".into()))?;
    let r: age::x25519::Recipient = line.parse().map_err(|e: &str| KeyError::Invalid(e.to_string()))?;
    Ok(r.to_string())
}

/// Makes a new key pair; returns (identity file text, public key).
pub fn generate() -> (String, String) {
    let id = age::x25519::Identity::generate();
    let public = id.to_public().to_string();
    let created = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let text = format!("# created: {created}\n# public key: {public}\n{}\n", id.to_string().expose_secret());
    (text, public)
}

/// Writes an identity file readable by its owner only; refuses to replace an existing one.
pub fn write_identity_file(path: &Path, text: &str) -> Result<(), KeyError> {
    use std::io::Write;
    let io = |source| KeyError::Io { path: path.display().to_string(), source };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(io)?;
    f.write_all(text.as_bytes()).map_err(io)?;
    f.sync_all().map_err(io)?;
    Ok(())
}

/// The public key of the first identity in an identity file.
pub fn public_of(identity_text: &str) -> Result<String, KeyError> {
    let ids = parse_identities(identity_text)?;
    ids.first().map(|i| i.to_public().to_string()).ok_or_else(|| KeyError::NoKey("identity".into()))
}
