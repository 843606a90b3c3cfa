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

use crate::exchange;
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

impl FileResult {
    /// A file refused before anything about it could be read.
    pub fn rejected(file_name: &str, reason: String) -> FileResult {
        FileResult {
            file_name: file_name.to_string(),
            outcome: Outcome::Rejected,
            reason,
            member: None,
            cycle: None,
            revision: None,
        }
    }
}

/// Decides what an incoming revision is, given what is held, and why. Pure.
pub fn decide(known: &Known, member: &str, cycle: i32, revision: u32, digest: &str, t: Lang) -> (Outcome, String) {
    if let Some((m, c)) = &known.identity
        && (m != member || *c != cycle)
    {
        return (Outcome::Rejected, t.f("import.inconsistent", &[("member", m), ("cycle", c)]));
    }
    if let Some((_, held)) = known.revisions.iter().find(|(r, _)| *r == revision) {
        if held == digest {
            return (Outcome::AlreadyImported, t.t("import.already_reason").to_string());
        }
        return (Outcome::Conflict, t.f("import.conflict_reason", &[("revision", &revision)]));
    }
    match known.revisions.iter().map(|(r, _)| *r).max() {
        None => (Outcome::Accepted, String::new()),
        Some(l) if revision > l => {
            (Outcome::Supersedes, t.f("import.supersedes_reason", &[("old", &l), ("new", &revision)]))
        }
        Some(l) => (Outcome::Accepted, t.f("import.older_reason", &[("latest", &l)])),
    }
}

/// What the store does for an outcome.
fn action(outcome: Outcome, reason: &str) -> ImportAction {
    match outcome {
        Outcome::Accepted | Outcome::Supersedes => {
            ImportAction::Insert { outcome: outcome.code(), reason: reason.to_string() }
        }
        Outcome::Conflict => ImportAction::Conflict { reason: reason.to_string() },
        Outcome::AlreadyImported | Outcome::Rejected => ImportAction::Nothing,
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
    let v = match exchange::read(raw, identities) {
        Ok(v) => v,
        Err(r) => return Ok(FileResult::rejected(file_name, r.message(t))),
    };
    let b = &v.body;
    let mut decision = (Outcome::Rejected, String::new());
    let revision = v.imported();
    let file_sha256 = exchange::sha256_hex(raw);
    let incoming = Incoming { revision: &revision, file_name, raw, file_sha256: &file_sha256 };
    store.import_return(&incoming, |known| {
        decision = decide(known, &b.member, b.cycle, b.revision, &v.digest, t);
        action(decision.0, &decision.1)
    })?;
    let (outcome, reason) = decision;
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
        Err(r) => Ok(FileResult::rejected(&name, r.message(t))),
    }
}
