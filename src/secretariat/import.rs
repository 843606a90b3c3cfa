//! Import of return files: every file gets exactly one outcome (DESIGN.md):
//!
//! | situation                                   | outcome                                  |
//! |---------------------------------------------|------------------------------------------|
//! | new assessment UUID                         | accepted                                 |
//! | known UUID, same revision, same digest      | already imported (no change)             |
//! | known UUID, higher revision                 | accepted, supersedes; older kept         |
//! | known UUID, same revision, different digest | conflict: both kept for a person         |
//! | anything unreadable or invalid              | rejected with a reason                   |
//!
//! One file is one transaction; a rejected or already imported file changes nothing.

use crate::exchange::{self, Rejection};
use crate::lang::Lang;
use crate::store::{ImportAction, Incoming, Known, Store, StoreError};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Accepted,
    Supersedes,
    AlreadyImported,
    Conflict,
    Rejected,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Accepted => "accepted",
            Outcome::Supersedes => "supersedes",
            Outcome::AlreadyImported => "already_imported",
            Outcome::Conflict => "conflict",
            Outcome::Rejected => "rejected",
        }
    }
}

/// The result for one file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileResult {
    pub file_name: String,
    pub outcome: Outcome,
    /// Why, in the user's language.
    pub reason: String,
    pub member: Option<String>,
    pub cycle: Option<i32>,
    pub revision: Option<u32>,
}

/// Decides what an incoming revision is, given what is held. Pure.
pub fn decide(
    known: &Known,
    member: &str,
    cycle: i32,
    revision: u32,
    digest: &str,
    t: Lang,
) -> (Outcome, ImportAction) {
    if let Some((m, c)) = &known.identity
        && (m != member || *c != cycle)
    {
        // The same assessment cannot change member or cycle: refuse, and say so (see import_bytes).
        return (Outcome::Rejected, ImportAction::Nothing);
    }
    if let Some((_, held)) = known.revisions.iter().find(|(r, _)| *r == revision) {
        if held == digest {
            return (Outcome::AlreadyImported, ImportAction::Nothing);
        }
        let reason = t.f("import.conflict_reason", &[("revision", &revision)]);
        return (Outcome::Conflict, ImportAction::Conflict { reason });
    }
    let latest = known.revisions.iter().map(|(r, _)| *r).max();
    match latest {
        None => (Outcome::Accepted, ImportAction::Insert { outcome: "accepted", reason: String::new() }),
        Some(l) if revision > l => {
            let reason = t.f("import.supersedes_reason", &[("old", &l), ("new", &revision)]);
            (Outcome::Supersedes, ImportAction::Insert { outcome: "supersedes", reason })
        }
        Some(l) => {
            let reason = t.f("import.older_reason", &[("latest", &l)]);
            (Outcome::Accepted, ImportAction::Insert { outcome: "accepted", reason })
        }
    }
}

/// Imports one file's bytes.
pub fn import_bytes(
    store: &mut Store,
    file_name: &str,
    raw: &[u8],
    identities: &[age::x25519::Identity],
    t: Lang,
) -> Result<FileResult, StoreError> {
    let rejected = |r: Rejection| FileResult {
        file_name: file_name.to_string(),
        outcome: Outcome::Rejected,
        reason: r.message(t),
        member: None,
        cycle: None,
        revision: None,
    };
    let v = match exchange::read(raw, identities) {
        Ok(v) => v,
        Err(r) => return Ok(rejected(r)),
    };
    let b = &v.body;
    let mut outcome = Outcome::Rejected;
    let mut inconsistent = None;
    let incoming = Incoming { body: b, digest: &v.digest, file_name, raw };
    let action = store.import_return(&incoming, |known| {
        let (o, a) = decide(known, &b.member, b.cycle, b.revision, &v.digest, t);
        if o == Outcome::Rejected {
            inconsistent = known.identity.clone();
        }
        outcome = o;
        a
    })?;
    let reason = match (&action, outcome) {
        (_, Outcome::Rejected) => {
            let (m, c) = inconsistent.unwrap_or_default();
            t.f("import.inconsistent", &[("member", &m), ("cycle", &c)])
        }
        (_, Outcome::AlreadyImported) => t.t("import.already_reason").to_string(),
        (ImportAction::Insert { reason, .. }, _) | (ImportAction::Conflict { reason }, _) => reason.clone(),
        _ => String::new(),
    };
    Ok(FileResult {
        file_name: file_name.to_string(),
        outcome,
        reason,
        member: Some(b.member.clone()),
        cycle: Some(b.cycle),
        revision: Some(b.revision),
    })
}

/// Imports a file from disk (size checked before reading).
pub fn import_path(
    store: &mut Store,
    path: &Path,
    identities: &[age::x25519::Identity],
    t: Lang,
) -> Result<FileResult, StoreError> {
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| path.display().to_string());
    match exchange::read_file_limited(path) {
        Ok(raw) => import_bytes(store, &name, &raw, identities, t),
        Err(r) => Ok(FileResult {
            file_name: name,
            outcome: Outcome::Rejected,
            reason: r.message(t),
            member: None,
            cycle: None,
            revision: None,
        }),
    }
}
