//! The operations both front ends run: the window's rooms and the command line (`cli.rs`) call
//! these same functions, so `cdf-assess COMMAND` and the window cannot disagree on what a return,
//! an import, a feedback file or a card is. Each takes the store and plain values, and returns
//! values; words are put on them by the caller, in its language.

use super::model::Cause;
use crate::exchange::card::{Card, CardRefusal};
use crate::exchange::sign::{SignError, SigningKey};
use crate::ids::{AssessmentId, MemberCode};
use crate::secretariat::consolidate::Consolidation;
use crate::secretariat::import::{self, FileResult};
use crate::store::{Store, StoreError};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// This database's signing key (one per database, `Store::signing_key_text`: its own key file
/// beside it, made on first use; a copy opened elsewhere signs with the key it holds).
pub fn signing_key(store: &Store) -> Result<SigningKey, KeyError> {
    use crate::exchange::sign;
    let text = store.signing_key_text(sign::new_key_text, sign::describe_key_text).map_err(KeyError::Store)?;
    SigningKey::parse(&text).map_err(KeyError::Sign)
}

/// Why the signing key could not be had.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{0}")]
    Store(StoreError),
    #[error("{0}")]
    Sign(SignError),
}

impl KeyError {
    /// Why, as a value the window words.
    pub fn into_cause(self) -> Cause {
        match self {
            KeyError::Store(e) => Cause::Store(std::sync::Arc::new(e)),
            KeyError::Sign(e) => Cause::of_sign(&e),
        }
    }
}

/// The return file of a finalised revision, signed, encrypted to `recipient` (`age1…`) if given.
pub fn export_return(
    store: &Store,
    id: AssessmentId,
    recipient: Option<&str>,
    key: &SigningKey,
) -> Result<crate::exchange::export::Exported, Cause> {
    let chain = store.revision_chain(id).map_err(|e| Cause::Store(std::sync::Arc::new(e)))?;
    crate::exchange::export::export(&chain, recipient, key).map_err(|e| Cause::of_export(&e))
}

/// What an import did, file by file (each outcome handed to the caller as it comes).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ImportTotals {
    /// Files with an outcome (kept, held, rejected or failed).
    pub done: usize,
    pub rejected: usize,
    /// Files that could not be kept (a store error such as a full disk).
    pub failed: usize,
}

/// Imports return files: read and checked on a second thread while the ones before are written,
/// committed in batches (each file under its own savepoint). Each outcome is handed to `each`
/// with the file's path **once its batch is committed** (a file said accepted is in the
/// database); a file that could not be kept comes as its store error. `each` answers whether to
/// go on; `cancel` stops after the file in hand. The batch is always finished, even if importing
/// a file panics (the panic then goes on).
pub fn import_files(
    store: &mut Store,
    files: Vec<PathBuf>,
    identities: &[age::x25519::Identity],
    cancel: &AtomicBool,
    mut each: impl FnMut(&Path, Result<FileResult, StoreError>) -> bool,
) -> Result<ImportTotals, StoreError> {
    let mut totals = ImportTotals::default();
    import::import_many_until(
        store,
        files,
        identities,
        || cancel.load(Ordering::Relaxed),
        |path, result| {
            totals.done += 1;
            match &result {
                Ok(r) if r.outcome == import::Outcome::Rejected => totals.rejected += 1,
                Ok(_) => {}
                Err(_) => totals.failed += 1,
            }
            each(path, result)
        },
    )?;
    Ok(totals)
}

/// Feedback files written for members of a cycle, signed with `key` and recorded: one file at
/// `out`, or (several members) each under its usual name in the folder `out`.
pub fn write_feedback(
    store: &mut Store,
    c: &Consolidation,
    members: &[MemberCode],
    key: &SigningKey,
    out: &Path,
    into_folder: bool,
) -> Result<Vec<(crate::secretariat::review::Written, PathBuf)>, FeedbackWriteError> {
    let mut files = Vec::new();
    for m in members {
        let w =
            crate::secretariat::review::write_feedback(store, c, m.as_str(), key).map_err(FeedbackWriteError::Store)?;
        let path = if into_folder { out.join(&w.file_name) } else { out.to_path_buf() };
        super::files::write_atomically(&path, &w.bytes).map_err(|e| FeedbackWriteError::Io(path.clone(), e))?;
        files.push((w, path));
    }
    Ok(files)
}

/// Why feedback files were not all written.
#[derive(Debug)]
pub enum FeedbackWriteError {
    Store(StoreError),
    Io(PathBuf, std::io::Error),
}

/// The members to answer in a cycle: one named, or every member who returned.
pub fn feedback_members(store: &Store, cycle: i32, member: Option<&MemberCode>) -> Result<Vec<MemberCode>, StoreError> {
    match member {
        Some(m) => Ok(vec![m.clone()]),
        None => Ok(crate::secretariat::review::members_to_answer(store, cycle)?.into_iter().map(MemberCode).collect()),
    }
}

/// The Secretariat's public card: its signing key, its encryption key (from the identity file,
/// `identity` or the one beside the database) and its e-mail address. With no identity file the
/// card has no encryption key, and the path looked at is returned to be said; an identity file
/// that is there but does not read is an error.
pub fn card(store: &Store, email: &str, identity: Option<&Path>) -> Result<(Card, Option<PathBuf>), CardBuildError> {
    let key = signing_key(store).map_err(CardBuildError::Key)?;
    let db = store.path();
    let identity = match identity {
        Some(p) => Some(p.to_path_buf()),
        None => (db.as_os_str() != ":memory:").then(|| db.with_file_name("secretariat-identity.txt")),
    };
    let (age_recipient, missing) = match identity {
        None => (String::new(), None),
        Some(p) => match std::fs::read_to_string(&p) {
            Ok(text) => (crate::exchange::keys::public_of(&text).map_err(CardBuildError::Identity)?, None),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (String::new(), Some(p)),
            Err(e) => return Err(CardBuildError::Io(p, e)),
        },
    };
    Ok((Card { signing_key: key.public().clone(), age_recipient, email: email.trim().to_string() }, missing))
}

/// Why the card could not be made.
#[derive(Debug, thiserror::Error)]
pub enum CardBuildError {
    #[error("{0}")]
    Key(KeyError),
    #[error("{0}")]
    Identity(crate::exchange::keys::KeyError),
    #[error("{path}: {1}", path = .0.display())]
    Io(PathBuf, std::io::Error),
}

impl CardBuildError {
    /// Why, as a value the window words.
    pub fn into_cause(self) -> Cause {
        match self {
            CardBuildError::Key(e) => e.into_cause(),
            CardBuildError::Identity(e) => Cause::of_key(&e),
            CardBuildError::Io(p, e) => Cause::OsAt(crate::exchange::clean_path(&p), crate::i18n::IoCause::of(&e)),
        }
    }
}

/// Takes the Secretariat's card into settings being set up (first-run setup's draft): its signing
/// key, its encryption key and e-mail address, read strictly as an import reads it
/// (`feedback::import_card` for the settings stored).
pub fn card_into(s: &mut super::Settings, text: &str) -> Result<(), CardRefusal> {
    let card = Card::parse_strictly(text)?;
    s.secretariat_signer = card.signing_key.to_base64();
    s.secretariat_key = card.age_recipient;
    s.secretariat_email = card.email;
    Ok(())
}

/// The latest cycle held, for commands that default to it.
pub fn latest_cycle(store: &Store) -> Result<Option<i32>, StoreError> {
    Ok(store.imported_cycles()?.first().copied())
}

/// What checking one file without importing it found (`verify`).
#[derive(Debug)]
pub enum Checked {
    /// A feedback file from the Secretariat, signature valid.
    Feedback(Box<crate::exchange::feedback::Verified>),
    /// A return, signature valid (and, with a database, its signer the member's pinned key).
    Return(Box<crate::exchange::Verified>),
    /// A framework file, signature and content valid.
    Framework(Box<crate::exchange::framework_file::Verified>),
    /// A section or section answer file (issue 26), signature and fields valid.
    Section(Box<crate::exchange::section::Read>),
    /// A valid return whose signer is not the key pinned for its member (or is another's).
    Conflict(super::Msg),
    /// Not readable, not valid, or not signed as it says.
    Rejected(super::Msg),
}

/// Checks one return or feedback file (told apart by its name) without importing it; with a
/// `store`, a return's signer is also checked against the key pinned for its member, as import
/// would check it.
pub fn verify_file(
    store: Option<&Store>,
    identities: &[age::x25519::Identity],
    path: &Path,
) -> Result<Checked, StoreError> {
    use super::Msg;
    if crate::fwfiles::is_framework_file(path) {
        return Ok(match crate::exchange::read_file_limited(path) {
            Err(r) => Checked::Rejected(Msg::said(r)),
            Ok(b) => match crate::exchange::framework_file::read(&b) {
                Ok(v) => Checked::Framework(Box::new(v)),
                Err(r) => Checked::Rejected(Msg::said(r)),
            },
        });
    }
    if crate::exchange::section::is_section_path(path) {
        return Ok(match crate::exchange::section::read_path(path) {
            Ok(v) => Checked::Section(Box::new(v)),
            Err(r) => Checked::Rejected(Msg::said(r)),
        });
    }
    if is_feedback_file(path) {
        return Ok(match crate::exchange::read_file_limited(path) {
            Err(r) => Checked::Rejected(Msg::said(r)),
            Ok(b) => match crate::exchange::feedback::read(&b) {
                Ok(v) => Checked::Feedback(Box::new(v)),
                Err(r) => Checked::Rejected(Msg::said(r)),
            },
        });
    }
    let v = match crate::exchange::read_file_limited(path).and_then(|b| crate::exchange::read(&b, identities)) {
        Ok(v) => v,
        Err(r) => return Ok(Checked::Rejected(Msg::said(r))),
    };
    if let Some(s) = store
        && let Some(reason) = import::key_conflict(s, &v.body.member, &v.signer)?
    {
        return Ok(Checked::Conflict(Msg::said(reason)));
    }
    Ok(Checked::Return(Box::new(v)))
}

/// A feedback file: by its name (`.ocofeedback`, any case), or a renamed one by its first bytes.
pub fn is_feedback_file(p: &Path) -> bool {
    if p.extension().is_some_and(|x| x.eq_ignore_ascii_case(crate::exchange::feedback::EXTENSION)) {
        return true;
    }
    crate::exchange::read_head(p)
        .starts_with(format!("{{\"format\":\"{}\"", crate::exchange::feedback::FORMAT).as_bytes())
}

/// The regional report of `cycle` (default: the latest cycle held) as the files to write for
/// `out`: scores of revisions imported by an older version are stored first; only the PDF reads
/// the trend over every cycle held.
pub fn report_files(
    store: &mut Store,
    cycle: Option<i32>,
    format: crate::report::regional_files::Format,
    out: &Path,
    t: crate::lang::Lang,
) -> anyhow::Result<Vec<(PathBuf, Vec<u8>)>> {
    use crate::secretariat::consolidate;
    consolidate::fill_scores(store, |_| {})?;
    let cycle = match cycle {
        Some(c) => c,
        None => latest_cycle(store)?.ok_or_else(|| anyhow::anyhow!("no return imported yet"))?,
    };
    let c = match format {
        crate::report::regional_files::Format::Pdf => consolidate::consolidate(store, cycle)?,
        _ => consolidate::consolidate_without_trend(store, cycle)?,
    };
    let c = crate::secretariat::effect::with_effects(store, &c)?;
    crate::report::regional_files::files(&c, t, format, out).map_err(anyhow::Error::msg)
}

/// An administration imports a feedback file from the Secretariat, checked against the card it
/// holds, for the member it is set up as (`None`: no member set up yet).
pub fn import_feedback(
    store: &mut Store,
    file: &Path,
) -> Result<Option<FeedbackImported>, crate::feedback::ImportError> {
    let Some(member) = store.setting("member")?.filter(|m| !m.is_empty()) else { return Ok(None) };
    let card = store.setting("secretariat_signer")?.and_then(|k| crate::exchange::sign::PublicKey::parse(&k).ok());
    crate::feedback::import_path_both(store, file, card.as_ref(), &member).map(Some)
}

/// A feedback file imported, and the framework file it carried if that was newer (issue 22).
pub type FeedbackImported = (crate::exchange::feedback::FeedbackBody, Option<crate::fwfiles::Imported>);

/// The region's needs and proposed interventions of `cycle` (default: the latest held) as the
/// CSV files to write beside `out` (`plan`).
pub fn plan_files(
    store: &mut Store,
    cycle: Option<i32>,
    out: &Path,
    t: crate::lang::Lang,
) -> anyhow::Result<Vec<(PathBuf, Vec<u8>)>> {
    crate::secretariat::consolidate::fill_scores(store, |_| {})?;
    let cycle = match cycle {
        Some(c) => c,
        None => latest_cycle(store)?.ok_or_else(|| anyhow::anyhow!("no return imported yet"))?,
    };
    let (needs, proposals) = crate::secretariat::programme::plan(store, cycle, t)?;
    Ok(crate::report::programme::plan_csv(out, cycle, &needs, &proposals, t)?)
}

/// The Annual Work Programme of `year` as a workbook, or a PDF (`work-programme`).
pub fn work_programme_file(store: &mut Store, year: i32, pdf: bool, t: crate::lang::Lang) -> anyhow::Result<Vec<u8>> {
    crate::secretariat::consolidate::fill_scores(store, |_| {})?;
    let wp = crate::secretariat::programme::work_programme_from(store, year)?;
    let bytes = if pdf { crate::report::programme::pdf(&wp, t) } else { crate::report::programme::workbook(&wp, t) };
    bytes.map_err(anyhow::Error::msg)
}

/// The editable workbook of the framework's content in use (`framework export`, the Secretariat).
pub fn export_framework_book(store: &Store) -> Result<(Vec<u8>, u32), crate::fwfiles::ExportError> {
    let revision = crate::fwfiles::current(store).map_err(crate::fwfiles::ExportError::Store)?.revision();
    Ok((crate::fwfiles::export_book(store)?, revision))
}

/// Reads a content workbook from disk (size-limited) and builds its signed framework file with
/// this installation's key; with `sign` false, only checks it (nothing signed).
pub fn build_framework(
    store: &Store,
    workbook: &Path,
    sign: bool,
) -> Result<FrameworkBuild, crate::fwfiles::BuildError> {
    use crate::fwfiles::{BuildError, book};
    let unreadable = |d: String| {
        BuildError::Problems(vec![book::Problem {
            place: book::Place { sheet: "-".into(), row: None, col: None },
            what: book::What::Unreadable(d),
        }])
    };
    let len = std::fs::metadata(workbook).map_err(|e| unreadable(crate::i18n::IoCause::of(&e).code()))?.len();
    if len > book::BOOK_MAX_BYTES {
        return Err(unreadable(format!("{len} bytes")));
    }
    let bytes = std::fs::read(workbook).map_err(|e| unreadable(crate::i18n::IoCause::of(&e).code()))?;
    if !sign {
        let (b, cur, changes) = crate::fwfiles::check(store, &bytes)?;
        return Ok(FrameworkBuild::Checked { revision: b.framework.meta.revision, replaces: cur.revision(), changes });
    }
    let key = signing_key(store).map_err(|e| {
        BuildError::Problems(vec![book::Problem {
            place: book::Place { sheet: "-".into(), row: None, col: None },
            what: book::What::Unreadable(e.to_string()),
        }])
    })?;
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let built = crate::fwfiles::build(store, &bytes, &key, now)?;
    Ok(FrameworkBuild::Signed(Box::new(built), key.public().fingerprint()))
}

/// What `build_framework` did.
#[derive(Debug)]
pub enum FrameworkBuild {
    /// Only checked: the revision, the one it would replace, and what changed.
    Checked { revision: u32, replaces: u32, changes: Vec<crate::fwfiles::diff::Change> },
    /// Built and signed (the signing key's fingerprint).
    Signed(Box<crate::fwfiles::Built>, String),
}

/// Imports a framework file: trusted if signed by the Secretariat's card's key (or, at the
/// Secretariat, its own key), and newer than the revision in use.
pub fn import_framework(
    store: &mut Store,
    path: &Path,
) -> Result<crate::fwfiles::Imported, crate::fwfiles::ImportError> {
    let own = if store.setting("role")?.as_deref() == Some("secretariat") {
        signing_key(store).ok().map(|k| k.public().clone())
    } else {
        None
    };
    let trusted = crate::fwfiles::trusted_key(store, own.as_ref())?;
    crate::fwfiles::import_path(store, path, trusted.as_ref())
}

/// The signing key, or why not, as a sections error.
fn section_key(store: &Store) -> Result<SigningKey, crate::sections::Error> {
    signing_key(store).map_err(|e| match e {
        KeyError::Store(e) => crate::sections::Error::Store(e),
        KeyError::Sign(e) => crate::sections::Error::Store(StoreError::Invalid(e.to_string())),
    })
}

/// Issue 26: a section of a draft handed to a colleague: its file, signed with this database's
/// key, and recorded as handed out.
pub fn hand_out_section(
    store: &mut Store,
    h: &crate::sections::HandOut,
) -> Result<crate::sections::Written, crate::sections::Error> {
    let key = section_key(store)?;
    crate::sections::hand_out(store, &key, h)
}

/// A section file opened (a colleague's side) or an answer file merged (the coordinator's),
/// decided by the file's kind.
pub fn import_section(store: &mut Store, path: &Path) -> Result<crate::sections::Imported, crate::sections::Error> {
    let lang = store.setting("lang").ok().flatten().unwrap_or_else(|| "en".into());
    crate::sections::import_path(store, path, &lang)
}

/// The colleague's answer file for the section their draft answers, signed with their key.
pub fn write_section_answer(
    store: &Store,
    id: AssessmentId,
) -> Result<crate::sections::Written, crate::sections::Error> {
    let key = section_key(store)?;
    crate::sections::write_answer(store, &key, id)
}
