//! The feedback file (`.ocofeedback`): what the Secretariat sends back to one member, signed with
//! the Secretariat's minisign key. See docs/feedback-format.md.
//!
//! Built like a return: compact canonical JSON `{"format","format_version","digest","signer",
//! "signature","body"}`, `digest` the SHA-256 of the canonical bytes of `body`, `signature` a
//! minisign signature over the same bytes. A reader refuses any file that is not exactly what it
//! contains, and [`accept`] decides whether a verified file may be imported by one member.
//!
//! Nothing here knows the store.

use super::sign::{self, PublicKey, SigningKey};
use super::{canonical, clean_text, sha256_hex};
use crate::framework;
use crate::lang::Lang;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde::{Deserialize, Serialize};

pub const FORMAT: &str = "oco-cdf-feedback";
pub const FORMAT_VERSION: u32 = 1;
/// The version of a feedback file that carries a framework file (`framework`): an older program
/// says it does not know it, instead of a field it does not know.
pub const FORMAT_VERSION_WITH_FRAMEWORK: u32 = 2;
/// The version of a feedback file that carries the interventions planned for the member
/// (`interventions`; a framework file may come with it or not).
pub const FORMAT_VERSION_WITH_PLAN: u32 = 3;
/// How the Secretariat delivers an intervention (issue 24).
pub const DELIVERY_MODES: [&str; 5] =
    ["regional_workshop", "national_mission", "attachment", "elearning", "remote_advice"];
/// The states of an intervention a member hears of (never proposed, never cancelled).
pub const PLANNED_STATES: [&str; 3] = ["planned", "confirmed", "delivered"];
/// Longest intervention title, in characters.
pub const TITLE_MAX: usize = 200;
/// Most interventions one feedback carries.
pub const PLANNED_MAX: usize = 500;
pub const EXTENSION: &str = "ocofeedback";
/// Larger files are refused unread (a full feedback is a few KB; with a framework file inside,
/// about 280 KB). Without one, anything above [`MAX_BYTES_WITHOUT_FRAMEWORK`] is refused too.
pub const MAX_FILE_BYTES: u64 = super::MAX_FILE_BYTES;
pub const MAX_BYTES_WITHOUT_FRAMEWORK: u64 = 256 * 1024;
/// No benchmark figure is sent over fewer members than this, so no single member can be seen.
pub const MIN_MEMBERS: u32 = 3;
/// Longest query or note, in characters.
pub const REMARK_MAX: usize = 2000;
/// The review states, in the order a review goes.
pub const STATES: [&str; 5] = ["received", "under_review", "queries", "answered", "accepted"];
/// The import outcomes a receipt may carry.
pub const OUTCOMES: [&str; 4] = ["accepted", "supersedes", "conflict", "held"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedbackFile {
    pub format: String,
    pub format_version: u32,
    pub digest: String,
    /// The Secretariat's minisign public key, one line (`RW...`).
    pub signer: String,
    /// Base64 of the minisign signature (`.minisig` text) over the canonical bytes of `body`.
    pub signature: String,
    pub body: FeedbackBody,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedbackBody {
    pub framework_id: String,
    pub framework_version: u32,
    /// The member it is for (and the only member it names).
    pub member: String,
    pub cycle: i32,
    /// 1, 2, ... per member and cycle: a member keeps the highest it has imported.
    pub sequence: u32,
    /// RFC 3339 UTC.
    pub issued_at: String,
    /// Every return received from this member for the cycle, oldest first.
    pub receipts: Vec<Receipt>,
    /// One of [`STATES`].
    pub review_state: String,
    /// Queries on indicators (framework order).
    pub queries: Vec<Remark>,
    /// Notes on requests for assistance (framework order).
    pub notes: Vec<Remark>,
    /// The cycle's benchmarks, when any figure has at least [`MIN_MEMBERS`] members.
    pub benchmarks: Option<Benchmarks>,
    /// A framework file (`.ocoframework`, its whole text) sent with the feedback, so that one
    /// e-mail carries both (format version 2 only; absent, and not written, in version 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework: Option<String>,
    /// The Secretariat's interventions planned, confirmed or delivered for this member's gaps,
    /// one per indicator they address (format version 3 only; absent in older files). Each
    /// names the activity, never the other members it serves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interventions: Option<Vec<Planned>>,
}

/// One intervention of the Secretariat's work programme for one of the member's gaps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Planned {
    /// The member's indicator it addresses.
    pub indicator: String,
    pub title: String,
    /// One of the framework's intervention types.
    pub kind: String,
    /// One of [`DELIVERY_MODES`].
    pub mode: String,
    pub year: i32,
    /// 1-4, or none yet.
    pub quarter: Option<u8>,
    /// One of [`PLANNED_STATES`].
    pub status: String,
    /// Other members take part too (a regional activity): who they are is not said.
    pub regional: bool,
    /// After delivery (YYYY-MM-DD).
    pub started: Option<String>,
    pub ended: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    pub assessment_uuid: String,
    pub revision: u32,
    /// The `digest` of the return as the Secretariat holds it.
    pub digest: String,
    /// RFC 3339 UTC, when the Secretariat imported it.
    pub received_at: String,
    /// One of [`OUTCOMES`].
    pub outcome: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Remark {
    pub indicator: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Benchmarks {
    /// The member's own sub-region (code from `assets/members.json`).
    pub subregion: String,
    /// Pillar scores (0-100), framework order.
    pub pillars: Vec<Bench>,
    /// Indicator levels (0-4), framework order.
    pub indicators: Vec<Bench>,
}

/// One figure over the region and the member's sub-region; `None` where fewer than
/// [`MIN_MEMBERS`] members have a value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bench {
    pub code: String,
    pub region: Option<Stat>,
    pub subregion: Option<Stat>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stat {
    /// Members with a value.
    pub n: u32,
    pub mean: f64,
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
}

/// Rounded to 2 decimals (what is sent).
fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// A quantile of sorted values by linear interpolation between closest ranks (the method of
/// Excel's `QUARTILE.INC` and R's default type 7): position `p * (n - 1)`.
pub fn quantile(sorted: &[f64], p: f64) -> f64 {
    let h = p * (sorted.len() - 1) as f64;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// The figure over some values: `None` under [`MIN_MEMBERS`] values. Rounded to 2 decimals.
pub fn stat(values: &[f64]) -> Option<Stat> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if (v.len() as u32) < MIN_MEMBERS {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let mean = v.iter().sum::<f64>() / v.len() as f64;
    Some(Stat {
        n: v.len() as u32,
        mean: round2(mean),
        q1: round2(quantile(&v, 0.25)),
        median: round2(quantile(&v, 0.5)),
        q3: round2(quantile(&v, 0.75)),
    })
}

/// Why a feedback file is refused (read) or not imported (accept).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the file is empty")]
    Empty,
    #[error("the file is too large")]
    TooLarge,
    #[error("the file is not a feedback file from the OCO Secretariat")]
    NotFeedback,
    #[error("feedback format version {0} is not known to this version")]
    UnknownVersion(u64),
    #[error("the feedback is incomplete or has wrong values: {0}")]
    Malformed(String),
    #[error("the file was changed after it was written")]
    Changed,
    #[error("the signature does not match: the file was changed after it was signed")]
    BadSignature,
    #[error("no Secretariat card: import the Secretariat's card in Settings first")]
    NoCard,
    #[error("signed by another key ({0}) than the Secretariat's card")]
    WrongSigner(String),
    #[error("this feedback is for another member ({0})")]
    OtherMember(String),
    #[error("older than the feedback already imported ({0} <= {1})")]
    Older(u32, u32),
    #[error("cannot read the file: {0}")]
    Unreadable(String),
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Empty => "empty",
            Refusal::TooLarge => "too_large",
            Refusal::NotFeedback => "not_feedback",
            Refusal::UnknownVersion(_) => "unknown_version",
            Refusal::Malformed(_) => "malformed",
            Refusal::Changed => "changed",
            Refusal::BadSignature => "bad_signature",
            Refusal::NoCard => "no_card",
            Refusal::WrongSigner(_) => "wrong_signer",
            Refusal::OtherMember(_) => "other_member",
            Refusal::Older(..) => "older",
            Refusal::Unreadable(_) => "unreadable",
        }
    }

    /// The reason in the user's language; text from the file is cleaned and cut.
    pub fn message(&self, t: Lang) -> String {
        let key = format!("feedback.refused.{}", self.code());
        let detail = match self {
            Refusal::UnknownVersion(v) => v.to_string(),
            Refusal::Malformed(d) | Refusal::Unreadable(d) | Refusal::WrongSigner(d) | Refusal::OtherMember(d) => {
                clean_text(d)
            }
            Refusal::Older(new, held) => format!("{new} / {held}"),
            _ => String::new(),
        };
        t.f(&key, &[("detail", &detail)])
    }
}

/// A verified feedback file.
#[derive(Debug, Clone, PartialEq)]
pub struct Verified {
    pub body: FeedbackBody,
    pub digest: String,
    pub signer: PublicKey,
}

/// The signed comment: what `minisign -V` prints.
fn trusted(member: &str, cycle: i32, sequence: u32, digest: &str) -> String {
    format!("{FORMAT} {member} {cycle} n{sequence} sha256:{digest}")
}

/// The file bytes of a body, signed with the Secretariat's key.
pub fn write(body: FeedbackBody, key: &SigningKey) -> Vec<u8> {
    let super::Seal { digest, signer, signature } =
        super::seal(&canonical(&body), key, |digest| trusted(&body.member, body.cycle, body.sequence, digest));
    let format_version = if body.interventions.is_some() {
        FORMAT_VERSION_WITH_PLAN
    } else if body.framework.is_some() {
        FORMAT_VERSION_WITH_FRAMEWORK
    } else {
        FORMAT_VERSION
    };
    let file = FeedbackFile { format: FORMAT.into(), format_version, digest, signer, signature, body };
    serde_json::to_vec(&file).unwrap_or_default()
}

/// `<MEMBER>_<CYCLE>_feedback_<SEQUENCE>.ocofeedback`
pub fn file_name(body: &FeedbackBody) -> String {
    format!("{}_{}_feedback_{}.{EXTENSION}", body.member, body.cycle, body.sequence)
}

/// Parses and checks a feedback file: canonical, digest, signature by its `signer`, and every
/// field. Whether the signer is the Secretariat's, and the file is for this member, is
/// [`accept`]'s. Never panics.
pub fn read(bytes: &[u8]) -> Result<Verified, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::Empty);
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Refusal::TooLarge);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| Refusal::NotFeedback)?;
    let value: serde_json::Value = serde_json::from_str(text).map_err(|_| Refusal::NotFeedback)?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(Refusal::NotFeedback);
    }
    match value.get("format_version").and_then(|v| v.as_u64()) {
        Some(v) if (FORMAT_VERSION as u64..=FORMAT_VERSION_WITH_PLAN as u64).contains(&v) => {}
        Some(v) => return Err(Refusal::UnknownVersion(v)),
        None => return Err(Refusal::Malformed("format_version".into())),
    }
    let file: FeedbackFile = serde_json::from_value(value).map_err(|e| Refusal::Malformed(e.to_string()))?;
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
    let b = &file.body;
    if !super::signed_as(&signature, &trusted(&b.member, b.cycle, b.sequence, &digest)) {
        return Err(Refusal::BadSignature);
    }
    // Version 3 carries interventions (and a framework file or not), version 2 a framework
    // file, version 1 neither; a small file without a framework file stays small.
    let plan = file.format_version == FORMAT_VERSION_WITH_PLAN;
    let with = file.body.framework.is_some();
    if plan != file.body.interventions.is_some()
        || (!plan && with != (file.format_version == FORMAT_VERSION_WITH_FRAMEWORK))
    {
        return Err(bad("format_version, framework and interventions"));
    }
    if !with && bytes.len() as u64 > MAX_BYTES_WITHOUT_FRAMEWORK {
        return Err(Refusal::TooLarge);
    }
    validate(&file.body)?;
    Ok(Verified { body: file.body, digest, signer })
}

fn bad(what: impl Into<String>) -> Refusal {
    Refusal::Malformed(clean_text(&what.into()))
}

pub(super) fn is_time(s: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(s).is_ok()
}

pub(super) fn is_hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|c| c.is_ascii_hexdigit())
}

/// Every field within its rules.
pub fn validate(b: &FeedbackBody) -> Result<(), Refusal> {
    let fw = framework::get(b.framework_version)
        .filter(|fw| fw.meta.id == b.framework_id)
        .ok_or_else(|| bad(format!("framework {} v{}", b.framework_id, b.framework_version)))?;
    let member = framework::member(&b.member).ok_or_else(|| bad(format!("member {}", b.member)))?;
    if !crate::ids::CYCLES.contains(&b.cycle) {
        return Err(bad(format!("cycle {}", b.cycle)));
    }
    if b.sequence == 0 || !is_time(&b.issued_at) {
        return Err(bad("sequence or issued_at"));
    }
    if !STATES.contains(&b.review_state.as_str()) {
        return Err(bad(format!("review_state {}", b.review_state)));
    }
    if b.receipts.len() > 1000 {
        return Err(bad("receipts"));
    }
    for r in &b.receipts {
        if super::canonical_uuid(&r.assessment_uuid).as_deref() != Some(r.assessment_uuid.as_str())
            || r.revision == 0
            || r.revision > 1000
            || !is_hex64(&r.digest)
            || !is_time(&r.received_at)
            || !OUTCOMES.contains(&r.outcome.as_str())
        {
            return Err(bad("receipt"));
        }
    }
    for (field, list) in [("queries", &b.queries), ("notes", &b.notes)] {
        let mut seen = std::collections::BTreeSet::new();
        for q in list {
            if fw.indicator(&q.indicator).is_none() || !seen.insert(q.indicator.as_str()) {
                return Err(bad(format!("{field}: {}", q.indicator)));
            }
            if q.text.trim().is_empty()
                || q.text.chars().count() > REMARK_MAX
                || q.text.chars().any(|c| c.is_control() && c != '\n')
            {
                return Err(bad(format!("{field}: {} text", q.indicator)));
            }
        }
    }
    if let Some(f) = &b.framework {
        super::framework_file::read(f.as_bytes()).map_err(|e| bad(format!("framework: {e}")))?;
    }
    check_planned(fw, b.interventions.as_deref().unwrap_or_default())?;
    if let Some(bm) = &b.benchmarks {
        if bm.subregion != member.subregion {
            return Err(bad("benchmarks subregion"));
        }
        let pillars: Vec<&str> = fw.meta.pillars.iter().map(|p| p.code.as_str()).collect();
        let indicators: Vec<&str> = fw.indicators.iter().map(|i| i.code.as_str()).collect();
        for (list, known, max) in [(&bm.pillars, &pillars, 100.0), (&bm.indicators, &indicators, 4.0)] {
            if list.len() > known.len() {
                return Err(bad("benchmarks"));
            }
            for x in list.iter() {
                if !known.contains(&x.code.as_str()) {
                    return Err(bad(format!("benchmark {}", x.code)));
                }
                for s in [x.region, x.subregion].into_iter().flatten() {
                    let ok = s.n >= MIN_MEMBERS
                        && s.n <= framework::members().len() as u32
                        && [s.mean, s.q1, s.median, s.q3].iter().all(|v| (0.0..=max).contains(v))
                        && s.q1 <= s.median
                        && s.median <= s.q3;
                    if !ok {
                        return Err(bad(format!("benchmark {}", x.code)));
                    }
                }
            }
        }
    }
    Ok(())
}

/// The interventions a feedback carries: known codes, a title of one line, a year of the cycles,
/// a quarter 1-4, dates after delivery only.
fn check_planned(fw: &framework::Framework, list: &[Planned]) -> Result<(), Refusal> {
    if list.len() > PLANNED_MAX {
        return Err(bad("interventions"));
    }
    for p in list {
        let is_date =
            |d: &Option<String>| d.as_deref().is_none_or(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok());
        let ok = fw.indicator(&p.indicator).is_some()
            && !p.title.trim().is_empty()
            && p.title.chars().count() <= TITLE_MAX
            && !p.title.chars().any(char::is_control)
            && fw.meta.interventions.iter().any(|i| i.code == p.kind)
            && DELIVERY_MODES.contains(&p.mode.as_str())
            && PLANNED_STATES.contains(&p.status.as_str())
            && crate::ids::CYCLES.contains(&p.year)
            && p.quarter.is_none_or(|q| (1..=4).contains(&q))
            && is_date(&p.started)
            && is_date(&p.ended)
            && (p.status == "delivered" || (p.started.is_none() && p.ended.is_none()));
        if !ok {
            return Err(bad(format!("intervention for {}", p.indicator)));
        }
    }
    Ok(())
}

/// Whether a verified file may be imported by this installation: signed by the Secretariat's
/// key (from its card), for `own_member`, and newer than the feedback already held for the
/// same cycle (`held`: the highest sequence imported).
pub fn accept(v: &Verified, card_key: Option<&PublicKey>, own_member: &str, held: Option<u32>) -> Result<(), Refusal> {
    let card = card_key.ok_or(Refusal::NoCard)?;
    if &v.signer != card {
        return Err(Refusal::WrongSigner(v.signer.fingerprint()));
    }
    if v.body.member != own_member {
        return Err(Refusal::OtherMember(v.body.member.clone()));
    }
    if let Some(h) = held
        && v.body.sequence <= h
    {
        return Err(Refusal::Older(v.body.sequence, h));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quartiles_interpolate_and_nothing_under_three() {
        assert_eq!(stat(&[1.0, 2.0]), None);
        let s = stat(&[4.0, 1.0, 3.0, 2.0]).unwrap();
        assert_eq!((s.n, s.mean, s.q1, s.median, s.q3), (4, 2.5, 1.75, 2.5, 3.25));
        let s = stat(&[10.0, 20.0, 30.0]).unwrap();
        assert_eq!((s.q1, s.median, s.q3), (15.0, 20.0, 25.0));
    }
}
