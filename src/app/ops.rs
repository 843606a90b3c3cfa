//! The operations both front ends run: the window's rooms and the command line (`cli.rs`) call
//! these same functions, so `cdf-assess COMMAND` and the window cannot disagree on what a return,
//! an import, a feedback file or a card is. Each takes the store and plain values, and returns
//! values; words are put on them by the caller, in its language.

use super::model::Cause;
use crate::exchange::card::{Card, CardError};
use crate::exchange::sign::{SignError, SigningKey};
use crate::ids::{AssessmentId, MemberCode};
use crate::secretariat::consolidate::Consolidation;
use crate::secretariat::import::{self, FileResult};
use crate::store::{Store, StoreError};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// The folder of the database, where the installation's signing key is kept.
pub fn key_dir(db: &Path) -> PathBuf {
    db.parent().filter(|p| !p.as_os_str().is_empty()).map(PathBuf::from).unwrap_or_else(|| PathBuf::from("."))
}

/// This installation's signing key, beside the database (made on first use); a throwaway key for
/// a database in memory.
pub fn signing_key(db: &Path) -> Result<SigningKey, SignError> {
    if db.as_os_str() == ":memory:" {
        return SigningKey::generate();
    }
    crate::exchange::sign::ensure_key(&key_dir(db))
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
    pub done: usize,
    pub rejected: usize,
}

/// Imports return files: read and checked on a second thread while the ones before are written,
/// committed in batches (each file under its own savepoint), every outcome handed to `each`
/// with the file's path.
/// `cancel` stops after the file in hand. The batch is always finished, even if importing a file
/// panics (the panic then goes on). A store error that stops the import is returned after what
/// came before is committed.
pub fn import_files(
    store: &mut Store,
    files: Vec<PathBuf>,
    identities: &[age::x25519::Identity],
    cancel: &AtomicBool,
    mut each: impl FnMut(&Path, FileResult),
) -> Result<ImportTotals, StoreError> {
    let mut totals = ImportTotals::default();
    let mut batch = import::Batch::new();
    let mut stopped = None;
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let ahead = match import::Prefetch::start(store, files, identities.to_vec()) {
            Ok(ahead) => ahead,
            Err(e) => {
                stopped = Some(e);
                return;
            }
        };
        for (f, p) in ahead {
            if cancel.load(Ordering::Relaxed) {
                break;
            }
            let r = batch.import_prepared(store, p, identities).unwrap_or_else(|e| {
                let words = [e.message(crate::lang::Lang::En), e.message(crate::lang::Lang::Fr)];
                FileResult::rejected(&f.display().to_string(), import::Reason::Failed(words))
            });
            totals.done += 1;
            if r.outcome == import::Outcome::Rejected {
                totals.rejected += 1;
            }
            each(&f, r);
        }
    }));
    let finished = batch.finish(store);
    if let Err(panic) = run {
        std::panic::resume_unwind(panic);
    }
    match (stopped, finished) {
        (Some(e), _) | (None, Err(e)) => Err(e),
        (None, Ok(())) => Ok(totals),
    }
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

/// The Secretariat's public card: its signing key, its encryption key (once it has one) and
/// its e-mail address.
pub fn card(db: &Path, email: &str) -> Result<Card, SignError> {
    let key = signing_key(db)?;
    let age_recipient = (db.as_os_str() != ":memory:")
        .then(|| db.with_file_name("secretariat-identity.txt"))
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|t| crate::exchange::keys::public_of(&t).ok())
        .unwrap_or_default();
    Ok(Card { signing_key: key.public().clone(), age_recipient, email: email.trim().to_string() })
}

/// Takes the Secretariat's card into settings: its signing key (feedback is checked with it),
/// its encryption key and e-mail address when the card has them. First-run setup uses it on its
/// draft; [`import_card`] on the settings stored.
pub fn card_into(s: &mut super::Settings, text: &str) -> Result<(), CardError> {
    let card = Card::parse(text)?;
    s.secretariat_signer = card.signing_key.to_base64();
    if !card.age_recipient.is_empty() {
        s.secretariat_key = card.age_recipient;
    }
    if !card.email.is_empty() {
        s.secretariat_email = card.email;
    }
    Ok(())
}

/// Imports the Secretariat's card into the settings stored (see [`card_into`]).
pub fn import_card(store: &Store, text: &str) -> Result<Result<Card, CardError>, StoreError> {
    let card = match Card::parse(text) {
        Ok(c) => c,
        Err(e) => return Ok(Err(e)),
    };
    let mut s = super::rooms::settings::load(store);
    let before = s.pairs();
    card_into(&mut s, text).expect("parsed above");
    for ((k, v), (_, was)) in s.pairs().iter().zip(before.iter()) {
        if v != was {
            store.set_setting(k, v)?;
        }
    }
    Ok(Ok(card))
}

/// The latest cycle held, for commands that default to it.
pub fn latest_cycle(store: &Store) -> Result<Option<i32>, StoreError> {
    Ok(store.imported_cycles()?.first().copied())
}

/// The message key of a card that does not read.
pub fn card_error_key(e: &CardError) -> &'static str {
    match e {
        CardError::NotACard => "card.error.not_a_card",
        CardError::BadSigningKey => "card.error.bad_signing_key",
        CardError::BadRecipient => "card.error.bad_recipient",
        CardError::BadEmail => "card.error.bad_email",
    }
}
