//! Signing returns with the installation's key, in the [minisign](https://jedisct1.github.io/minisign/)
//! formats (Ed25519 over the BLAKE2b-512 of the bytes, "ED" signatures), so a third party can check
//! a return with the reference tool (`minisign -Vm body.json -P <public key>`).
//!
//! - Key pairs are made by the `minisign` crate and kept as minisign key files beside the
//!   database, named after it (`<database file name>.signing-key`, unencrypted, readable by its
//!   owner only, `minisign -S -s` signs with it; and `.signing-key.pub`), one key per database:
//!   `Store::signing_key_text` keeps them, with [`new_key_text`] and [`describe_key_text`] for
//!   what it cannot know of keys. Earlier versions used one fixed name per folder
//!   ([`SECRET_KEY_FILE`], [`PUBLIC_KEY_FILE`]; [`ensure_key`]); the store adopts such a file for
//!   the database it belongs to.
//! - Signatures are written here, with `ed25519-dalek`, because Ed25519 signing is then
//!   deterministic: the same revision always gives the same file (the crate's signer adds random
//!   noise). They are verified by the `minisign` crate, a second, independent implementation.
//! - The [`fingerprint`] is what a person reads out on the phone to check a key: the first 8 bytes
//!   of the SHA-256 of the public key, as `A1B2 C3D4 E5F6 0718`. Not minisign's key id, which the
//!   key's maker chooses freely and another key can copy.
//!
//! Nothing here knows the store: functions take paths and bytes.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use blake2::Digest as _;
use ed25519_dalek::Signer as _;
use std::path::{Path, PathBuf};

/// The key files' fixed names of earlier versions (one per folder; see the module's notes).
pub const SECRET_KEY_FILE: &str = "signing-key.minisign";
pub const PUBLIC_KEY_FILE: &str = "signing-key.pub";

const SIG_ALG: [u8; 2] = *b"Ed";
const SIG_ALG_PREHASHED: [u8; 2] = *b"ED";
const CHK_ALG: [u8; 2] = *b"B2";
const COMMENT: &str = "untrusted comment: ";
const TRUSTED: &str = "trusted comment: ";

#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("not a minisign public key")]
    BadPublicKey,
    #[error("not an unencrypted minisign secret key: {0}")]
    BadSecretKey(String),
    #[error("not a minisign signature")]
    BadSignature,
    #[error("the signature does not match")]
    Mismatch,
    #[error("the key could not be made: {0}")]
    Generate(String),
    #[error("cannot read or write {path}: {source}")]
    Io { path: String, source: std::io::Error },
}

/// A minisign public key: key id (8 bytes) and Ed25519 key (32 bytes).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PublicKey {
    key_id: [u8; 8],
    key: [u8; 32],
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKey({})", self.to_base64())
    }
}

impl PublicKey {
    /// The 42 bytes minisign encodes: `Ed`, key id, key.
    fn bytes(&self) -> Vec<u8> {
        [&SIG_ALG[..], &self.key_id, &self.key].concat()
    }

    /// The one-line form, `RW...` (56 characters), as `minisign -P` takes it.
    pub fn to_base64(&self) -> String {
        B64.encode(self.bytes())
    }

    /// Reads a public key: the `RW...` line alone, or a `.pub` file (comment line, then the key).
    pub fn parse(text: &str) -> Result<PublicKey, SignError> {
        let line = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with(COMMENT.trim_end()))
            .ok_or(SignError::BadPublicKey)?;
        let raw = B64.decode(line).map_err(|_| SignError::BadPublicKey)?;
        if raw.len() != 42 || raw[..2] != SIG_ALG {
            return Err(SignError::BadPublicKey);
        }
        let mut key_id = [0u8; 8];
        key_id.copy_from_slice(&raw[2..10]);
        let mut key = [0u8; 32];
        key.copy_from_slice(&raw[10..]);
        ed25519_dalek::VerifyingKey::from_bytes(&key).map_err(|_| SignError::BadPublicKey)?;
        Ok(PublicKey { key_id, key })
    }

    /// minisign's key id as its tool prints it (16 upper-case hex digits).
    pub fn key_id(&self) -> String {
        format!("{:016X}", u64::from_le_bytes(self.key_id))
    }

    /// The text of a `.pub` file, as `minisign -G` writes it.
    pub fn to_file_text(&self) -> String {
        format!("{COMMENT}minisign public key {}\n{}\n", self.key_id(), self.to_base64())
    }

    pub fn fingerprint(&self) -> String {
        fingerprint(self)
    }
}

/// Short, readable on the phone: the first 8 bytes of SHA-256 over the key's 42 bytes, as
/// `A1B2 C3D4 E5F6 0718`. (`echo RW... | base64 -d | sha256sum | cut -c1-16` gives the same digits.)
pub fn fingerprint(pk: &PublicKey) -> String {
    let hex = crate::exchange::sha256_hex(&pk.bytes()).to_uppercase();
    hex.as_bytes()[..16].chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}

/// This installation's secret key.
#[derive(Clone)]
pub struct SigningKey {
    inner: ed25519_dalek::SigningKey,
    public: PublicKey,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningKey({})", self.public.to_base64())
    }
}

impl SigningKey {
    /// A key from a 32-byte Ed25519 seed and a key id (the demo derives both from its seed).
    pub fn from_seed(seed: [u8; 32], key_id: [u8; 8]) -> SigningKey {
        let inner = ed25519_dalek::SigningKey::from_bytes(&seed);
        let public = PublicKey { key_id, key: inner.verifying_key().to_bytes() };
        SigningKey { inner, public }
    }

    /// A new random key pair (made by the `minisign` crate).
    pub fn generate() -> Result<SigningKey, SignError> {
        let kp = minisign::KeyPair::generate_unencrypted_keypair().map_err(|e| SignError::Generate(e.to_string()))?;
        Self::from_minisign_bytes(&kp.sk.to_bytes())
    }

    /// From the decoded bytes of a minisign secret key (unencrypted).
    fn from_minisign_bytes(b: &[u8]) -> Result<SigningKey, SignError> {
        // sig_alg 2, kdf_alg 2, chk_alg 2, salt 32, opslimit 8, memlimit 8, key id 8, sk 64, chk 32
        if b.len() != 158 || b[..2] != SIG_ALG {
            return Err(SignError::BadSecretKey("wrong length or algorithm".into()));
        }
        if b[2..4] != [0, 0] {
            return Err(SignError::BadSecretKey("the key is encrypted with a password".into()));
        }
        let mut key_id = [0u8; 8];
        key_id.copy_from_slice(&b[54..62]);
        let mut seed = [0u8; 32];
        seed.copy_from_slice(&b[62..94]);
        let key = Self::from_seed(seed, key_id);
        if b[94..126] != key.public.key {
            return Err(SignError::BadSecretKey("damaged key".into()));
        }
        // minisign 0.11 leaves the checksum of an unencrypted key as zeros.
        if b[126..158] != checksum(&key_id, &b[62..126])[..] && b[126..158].iter().any(|&x| x != 0) {
            return Err(SignError::BadSecretKey("damaged key (checksum)".into()));
        }
        Ok(key)
    }

    pub fn public(&self) -> &PublicKey {
        &self.public
    }

    /// The text of an unencrypted minisign secret key file (what `minisign -G -W` writes).
    pub fn to_file_text(&self) -> String {
        let sk = [&self.inner.to_bytes()[..], &self.public.key[..]].concat();
        let mut b = Vec::with_capacity(158);
        b.extend_from_slice(&SIG_ALG);
        b.extend_from_slice(&[0, 0]);
        b.extend_from_slice(&CHK_ALG);
        b.extend_from_slice(&[0u8; 48]);
        b.extend_from_slice(&self.public.key_id);
        b.extend_from_slice(&sk);
        b.extend_from_slice(&checksum(&self.public.key_id, &sk));
        format!("{COMMENT}cdf-assess secret key (unencrypted)\n{}\n", B64.encode(b))
    }

    /// Reads an unencrypted minisign secret key file.
    pub fn parse(text: &str) -> Result<SigningKey, SignError> {
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        let first = lines.next().ok_or_else(|| SignError::BadSecretKey("empty".into()))?;
        let encoded = if first.starts_with(COMMENT.trim_end()) { lines.next().unwrap_or("") } else { first };
        let raw = B64.decode(encoded).map_err(|_| SignError::BadSecretKey("not base64".into()))?;
        Self::from_minisign_bytes(&raw)
    }

    /// A minisign signature (the text of a `.minisig` file) over `bytes`, with a trusted comment
    /// (one line, signed too). Deterministic.
    pub fn sign(&self, bytes: &[u8], trusted_comment: &str) -> String {
        let trusted: String = trusted_comment.chars().filter(|c| !c.is_control()).collect();
        let prehash = blake2::Blake2b512::digest(bytes);
        let sig = self.inner.sign(&prehash).to_bytes();
        let global = self.inner.sign(&[&sig[..], trusted.as_bytes()].concat()).to_bytes();
        let head = [&SIG_ALG_PREHASHED[..], &self.public.key_id, &sig].concat();
        format!(
            "{COMMENT}signature from cdf-assess secret key\n{}\n{TRUSTED}{trusted}\n{}\n",
            B64.encode(head),
            B64.encode(global)
        )
    }
}

/// A new key, as the text of its secret key file (for `Store::signing_key_text`).
pub fn new_key_text() -> Option<String> {
    SigningKey::generate().ok().map(|k| k.to_file_text())
}

/// The fingerprint and the public key file's text of a secret key file's text, if it reads (for
/// `Store::signing_key_text`, which compares keys by fingerprint).
pub fn describe_key_text(text: &str) -> Option<(String, String)> {
    SigningKey::parse(text).ok().map(|k| (k.public().fingerprint(), k.public().to_file_text()))
}

/// minisign's key checksum: BLAKE2b-256 over `Ed`, key id and the 64-byte secret key.
fn checksum(key_id: &[u8; 8], sk: &[u8]) -> [u8; 32] {
    let mut h = blake2::Blake2b::<blake2::digest::consts::U32>::new();
    h.update(SIG_ALG);
    h.update(key_id);
    h.update(sk);
    h.finalize().into()
}

/// Checks a minisign signature (`.minisig` text) over `bytes` with `pk` (the `minisign` crate
/// verifies; legacy non-prehashed signatures are refused).
pub fn verify(pk: &PublicKey, bytes: &[u8], signature: &str) -> Result<(), SignError> {
    // The crate panics on some damaged signatures (a short signature line): only a well-formed
    // one reaches it, and a panic all the same is a bad signature.
    if !well_formed(signature) {
        return Err(SignError::BadSignature);
    }
    let sig = minisign::SignatureBox::from_string(signature).map_err(|_| SignError::BadSignature)?;
    let mpk = minisign::PublicKey::from_base64(&pk.to_base64()).map_err(|_| SignError::BadPublicKey)?;
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        minisign::verify(&mpk, &sig, std::io::Cursor::new(bytes), true, false, false)
    }))
    .map_err(|_| SignError::BadSignature)?
    .map_err(|_| SignError::Mismatch)
}

/// The four lines of a `.minisig`: untrusted comment, signature (`ED`, key id, 64 bytes), trusted
/// comment, global signature (64 bytes).
fn well_formed(signature: &str) -> bool {
    let lines: Vec<&str> = signature.lines().collect();
    let decodes_to = |s: &str, n: usize| B64.decode(s.trim()).is_ok_and(|b| b.len() == n);
    lines.len() == 4
        && lines[0].starts_with(COMMENT)
        && decodes_to(lines[1], 2 + 8 + 64)
        && lines[2].starts_with(TRUSTED)
        && decodes_to(lines[3], 64)
}

/// The trusted comment of a signature (signed, shown by `minisign -V`), if it reads.
pub fn trusted_comment(signature: &str) -> Option<String> {
    minisign::SignatureBox::from_string(signature).ok()?.trusted_comment().ok()
}

pub fn secret_key_path(dir: &Path) -> PathBuf {
    dir.join(SECRET_KEY_FILE)
}

pub fn public_key_path(dir: &Path) -> PathBuf {
    dir.join(PUBLIC_KEY_FILE)
}

/// Loads the secret key file.
pub fn load(path: &Path) -> Result<SigningKey, SignError> {
    let text =
        std::fs::read_to_string(path).map_err(|source| SignError::Io { path: path.display().to_string(), source })?;
    SigningKey::parse(&text)
}

/// Loads a public key file (or text).
pub fn load_public(path: &Path) -> Result<PublicKey, SignError> {
    let text =
        std::fs::read_to_string(path).map_err(|source| SignError::Io { path: path.display().to_string(), source })?;
    PublicKey::parse(&text)
}

/// Writes both key files in `dir`: the secret one readable by its owner only (0600 on Unix).
/// Refuses to replace an existing secret key.
pub fn write(dir: &Path, key: &SigningKey) -> Result<(), SignError> {
    use std::io::Write;
    let sk = secret_key_path(dir);
    let io = |p: &Path| {
        let path = p.display().to_string();
        move |source| SignError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(&sk).map_err(io(&sk))?;
    f.write_all(key.to_file_text().as_bytes()).map_err(io(&sk))?;
    f.sync_all().map_err(io(&sk))?;
    let pk = public_key_path(dir);
    std::fs::write(&pk, key.public().to_file_text()).map_err(io(&pk))?;
    Ok(())
}

/// The key under the fixed names of earlier versions in `dir`, made on first use (the public key
/// file is written again if it is missing). The application keeps one key per database instead
/// (`Store::signing_key_text`).
pub fn ensure_key(dir: &Path) -> Result<SigningKey, SignError> {
    let sk = secret_key_path(dir);
    if sk.exists() {
        let key = load(&sk)?;
        let pk = public_key_path(dir);
        if !pk.exists() {
            std::fs::write(&pk, key.public().to_file_text())
                .map_err(|source| SignError::Io { path: pk.display().to_string(), source })?;
        }
        return Ok(key);
    }
    let key = SigningKey::generate()?;
    write(dir, &key)?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_verify_and_key_files_round_trip() {
        let k = SigningKey::generate().unwrap();
        let sig = k.sign(b"hello", "cdf-assess test");
        verify(k.public(), b"hello", &sig).unwrap();
        assert!(verify(k.public(), b"hellO", &sig).is_err());
        assert_eq!(sig, k.sign(b"hello", "cdf-assess test"), "deterministic");
        let again = SigningKey::parse(&k.to_file_text()).unwrap();
        assert_eq!(again.public(), k.public());
        assert_eq!(PublicKey::parse(&k.public().to_file_text()).unwrap(), *k.public());
        assert_eq!(PublicKey::parse(&k.public().to_base64()).unwrap(), *k.public());
        let fp = k.public().fingerprint();
        assert_eq!(fp.len(), 19);
        assert_eq!(trusted_comment(&sig).as_deref(), Some("cdf-assess test"));
        // A damaged signature line (one byte turned into a new line) is refused, never a panic.
        // (The byte is chosen by position: the key is random, so a letter may not be there.)
        let mut lines: Vec<&str> = sig.lines().collect();
        let cut = format!("{}\n{}", &lines[1][..20], &lines[1][21..]);
        let damaged = [lines[0], cut.as_str()].iter().chain(&lines[2..]).copied().collect::<Vec<_>>().join("\n");
        assert_ne!(damaged, sig);
        assert!(verify(k.public(), b"hello", &damaged).is_err());
        let short = lines[1][..52].to_string();
        lines[1] = &short;
        assert!(matches!(verify(k.public(), b"hello", &lines.join("\n")), Err(SignError::BadSignature)));
        // The crate accepts the secret key file we write.
        let sk = minisign::SecretKeyBox::from_string(&k.to_file_text()).unwrap();
        minisign::SecretKey::from_unencrypted_box(sk).unwrap();
    }
}
