//! Section files (issue 26): a coordinator hands some indicators of a draft to a colleague
//! (`.ocosection`), and the colleague sends the answers back (`.ocosectionanswer`). See
//! docs/section-format.md.
//!
//! Built like a feedback file: compact canonical JSON `{"format","format_version","digest",
//! "signer","signature","body"}`, `digest` the SHA-256 of the canonical bytes of `body`,
//! `signature` a minisign signature over the same bytes whose signed comment names the file. A
//! reader refuses any file that is not exactly what it contains. Whether a verified answer belongs
//! to a section handed out, and whose key signed it, is the store's and `sections`' business.
//!
//! Nothing here knows the store.

use super::sign::{self, PublicKey, SigningKey};
use super::{Rejection, canonical, clean_text, sha256_hex};
use crate::assessment::{Answer, Commitment, Confidence, NeedCategory, Response, limits};
use crate::framework;
use crate::lang::Lang;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

pub const SECTION_FORMAT: &str = "oco-cdf-section";
pub const ANSWER_FORMAT: &str = "oco-cdf-section-answer";
pub const FORMAT_VERSION: u32 = 1;
pub const SECTION_EXTENSION: &str = "ocosection";
pub const ANSWER_EXTENSION: &str = "ocosectionanswer";
/// Larger files are refused unread: 44 indicators with their longest evidence and comment fit.
pub const MAX_FILE_BYTES: u64 = super::MAX_FILE_BYTES;
/// A person's name, a unit, in characters.
pub const NAME_MAX: usize = limits::CONTRIBUTOR_MAX;
/// The coordinator's message, in characters.
pub const MESSAGE_MAX: usize = 2000;

/// A sealed file: a section or an answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sealed<B> {
    pub format: String,
    pub format_version: u32,
    pub digest: String,
    /// The writer's minisign public key, one line (`RW...`).
    pub signer: String,
    /// Base64 of the minisign signature (`.minisig` text) over the canonical bytes of `body`.
    pub signature: String,
    pub body: B,
}

/// Which assessment a section belongs to: the coordinator's draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assessed {
    pub member: String,
    pub cycle: i32,
    pub assessment_uuid: String,
    pub revision: u32,
    pub framework_version: u32,
    /// The framework's content revision the draft is answered under.
    pub content_revision: u32,
}

/// What a coordinator sends a colleague.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionBody {
    /// A UUID, one per section handed out.
    pub section_id: String,
    pub assessment: Assessed,
    pub coordinator: String,
    pub colleague: String,
    pub unit: String,
    /// `YYYY-MM-DD`, or none.
    pub due: Option<String>,
    pub message: String,
    /// RFC 3339 UTC.
    pub written_at: String,
    /// The indicators asked, in framework order.
    pub indicators: Vec<String>,
    /// The answers already there, one per indicator asked.
    pub answers: Vec<SectionAnswer>,
}

/// What a colleague sends back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    pub section_id: String,
    /// The `digest` of the section file answered.
    pub section_digest: String,
    pub assessment: Assessed,
    pub colleague: String,
    pub unit: String,
    /// RFC 3339 UTC: a later answer file to the same section replaces an earlier one, never the
    /// reverse.
    pub written_at: String,
    /// One per indicator asked, in the section's order.
    pub answers: Vec<SectionAnswer>,
}

/// One indicator's answer as a section file carries it: everything a response holds, and when it
/// was given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionAnswer {
    pub indicator: String,
    pub answer: Answer,
    pub target: u8,
    pub target_confirmed: bool,
    pub confidence: Option<Confidence>,
    pub commitment: Option<Commitment>,
    pub need: Option<NeedCategory>,
    pub evidence: String,
    pub comment: String,
    /// RFC 3339, when the answer was last changed (none: never).
    pub given_at: Option<String>,
}

impl From<&Response> for SectionAnswer {
    fn from(r: &Response) -> SectionAnswer {
        SectionAnswer {
            indicator: r.indicator.clone(),
            answer: r.answer,
            target: r.target,
            target_confirmed: r.target_confirmed,
            confidence: r.confidence,
            commitment: r.commitment,
            need: r.need,
            evidence: r.evidence.clone(),
            comment: r.comment.clone(),
            given_at: r.updated_at.clone(),
        }
    }
}

impl From<&SectionAnswer> for Response {
    fn from(a: &SectionAnswer) -> Response {
        Response {
            indicator: a.indicator.clone(),
            answer: a.answer,
            target: a.target,
            target_confirmed: a.target_confirmed,
            confidence: a.confidence,
            commitment: a.commitment,
            evidence: a.evidence.clone(),
            comment: a.comment.clone(),
            need: a.need,
            updated_at: a.given_at.clone(),
        }
    }
}

/// Why a section or answer file is refused (read) or not taken (`sections`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The file as a file: empty, too large, a folder, a pipe, a link, not UTF-8… (the return
    /// reader's reasons, said in its words).
    #[error("{0}")]
    File(Rejection),
    #[error("the file is not a section or section answer file")]
    NotSection,
    #[error("section format version {0} is not known to this version")]
    UnknownVersion(u64),
    #[error("the file is incomplete or has wrong values: {0}")]
    Malformed(String),
    #[error("the file was changed after it was written")]
    Changed,
    #[error("the signature does not match: the file was changed after it was signed")]
    BadSignature,
    #[error("this answer is for another assessment ({0})")]
    OtherAssessment(String),
    #[error("no section {0} was handed out from this database")]
    UnknownSection(String),
    #[error("the assessment is no longer a draft")]
    NotDraft,
    #[error("indicator {0} was not asked in this section")]
    NotAsked(String),
    #[error("signed by another key ({0}) than the one pinned for this colleague")]
    OtherKey(String),
    #[error("older than (or the same as) the answer already merged ({0})")]
    Replayed(String),
    #[error("this section is already open here")]
    AlreadyOpen,
    #[error("this is your own section file")]
    OwnSection,
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::File(_) => "file",
            Refusal::NotSection => "not_section",
            Refusal::UnknownVersion(_) => "unknown_version",
            Refusal::Malformed(_) => "malformed",
            Refusal::Changed => "changed",
            Refusal::BadSignature => "bad_signature",
            Refusal::OtherAssessment(_) => "other_assessment",
            Refusal::UnknownSection(_) => "unknown_section",
            Refusal::NotDraft => "not_draft",
            Refusal::NotAsked(_) => "not_asked",
            Refusal::OtherKey(_) => "other_key",
            Refusal::Replayed(_) => "replayed",
            Refusal::AlreadyOpen => "already_open",
            Refusal::OwnSection => "own_section",
        }
    }

    /// The reason in the user's language; text from the file is cleaned and cut.
    pub fn message(&self, t: Lang) -> String {
        // The file as a file: in words about section files where a return's would mislead.
        match self {
            Refusal::File(Rejection::TooLarge(n)) => {
                return t.f("section.refused.too_large", &[("detail", &format!("{} KB", n / 1024))]);
            }
            Refusal::File(Rejection::SpecialFile | Rejection::Folder) => {
                return t.t("section.refused.special_file").to_string();
            }
            Refusal::File(r) => return r.message(t),
            _ => {}
        }
        let key = format!("section.refused.{}", self.code());
        let detail = match self {
            Refusal::UnknownVersion(v) => v.to_string(),
            Refusal::Malformed(d)
            | Refusal::OtherAssessment(d)
            | Refusal::UnknownSection(d)
            | Refusal::NotAsked(d)
            | Refusal::OtherKey(d)
            | Refusal::Replayed(d) => clean_text(d),
            _ => String::new(),
        };
        t.f(&key, &[("detail", &detail)])
    }
}

/// A verified file: its body, digest and signer.
#[derive(Debug, Clone, PartialEq)]
pub struct Verified<B> {
    pub body: B,
    pub digest: String,
    pub signer: PublicKey,
}

/// Either kind, as read.
#[derive(Debug, Clone, PartialEq)]
pub enum Read {
    Section(Verified<SectionBody>),
    Answer(Verified<AnswerBody>),
}

/// The signed comment: what `minisign -V` prints.
fn trusted(format: &str, a: &Assessed, section_id: &str, digest: &str) -> String {
    format!("{format} {} {} {section_id} sha256:{digest}", a.member, a.cycle)
}

fn seal<B: Serialize>(format: &str, body: B, a: &Assessed, section_id: &str, key: &SigningKey) -> Vec<u8> {
    let super::Seal { digest, signer, signature } =
        super::seal(&canonical(&body), key, |digest| trusted(format, a, section_id, digest));
    let file = Sealed { format: format.into(), format_version: FORMAT_VERSION, digest, signer, signature, body };
    serde_json::to_vec(&file).unwrap_or_default()
}

/// The section file's bytes, signed with the coordinator's key.
pub fn write_section(body: &SectionBody, key: &SigningKey) -> Vec<u8> {
    seal(SECTION_FORMAT, body, &body.assessment, &body.section_id, key)
}

/// The answer file's bytes, signed with the colleague's key.
pub fn write_answer(body: &AnswerBody, key: &SigningKey) -> Vec<u8> {
    seal(ANSWER_FORMAT, body, &body.assessment, &body.section_id, key)
}

/// A name safe for a file name: letters, digits and `-`, at most 40 characters.
fn file_part(s: &str) -> String {
    let s: String = s.chars().map(|c| if c.is_alphanumeric() { c } else { '-' }).take(40).collect();
    if s.is_empty() { "colleague".into() } else { s }
}

/// `<MEMBER>_<CYCLE>_section_<COLLEAGUE>.ocosection`
pub fn section_file_name(b: &SectionBody) -> String {
    section_file_name_for(&b.assessment.member, b.assessment.cycle, &b.colleague)
}

pub fn section_file_name_for(member: &str, cycle: i32, colleague: &str) -> String {
    format!("{member}_{cycle}_section_{}.{SECTION_EXTENSION}", file_part(colleague))
}

/// `<MEMBER>_<CYCLE>_answer_<COLLEAGUE>.ocosectionanswer`
pub fn answer_file_name(b: &AnswerBody) -> String {
    answer_file_name_for(&b.assessment.member, b.assessment.cycle, &b.colleague)
}

pub fn answer_file_name_for(member: &str, cycle: i32, colleague: &str) -> String {
    format!("{member}_{cycle}_answer_{}.{ANSWER_EXTENSION}", file_part(colleague))
}

/// True for a file name of either kind (by its extension).
pub fn is_section_path(p: &std::path::Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(SECTION_EXTENSION) || e.eq_ignore_ascii_case(ANSWER_EXTENSION))
}

/// Reads a file from disk: not a link (refused as not an ordinary file), and then as a return is
/// read (only an ordinary file, without waiting on a pipe, nothing over the size limit).
pub fn read_path(path: &std::path::Path) -> Result<Read, Refusal> {
    let unreadable = |e: std::io::Error| Refusal::File(Rejection::Unreadable(crate::i18n::IoCause::of(&e).code()));
    if std::fs::symlink_metadata(path).map_err(unreadable)?.file_type().is_symlink() {
        return Err(Refusal::File(Rejection::SpecialFile));
    }
    read(&super::read_file_limited(path).map_err(Refusal::File)?)
}

/// Parses and checks a section or answer file: canonical, digest, signature by its `signer`, and
/// every field. Never panics.
pub fn read(bytes: &[u8]) -> Result<Read, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::File(Rejection::Empty));
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Refusal::File(Rejection::TooLarge(bytes.len() as u64)));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| Refusal::File(Rejection::NotUtf8))?;
    let value: serde_json::Value = serde_json::from_str(text).map_err(|_| Refusal::NotSection)?;
    let format = value.get("format").and_then(|f| f.as_str()).map(str::to_string);
    match value.get("format_version").and_then(|v| v.as_u64()) {
        _ if format.as_deref() != Some(SECTION_FORMAT) && format.as_deref() != Some(ANSWER_FORMAT) => {
            Err(Refusal::NotSection)
        }
        Some(v) if v == FORMAT_VERSION as u64 => Ok(()),
        Some(v) => Err(Refusal::UnknownVersion(v)),
        None => Err(Refusal::Malformed("format_version".into())),
    }?;
    if format.as_deref() == Some(SECTION_FORMAT) {
        let v = verify::<SectionBody>(value, bytes, SECTION_FORMAT, |b| (&b.assessment, &b.section_id))?;
        check_section(&v.body)?;
        Ok(Read::Section(v))
    } else {
        let v = verify::<AnswerBody>(value, bytes, ANSWER_FORMAT, |b| (&b.assessment, &b.section_id))?;
        check_answer(&v.body)?;
        Ok(Read::Answer(v))
    }
}

fn verify<B: DeserializeOwned + Serialize>(
    value: serde_json::Value,
    bytes: &[u8],
    format: &str,
    names: impl Fn(&B) -> (&Assessed, &String),
) -> Result<Verified<B>, Refusal> {
    let file: Sealed<B> = serde_json::from_value(value).map_err(|e| bad(e.to_string()))?;
    if serde_json::to_vec(&file).ok().as_deref() != Some(bytes) {
        return Err(Refusal::Changed);
    }
    let body_bytes = canonical(&file.body);
    let digest = sha256_hex(&body_bytes);
    if digest != file.digest {
        return Err(Refusal::Changed);
    }
    let signer = PublicKey::parse(&file.signer).map_err(|_| Refusal::Malformed("signer".into()))?;
    let signature =
        B64.decode(&file.signature).ok().and_then(|s| String::from_utf8(s).ok()).ok_or(Refusal::BadSignature)?;
    sign::verify(&signer, &body_bytes, &signature).map_err(|_| Refusal::BadSignature)?;
    let (a, id) = names(&file.body);
    if !super::signed_as(&signature, &trusted(format, a, id, &digest)) {
        return Err(Refusal::BadSignature);
    }
    Ok(Verified { body: file.body, digest, signer })
}

fn bad(what: impl Into<String>) -> Refusal {
    Refusal::Malformed(clean_text(&what.into()))
}

/// A name or unit: one line, no control character, within [`NAME_MAX`].
fn check_name(field: &str, s: &str, required: bool) -> Result<(), Refusal> {
    if (required && s.trim().is_empty()) || s.chars().count() > NAME_MAX || s.chars().any(is_hidden) {
        return Err(bad(field));
    }
    Ok(())
}

fn is_hidden(c: char) -> bool {
    super::clean_text(&c.to_string()).is_empty()
}

fn check_assessed(a: &Assessed) -> Result<&'static framework::Framework, Refusal> {
    let fw = framework::get(a.framework_version).ok_or_else(|| bad(format!("framework v{}", a.framework_version)))?;
    if framework::member(&a.member).is_none() {
        return Err(bad(format!("member {}", a.member)));
    }
    if !crate::ids::CYCLES.contains(&a.cycle) {
        return Err(bad(format!("cycle {}", a.cycle)));
    }
    if a.revision == 0 || a.revision > 1000 || a.content_revision == 0 || a.content_revision > 1000 {
        return Err(bad("revision"));
    }
    if super::canonical_uuid(&a.assessment_uuid).as_deref() != Some(a.assessment_uuid.as_str()) {
        return Err(bad("assessment_uuid"));
    }
    Ok(fw)
}

fn check_id(id: &str) -> Result<(), Refusal> {
    if super::canonical_uuid(id).as_deref() != Some(id) {
        return Err(bad("section_id"));
    }
    Ok(())
}

/// The answers: each for an indicator of `asked`, at most once, every field within its rules.
fn check_answers(fw: &framework::Framework, asked: &[String], answers: &[SectionAnswer]) -> Result<(), Refusal> {
    let mut seen = std::collections::BTreeSet::new();
    for a in answers {
        if fw.indicator(&a.indicator).is_none() {
            return Err(bad(format!("indicator {}", a.indicator)));
        }
        if !asked.contains(&a.indicator) {
            return Err(Refusal::NotAsked(clean_text(&a.indicator)));
        }
        if !seen.insert(a.indicator.as_str()) {
            return Err(bad(format!("indicator {} twice", a.indicator)));
        }
        if a.target > 4
            || a.evidence.chars().count() > limits::EVIDENCE_MAX
            || a.comment.chars().count() > limits::COMMENT_MAX
            || a.given_at.as_deref().is_some_and(|t| !super::feedback::is_time(t))
        {
            return Err(bad(format!("indicator {}", a.indicator)));
        }
    }
    Ok(())
}

fn check_section(b: &SectionBody) -> Result<(), Refusal> {
    let fw = check_assessed(&b.assessment)?;
    check_id(&b.section_id)?;
    check_name("coordinator", &b.coordinator, true)?;
    check_name("colleague", &b.colleague, true)?;
    check_name("unit", &b.unit, false)?;
    if b.message.chars().count() > MESSAGE_MAX || b.message.chars().any(|c| c != '\n' && is_hidden(c)) {
        return Err(bad("message"));
    }
    if b.due.as_deref().is_some_and(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err()) {
        return Err(bad("due"));
    }
    if !super::feedback::is_time(&b.written_at) {
        return Err(bad("written_at"));
    }
    if b.indicators.is_empty() || b.indicators.len() > fw.indicators.len() {
        return Err(bad("indicators"));
    }
    let mut seen = std::collections::BTreeSet::new();
    for i in &b.indicators {
        if fw.indicator(i).is_none() || !seen.insert(i.as_str()) {
            return Err(bad(format!("indicator {i}")));
        }
    }
    check_answers(fw, &b.indicators, &b.answers)
}

fn check_answer(b: &AnswerBody) -> Result<(), Refusal> {
    let fw = check_assessed(&b.assessment)?;
    check_id(&b.section_id)?;
    if !super::feedback::is_hex64(&b.section_digest) {
        return Err(bad("section_digest"));
    }
    check_name("colleague", &b.colleague, true)?;
    check_name("unit", &b.unit, false)?;
    if !super::feedback::is_time(&b.written_at) {
        return Err(bad("written_at"));
    }
    if b.answers.len() > fw.indicators.len() {
        return Err(bad("answers"));
    }
    // Which indicators were asked is the coordinator's record; here every one must be known.
    let known: Vec<String> = fw.indicators.iter().map(|i| i.code.clone()).collect();
    check_answers(fw, &known, &b.answers)
}
