//! Import of return files: every file gets exactly one outcome (see docs/architecture.md):
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

/// Why a file got its outcome. Translated only when shown ([`Reason::message`]); what the store
/// keeps is [`Reason::to_stored`], read back with [`Reason::from_stored`].
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// A new assessment, or an accepted revision with nothing to add.
    None,
    /// The file was refused by `exchange::read` (its details are already sanitised there).
    Rejected(Rejection),
    /// The assessment is already held under another member or cycle.
    Inconsistent { member: String, cycle: i32 },
    /// The same revision with the same digest is held.
    AlreadyImported,
    /// The same revision with a different digest is held.
    Conflict { revision: u32 },
    /// A higher revision than the latest held, which stays in the history.
    Supersedes { old: u32, new: u32 },
    /// An older revision than the latest held, kept in the history.
    Older { latest: u32 },
    /// Already in words, shown as is: a store error translated where it happened, or a reason
    /// stored by an older version. Never text from a file.
    Other(String),
}

impl Reason {
    /// The reason in the user's language (empty for [`Reason::None`]).
    pub fn message(&self, t: Lang) -> String {
        match self {
            Reason::None => String::new(),
            Reason::Rejected(r) => r.message(t),
            Reason::Inconsistent { member, cycle } => {
                t.f("import.inconsistent", &[("member", &exchange::clean_text(member)), ("cycle", cycle)])
            }
            Reason::AlreadyImported => t.t("import.already_reason").to_string(),
            Reason::Conflict { revision } => t.f("import.conflict_reason", &[("revision", revision)]),
            Reason::Supersedes { old, new } => t.f("import.supersedes_reason", &[("old", old), ("new", new)]),
            Reason::Older { latest } => t.f("import.older_reason", &[("latest", latest)]),
            Reason::Other(text) => text.chars().filter(|c| !c.is_control()).collect(),
        }
    }

    /// A stable, language-free form for the database: `""`, `"conflict:2"`, `"supersedes:1:2"`,
    /// `"older:3"`, `"already_imported"`, `"inconsistent:2026:FJ"`. A rejection is never stored
    /// (nothing is); it is written as `"rejected:<code>"` and reads back as [`Reason::Other`].
    pub fn to_stored(&self) -> String {
        match self {
            Reason::None => String::new(),
            Reason::Rejected(r) => format!("rejected:{}", r.code()),
            Reason::Inconsistent { member, cycle } => format!("inconsistent:{cycle}:{member}"),
            Reason::AlreadyImported => "already_imported".into(),
            Reason::Conflict { revision } => format!("conflict:{revision}"),
            Reason::Supersedes { old, new } => format!("supersedes:{old}:{new}"),
            Reason::Older { latest } => format!("older:{latest}"),
            Reason::Other(text) => text.clone(),
        }
    }

    /// Reads [`Reason::to_stored`] back; anything else (text kept by an older version) is
    /// [`Reason::Other`].
    pub fn from_stored(s: &str) -> Reason {
        let mut parts = s.split(':');
        let (code, a, b) = (parts.next().unwrap_or(""), parts.next(), parts.next());
        let n = |x: Option<&str>| x.and_then(|x| x.parse::<u32>().ok());
        let parsed = match (code, parts.next()) {
            ("", None) if a.is_none() => Some(Reason::None),
            ("already_imported", None) if a.is_none() => Some(Reason::AlreadyImported),
            ("conflict", None) if b.is_none() => n(a).map(|revision| Reason::Conflict { revision }),
            ("supersedes", None) => n(a).zip(n(b)).map(|(old, new)| Reason::Supersedes { old, new }),
            ("older", None) if b.is_none() => n(a).map(|latest| Reason::Older { latest }),
            ("inconsistent", None) => match (a.and_then(|c| c.parse::<i32>().ok()), b) {
                (Some(cycle), Some(member)) => Some(Reason::Inconsistent { member: member.to_string(), cycle }),
                _ => None,
            },
            _ => None,
        };
        parsed.unwrap_or_else(|| Reason::Other(s.to_string()))
    }
}

/// The result for one file.
#[derive(Debug, Clone, PartialEq)]
pub struct FileResult {
    pub file_name: String,
    pub outcome: Outcome,
    pub reason: Reason,
    pub member: Option<String>,
    pub cycle: Option<i32>,
    pub revision: Option<u32>,
}

impl FileResult {
    /// A file refused before anything about it could be read.
    pub fn rejected(file_name: &str, reason: Reason) -> FileResult {
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
pub fn decide(known: &Known, member: &str, cycle: i32, revision: u32, digest: &str) -> (Outcome, Reason) {
    if let Some((m, c)) = &known.identity
        && (m != member || *c != cycle)
    {
        return (Outcome::Rejected, Reason::Inconsistent { member: m.clone(), cycle: *c });
    }
    if let Some((_, held)) = known.revisions.iter().find(|(r, _)| *r == revision) {
        if held == digest {
            return (Outcome::AlreadyImported, Reason::AlreadyImported);
        }
        return (Outcome::Conflict, Reason::Conflict { revision });
    }
    match known.revisions.iter().map(|(r, _)| *r).max() {
        None => (Outcome::Accepted, Reason::None),
        Some(l) if revision > l => (Outcome::Supersedes, Reason::Supersedes { old: l, new: revision }),
        Some(l) => (Outcome::Accepted, Reason::Older { latest: l }),
    }
}

/// What the store does for an outcome.
fn action(outcome: Outcome, reason: &Reason) -> ImportAction {
    match outcome {
        Outcome::Accepted | Outcome::Supersedes => {
            ImportAction::Insert { outcome: outcome.code(), reason: reason.to_stored() }
        }
        Outcome::Conflict => ImportAction::Conflict { reason: reason.to_stored() },
        Outcome::AlreadyImported | Outcome::Rejected => ImportAction::Nothing,
    }
}

/// Imports one file's bytes.
pub fn import_bytes(
    store: &mut Store,
    file_name: &str,
    raw: &[u8],
    identities: &[age::x25519::Identity],
) -> Result<FileResult, StoreError> {
    let v = match exchange::read(raw, identities) {
        Ok(v) => v,
        Err(r) => return Ok(FileResult::rejected(file_name, Reason::Rejected(r))),
    };
    let b = &v.body;
    let mut decision = (Outcome::Rejected, Reason::None);
    let revision = v.imported();
    let file_sha256 = exchange::sha256_hex(raw);
    let incoming = Incoming { revision: &revision, file_name, raw, file_sha256: &file_sha256 };
    store.import_return(&incoming, |known| {
        decision = decide(known, &b.member, b.cycle, b.revision, &v.digest);
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
) -> Result<FileResult, StoreError> {
    // A file name can hold anything but '/' (newlines, escape sequences): shown cleaned.
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| path.display().to_string());
    let name: String = name.chars().filter(|c| !c.is_control()).collect();
    match exchange::read_file_limited(path) {
        Ok(raw) => import_bytes(store, &name, &raw, identities),
        Err(r) => Ok(FileResult::rejected(&name, Reason::Rejected(r))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_reasons_read_back_and_old_text_is_kept() {
        for r in [
            Reason::None,
            Reason::AlreadyImported,
            Reason::Conflict { revision: 2 },
            Reason::Supersedes { old: 1, new: 3 },
            Reason::Older { latest: 4 },
            Reason::Inconsistent { member: "FJ".into(), cycle: 2026 },
        ] {
            assert_eq!(Reason::from_stored(&r.to_stored()), r);
        }
        let old = "Revision 2 replaces revision 1: kept in the history";
        assert_eq!(Reason::from_stored(old), Reason::Other(old.into()));
        assert_eq!(Reason::from_stored("older:x"), Reason::Other("older:x".into()));
    }

    #[test]
    fn messages_are_translated_when_shown() {
        let r = Reason::Supersedes { old: 1, new: 2 };
        assert_ne!(r.message(Lang::En), r.message(Lang::Fr));
        assert!(!r.message(Lang::En).contains('{'));
        assert_eq!(Reason::None.message(Lang::Fr), "");
    }
}
