//! The return file: writing, reading, verifying and encrypting. The only place that parses
//! untrusted bytes. See docs/return-format.md.
//!
//! A return is compact JSON `{"format","format_version","digest","body"}` where `digest` is the
//! SHA-256 (hex) of the canonical JSON of `body`. The file must be exactly the canonical
//! serialisation of what it contains, so changing any byte is detected: it either stops parsing,
//! stops being canonical, or breaks the digest. Format 2 adds the writer's minisign public key
//! (`signer`) and its signature over the canonical body (`signature`, see [`sign`]): a return
//! without a valid signature is refused. It may be wrapped in age encryption (X25519).

pub mod card;
pub mod export;
pub mod feedback;
pub mod framework_file;
pub mod keys;
pub mod section;
pub mod sign;

use crate::assessment::{Answer, Assessment, Commitment, Confidence, ImportedRevision, NeedCategory, Response, Status};
use crate::framework::{self, Profile};
use crate::lang::Lang;
use crate::scoring;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::io::Read;

pub const FORMAT: &str = "oco-cdf-return";
/// The version of a return that carries a plan (issue 23) and nothing newer; written by the
/// versions before issue 22 (this version writes [`FORMAT_VERSION_CONTRIBUTORS`], 4), read as
/// before.
pub const FORMAT_VERSION: u32 = 3;
/// The version of a return without a plan (and of every return written before plans).
pub const FORMAT_VERSION_NO_PLAN: u32 = 2;
/// The version of a return that carries what format 3 has not: its content's digest (issue 22,
/// written in every return from this version on), replies to queries (issue 25), its
/// contributors (issue 26); a plan or not. A program that reads only up to 3 says it does not
/// know the version, rather than failing on a field.
pub const FORMAT_VERSION_CONTRIBUTORS: u32 = 4;
/// Larger files are refused before anything is parsed (a full return is ~30-60 KB).
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// Longest accepted free text (evidence note, comment, names), in characters.
pub const MAX_TEXT_CHARS: usize = 5000;

/// Every length a return may carry, in characters (Unicode scalar values): what [`validate`]
/// checks, what the store keeps at most, and what the window can count against.
pub mod limits {
    pub use crate::assessment::limits::*;
    /// The writer's version string.
    pub const APP_VERSION_MAX: usize = super::MAX_TEXT_CHARS;
    /// The largest file read, in bytes.
    pub const FILE_BYTES_MAX: u64 = super::MAX_FILE_BYTES;
}

/// The longest piece of a file's text echoed in a message, in characters.
pub const ECHO_MAX: usize = 80;

/// Text from a file, fit to be shown: control characters (and bidirectional overrides) removed,
/// at most [`ECHO_MAX`] characters, "…" when cut.
pub fn clean_text(s: &str) -> String {
    let mut out = String::new();
    let mut n = 0;
    for c in s.chars() {
        if hidden(c) {
            continue;
        }
        if n == ECHO_MAX {
            out.push('…');
            break;
        }
        out.push(c);
        n += 1;
    }
    out
}

/// [`clean_text`] with another length: text from a file shown at more length than a message
/// echoes (a member's reply to a query, an evidence excerpt), on one line: a new line becomes a
/// space, other control characters and bidirectional marks are removed, "…" when cut.
pub fn clean_text_max(s: &str, max: usize) -> String {
    let mut out = String::new();
    for (n, c) in s.chars().map(|c| if c == '\n' { ' ' } else { c }).filter(|&c| !hidden(c)).enumerate() {
        if n == max {
            out.push('…');
            break;
        }
        out.push(c);
    }
    out
}

/// The longest path shown in a message, in characters.
pub const PATH_MAX_SHOWN: usize = 1024;

/// A path fit to be shown on one line: control characters (a new line, an escape sequence) and
/// bidirectional overrides removed, at most [`PATH_MAX_SHOWN`] characters, "…" when cut.
pub fn clean_path(p: &std::path::Path) -> String {
    let mut out = String::new();
    for (n, c) in p.to_string_lossy().chars().filter(|&c| !hidden(c)).enumerate() {
        if n == PATH_MAX_SHOWN {
            out.push('…');
            break;
        }
        out.push(c);
    }
    out
}

/// A character never shown from untrusted text: a control character or a bidirectional mark.
fn hidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

pub const EXTENSION: &str = "ocoreturn";

/// A return file. `R` is the form of a response: checked ([`ReturnResponse`]) everywhere but
/// inside [`read`], which parses the codes as text first so an invalid one is named precisely.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnFile<R = ReturnResponse> {
    pub format: String,
    pub format_version: u32,
    pub digest: String,
    /// The writer's minisign public key, one line (`RW...`, base64).
    pub signer: String,
    /// Base64 of the minisign signature file (`.minisig` text) over the canonical bytes of `body`.
    pub signature: String,
    pub body: ReturnBody<R>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnBody<R = ReturnResponse> {
    pub framework_id: String,
    pub framework_version: u32,
    /// The framework's content revision the writer used; absent in returns written before
    /// revisions existed (read as 1). Such a return may leave out indicators added since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework_revision: Option<u32>,
    /// The digest of that revision's canonical content (`framework_file::Content`, as its
    /// framework file's `content_digest`): which edition exactly. Absent in returns written
    /// before it was carried; a reader that holds the revision refuses a return whose digest
    /// differs from its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_digest: Option<String>,
    pub member: String,
    pub cycle: i32,
    pub assessment_uuid: String,
    pub revision: u32,
    /// Digest of the return of the previous revision, chaining revisions together.
    pub previous_digest: Option<String>,
    pub assessor_name: String,
    pub assessor_role: String,
    pub approved_by: String,
    pub language: String,
    pub created_at: String,
    pub finalised_at: String,
    pub app_version: String,
    pub profile: Profile,
    pub responses: Vec<R>,
    /// As computed by the writer; the Secretariat recomputes its own from the responses.
    pub scores: ReturnScores,
    /// The administration's development plan (format 3; absent in format 2), in the order
    /// written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<Vec<ReturnAction>>,
    /// The administration's replies to the Secretariat's queries, by indicator code (issue 25);
    /// absent when there are none, so a revision without replies is written as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replies: Option<Vec<crate::assessment::Reply>>,
    /// Who gave each answer, where known (format 4; issue 26), in framework order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contributors: Option<Vec<crate::assessment::Contribution>>,
    /// The indicators whose target the officer chose or confirmed (format 4; issue 25), in
    /// framework order: the others are still at the framework's suggestion. Absent in returns
    /// written before (read as every target confirmed: what was sent is the member's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub targets_confirmed: Option<Vec<String>>,
}

/// One action of the plan as a return carries it (docs/return-format.md, format 3). The codes
/// and quarters are checked by the reader ([`check`]) and by serde on their way in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnAction {
    pub indicator: String,
    pub what: String,
    pub owner: String,
    pub start: crate::plan::Quarter,
    pub end: crate::plan::Quarter,
    pub resources: crate::plan::Resources,
    pub request: String,
    pub status: Option<crate::plan::ActionStatus>,
    pub reason: String,
    pub progress: String,
    pub from_cycle: Option<i32>,
}

impl From<&crate::plan::Action> for ReturnAction {
    fn from(a: &crate::plan::Action) -> ReturnAction {
        ReturnAction {
            indicator: a.indicator.clone(),
            what: a.what.clone(),
            owner: a.owner.clone(),
            start: a.start,
            end: a.end,
            resources: a.resources,
            request: a.request.clone(),
            status: a.status,
            reason: a.reason.clone(),
            progress: a.progress.clone(),
            from_cycle: a.from_cycle,
        }
    }
}

impl From<&ReturnAction> for crate::plan::Action {
    fn from(a: &ReturnAction) -> crate::plan::Action {
        crate::plan::Action {
            indicator: a.indicator.clone(),
            what: a.what.clone(),
            owner: a.owner.clone(),
            start: a.start,
            end: a.end,
            resources: a.resources,
            request: a.request.clone(),
            status: a.status,
            reason: a.reason.clone(),
            progress: a.progress.clone(),
            from_cycle: a.from_cycle,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnResponse {
    pub indicator: String,
    /// "0".."4", "na", "insufficient", or null when unanswered (which [`validate`] refuses).
    #[serde(default)]
    pub answer: Answer,
    pub target: u8,
    pub confidence: Option<Confidence>,
    pub commitment: Option<Commitment>,
    pub need: Option<NeedCategory>,
    pub evidence: String,
    pub comment: String,
    pub updated_at: Option<String>,
}

/// A response as it stands in a file, before its codes are checked: the same fields and the same
/// bytes as [`ReturnResponse`], with the codes as text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireResponse {
    indicator: String,
    answer: Option<String>,
    target: u8,
    confidence: Option<String>,
    commitment: Option<String>,
    need: Option<String>,
    evidence: String,
    comment: String,
    updated_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnPillar {
    pub code: String,
    pub level: Option<f64>,
    pub plus: bool,
    pub score: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnScores {
    pub overall: Option<f64>,
    pub ability: Option<f64>,
    pub willingness: Option<f64>,
    pub quadrant: Option<String>,
    pub pillars: Vec<ReturnPillar>,
}

/// Why a file was refused, in words a person understands (see [`Rejection::message`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("the file is empty")]
    Empty,
    #[error("the file is too large ({0} bytes)")]
    TooLarge(u64),
    #[error("the file is encrypted and no Secretariat key was given")]
    EncryptedNoKey,
    #[error("the file is encrypted for another key, or damaged")]
    EncryptedWrongKey,
    #[error("the file is not a return (not JSON text)")]
    NotJson,
    #[error("the file is not a CDF return")]
    NotAReturn,
    #[error("the return format version {0} is not known to this version of the app")]
    UnknownFormatVersion(u64),
    #[error("the return is incomplete or has wrong values: {0}")]
    Malformed(String),
    #[error("the file was changed after it was written (not in its original form)")]
    NotCanonical,
    #[error("the file was changed after it was written (digest does not match)")]
    DigestMismatch,
    #[error("this return is not signed (written by an older version?)")]
    NotSigned,
    #[error("the signature does not match: the file was changed after it was signed")]
    BadSignature,
    #[error("unknown framework {0}")]
    UnknownFramework(String),
    #[error("unknown member {0}")]
    UnknownMember(String),
    #[error("unknown indicator {0}")]
    UnknownIndicator(String),
    #[error("indicator {0} appears twice")]
    DuplicateIndicator(String),
    #[error("indicator {0} is missing")]
    MissingIndicator(String),
    #[error("indicator {indicator}: invalid value {value}")]
    InvalidValue { indicator: String, value: String },
    #[error("the return is not finalised or has no sign-off")]
    NotFinalised,
    #[error("cannot read the file: {0}")]
    Unreadable(String),
    #[error("{field} is longer than {max} characters")]
    TooLong { field: String, max: usize },
    #[error("this is a folder, not a file")]
    Folder,
    #[error("this is not an ordinary file (a device, a pipe or a socket)")]
    SpecialFile,
    /// The database this program has open (`store::is_open_database`): never opened as a file.
    #[error("this is the database this program has open")]
    OwnDatabase,
    #[error("the file starts with a byte order mark")]
    ByteOrderMark,
    #[error("the file is not UTF-8 text (e.g. UTF-16)")]
    NotUtf8,
    #[error("the file is a {0} archive")]
    Archive(String),
    #[error("the file has a number that is not a number (NaN or Infinity)")]
    NotANumber,
    /// The signature's trusted comment (signed, what `minisign -V` prints) does not name this
    /// return's member, cycle, revision and digest: what it says, cleaned.
    #[error("the signed comment does not name this return: {0}")]
    WrongComment(String),
    /// Written under a content revision of the framework this installation does not hold yet:
    /// its framework file is needed first (docs/framework-format.md).
    #[error("content revision {0} of the framework: import its framework file first")]
    UnknownContentRevision(u32),
    /// Names a content revision this installation holds, with another content digest: another
    /// edition of that revision than the Secretariat's.
    #[error("content revision {0} of the framework, but not the edition held here")]
    OtherContent(u32),
}

impl Rejection {
    /// A short stable code for scripts and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::Empty => "empty",
            Rejection::TooLarge(_) => "too_large",
            Rejection::EncryptedNoKey => "encrypted_no_key",
            Rejection::EncryptedWrongKey => "encrypted_wrong_key",
            Rejection::NotJson => "not_json",
            Rejection::NotAReturn => "not_a_return",
            Rejection::UnknownFormatVersion(_) => "unknown_format_version",
            Rejection::Malformed(_) => "malformed",
            Rejection::NotCanonical => "not_canonical",
            Rejection::DigestMismatch => "digest_mismatch",
            Rejection::NotSigned => "not_signed",
            Rejection::BadSignature => "bad_signature",
            Rejection::UnknownFramework(_) => "unknown_framework",
            Rejection::UnknownMember(_) => "unknown_member",
            Rejection::UnknownIndicator(_) => "unknown_indicator",
            Rejection::DuplicateIndicator(_) => "duplicate_indicator",
            Rejection::MissingIndicator(_) => "missing_indicator",
            Rejection::InvalidValue { .. } => "invalid_value",
            Rejection::NotFinalised => "not_finalised",
            Rejection::Unreadable(_) => "unreadable",
            Rejection::TooLong { .. } => "too_long",
            Rejection::Folder => "folder",
            Rejection::SpecialFile => "special_file",
            Rejection::OwnDatabase => "own_database",
            Rejection::ByteOrderMark => "byte_order_mark",
            Rejection::NotUtf8 => "not_utf8",
            Rejection::Archive(_) => "archive",
            Rejection::NotANumber => "not_a_number",
            Rejection::WrongComment(_) => "wrong_comment",
            Rejection::UnknownContentRevision(_) => "unknown_content_revision",
            Rejection::OtherContent(_) => "other_content",
        }
    }

    /// The reason in the user's language. Whatever came from the file is cleaned and cut
    /// ([`clean_text`]).
    pub fn message(&self, t: Lang) -> String {
        let key = format!("reject.{}", self.code());
        let detail = match self {
            Rejection::TooLarge(n) => format!("{} KB", n / 1024),
            Rejection::UnknownFormatVersion(v) => v.to_string(),
            Rejection::UnknownContentRevision(r) | Rejection::OtherContent(r) => r.to_string(),
            Rejection::TooLong { field, max } => {
                return t.f(&key, &[("field", &clean_text(field)), ("max", max)]);
            }
            Rejection::Archive(kind) => kind.clone(),
            Rejection::Unreadable(d) => crate::i18n::IoCause::from_code(d).map_or_else(|| d.clone(), |c| c.words(t)),
            Rejection::Malformed(d) => d.clone(),
            Rejection::UnknownFramework(x)
            | Rejection::UnknownMember(x)
            | Rejection::UnknownIndicator(x)
            | Rejection::DuplicateIndicator(x)
            | Rejection::MissingIndicator(x)
            | Rejection::WrongComment(x) => x.clone(),
            Rejection::InvalidValue { indicator, value } => {
                format!("{}: {}", clean_text(indicator), clean_text(value))
            }
            _ => String::new(),
        };
        t.f(&key, &[("detail", &clean_text(&detail))])
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("only a finalised revision can be exported")]
    NotFinalised,
    #[error("unknown framework version {0}")]
    UnknownFramework(u32),
    #[error("invalid Secretariat public key: {0}")]
    BadKey(String),
    #[error("encryption failed: {0}")]
    Encrypt(String),
}

/// The one form of an assessment id: lower-case hyphenated UUID (`urn:uuid:`, braces, upper case
/// and the simple form all read). None if it is not a UUID.
pub fn canonical_uuid(s: &str) -> Option<String> {
    let t = s.trim();
    let t = t.strip_prefix("urn:uuid:").or_else(|| t.strip_prefix("URN:UUID:")).unwrap_or(t);
    let u = uuid::Uuid::parse_str(t).ok()?;
    Some(u.hyphenated().to_string())
}

/// Hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// The canonical bytes of a body (what the digest is computed over).
pub fn canonical_body(body: &ReturnBody) -> Vec<u8> {
    canonical(body)
}

fn canonical(value: &impl Serialize) -> Vec<u8> {
    // Serialising these plain structs cannot fail (no maps with non-string keys, no NaN).
    serde_json::to_vec(value).unwrap_or_default()
}

pub fn digest_of(body: &ReturnBody) -> String {
    sha256_hex(&canonical_body(body))
}

/// The digest of a content revision's canonical content (`framework_file::Content::digest`),
/// computed once per revision a process holds (an import of 10,005 returns asks it each time).
pub fn content_digest(fw: &framework::Framework) -> String {
    use std::sync::Mutex;
    static DIGESTS: Mutex<Vec<((u32, u32), String)>> = Mutex::new(Vec::new());
    let key = (fw.meta.version, fw.meta.revision);
    let mut held = DIGESTS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, d)) = held.iter().find(|(k, _)| *k == key) {
        return d.clone();
    }
    let d = framework_file::Content::of(fw).digest();
    held.push((key, d.clone()));
    d
}

/// The return body of a finalised revision. `previous_digest` links it to revision n-1.
pub fn body_from(
    a: &Assessment,
    previous_digest: Option<String>,
    app_version: &str,
) -> Result<ReturnBody, ExportError> {
    let h = &a.header;
    if h.status != Status::Finalised {
        return Err(ExportError::NotFinalised);
    }
    // Signed off under a content revision: written under it for ever (the same bytes after a
    // newer revision is installed).
    let fw = framework::of(h.framework_version, h.content_revision)
        .ok_or(ExportError::UnknownFramework(h.framework_version))?;
    let scores = scoring::score(fw, &a.responses);
    Ok(ReturnBody {
        framework_id: fw.meta.id.clone(),
        framework_version: fw.meta.version,
        framework_revision: Some(fw.meta.revision),
        content_digest: Some(content_digest(fw)),
        member: h.member.clone(),
        cycle: h.cycle,
        assessment_uuid: h.uuid.clone(),
        revision: h.revision,
        previous_digest,
        assessor_name: h.assessor_name.clone(),
        assessor_role: h.assessor_role.clone(),
        approved_by: h.approved_by.clone().unwrap_or_default(),
        language: h.language.clone(),
        created_at: h.created_at.clone(),
        finalised_at: h.finalised_at.clone().unwrap_or_default(),
        app_version: app_version.to_string(),
        profile: a.profile.clone(),
        // Every indicator of the framework, in its order: one the assessment has no row for (a draft
        // begun under an earlier content revision) is written unanswered.
        responses: fw
            .indicators
            .iter()
            .map(|ind| {
                a.response(&ind.code)
                    .cloned()
                    .unwrap_or_else(|| Response::new(&ind.code, Answer::Unanswered, ind.default_target))
            })
            .map(|r| ReturnResponse {
                indicator: r.indicator.clone(),
                answer: r.answer,
                target: r.target,
                confidence: r.confidence,
                commitment: r.commitment,
                need: r.need,
                evidence: r.evidence.clone(),
                comment: r.comment.clone(),
                updated_at: r.updated_at.clone(),
            })
            .collect(),
        scores: ReturnScores {
            overall: scores.overall,
            ability: scores.readiness.ability,
            willingness: scores.readiness.willingness,
            quadrant: scores.readiness.quadrant.map(|q| q.code().to_string()),
            pillars: scores
                .pillars
                .iter()
                .map(|p| ReturnPillar { code: p.code.clone(), level: p.level, plus: p.plus, score: p.score })
                .collect(),
        },
        // No plan, no field: the body is then what format 2 wrote.
        plan: (!a.plan.is_empty()).then(|| a.plan.iter().map(ReturnAction::from).collect()),
        // No reply, no field: the body is then what earlier versions wrote.
        replies: (!a.replies.is_empty()).then(|| a.replies.clone()),
        // Nobody named, no field: the body is then what format 2 or 3 wrote.
        contributors: (!a.contributors.is_empty()).then(|| a.contributors.clone()),
        targets_confirmed: Some(
            fw.indicators
                .iter()
                .filter(|ind| a.response(&ind.code).is_some_and(|r| r.target_confirmed))
                .map(|ind| ind.code.clone())
                .collect(),
        ),
    })
}

/// What seals a body's canonical bytes in its file (a return, a feedback file): their digest,
/// the signer's public key and the signature, base64 (`comment` is the signed comment, made
/// from the digest).
pub(crate) struct Seal {
    pub digest: String,
    pub signer: String,
    pub signature: String,
}

pub(crate) fn seal(bytes: &[u8], key: &sign::SigningKey, comment: impl FnOnce(&str) -> String) -> Seal {
    let digest = sha256_hex(bytes);
    let signature = B64.encode(key.sign(bytes, &comment(&digest)));
    Seal { digest, signer: key.public().to_base64(), signature }
}

/// The first line of every signature written (`sign::SigningKey::sign`).
const UNTRUSTED: &str = "untrusted comment: signature from cdf-assess secret key";

/// A signature (minisign text) as written by this program and naming `trusted`: minisign leaves
/// its first line (the "untrusted comment") unsigned, so it must be the one written, and the
/// signed comment must name the file, so no byte of a file can change.
pub(crate) fn signed_as(signature: &str, trusted: &str) -> bool {
    let lines: Vec<&str> = signature.split('\n').collect();
    lines.len() == 5
        && lines[0] == UNTRUSTED
        && lines[2] == format!("trusted comment: {trusted}")
        && lines[4].is_empty()
}

/// The signed (trusted) comment of a return's signature: what `minisign -V` prints, and what a
/// reader requires (docs/return-format.md).
pub fn trusted_comment(member: &str, cycle: i32, revision: u32, digest: &str) -> String {
    format!("{FORMAT} {member} {cycle} r{revision} sha256:{digest}")
}

/// The file bytes of a body (plain, not encrypted), signed with `key`.
pub fn write(body: ReturnBody, key: &sign::SigningKey) -> Vec<u8> {
    let Seal { digest, signer, signature } =
        seal(&canonical_body(&body), key, |digest| trusted_comment(&body.member, body.cycle, body.revision, digest));
    let format_version = version_of(&body);
    let file = ReturnFile { format: FORMAT.into(), format_version, digest, signer, signature, body };
    serde_json::to_vec(&file).unwrap_or_default()
}

/// Encrypts file bytes to a Secretariat public key (`age1...`).
pub fn encrypt(plain: &[u8], recipient: &str) -> Result<Vec<u8>, ExportError> {
    let r: age::x25519::Recipient = recipient.trim().parse().map_err(|e: &str| ExportError::BadKey(e.to_string()))?;
    age::encrypt(&r, plain).map_err(|e| ExportError::Encrypt(e.to_string()))
}

/// `<MEMBER>_<CYCLE>_r<REVISION>.ocoreturn`
pub fn file_name(body: &ReturnBody) -> String {
    format!("{}_{}_r{}.{EXTENSION}", body.member, body.cycle, body.revision)
}

fn is_encrypted(bytes: &[u8]) -> bool {
    bytes.starts_with(b"age-encryption.org/") || bytes.starts_with(b"-----BEGIN AGE ENCRYPTED FILE-----")
}

/// Only an ordinary file is read: a folder, a pipe, a socket or a device is refused by its type.
fn check_kind(m: &std::fs::Metadata) -> Result<(), Rejection> {
    if m.is_dir() {
        Err(Rejection::Folder)
    } else if !m.is_file() {
        Err(Rejection::SpecialFile)
    } else {
        Ok(())
    }
}

/// Opens a file someone handed the user, to read it: only an ordinary file (its type checked
/// before it is opened, and again on what was opened), never the database this program has open
/// (`openfiles`), opened without waiting (`O_NONBLOCK` on Unix, so a pipe swapped in cannot hang
/// the reader).
fn open_untrusted(path: &std::path::Path) -> Result<(std::fs::File, u64), Rejection> {
    // Kept as a code ("io:not_found"), put into words in the reader's language when shown.
    let unreadable = |e: std::io::Error| Rejection::Unreadable(crate::i18n::IoCause::of(&e).code());
    check_kind(&std::fs::metadata(path).map_err(unreadable)?)?;
    if crate::openfiles::is_open_database(path) {
        return Err(Rejection::OwnDatabase);
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        #[cfg(any(target_os = "linux", target_os = "android"))]
        const O_NONBLOCK: i32 = 0o4000;
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        const O_NONBLOCK: i32 = 0x0004;
        opts.custom_flags(O_NONBLOCK);
    }
    let f = opts.open(path).map_err(unreadable)?;
    let meta = f.metadata().map_err(unreadable)?;
    check_kind(&meta)?;
    Ok((f, meta.len()))
}

/// Reads a file from disk ([`open_untrusted`]), refusing anything larger than the limit before
/// reading it.
pub fn read_file_limited(path: &std::path::Path) -> Result<Vec<u8>, Rejection> {
    let (f, len) = open_untrusted(path)?;
    if len > MAX_FILE_BYTES {
        return Err(Rejection::TooLarge(len));
    }
    let mut bytes = Vec::new();
    f.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Rejection::Unreadable(crate::i18n::IoCause::of(&e).code()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Rejection::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The first bytes (up to 64) of a file, to tell its kind by how it starts; nothing when it
/// cannot be read as [`open_untrusted`] allows (a pipe, a folder, the open database).
pub fn read_head(path: &std::path::Path) -> Vec<u8> {
    let mut head = vec![0u8; 64];
    let n = open_untrusted(path).ok().and_then(|(mut f, _)| f.read(&mut head).ok()).unwrap_or(0);
    head.truncate(n);
    head
}

/// A verified return: its body, digest, signer, and whether it came encrypted.
#[derive(Debug, Clone, PartialEq)]
pub struct Verified {
    pub body: ReturnBody,
    pub digest: String,
    /// The key that signed it (the signature is valid for this key; whether the key is the
    /// member's is the Secretariat's pinning, `secretariat::import`).
    pub signer: sign::PublicKey,
    /// `sign::fingerprint(&signer)`.
    pub fingerprint: String,
    pub encrypted: bool,
    /// The plain (decrypted) canonical bytes.
    pub plain: Vec<u8>,
}

/// Decrypts if needed, parses and checks everything. Never panics on any input.
pub fn read(bytes: &[u8], identities: &[age::x25519::Identity]) -> Result<Verified, Rejection> {
    if bytes.is_empty() {
        return Err(Rejection::Empty);
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Rejection::TooLarge(bytes.len() as u64));
    }
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return Err(Rejection::Archive("gzip".into()));
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") || bytes.starts_with(b"PK\x07\x08") {
        return Err(Rejection::Archive("zip".into()));
    }
    let encrypted = is_encrypted(bytes);
    let plain = if encrypted {
        if identities.is_empty() {
            return Err(Rejection::EncryptedNoKey);
        }
        decrypt_limited(bytes, identities)?
    } else {
        bytes.to_vec()
    };
    if plain.is_empty() {
        return Err(Rejection::Empty);
    }
    if plain.starts_with(b"\xef\xbb\xbf") {
        return Err(Rejection::ByteOrderMark);
    }
    if plain.starts_with(b"\xff\xfe") || plain.starts_with(b"\xfe\xff") || plain.contains(&0) {
        return Err(Rejection::NotUtf8);
    }
    let text = std::str::from_utf8(&plain).map_err(|_| Rejection::NotUtf8)?;
    // A well-formed return is parsed once; anything else goes the slower way below, which names
    // what is wrong precisely (the canonical check after it holds both ways to the same bytes).
    let file = match serde_json::from_str::<ReturnFile<WireResponse>>(text) {
        Ok(file)
            if file.format == FORMAT
                && file.format_version == version_of(&file.body)
                && !file.signature.is_empty()
                && !file.signer.is_empty() =>
        {
            file
        }
        _ => parse_precisely(text)?,
    };
    if serde_json::to_vec(&file).ok().as_deref() != Some(&plain[..]) {
        return Err(Rejection::NotCanonical);
    }
    // The same bytes as the checked body would give: the codes are the same text.
    let body_bytes = canonical(&file.body);
    let digest = sha256_hex(&body_bytes);
    if digest != file.digest {
        return Err(Rejection::DigestMismatch);
    }
    let signer = sign::PublicKey::parse(&file.signer).map_err(|_| Rejection::Malformed("signer".into()))?;
    let signature =
        B64.decode(&file.signature).ok().and_then(|s| String::from_utf8(s).ok()).ok_or(Rejection::BadSignature)?;
    sign::verify(&signer, &body_bytes, &signature).map_err(|_| Rejection::BadSignature)?;
    let body = check(file.body)?;
    // The trusted comment is signed, and `minisign -V` prints it: it must name this return, or a
    // person checking the file by hand reads another member, cycle or revision than the file's.
    // (Checked after the body, so a file that is wrong in its body is named by what is wrong.)
    let said = sign::trusted_comment(&signature).unwrap_or_default();
    if said != trusted_comment(&body.member, body.cycle, body.revision, &digest) {
        return Err(Rejection::WrongComment(clean_text(&said)));
    }
    let fingerprint = sign::fingerprint(&signer);
    Ok(Verified { body, digest, signer, fingerprint, encrypted, plain })
}

/// The return in `text`, or the precise reason it is not one: not JSON, not a return, a format
/// version this program does not read, unsigned, or a field that is wrong.
fn parse_precisely(text: &str) -> Result<ReturnFile<WireResponse>, Rejection> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|_| if has_non_finite_number(text) { Rejection::NotANumber } else { Rejection::NotJson })?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(Rejection::NotAReturn);
    }
    let has = |field: &str| value.get("body").and_then(|b| b.get(field)).is_some();
    let has_plan = has("plan");
    let newer = ["content_digest", "replies", "contributors", "targets_confirmed"].into_iter().find(|f| has(f));
    match value.get("format_version").and_then(|v| v.as_u64()) {
        // A content digest, replies or contributors are format 4's (a plan or not), and format
        // 4 always has one of them.
        Some(v) if v == FORMAT_VERSION_CONTRIBUTORS as u64 && newer.is_some() => {}
        Some(v) if v == FORMAT_VERSION_CONTRIBUTORS as u64 => return Err(Rejection::Malformed("format 4".into())),
        Some(v) if v == FORMAT_VERSION as u64 || v == FORMAT_VERSION_NO_PLAN as u64 => {
            if let Some(f) = newer {
                return Err(Rejection::Malformed(f.into()));
            }
            if has_plan != (v == FORMAT_VERSION as u64) {
                return Err(Rejection::Malformed("plan".into()));
            }
        }
        // Format 1 had no signature; it is refused like an unsigned file.
        Some(1) => return Err(Rejection::NotSigned),
        Some(v) => return Err(Rejection::UnknownFormatVersion(v)),
        None => return Err(Rejection::Malformed("format_version".into())),
    }
    let text_field = |k: &str| value.get(k).and_then(|v| v.as_str()).is_some_and(|s| !s.is_empty());
    if !text_field("signature") || !text_field("signer") {
        return Err(Rejection::NotSigned);
    }
    serde_json::from_value(value).map_err(|e| Rejection::Malformed(e.to_string()))
}

/// The format version a body is written with: 4 with a content digest, replies or contributors,
/// else 3 with a plan, 2 without.
pub fn version_of<R>(body: &ReturnBody<R>) -> u32 {
    if body.contributors.is_some()
        || body.replies.is_some()
        || body.content_digest.is_some()
        || body.targets_confirmed.is_some()
    {
        FORMAT_VERSION_CONTRIBUTORS
    } else if body.plan.is_some() {
        FORMAT_VERSION
    } else {
        FORMAT_VERSION_NO_PLAN
    }
}

/// True if JSON-like text has a bare `NaN` or `Infinity` (outside strings), which JSON has not.
fn has_non_finite_number(text: &str) -> bool {
    let (mut in_string, mut escaped) = (false, false);
    let b = text.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
        } else if c == b'"' {
            in_string = true;
        } else if b[i..].starts_with(b"NaN") || b[i..].starts_with(b"Infinity") {
            return true;
        }
    }
    false
}

fn decrypt_limited(bytes: &[u8], identities: &[age::x25519::Identity]) -> Result<Vec<u8>, Rejection> {
    let reader: Box<dyn std::io::BufRead> = if bytes.starts_with(b"-----BEGIN") {
        Box::new(std::io::BufReader::new(age::armor::ArmoredReader::new(bytes)))
    } else {
        Box::new(bytes)
    };
    let decryptor = age::Decryptor::new_buffered(reader).map_err(|_| Rejection::EncryptedWrongKey)?;
    let ids = identities.iter().map(|i| i as &dyn age::Identity);
    let mut out = Vec::new();
    decryptor
        .decrypt(ids)
        .map_err(|_| Rejection::EncryptedWrongKey)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|_| Rejection::EncryptedWrongKey)?;
    if out.len() as u64 > MAX_FILE_BYTES {
        return Err(Rejection::TooLarge(out.len() as u64));
    }
    Ok(out)
}

fn check_text(field: &str, s: &str, max: usize) -> Result<(), Rejection> {
    if s.chars().count() > max {
        return Err(Rejection::TooLong { field: field.to_string(), max });
    }
    Ok(())
}

fn check_time(field: &str, s: &str) -> Result<(), Rejection> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|_| ())
        .map_err(|_| Rejection::Malformed(format!("{field} is not a date")))
}

/// Checks every field against the framework and the registry.
pub fn validate(b: &ReturnBody) -> Result<(), Rejection> {
    let fw = check_header(b)?;
    let mut seen = BTreeSet::new();
    for r in &b.responses {
        check_indicator(fw, &mut seen, &r.indicator)?;
        check_level(&r.indicator, r.answer, r.target)?;
        check_notes(r)?;
    }
    check_complete(fw, b.framework_revision, &seen)?;
    check_plan(fw, b.plan.as_deref())?;
    check_replies(fw, b.replies.as_deref())?;
    check_contributors(fw, b.contributors.as_deref())?;
    check_confirmed(fw, b.targets_confirmed.as_deref())
}

/// The targets confirmed: known indicators, each once.
fn check_confirmed(fw: &framework::Framework, codes: Option<&[String]>) -> Result<(), Rejection> {
    let mut seen = BTreeSet::new();
    for c in codes.unwrap_or_default() {
        check_indicator(fw, &mut seen, c)?;
    }
    Ok(())
}

/// Who gave the answers: each a known indicator, once, a name and a unit on one line within
/// `limits::CONTRIBUTOR_MAX`.
fn check_contributors(
    fw: &framework::Framework,
    list: Option<&[crate::assessment::Contribution]>,
) -> Result<(), Rejection> {
    let Some(list) = list else { return Ok(()) };
    let mut seen = BTreeSet::new();
    for c in list {
        check_indicator(fw, &mut seen, &c.indicator)?;
        for (field, s) in [("contributor name", &c.name), ("contributor unit", &c.unit)] {
            check_text(field, s, limits::CONTRIBUTOR_MAX)?;
            if s.chars().any(hidden) || (field == "contributor name" && s.trim().is_empty()) {
                return Err(invalid(&c.indicator, s));
            }
        }
    }
    Ok(())
}

/// The replies: each on a known indicator, once, not empty, at most `limits::REPLY_MAX`
/// characters.
fn check_replies(fw: &framework::Framework, replies: Option<&[crate::assessment::Reply]>) -> Result<(), Rejection> {
    let Some(replies) = replies else { return Ok(()) };
    let mut seen = BTreeSet::new();
    for r in replies {
        check_indicator(fw, &mut seen, &r.indicator)?;
        if r.text.trim().is_empty() {
            return Err(Rejection::Malformed(format!("{} reply", truncate(&r.indicator))));
        }
        check_text(&format!("{} reply", truncate(&r.indicator)), &r.text, limits::REPLY_MAX)?;
    }
    if replies.is_empty() {
        return Err(Rejection::Malformed("replies".into()));
    }
    Ok(())
}

/// The plan's actions: each as the domain checks it (lengths, one line, quarters in order, a
/// known indicator), at most `plan::limits::ACTIONS_MAX`.
fn check_plan(fw: &framework::Framework, plan: Option<&[ReturnAction]>) -> Result<(), Rejection> {
    let Some(plan) = plan else { return Ok(()) };
    let actions: Vec<crate::plan::Action> = plan.iter().map(Into::into).collect();
    crate::plan::check_plan(&actions, Some(fw)).map_err(|(i, e)| match e {
        crate::plan::PlanError::TooLong { field, max } => {
            Rejection::TooLong { field: format!("plan action {} {field}", i + 1), max }
        }
        crate::plan::PlanError::UnknownIndicator(code) => Rejection::UnknownIndicator(code),
        e => Rejection::Malformed(format!("plan action {}: {e}", i + 1)),
    })
}

/// [`validate`] for a body as read, turning its codes into values: the one place a code from a
/// file becomes an answer, a confidence, a commitment or a need.
fn check(b: ReturnBody<WireResponse>) -> Result<ReturnBody, Rejection> {
    let fw = check_header(&b)?;
    let mut seen = BTreeSet::new();
    let mut responses = Vec::with_capacity(b.responses.len());
    for r in &b.responses {
        check_indicator(fw, &mut seen, &r.indicator)?;
        let typed = r.checked()?;
        check_notes(&typed)?;
        responses.push(typed);
    }
    check_complete(fw, b.framework_revision, &seen)?;
    check_plan(fw, b.plan.as_deref())?;
    check_replies(fw, b.replies.as_deref())?;
    check_contributors(fw, b.contributors.as_deref())?;
    check_confirmed(fw, b.targets_confirmed.as_deref())?;
    let ReturnBody {
        framework_id,
        framework_version,
        framework_revision,
        content_digest,
        member,
        cycle,
        assessment_uuid,
        revision,
        previous_digest,
        assessor_name,
        assessor_role,
        approved_by,
        language,
        created_at,
        finalised_at,
        app_version,
        profile,
        responses: _,
        scores,
        plan,
        replies,
        contributors,
        targets_confirmed,
    } = b;
    Ok(ReturnBody {
        framework_id,
        framework_version,
        framework_revision,
        content_digest,
        member,
        cycle,
        assessment_uuid,
        revision,
        previous_digest,
        assessor_name,
        assessor_role,
        approved_by,
        language,
        created_at,
        finalised_at,
        app_version,
        profile,
        responses,
        scores,
        plan,
        replies,
        contributors,
        targets_confirmed,
    })
}

/// Everything but the responses.
fn check_header<R>(b: &ReturnBody<R>) -> Result<&'static framework::Framework, Rejection> {
    let newest = framework::get(b.framework_version)
        .filter(|fw| fw.meta.id == b.framework_id)
        .ok_or_else(|| Rejection::UnknownFramework(format!("{} v{}", b.framework_id, b.framework_version)))?;
    if let Some(r) = b.framework_revision.filter(|r| *r > newest.meta.revision) {
        return Err(Rejection::UnknownContentRevision(r));
    }
    // Checked against the content it was written under: the indicators of that revision.
    let fw = framework::of(b.framework_version, b.framework_revision).unwrap_or(newest);
    // A revision between the built-in one and the newest that this program does not hold (the
    // file of revision 3 was never imported, revision 4's was): its content is not known here.
    let built_in = framework::built_in(b.framework_version).map_or(0, |b| b.meta.revision);
    if let Some(r) = b.framework_revision.filter(|r| *r != fw.meta.revision && *r >= built_in) {
        return Err(Rejection::UnknownContentRevision(r));
    }
    if let Some(d) = &b.content_digest {
        if d.len() != 64 || !d.bytes().all(|c| c.is_ascii_hexdigit()) {
            return Err(Rejection::Malformed("content_digest".into()));
        }
        // Written under the revision this program holds by that number, but another edition of
        // it: its answers were given to other descriptors.
        if b.framework_revision == Some(fw.meta.revision) && !d.eq_ignore_ascii_case(&content_digest(fw)) {
            return Err(Rejection::OtherContent(fw.meta.revision));
        }
    }
    if framework::member(&b.member).is_none() {
        return Err(Rejection::UnknownMember(truncate(&b.member)));
    }
    if !crate::ids::CYCLES.contains(&b.cycle) {
        return Err(Rejection::Malformed(format!("cycle {}", b.cycle)));
    }
    if b.revision == 0 || b.revision > 1000 {
        return Err(Rejection::Malformed(format!("revision {}", b.revision)));
    }
    canonical_uuid(&b.assessment_uuid).ok_or_else(|| Rejection::Malformed("assessment_uuid".into()))?;
    if let Some(d) = &b.previous_digest
        && (d.len() != 64 || !d.bytes().all(|c| c.is_ascii_hexdigit()))
    {
        return Err(Rejection::Malformed("previous_digest".into()));
    }
    if b.approved_by.trim().is_empty() || b.finalised_at.is_empty() {
        return Err(Rejection::NotFinalised);
    }
    for (f, s, max) in [
        ("assessor_name", &b.assessor_name, limits::NAME_MAX),
        ("assessor_role", &b.assessor_role, limits::ROLE_MAX),
        ("approved_by", &b.approved_by, limits::NAME_MAX),
        ("app_version", &b.app_version, limits::APP_VERSION_MAX),
    ] {
        check_text(f, s, max)?;
    }
    if Lang::from_code(&b.language).is_none() {
        return Err(Rejection::Malformed(format!("language {}", truncate(&b.language))));
    }
    check_time("created_at", &b.created_at)?;
    check_time("finalised_at", &b.finalised_at)?;
    let p = &b.profile;
    for (f, s) in [
        ("hs_version", &p.hs_version),
        ("rkc", &p.rkc),
        ("wto_valuation", &p.wto_valuation),
        ("risk_management", &p.risk_management),
        ("automation", &p.automation),
        ("arusha", &p.arusha),
        ("pca", &p.pca),
    ] {
        if s.chars().count() > limits::PROFILE_FIELD_MAX {
            return Err(Rejection::Malformed(format!("profile {f}")));
        }
    }
    Ok(fw)
}

/// A known indicator, seen once.
fn check_indicator<'a>(
    fw: &framework::Framework,
    seen: &mut BTreeSet<&'a str>,
    code: &'a str,
) -> Result<(), Rejection> {
    if fw.indicator(code).is_none() {
        return Err(Rejection::UnknownIndicator(truncate(code)));
    }
    if !seen.insert(code) {
        return Err(Rejection::DuplicateIndicator(code.to_string()));
    }
    Ok(())
}

fn invalid(indicator: &str, value: &str) -> Rejection {
    Rejection::InvalidValue { indicator: indicator.to_string(), value: truncate(value) }
}

/// Answered, and a target within the scale.
fn check_level(indicator: &str, answer: Answer, target: u8) -> Result<(), Rejection> {
    if answer == Answer::Unanswered {
        return Err(Rejection::InvalidValue { indicator: indicator.to_string(), value: "null".into() });
    }
    if target > 4 {
        return Err(invalid(indicator, &target.to_string()));
    }
    Ok(())
}

/// Free text within limits and a readable date.
fn check_notes(r: &ReturnResponse) -> Result<(), Rejection> {
    check_text(&format!("{} evidence", truncate(&r.indicator)), &r.evidence, limits::EVIDENCE_MAX)?;
    check_text(&format!("{} comment", truncate(&r.indicator)), &r.comment, limits::COMMENT_MAX)?;
    if let Some(t) = &r.updated_at {
        check_time("updated_at", t)?;
    }
    Ok(())
}

/// Every indicator of the framework is answered, except those added after the content revision the
/// return was written under (absent: revision 1), which count as unanswered.
fn check_complete(fw: &framework::Framework, revision: Option<u32>, seen: &BTreeSet<&str>) -> Result<(), Rejection> {
    let revision = revision.unwrap_or(1);
    for ind in fw.indicators.iter().filter(|i| i.since <= revision) {
        if !seen.contains(ind.code.as_str()) {
            return Err(Rejection::MissingIndicator(ind.code.clone()));
        }
    }
    Ok(())
}

impl WireResponse {
    /// The response with its codes checked, in the order a person reads them.
    fn checked(&self) -> Result<ReturnResponse, Rejection> {
        let code = self.indicator.as_str();
        let answer = Answer::from_code(self.answer.as_deref())
            .ok_or_else(|| invalid(code, self.answer.as_deref().unwrap_or("")))?;
        check_level(code, answer, self.target)?;
        fn parse<T>(indicator: &str, c: &Option<String>, from: fn(&str) -> Option<T>) -> Result<Option<T>, Rejection> {
            c.as_deref().map(|c| from(c).ok_or_else(|| invalid(indicator, c))).transpose()
        }
        Ok(ReturnResponse {
            indicator: self.indicator.clone(),
            answer,
            target: self.target,
            confidence: parse(code, &self.confidence, Confidence::from_code)?,
            commitment: parse(code, &self.commitment, Commitment::from_code)?,
            need: parse(code, &self.need, NeedCategory::from_code)?,
            evidence: self.evidence.clone(),
            comment: self.comment.clone(),
            updated_at: self.updated_at.clone(),
        })
    }
}

/// Text from a file kept in a rejection: cleaned and cut ([`clean_text`]).
fn truncate(s: &str) -> String {
    clean_text(s)
}

/// Everything that would stop the return of `a`, signed off now by `approved_by`, from being
/// accepted: every rule [`validate`] (and so [`read`]) applies, run on the body export would
/// write. Empty means the export will be accepted. The app calls it before `Store::finalise`
/// (the store does not know the return's rules). Every unanswered indicator and every text too
/// long is listed, then the first other problem `validate` finds.
pub fn finalise_problems(a: &Assessment, approved_by: &str) -> Vec<Rejection> {
    let mut a = a.clone();
    a.header.status = Status::Finalised;
    a.header.approved_by = Some(approved_by.trim().to_string());
    a.header.finalised_at = Some(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    // The real chain's digest is a SHA-256 in hex; its value changes no rule.
    let previous = (a.header.revision > 1).then(|| "0".repeat(64));
    match body_from(&a, previous, export::app_version()) {
        Ok(body) => body_problems(&body),
        Err(ExportError::UnknownFramework(v)) => vec![Rejection::UnknownFramework(format!("v{v}"))],
        Err(e) => vec![Rejection::Malformed(e.to_string())],
    }
}

/// Every problem [`validate`] would find in a body, the per-response ones all listed.
pub fn body_problems(b: &ReturnBody) -> Vec<Rejection> {
    let mut out = Vec::new();
    for r in &b.responses {
        if let Err(e) = check_level(&r.indicator, r.answer, r.target) {
            out.push(e);
        }
        for (field, s, max) in
            [("evidence", &r.evidence, limits::EVIDENCE_MAX), ("comment", &r.comment, limits::COMMENT_MAX)]
        {
            if let Err(e) = check_text(&format!("{} {field}", truncate(&r.indicator)), s, max) {
                out.push(e);
            }
        }
    }
    if let Err(e) = validate(b)
        && !out.contains(&e)
    {
        out.push(e);
    }
    out
}

impl ReturnBody {
    /// The responses and profile as the store keeps them (after validation).
    pub fn to_assessment_parts(&self) -> (Profile, Vec<crate::assessment::Response>) {
        let profile = self.profile.clone();
        let responses = self
            .responses
            .iter()
            .map(|r| crate::assessment::Response {
                indicator: r.indicator.clone(),
                answer: r.answer,
                target: r.target,
                // A return written before it said (none): what was sent is the member's.
                target_confirmed: self.targets_confirmed.as_ref().is_none_or(|list| list.contains(&r.indicator)),
                confidence: r.confidence,
                commitment: r.commitment,
                evidence: r.evidence.clone(),
                comment: r.comment.clone(),
                need: r.need,
                updated_at: r.updated_at.clone(),
            })
            .collect();
        (profile, responses)
    }

    /// The revision as the store keeps it, given the body's digest.
    pub fn to_imported(&self, digest: &str) -> ImportedRevision {
        let (profile, responses) = self.to_assessment_parts();
        ImportedRevision {
            uuid: canonical_uuid(&self.assessment_uuid).unwrap_or_else(|| self.assessment_uuid.clone()),
            member: self.member.clone(),
            cycle: self.cycle,
            revision: self.revision,
            framework_version: self.framework_version,
            assessor_name: self.assessor_name.clone(),
            assessor_role: self.assessor_role.clone(),
            approved_by: self.approved_by.clone(),
            language: self.language.clone(),
            created_at: self.created_at.clone(),
            finalised_at: self.finalised_at.clone(),
            app_version: self.app_version.clone(),
            previous_digest: self.previous_digest.clone(),
            digest: digest.to_string(),
            content_revision: self.framework_revision.unwrap_or(1),
            profile,
            responses,
            plan: self.plan.iter().flatten().map(Into::into).collect(),
            replies: self.replies.clone().unwrap_or_default(),
            contributors: self.contributors.clone().unwrap_or_default(),
        }
    }
}

impl Verified {
    /// The verified revision as the store keeps it.
    pub fn imported(&self) -> ImportedRevision {
        self.body.to_imported(&self.digest)
    }
}
