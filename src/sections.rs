//! Several officers, one assessment (issue 26): the coordinator hands sections of a draft out,
//! colleagues answer them in their own copy of the app, and their answers are merged back.
//!
//! The files are `exchange::section`'s; what is kept is the store's. Here: which file may do
//! what to which database (it belongs to this assessment, to a section handed out, asks only
//! what was asked, is signed by the colleague's pinned key, is newer than the last merged).

use crate::assessment::{Contribution, NewAssessment, Response, Status};
use crate::exchange::section::{
    self as file, AnswerBody, Assessed, Read, Refusal, SectionAnswer, SectionBody, Verified,
};
use crate::exchange::sign::SigningKey;
use crate::framework;
use crate::ids::AssessmentId;
use crate::store::{MergeOutcome, SectionOut, Store, StoreError, ToMerge};

/// Why a section could not be handed out, opened, answered or merged.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Refused(Refusal),
    #[error("{0}")]
    Store(StoreError),
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Error {
        Error::Store(e)
    }
}

impl From<Refusal> for Error {
    fn from(e: Refusal) -> Error {
        Error::Refused(e)
    }
}

impl Error {
    pub fn message(&self, t: crate::lang::Lang) -> String {
        match self {
            Error::Refused(r) => r.message(t),
            Error::Store(e) => e.message(t),
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// What the coordinator asks of one colleague.
#[derive(Debug, Clone, PartialEq)]
pub struct HandOut {
    pub assessment: AssessmentId,
    pub indicators: Vec<String>,
    pub colleague: String,
    pub unit: String,
    /// `YYYY-MM-DD`.
    pub due: Option<String>,
    pub message: String,
}

/// A file written: its bytes and its usual name.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub bytes: Vec<u8>,
    pub file_name: String,
}

fn refused(key: &'static str, args: Vec<(&'static str, String)>) -> Error {
    Error::Store(StoreError::Refused(key, args))
}

/// Now, RFC 3339 UTC to the millisecond (two answer files a second apart still order).
fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// `a` is later than `b` (both RFC 3339); an unreadable time is never later.
fn later(a: &str, b: &str) -> bool {
    match (chrono::DateTime::parse_from_rfc3339(a), chrono::DateTime::parse_from_rfc3339(b)) {
        (Ok(a), Ok(b)) => a > b,
        _ => false,
    }
}

/// The indicators asked, in framework order, each known and once.
fn asked(codes: &[String]) -> Result<Vec<String>> {
    let fw = framework::current();
    for c in codes {
        if fw.indicator(c.trim()).is_none() {
            return Err(refused(
                "store.section_unknown_indicator",
                vec![("indicator", crate::exchange::clean_text(c))],
            ));
        }
    }
    let out: Vec<String> =
        fw.indicators.iter().map(|i| i.code.clone()).filter(|c| codes.iter().any(|x| x.trim() == c)).collect();
    if out.is_empty() {
        return Err(refused("store.section_no_indicator", Vec::new()));
    }
    Ok(out)
}

/// Writes the section file of `h`, signed with the coordinator's key, and records it as handed
/// out (with its answers as they stand, to see later changes).
pub fn hand_out(store: &mut Store, key: &SigningKey, h: &HandOut) -> Result<Written> {
    let a = store.load(h.assessment)?;
    if a.header.status != Status::Draft || a.header.imported {
        return Err(Error::Refused(Refusal::NotDraft));
    }
    if store.section_in(h.assessment)?.is_some() {
        return Err(refused("store.section_no_sign_off", Vec::new()));
    }
    let indicators = asked(&h.indicators)?;
    let body = SectionBody {
        section_id: uuid::Uuid::new_v4().to_string(),
        assessment: Assessed {
            member: a.header.member.clone(),
            cycle: a.header.cycle,
            assessment_uuid: a.header.uuid.clone(),
            revision: a.header.revision,
            framework_version: a.header.framework_version,
            content_revision: framework::current().meta.revision,
        },
        coordinator: a.header.assessor_name.trim().to_string(),
        colleague: h.colleague.trim().to_string(),
        unit: h.unit.trim().to_string(),
        due: h.due.clone().filter(|d| !d.trim().is_empty()),
        message: h.message.trim().to_string(),
        written_at: now(),
        answers: indicators.iter().filter_map(|i| a.response(i)).map(SectionAnswer::from).collect(),
        indicators,
    };
    let bytes = file::write_section(&body, key);
    // What a colleague will refuse is refused here, with the same reason (a name on two lines, a
    // date that is none, a message too long…).
    let Read::Section(v) = file::read(&bytes)? else { return Err(Error::Refused(Refusal::NotSection)) };
    store.record_section_out(&SectionOut {
        id: body.section_id.clone(),
        assessment: h.assessment,
        colleague: body.colleague.clone(),
        unit: body.unit.clone(),
        indicators: body.indicators.clone(),
        due: body.due.clone(),
        message: body.message.clone(),
        written_at: body.written_at.clone(),
        digest: v.digest,
        answered_at: None,
    })?;
    Ok(Written { file_name: file::section_file_name(&body), bytes })
}

/// What importing a section or answer file did.
#[derive(Debug, Clone, PartialEq)]
pub enum Imported {
    /// A colleague's side: the section opened as a local draft.
    Opened { assessment: AssessmentId, section: Box<SectionBody>, coordinator_fingerprint: String },
    /// The coordinator's side: a colleague's answers merged.
    Merged { assessment: AssessmentId, colleague: String, unit: String, fingerprint: String, outcome: MergeOutcome },
}

/// Imports a file of either kind: a section opens a draft, an answer is merged.
pub fn import_bytes(store: &mut Store, bytes: &[u8], language: &str) -> Result<Imported> {
    match file::read(bytes)? {
        Read::Section(v) => open_section(store, v, bytes, language),
        Read::Answer(v) => merge_answer(store, &v),
    }
}

/// [`import_bytes`] of a file on disk (a link, a pipe, a folder or a file too large refused
/// unread).
pub fn import_path(store: &mut Store, path: &std::path::Path, language: &str) -> Result<Imported> {
    match file::read_path(path)? {
        Read::Section(v) => {
            let bytes = crate::exchange::read_file_limited(path).map_err(Refusal::File)?;
            open_section(store, v, &bytes, language)
        }
        Read::Answer(v) => merge_answer(store, &v),
    }
}

fn open_section(store: &mut Store, v: Verified<SectionBody>, bytes: &[u8], language: &str) -> Result<Imported> {
    let b = &v.body;
    if store.section_out(&b.section_id)?.is_some() {
        return Err(Error::Refused(Refusal::OwnSection));
    }
    let new = NewAssessment {
        member: b.assessment.member.clone(),
        cycle: b.assessment.cycle,
        assessor_name: b.colleague.clone(),
        assessor_role: b.unit.clone(),
        language: language.to_string(),
    };
    let answers: Vec<Response> = b.answers.iter().map(Response::from).collect();
    let s = crate::store::SectionIn {
        assessment: AssessmentId(0),
        section_id: b.section_id.clone(),
        indicators: b.indicators.clone(),
        digest: v.digest.clone(),
        coordinator_key: v.signer.to_base64(),
        bytes: bytes.to_vec(),
    };
    let id = store.open_section_draft(&new, &answers, &s).map_err(|e| match e {
        StoreError::Refused("store.section_open_already", _) => Error::Refused(Refusal::AlreadyOpen),
        e => Error::Store(e),
    })?;
    Ok(Imported::Opened { assessment: id, coordinator_fingerprint: v.signer.fingerprint(), section: Box::new(v.body) })
}

/// The section a colleague's draft answers, as its file said it (verified again).
pub fn section_of(store: &Store, id: AssessmentId) -> Result<Option<SectionBody>> {
    let Some(si) = store.section_in(id)? else { return Ok(None) };
    match file::read(&si.bytes)? {
        Read::Section(v) => Ok(Some(v.body)),
        Read::Answer(_) => Err(Error::Refused(Refusal::NotSection)),
    }
}

/// The colleague's answer file for the section their draft `id` answers, signed with their key.
pub fn write_answer(store: &Store, key: &SigningKey, id: AssessmentId) -> Result<Written> {
    let si = store.section_in(id)?.ok_or(Error::Store(StoreError::NotFound))?;
    let s = section_of(store, id)?.ok_or(Error::Store(StoreError::NotFound))?;
    let a = store.load(id)?;
    let body = AnswerBody {
        section_id: s.section_id.clone(),
        section_digest: si.digest,
        assessment: s.assessment.clone(),
        colleague: s.colleague.clone(),
        unit: s.unit.clone(),
        written_at: now(),
        answers: s.indicators.iter().filter_map(|i| a.response(i)).map(SectionAnswer::from).collect(),
    };
    Ok(Written { bytes: file::write_answer(&body, key), file_name: file::answer_file_name(&body) })
}

/// Merges a verified answer file into the coordinator's draft, or says why not (nothing changed).
pub fn merge_answer(store: &mut Store, v: &Verified<AnswerBody>) -> Result<Imported> {
    let b = &v.body;
    let who = |a: &Assessed| format!("{} {} r{}", a.member, a.cycle, a.revision);
    let held = store.list()?.into_iter().any(|s| s.header.uuid == b.assessment.assessment_uuid);
    let Some(so) = store.section_out(&b.section_id)? else {
        return Err(Error::Refused(if held {
            Refusal::UnknownSection(b.section_id.clone())
        } else {
            Refusal::OtherAssessment(who(&b.assessment))
        }));
    };
    let h = store.header(so.assessment)?;
    if h.uuid != b.assessment.assessment_uuid || h.revision != b.assessment.revision || h.member != b.assessment.member
    {
        return Err(Error::Refused(Refusal::OtherAssessment(who(&b.assessment))));
    }
    if h.status != Status::Draft {
        return Err(Error::Refused(Refusal::NotDraft));
    }
    if b.section_digest != so.digest || b.colleague != so.colleague {
        return Err(Error::Refused(Refusal::UnknownSection(b.section_id.clone())));
    }
    if let Some(x) = b.answers.iter().find(|a| !so.indicators.contains(&a.indicator)) {
        return Err(Error::Refused(Refusal::NotAsked(x.indicator.clone())));
    }
    let public_key = v.signer.to_base64();
    let fingerprint = v.signer.fingerprint();
    if let Some(k) = store.colleague_key(&so.colleague)?
        && k.public_key != public_key
    {
        return Err(Error::Refused(Refusal::OtherKey(fingerprint)));
    }
    if let Some(last) = &so.answered_at
        && !later(&b.written_at, last)
    {
        return Err(Error::Refused(Refusal::Replayed(last.clone())));
    }
    let outcome = store.merge_section(&ToMerge {
        section_id: b.section_id.clone(),
        colleague: so.colleague.clone(),
        unit: so.unit.clone(),
        public_key,
        fingerprint: fingerprint.clone(),
        written_at: b.written_at.clone(),
        answers: b.answers.iter().map(Response::from).collect(),
    })?;
    Ok(Imported::Merged { assessment: so.assessment, colleague: so.colleague, unit: so.unit, fingerprint, outcome })
}

/// Where a section handed out stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Out,
    Answered,
    /// Past its due date, not answered.
    Late,
}

impl State {
    pub fn code(self) -> &'static str {
        match self {
            State::Out => "out",
            State::Answered => "answered",
            State::Late => "late",
        }
    }
}

/// Each section handed out from an assessment and where it stands on `today` (`YYYY-MM-DD`).
pub fn progress(store: &Store, id: AssessmentId, today: &str) -> Result<Vec<(SectionOut, State)>> {
    Ok(store
        .sections_out(id)?
        .into_iter()
        .map(|s| {
            let state = if s.answered_at.is_some() {
                State::Answered
            } else if s.due.as_deref().is_some_and(|d| d < today) {
                State::Late
            } else {
                State::Out
            };
            (s, state)
        })
        .collect())
}

/// One person's answers in a pillar: name, unit, indicators.
pub type Answered = (String, String, Vec<String>);

/// The contributors per pillar (framework order), each with the indicators they answered.
pub fn by_pillar(contributors: &[Contribution]) -> Vec<(String, Vec<Answered>)> {
    let fw = framework::current();
    let mut out: Vec<(String, Vec<Answered>)> = Vec::new();
    for p in &fw.meta.pillars {
        let mut people: Vec<Answered> = Vec::new();
        for c in contributors.iter().filter(|c| fw.indicator(&c.indicator).is_some_and(|i| i.pillar == p.code)) {
            match people.iter_mut().find(|(n, u, _)| *n == c.name && *u == c.unit) {
                Some((_, _, list)) => list.push(c.indicator.clone()),
                None => people.push((c.name.clone(), c.unit.clone(), vec![c.indicator.clone()])),
            }
        }
        if !people.is_empty() {
            out.push((p.code.clone(), people));
        }
    }
    out
}

/// "Fiji's 2026 assessment: 12 indicators asked of you by <name>, due <date>": what a colleague
/// sees of a section received. Names from the file are cleaned.
pub fn banner(s: &SectionBody, t: crate::lang::Lang) -> String {
    let member =
        framework::member(&s.assessment.member).map_or(s.assessment.member.clone(), |m| m.name.get(t).to_string());
    let clean = crate::exchange::clean_text;
    let args: [(&str, &dyn std::fmt::Display); 5] = [
        ("member", &member),
        ("cycle", &s.assessment.cycle),
        ("n", &s.indicators.len()),
        ("name", &clean(&s.coordinator)),
        ("due", &s.due.clone().unwrap_or_default()),
    ];
    t.f(if s.due.is_some() { "section.banner_due" } else { "section.banner" }, &args)
}

/// What the open assessment's sections say, for the window (loaded with the assessment).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Team {
    /// A colleague's draft: the section it answers (only its indicators are shown).
    pub section: Option<SectionBody>,
    /// Who is answering on this laptop now: name, unit.
    pub contributor: Option<(String, String)>,
    /// Colleagues' answers waiting for a person's choice.
    pub conflicts: Vec<crate::store::Conflict>,
    /// The sections handed out, and where each stands.
    pub out: Vec<(SectionOut, State)>,
}

impl Team {
    /// Everything for assessment `id`, on `today` (`YYYY-MM-DD`).
    pub fn load(store: &Store, id: AssessmentId, today: &str) -> Result<Team> {
        Ok(Team {
            section: section_of(store, id)?,
            contributor: store.contributor(id)?,
            conflicts: store.section_conflicts(id)?,
            out: progress(store, id, today)?,
        })
    }

    /// Whether indicator `code` is shown for answering: every one, or in a colleague's draft
    /// only those asked.
    pub fn asks(&self, code: &str) -> bool {
        self.section.as_ref().is_none_or(|s| s.indicators.iter().any(|i| i == code))
    }
}
