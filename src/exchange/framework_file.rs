//! The framework file (`.ocoframework`): the whole content of one content revision, as the OCO
//! Secretariat signs it for members to import. See docs/framework-format.md.
//!
//! Built like a return or a feedback file: compact canonical JSON `{"format","format_version",
//! "digest","signer","signature","body"}`, `digest` the SHA-256 of the canonical bytes of `body`,
//! `signature` a minisign signature over the same bytes through the same [`super::seal`]. The
//! body carries the content (`meta` and `indicators`, exactly the model's serialisation), its own
//! digest, the revision it replaces and a change log in both languages. A reader refuses any
//! file that is not exactly what it contains, or whose content breaks a rule of
//! `Framework::validate` (the rules `build.rs` runs on the built-in content).
//!
//! Nothing here knows the store.

use super::sign::{self, PublicKey, SigningKey};
use super::{canonical, clean_text, sha256_hex};
use crate::framework::{self, Framework, FrameworkMeta, Indicator, Text};
use crate::lang::Lang;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde::{Deserialize, Serialize};

pub const FORMAT: &str = "oco-cdf-framework";
/// Raised whenever the content's model gains a field: an older program then says "made by a
/// newer version" instead of "changed" (docs/framework-format.md, "Versions").
pub const FORMAT_VERSION: u32 = 1;
pub const EXTENSION: &str = "ocoframework";
/// Larger files are refused unread (revision 2's file is about 230 KB); the same limit as a
/// return's (`exchange::read_file_limited`).
pub const MAX_FILE_BYTES: u64 = super::MAX_FILE_BYTES;
/// Most entries in a change log, and longest entry in characters.
pub const CHANGE_LOG_MAX: usize = 500;
pub const CHANGE_MAX_CHARS: usize = 2000;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkFile {
    pub format: String,
    pub format_version: u32,
    pub digest: String,
    pub signer: String,
    pub signature: String,
    pub body: FrameworkBody,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkBody {
    pub framework_id: String,
    pub framework_version: u32,
    /// The content revision it holds (`content.meta.revision`).
    pub revision: u32,
    /// The revision it replaces (the newest the Secretariat held when it was built).
    pub replaces: u32,
    /// RFC 3339 UTC.
    pub issued_at: String,
    /// SHA-256 of the canonical bytes of `content`: what names this revision's content.
    pub content_digest: String,
    /// What changed since `replaces`, one entry per change, in both languages.
    pub change_log: Vec<Text>,
    pub content: Content,
}

/// The whole content of one revision: what `assets/framework/v1` holds, as the model serialises
/// it (metadata, then the indicators in pillar order).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Content {
    pub meta: FrameworkMeta,
    pub indicators: Vec<Indicator>,
}

impl Content {
    pub fn of(fw: &Framework) -> Content {
        Content { meta: fw.meta.clone(), indicators: fw.indicators.clone() }
    }

    pub fn into_framework(self) -> Framework {
        Framework { meta: self.meta, indicators: self.indicators }
    }

    /// The canonical bytes (what `content_digest` is over).
    pub fn canonical(&self) -> Vec<u8> {
        canonical(self)
    }

    pub fn digest(&self) -> String {
        sha256_hex(&self.canonical())
    }
}

/// Why a framework file is refused (read) or not imported (accept).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the file is empty")]
    Empty,
    #[error("the file is too large")]
    TooLarge,
    #[error("the file is not a framework file from the OCO Secretariat")]
    NotFramework,
    #[error("framework file format version {0} is newer than this program knows")]
    UnknownVersion(u64),
    #[error("the framework file is incomplete or has wrong values: {0}")]
    Malformed(String),
    #[error("the file was changed after it was written")]
    Changed,
    #[error("the signature does not match: the file was changed after it was signed")]
    BadSignature,
    #[error("the content breaks the framework's rules: {0}")]
    Invalid(String),
    #[error("no Secretariat card: import the Secretariat's card in Settings first")]
    NoCard,
    #[error("signed by another key ({0}) than the Secretariat's card")]
    WrongSigner(String),
    #[error("content revision {0} is not newer than the revision held ({1})")]
    NotNewer(u32, u32),
    #[error("cannot read the file: {0}")]
    Unreadable(String),
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Empty => "empty",
            Refusal::TooLarge => "too_large",
            Refusal::NotFramework => "not_framework",
            Refusal::UnknownVersion(_) => "unknown_version",
            Refusal::Malformed(_) => "malformed",
            Refusal::Changed => "changed",
            Refusal::BadSignature => "bad_signature",
            Refusal::Invalid(_) => "invalid",
            Refusal::NoCard => "no_card",
            Refusal::WrongSigner(_) => "wrong_signer",
            Refusal::NotNewer(..) => "not_newer",
            Refusal::Unreadable(_) => "unreadable",
        }
    }

    /// The reason in the user's language; text from the file is cleaned and cut.
    pub fn message(&self, t: Lang) -> String {
        let key = format!("fwfile.refused.{}", self.code());
        let detail = match self {
            Refusal::UnknownVersion(v) => v.to_string(),
            Refusal::Malformed(d) | Refusal::Invalid(d) | Refusal::Unreadable(d) | Refusal::WrongSigner(d) => {
                clean_text(d)
            }
            Refusal::NotNewer(new, held) => format!("{new} / {held}"),
            _ => String::new(),
        };
        t.f(&key, &[("detail", &detail)])
    }
}

impl crate::lang::Words for Refusal {
    fn words(&self, t: Lang) -> String {
        self.message(t)
    }
}

/// A verified framework file.
#[derive(Debug, Clone)]
pub struct Verified {
    pub body: FrameworkBody,
    /// The file's digest (of the whole body).
    pub digest: String,
    pub signer: PublicKey,
    /// The content, ready to use.
    pub framework: Framework,
}

/// The signed comment: what `minisign -V` prints.
fn trusted(id: &str, version: u32, revision: u32, digest: &str) -> String {
    format!("{FORMAT} {id} v{version} r{revision} sha256:{digest}")
}

/// A body for a framework's content, replacing `replaces`, issued now.
pub fn body(fw: &Framework, replaces: u32, change_log: Vec<Text>, issued_at: String) -> FrameworkBody {
    let content = Content::of(fw);
    FrameworkBody {
        framework_id: fw.meta.id.clone(),
        framework_version: fw.meta.version,
        revision: fw.meta.revision,
        replaces,
        issued_at,
        content_digest: content.digest(),
        change_log,
        content,
    }
}

/// The file bytes of a body, signed with the Secretariat's key.
pub fn write(body: FrameworkBody, key: &SigningKey) -> Vec<u8> {
    let super::Seal { digest, signer, signature } = super::seal(&canonical(&body), key, |digest| {
        trusted(&body.framework_id, body.framework_version, body.revision, digest)
    });
    let file = FrameworkFile { format: FORMAT.into(), format_version: FORMAT_VERSION, digest, signer, signature, body };
    serde_json::to_vec(&file).unwrap_or_default()
}

/// `oco-cdf_v<VERSION>_r<REVISION>.ocoframework`
pub fn file_name(body: &FrameworkBody) -> String {
    format!("{}_v{}_r{}.{EXTENSION}", body.framework_id, body.framework_version, body.revision)
}

/// Whether bytes start as a framework file does (to tell it from other files dropped together).
pub fn looks_like(head: &[u8]) -> bool {
    head.starts_with(format!("{{\"format\":\"{FORMAT}\"").as_bytes())
}

/// Parses and checks a framework file: canonical, digests, signature by its `signer`, and the
/// content under every rule of `Framework::validate`. Whether the signer is the Secretariat's,
/// and the revision newer, is [`accept`]'s. Never panics.
pub fn read(bytes: &[u8]) -> Result<Verified, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::Empty);
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Refusal::TooLarge);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| Refusal::NotFramework)?;
    let value: serde_json::Value = serde_json::from_str(text).map_err(|_| Refusal::NotFramework)?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(Refusal::NotFramework);
    }
    // A newer format (a field added to the content) is said as such before anything else: this
    // program keeps the revision it has.
    match value.get("format_version").and_then(|v| v.as_u64()) {
        Some(v) if v == FORMAT_VERSION as u64 => {}
        Some(v) => return Err(Refusal::UnknownVersion(v)),
        None => return Err(Refusal::Malformed("format_version".into())),
    }
    let file: FrameworkFile = serde_json::from_value(value).map_err(|e| Refusal::Malformed(e.to_string()))?;
    if serde_json::to_vec(&file).ok().as_deref() != Some(bytes) {
        return Err(Refusal::Changed);
    }
    let body_bytes = canonical(&file.body);
    let digest = sha256_hex(&body_bytes);
    if digest != file.digest || file.body.content.digest() != file.body.content_digest {
        return Err(Refusal::Changed);
    }
    let signer = PublicKey::parse(&file.signer).map_err(|_| Refusal::Malformed("signer".into()))?;
    let signature =
        B64.decode(&file.signature).ok().and_then(|s| String::from_utf8(s).ok()).ok_or(Refusal::BadSignature)?;
    sign::verify(&signer, &body_bytes, &signature).map_err(|_| Refusal::BadSignature)?;
    let b = &file.body;
    if !super::signed_as(&signature, &trusted(&b.framework_id, b.framework_version, b.revision, &digest)) {
        return Err(Refusal::BadSignature);
    }
    validate(&file.body)?;
    let framework = file.body.content.clone().into_framework();
    Ok(Verified { body: file.body, digest, signer, framework })
}

fn bad(what: impl Into<String>) -> Refusal {
    Refusal::Malformed(clean_text(&what.into()))
}

/// The body's own fields, and the content under the framework's rules.
pub fn validate(b: &FrameworkBody) -> Result<(), Refusal> {
    let m = &b.content.meta;
    if b.framework_id != framework::FRAMEWORK_ID || m.id != b.framework_id {
        return Err(bad(format!("framework {}", b.framework_id)));
    }
    if !framework::known_versions().contains(&b.framework_version) || m.version != b.framework_version {
        return Err(bad(format!("framework version {}", b.framework_version)));
    }
    if m.revision != b.revision || b.replaces >= b.revision {
        return Err(bad(format!("revision {} replaces {}", b.revision, b.replaces)));
    }
    if chrono::DateTime::parse_from_rfc3339(&b.issued_at).is_err() {
        return Err(bad("issued_at"));
    }
    if b.change_log.len() > CHANGE_LOG_MAX {
        return Err(bad("change_log"));
    }
    for c in &b.change_log {
        for s in [&c.en, &c.fr] {
            if s.trim().is_empty()
                || s.chars().count() > CHANGE_MAX_CHARS
                || s.chars().any(|c| c.is_control() && c != '\n')
            {
                return Err(bad("change_log"));
            }
        }
    }
    let fw = b.content.clone().into_framework();
    let mut problems = fw.validate();
    if let Some(built_in) = framework::built_in(b.framework_version) {
        problems.extend(compatible(built_in, &fw));
    }
    if let Some(first) = problems.first() {
        let more = if problems.len() > 1 { format!(" (+{})", problems.len() - 1) } else { String::new() };
        return Err(Refusal::Invalid(format!("{}{more}", clean_text(first))));
    }
    Ok(())
}

/// Whether a verified file may be imported: signed by the Secretariat's key (its card's, or for
/// the Secretariat itself its own), and newer than the revision held.
pub fn accept(v: &Verified, trusted_key: Option<&PublicKey>, held_revision: u32) -> Result<(), Refusal> {
    let key = trusted_key.ok_or(Refusal::NoCard)?;
    if &v.signer != key {
        return Err(Refusal::WrongSigner(v.signer.fingerprint()));
    }
    if v.body.revision <= held_revision {
        return Err(Refusal::NotNewer(v.body.revision, held_revision));
    }
    Ok(())
}

/// What a newer content revision may not do to an older one of the same version
/// (docs/framework-schema.md, "Compatibility"): remove an indicator that no newer one
/// `replaces`, move it to another pillar, or change the revision that added it; an indicator it
/// adds says it came with a later revision. Empty when compatible.
pub fn compatible(older: &Framework, newer: &Framework) -> Vec<String> {
    let mut e = Vec::new();
    for o in &older.indicators {
        match newer.indicator(&o.code) {
            None if newer.indicators.iter().any(|n| n.replaces.contains(&o.code)) => {}
            None => e.push(format!(
                "indicator {}: removed (an indicator leaves the content only when a newer one replaces it)",
                o.code
            )),
            Some(n) if n.pillar != o.pillar => e.push(format!("indicator {}: moved to another pillar", o.code)),
            Some(n) if n.since != o.since => {
                e.push(format!("indicator {}: since {} changed (it was {})", o.code, n.since, o.since))
            }
            Some(_) => {}
        }
    }
    for n in &newer.indicators {
        if older.indicator(&n.code).is_none() && n.since <= older.meta.revision {
            e.push(format!("indicator {}: added, so its since must be above {}", n.code, older.meta.revision));
        }
    }
    e
}
