//! Framework files (issue 22): the Secretariat edits the framework's content in a workbook
//! ([`book`]), builds a signed `.ocoframework` file from it ([`build`], what changed said by
//! [`diff`]), and members import it ([`import`]); the file's format is
//! `exchange::framework_file` (docs/framework-format.md).
//!
//! The newest revision imported is kept in the store (`framework_file`) and read back, verified
//! again, by [`held`]; the content built into the program (revision 2) is the fallback.
//! Layer: uses `framework`, `exchange` and `store`; nothing above them.

pub mod book;
pub mod diff;

use crate::exchange::framework_file::{self as ff, Refusal, Verified};
use crate::exchange::sign::{PublicKey, SigningKey};
use crate::framework::{self, Framework, Text};
use crate::store::{Store, StoreError};

/// The content revision in use: the newest framework file held (verified again), or the built-in
/// content.
#[derive(Debug, Clone)]
pub enum Current {
    BuiltIn(&'static Framework),
    Imported(Box<Verified>),
}

impl Current {
    pub fn revision(&self) -> u32 {
        self.framework().meta.revision
    }

    pub fn framework(&self) -> &Framework {
        match self {
            Current::BuiltIn(f) => f,
            Current::Imported(v) => &v.framework,
        }
    }
}

/// The newest framework file held that still verifies (a stored file that no longer reads, or
/// of a framework version this program does not know, is passed over).
pub fn held(store: &Store) -> Result<Option<Verified>, StoreError> {
    for row in store.framework_files()? {
        if let Some(bytes) = store.framework_file_bytes(row.revision)?
            && let Ok(v) = ff::read(&bytes)
        {
            return Ok(Some(v));
        }
    }
    Ok(None)
}

/// The revision new assessments use: the newest held, else the built-in content.
pub fn current(store: &Store) -> Result<Current, StoreError> {
    let version = *framework::known_versions().last().expect("at least one framework version");
    let builtin = framework::built_in(version).expect("the newest version known is built in");
    Ok(match held(store)? {
        Some(v) if v.body.revision > builtin.meta.revision => Current::Imported(Box::new(v)),
        _ => Current::BuiltIn(builtin),
    })
}

/// The editable workbook of the revision in use (its change log empty, to be filled in).
pub fn export_book(store: &Store) -> Result<Vec<u8>, ExportError> {
    let c = current(store).map_err(ExportError::Store)?;
    book::write(c.framework(), &[]).map_err(|e| ExportError::Xlsx(e.to_string()))
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{0}")]
    Store(StoreError),
    #[error("{0}")]
    Xlsx(String),
}

/// A framework file built from a workbook: its bytes, name, and what changed.
#[derive(Debug, Clone)]
pub struct Built {
    pub bytes: Vec<u8>,
    pub file_name: String,
    pub revision: u32,
    pub replaces: u32,
    pub changes: Vec<diff::Change>,
    pub change_log: Vec<Text>,
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The workbook is refused: every problem, with its sheet, row and column.
    #[error("the workbook has {} problems", .0.len())]
    Problems(Vec<book::Problem>),
    /// The workbook's revision is not above the revision in use.
    #[error("revision {0} is not newer than the revision in use ({1})")]
    NotNewer(u32, u32),
    /// A new revision says nothing of what changed.
    #[error("the change log is empty")]
    NoChangeLog,
    #[error("{0}")]
    Store(StoreError),
}

impl BuildError {
    /// Each line of the message, in the user's language.
    pub fn lines(&self, t: crate::lang::Lang) -> Vec<String> {
        match self {
            BuildError::Problems(list) => list.iter().map(|p| p.message(t)).collect(),
            BuildError::NotNewer(new, held) => vec![t.f("fwbuild.not_newer", &[("revision", new), ("held", held)])],
            BuildError::NoChangeLog => vec![t.t("fwbuild.no_change_log").to_string()],
            BuildError::Store(e) => vec![e.message(t)],
        }
    }
}

/// Reads a workbook and checks it against the revision in use: every rule, a newer revision, a
/// change log; the changes against the revision in use. Signs nothing.
pub fn check(store: &Store, xlsx: &[u8]) -> Result<(book::Book, Current, Vec<diff::Change>), BuildError> {
    let b = book::read(xlsx).map_err(BuildError::Problems)?;
    let cur = current(store).map_err(BuildError::Store)?;
    if b.framework.meta.revision <= cur.revision() {
        return Err(BuildError::NotNewer(b.framework.meta.revision, cur.revision()));
    }
    if b.change_log.is_empty() {
        return Err(BuildError::NoChangeLog);
    }
    // Nothing removed, moved or re-dated: each said at its indicator's row.
    let incompatible = ff::compatible(cur.framework(), &b.framework);
    if !incompatible.is_empty() {
        return Err(BuildError::Problems(incompatible.into_iter().map(|r| b.problem_at(r)).collect()));
    }
    let changes = diff::changes(cur.framework(), &b.framework);
    Ok((b, cur, changes))
}

/// Builds the signed framework file of a workbook ([`check`], then signed with `key`).
pub fn build(store: &Store, xlsx: &[u8], key: &SigningKey, issued_at: String) -> Result<Built, BuildError> {
    let (b, cur, changes) = check(store, xlsx)?;
    let body = ff::body(&b.framework, cur.revision(), b.change_log.clone(), issued_at);
    let file_name = ff::file_name(&body);
    let (revision, replaces) = (body.revision, body.replaces);
    Ok(Built { bytes: ff::write(body, key), file_name, revision, replaces, changes, change_log: b.change_log })
}

/// A framework file imported.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub revision: u32,
    pub replaces: u32,
    pub change_log: Vec<Text>,
    /// The open drafts that now use it, and their answers marked "check your answer".
    pub drafts: usize,
    pub to_check: usize,
}

impl Imported {
    /// What the import did, in a language: the revision, its change log, and the drafts moved.
    pub fn said(&self, t: crate::lang::Lang) -> String {
        let log = change_log_text(&self.change_log, t);
        let mut s =
            t.f("fwimport.imported", &[("revision", &self.revision), ("replaces", &self.replaces), ("log", &log)]);
        if self.drafts > 0 {
            s.push('\n');
            s.push_str(&t.f("fwimport.drafts_moved", &[("drafts", &self.drafts), ("check", &self.to_check)]));
        }
        s
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Refused (or not newer), with its reason; nothing changed.
    #[error("{0}")]
    Refused(Refusal),
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl ImportError {
    pub fn message(&self, t: crate::lang::Lang) -> String {
        match self {
            ImportError::Refused(r) => r.message(t),
            ImportError::Store(e) => e.message(t),
        }
    }
}

/// The key a framework file must be signed with here: the Secretariat card's, or, at the
/// Secretariat (no card of its own), this installation's own key.
pub fn trusted_key(store: &Store, own: Option<&PublicKey>) -> Result<Option<PublicKey>, StoreError> {
    if let Some(k) = store.setting("secretariat_signer")?.and_then(|k| PublicKey::parse(k.trim()).ok()) {
        return Ok(Some(k));
    }
    let secretariat = store.setting("role")?.as_deref() == Some("secretariat");
    Ok(own.filter(|_| secretariat).cloned())
}

/// Imports a framework file: verified, signed by `trusted`, newer than the revision in use, then
/// kept. Nothing changes when it is refused.
pub fn import(store: &mut Store, bytes: &[u8], trusted: Option<&PublicKey>) -> Result<Imported, ImportError> {
    let v = ff::read(bytes).map_err(ImportError::Refused)?;
    let cur = current(store)?;
    ff::accept(&v, trusted, cur.revision()).map_err(ImportError::Refused)?;
    if let Some(first) = ff::compatible(cur.framework(), &v.framework).first() {
        return Err(ImportError::Refused(Refusal::Invalid(crate::exchange::clean_text(first))));
    }
    let b = &v.body;
    store.store_framework_file(
        b.revision,
        b.framework_version,
        b.replaces,
        &b.issued_at,
        &b.content_digest,
        &v.digest,
        &v.signer.to_base64(),
        bytes,
    )?;
    // Drafts keep their answers; where an indicator's level descriptors changed, the answer is
    // marked "check your answer" until it is given again.
    let changed: Vec<String> = diff::changes(cur.framework(), &v.framework)
        .into_iter()
        .filter_map(|c| match c {
            diff::Change::Descriptor { code, .. } => Some(code),
            _ => None,
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let to_check = store.mark_recheck(&changed, b.revision)?;
    Ok(Imported {
        revision: b.revision,
        replaces: b.replaces,
        change_log: b.change_log.clone(),
        drafts: store.draft_count()?,
        to_check,
    })
}

/// Reads a file from disk (size-limited) and imports it.
pub fn import_path(
    store: &mut Store,
    path: &std::path::Path,
    trusted: Option<&PublicKey>,
) -> Result<Imported, ImportError> {
    let bytes = crate::exchange::read_file_limited(path).map_err(|r| match r {
        crate::exchange::Rejection::TooLarge(_) => ImportError::Refused(Refusal::TooLarge),
        other => ImportError::Refused(Refusal::Unreadable(other.to_string())),
    })?;
    import(store, &bytes, trusted)
}

/// A change log in one language, one entry a line ("• …"), control characters removed.
pub fn change_log_text(log: &[Text], t: crate::lang::Lang) -> String {
    log.iter()
        .map(|c| format!("• {}", c.get(t).chars().filter(|c| !c.is_control() || *c == '\n').collect::<String>()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether a path is a framework file (by its name, or by how it starts).
pub fn is_framework_file(p: &std::path::Path) -> bool {
    if p.extension().is_some_and(|x| x.eq_ignore_ascii_case(ff::EXTENSION)) {
        return true;
    }
    ff::looks_like(&crate::exchange::read_head(p))
}

/// Makes the newest framework file held the content the whole program uses (`framework::install`):
/// what the window's worker and the command line do once the database is open. Returns the
/// revision installed, if any.
pub fn install_held(store: &Store) -> Result<Option<u32>, StoreError> {
    // Every revision held, oldest first, so that what was signed off under each is written and
    // scored under it; the newest is the one in use.
    let mut newest = None;
    for row in store.framework_files()?.into_iter().rev() {
        if let Some(bytes) = store.framework_file_bytes(row.revision)?
            && let Ok(v) = ff::read(&bytes)
            && framework::install(v.framework)
        {
            newest = Some(row.revision);
        }
    }
    Ok(newest)
}
