//! Import of return files: every file gets exactly one outcome (see docs/architecture.md):
//!
//! | situation                                             | outcome                                |
//! |-------------------------------------------------------|----------------------------------------|
//! | unreadable, invalid, unsigned, signature not matching | rejected with a reason                 |
//! | known UUID under another member or cycle              | rejected                               |
//! | signed by a key pinned for another member             | conflict (`key`), both members named   |
//! | signed by another key than the member's pinned one    | conflict (`key`): counted nowhere      |
//! | same revision, same digest                            | already imported (no change)           |
//! | same revision, different digest (a fork or a rewind)  | conflict (`revision`)                  |
//! | a second assessment for the member and cycle          | conflict (`assessment`)                |
//! | revision n, n-1 not held                              | held, waiting for n-1 (released later) |
//! | revision n, previous digest is not n-1's              | conflict (`revision`): a jump/rewind   |
//! | revision 1 of a new assessment, or n chaining to n-1  | accepted (supersedes when it counts)   |
//!
//! The first accepted return of a member pins its signing key (trust on first use). Which
//! revision counts is decided by one rule, [`crate::secretariat::consolidate::counting_revision`],
//! used here for the message and by the consolidation for the register and every report.
//! One file is one transaction; a rejected or already imported file changes nothing. Many files
//! ([`import_many`], [`Batch`]) are committed together, up to [`BATCH_FILES`] files or
//! [`BATCH_TIME`] at a time, each file under its own SAVEPOINT: a file that fails changes
//! nothing, and a crash loses at most the batch being written (importing again is idempotent).
//! A file's outcome is handed out only once its batch is committed; after a failed commit the
//! batch's files are imported again one at a time, and each is said kept or failed.

use crate::exchange::{self, Rejection};
use crate::ids::FileId;
use crate::lang::Lang;
use crate::secretariat::consolidate::{counting_for, counting_revision};
use crate::store::{ImportAction, Incoming, Known, Link, Store, StoreError};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Accepted,
    Supersedes,
    AlreadyImported,
    Conflict,
    /// Kept, waiting for an earlier revision; counted nowhere until it arrives and chains.
    Held,
    Rejected,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Accepted => "accepted",
            Outcome::Supersedes => "supersedes",
            Outcome::AlreadyImported => "already_imported",
            Outcome::Conflict => "conflict",
            Outcome::Held => "held",
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
    /// Kept in the history; revision `latest` is the one that counts.
    Older { latest: u32 },
    /// Kept, but no revision of this assessment counts (an earlier one is missing or broken).
    Uncounted,
    /// Held until revision `missing` arrives and this one chains to it.
    Waiting { missing: u32 },
    /// Held until the framework file of content revision `revision` is imported.
    WaitingContent { revision: u32 },
    /// Revision `revision` does not follow the revision before it that is held.
    Jump { revision: u32 },
    /// Revision `revision`, older than `latest` which counts, with other content and history.
    Rewind { revision: u32, latest: u32 },
    /// Signed with another key than the member's: both fingerprints.
    DifferentKey { pinned: String, new: String },
    /// Signed with a key pinned for other members (`others`, by code): a key belongs to one
    /// member, so a person decides. `member` is the file's, `fingerprint` the key's.
    SharedKey { member: String, others: Vec<String>, fingerprint: String },
    /// Another assessment of the member and cycle is held (or this one was set aside).
    SecondAssessment { member: String, cycle: i32 },
    /// An administration's database (role `administration`, member `own`) takes returns of its
    /// own member only: this one is `member`'s.
    OtherMember { member: String, own: String },
    /// Already in words, shown as is: a reason stored by an older version. Never text from a
    /// file.
    Other(String),
    /// A file that could not be imported (a store error), already put into each language
    /// (indexed by `Lang`); never stored.
    Failed([String; 2]),
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
            Reason::Uncounted => t.t("import.uncounted_reason").to_string(),
            Reason::Waiting { missing } => t.f("import.waiting_reason", &[("missing", missing)]),
            Reason::WaitingContent { revision } => t.f("import.waiting_content_reason", &[("revision", revision)]),
            Reason::Jump { revision } => {
                t.f("import.jump_reason", &[("revision", revision), ("previous", &revision.saturating_sub(1))])
            }
            Reason::Rewind { revision, latest } => {
                t.f("import.rewind_reason", &[("revision", revision), ("latest", latest)])
            }
            Reason::DifferentKey { pinned, new } => {
                t.f("import.key_reason", &[("pinned", &clean(pinned)), ("new", &clean(new))])
            }
            Reason::SecondAssessment { member, cycle } => {
                t.f("import.second_reason", &[("member", &clean(member)), ("cycle", cycle)])
            }
            Reason::SharedKey { member, others, fingerprint } => t.f(
                "import.shared_key_reason",
                &[
                    ("member", &clean(member)),
                    ("others", &clean(&others.join(", "))),
                    ("fingerprint", &clean(fingerprint)),
                ],
            ),
            Reason::OtherMember { member, own } => {
                t.f("import.other_member_reason", &[("member", &clean(member)), ("own", &clean(own))])
            }
            Reason::Other(text) => text.chars().filter(|c| !c.is_control()).collect(),
            Reason::Failed(words) => words[t as usize].chars().filter(|c| !c.is_control()).collect(),
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
            Reason::Uncounted => "uncounted".into(),
            Reason::Waiting { missing } => format!("waiting:{missing}"),
            Reason::WaitingContent { revision } => format!("waiting_content:{revision}"),
            Reason::Jump { revision } => format!("jump:{revision}"),
            Reason::Rewind { revision, latest } => format!("rewind:{revision}:{latest}"),
            Reason::DifferentKey { pinned, new } => format!("key:{pinned}:{new}"),
            Reason::SecondAssessment { member, cycle } => format!("second:{cycle}:{member}"),
            Reason::SharedKey { member, others, fingerprint } => {
                format!("shared_key:{member}:{}:{fingerprint}", others.join(","))
            }
            Reason::OtherMember { member, own } => format!("other_member:{own}:{member}"),
            Reason::Other(text) => text.clone(),
            Reason::Failed(words) => words[0].clone(),
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
            ("uncounted", None) if a.is_none() => Some(Reason::Uncounted),
            ("waiting", None) if b.is_none() => n(a).map(|missing| Reason::Waiting { missing }),
            ("waiting_content", None) if b.is_none() => n(a).map(|revision| Reason::WaitingContent { revision }),
            ("jump", None) if b.is_none() => n(a).map(|revision| Reason::Jump { revision }),
            ("rewind", None) => n(a).zip(n(b)).map(|(revision, latest)| Reason::Rewind { revision, latest }),
            ("key", None) => match (a, b) {
                (Some(p), Some(q)) if !p.is_empty() && !q.is_empty() => {
                    Some(Reason::DifferentKey { pinned: p.to_string(), new: q.to_string() })
                }
                _ => None,
            },
            ("shared_key", Some(fingerprint)) if parts.next().is_none() => match (a, b) {
                (Some(member), Some(others)) if !member.is_empty() && !others.is_empty() && !fingerprint.is_empty() => {
                    Some(Reason::SharedKey {
                        member: member.to_string(),
                        others: others.split(',').map(str::to_string).collect(),
                        fingerprint: fingerprint.to_string(),
                    })
                }
                _ => None,
            },
            ("other_member", None) => match (a, b) {
                (Some(own), Some(member)) if !own.is_empty() && !member.is_empty() => {
                    Some(Reason::OtherMember { member: member.to_string(), own: own.to_string() })
                }
                _ => None,
            },
            ("second", None) => match (a.and_then(|c| c.parse::<i32>().ok()), b) {
                (Some(cycle), Some(member)) => Some(Reason::SecondAssessment { member: member.to_string(), cycle }),
                _ => None,
            },
            ("inconsistent", None) => match (a.and_then(|c| c.parse::<i32>().ok()), b) {
                (Some(cycle), Some(member)) => Some(Reason::Inconsistent { member: member.to_string(), cycle }),
                _ => None,
            },
            _ => None,
        };
        parsed.or_else(|| legacy(s)).unwrap_or_else(|| Reason::Other(s.to_string()))
    }
}

/// The sentences versions before stable codes kept (in the importer's language), each read back
/// as the reason it says, so that it is shown in the language of the day.
const LEGACY: [(&str, &str); 10] = [
    ("supersedes", "Revision {new} replaces revision {old}, which stays in the history."),
    ("supersedes", "La révision {new} remplace la révision {old}, qui reste dans l'historique."),
    (
        "older",
        "An older revision: revision {latest} is already held and still counts; this one is kept in the history.",
    ),
    (
        "older",
        "Une révision plus ancienne : la révision {latest} est déjà détenue et reste celle qui compte ; celle-ci est gardée dans l'historique.",
    ),
    (
        "conflict",
        "Conflict: revision {revision} was already received with different content. Both files are kept; choose which one stands.",
    ),
    (
        "conflict",
        "Conflit : la révision {revision} a déjà été reçue avec un contenu différent. Les deux fichiers sont conservés ; choisissez celui qui fait foi.",
    ),
    ("already", "Already imported: nothing changed."),
    ("already", "Déjà importé : rien n'a changé."),
    (
        "inconsistent",
        "Rejected: this assessment was received before for {member} {cycle}; a return cannot change member or cycle.",
    ),
    (
        "inconsistent",
        "Refusé : cette évaluation a déjà été reçue pour {member} {cycle} ; un retour ne peut pas changer de membre ni de cycle.",
    ),
];

/// Matches `text` against a template with `{name}` holes; the values of the holes in order.
fn holes<'a>(template: &str, text: &'a str) -> Option<Vec<&'a str>> {
    let mut parts = template.split('{');
    let mut rest = text.strip_prefix(parts.next()?)?;
    let mut values = Vec::new();
    for part in parts {
        let (_, literal) = part.split_once('}')?;
        // The value runs to the next literal (to the end when the template ends with a hole).
        let end = if literal.is_empty() { rest.len() } else { rest.find(literal)? };
        values.push(&rest[..end]);
        rest = &rest[end + literal.len()..];
    }
    rest.is_empty().then_some(values)
}

fn legacy(s: &str) -> Option<Reason> {
    let num = |v: &str| v.parse::<u32>().ok();
    LEGACY.iter().find_map(|(code, template)| {
        let v = holes(template, s)?;
        match (*code, v.as_slice()) {
            ("supersedes", [new, old]) => Some(Reason::Supersedes { old: num(old)?, new: num(new)? }),
            ("older", [latest]) => Some(Reason::Older { latest: num(latest)? }),
            ("conflict", [revision]) => Some(Reason::Conflict { revision: num(revision)? }),
            ("already", []) => Some(Reason::AlreadyImported),
            ("inconsistent", [member, cycle]) => {
                Some(Reason::Inconsistent { member: member.to_string(), cycle: cycle.parse().ok()? })
            }
            _ => None,
        }
    })
}

/// Text from a file or a stored row, as it may appear in a message: no control characters, at
/// most 80 characters.
pub fn clean(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).take(80).collect()
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
    /// After this file: the revision of the member's assessment for the cycle that counts (the
    /// same rule as the register and the reports), if any.
    pub counts: Option<u32>,
    /// The signer's key fingerprint, for a file that was read.
    pub fingerprint: Option<String>,
    /// Files held waiting that this one released, with their own results.
    pub released: Vec<FileResult>,
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
            counts: None,
            fingerprint: None,
            released: Vec::new(),
        }
    }
}

/// An incoming return, as the decision needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate<'a> {
    pub member: &'a str,
    pub cycle: i32,
    pub revision: u32,
    pub digest: &'a str,
    pub previous_digest: Option<&'a str>,
    /// The signer's public key (minisign one-line form) and fingerprint.
    pub signer: &'a str,
    pub fingerprint: &'a str,
}

/// Decides what an incoming revision is, given what is held, and why. Pure. The message of an
/// accepted file comes from [`counting_revision`], the rule the register and the reports use.
pub fn decide(known: &Known, c: &Candidate) -> (Outcome, Reason) {
    if let Some((m, cy)) = &known.identity
        && (m != c.member || *cy != c.cycle)
    {
        return (Outcome::Rejected, Reason::Inconsistent { member: m.clone(), cycle: *cy });
    }
    // A key belongs to one member: a key pinned for another member is a person's decision,
    // unless a person already made it the member's own key too.
    let own = known.member_key.as_ref().is_some_and(|k| k.public_key == c.signer);
    if !own && !known.signer_members.is_empty() {
        return (
            Outcome::Conflict,
            Reason::SharedKey {
                member: c.member.to_string(),
                others: known.signer_members.clone(),
                fingerprint: c.fingerprint.to_string(),
            },
        );
    }
    if let Some(k) = &known.member_key
        && k.public_key != c.signer
    {
        return (
            Outcome::Conflict,
            Reason::DifferentKey { pinned: k.fingerprint.clone(), new: c.fingerprint.to_string() },
        );
    }
    let latest = known.revisions.iter().map(|l| l.revision).max();
    if let Some(held) = known.revisions.iter().find(|l| l.revision == c.revision) {
        if held.digest == c.digest {
            return (Outcome::AlreadyImported, Reason::AlreadyImported);
        }
        return match latest {
            Some(l) if c.revision < l => (Outcome::Conflict, Reason::Rewind { revision: c.revision, latest: l }),
            _ => (Outcome::Conflict, Reason::Conflict { revision: c.revision }),
        };
    }
    if known.retired || !known.others.is_empty() {
        return (Outcome::Conflict, Reason::SecondAssessment { member: c.member.to_string(), cycle: c.cycle });
    }
    if c.revision > 1 {
        match known.revisions.iter().find(|l| l.revision == c.revision - 1) {
            None => return (Outcome::Held, Reason::Waiting { missing: c.revision - 1 }),
            Some(prev) if c.previous_digest != Some(prev.digest.as_str()) => {
                return match latest {
                    Some(l) if c.revision < l => {
                        (Outcome::Conflict, Reason::Rewind { revision: c.revision, latest: l })
                    }
                    _ => (Outcome::Conflict, Reason::Jump { revision: c.revision }),
                };
            }
            Some(_) => {}
        }
    }
    let before = counting_revision(&known.revisions);
    let mut after_links = known.revisions.clone();
    after_links.push(Link {
        revision: c.revision,
        digest: c.digest.to_string(),
        previous_digest: c.previous_digest.map(str::to_string),
        confirmed: false,
    });
    match (before, counting_revision(&after_links)) {
        (Some(old), Some(new)) if new == c.revision => (Outcome::Supersedes, Reason::Supersedes { old, new }),
        (_, Some(new)) if new == c.revision => (Outcome::Accepted, Reason::None),
        (_, Some(latest)) => (Outcome::Accepted, Reason::Older { latest }),
        (_, None) => (Outcome::Accepted, Reason::Uncounted),
    }
}

/// Whether a return signed by `signer` for `member` would be a key conflict at import (the same
/// rule as [`decide`]): signed by another key than the member's pinned one, or by a key pinned
/// for another member. `verify --db` says so instead of "ok".
pub fn key_conflict(
    store: &Store,
    member: &str,
    signer: &crate::exchange::sign::PublicKey,
) -> Result<Option<Reason>, StoreError> {
    let (text, fingerprint) = (signer.to_base64(), signer.fingerprint());
    let member_key = store.member_key(member)?;
    if member_key.as_ref().is_some_and(|k| k.public_key == text) {
        return Ok(None);
    }
    let others = store.members_with_key(&text, member)?;
    if !others.is_empty() {
        return Ok(Some(Reason::SharedKey { member: member.to_string(), others, fingerprint }));
    }
    Ok(member_key.map(|k| Reason::DifferentKey { pinned: k.fingerprint, new: fingerprint }))
}

/// What the store does for an outcome.
fn action(outcome: Outcome, reason: &Reason) -> ImportAction {
    match outcome {
        Outcome::Accepted | Outcome::Supersedes => {
            ImportAction::Insert { outcome: outcome.code(), reason: reason.to_stored(), pin_first_use: true }
        }
        Outcome::Conflict => {
            let kind = match reason {
                Reason::DifferentKey { .. } | Reason::SharedKey { .. } => "key",
                Reason::SecondAssessment { .. } => "assessment",
                _ => "revision",
            };
            ImportAction::Conflict { kind, reason: reason.to_stored() }
        }
        Outcome::Held => ImportAction::Hold { reason: reason.to_stored() },
        Outcome::AlreadyImported | Outcome::Rejected => ImportAction::Nothing,
    }
}

/// A file read and checked away from the database: the part of an import that needs no store,
/// so that it can run on another thread ([`Prefetch`]) while earlier files are written.
pub struct Prepared {
    pub file_name: String,
    raw: Vec<u8>,
    file_sha256: String,
    checked: Checked,
}

enum Checked {
    /// Read, verified and scored; or refused (unreadable, not a return, signature wrong...).
    Done(Result<Box<ReadReturn>, Rejection>),
    /// Not checked yet: its bytes may be a file already imported ([`import_prepared`] looks, and
    /// checks it only if not).
    Later,
}

/// What the import needs of a verified return (the parsed file itself is dropped where it was
/// read: freeing it costs the writing thread time otherwise).
struct ReadReturn {
    revision: crate::assessment::ImportedRevision,
    scores: crate::store::RevisionScores,
    /// The signer's public key (minisign one-line form) and its fingerprint.
    signer: String,
    fingerprint: String,
}

impl Prepared {
    /// `raw` as received, not checked yet: [`import_prepared`] checks it unless it is a file
    /// already imported.
    pub fn later(file_name: &str, raw: Vec<u8>) -> Prepared {
        let file_sha256 = exchange::sha256_hex(&raw);
        Prepared { file_name: file_name.to_string(), raw, file_sha256, checked: Checked::Later }
    }

    /// The file at `path`, read (size checked first), not checked yet; a file that cannot be
    /// read is refused here.
    pub fn read(path: &Path) -> Prepared {
        let name = shown_name(path);
        match exchange::read_file_limited(path) {
            Ok(raw) => Prepared::later(&name, raw),
            Err(r) => Prepared {
                file_name: name,
                raw: Vec::new(),
                file_sha256: String::new(),
                checked: Checked::Done(Err(r)),
            },
        }
    }

    /// The file at `path`, read and checked now, unless its digest is in `known` (files the
    /// database holds): those are left for [`import_prepared`] to find already imported.
    pub fn from_path(path: &Path, identities: &[age::x25519::Identity], known: &HashSet<String>) -> Prepared {
        let mut p = Prepared::read(path);
        if matches!(p.checked, Checked::Later) && !known.contains(&p.file_sha256) {
            p.checked = Checked::Done(check(&p.raw, identities));
        }
        p
    }
}

/// A file name as shown: it can hold anything but '/' (newlines, escape sequences).
fn shown_name(path: &Path) -> String {
    match path.file_name() {
        Some(name) => exchange::clean_path(Path::new(name)),
        None => exchange::clean_path(path),
    }
}

fn check(raw: &[u8], identities: &[age::x25519::Identity]) -> Result<Box<ReadReturn>, Rejection> {
    let v = exchange::read(raw, identities)?;
    let revision = v.imported();
    let scores = crate::secretariat::consolidate::stored_scores(
        revision.framework_version,
        Some(revision.content_revision),
        &revision.responses,
    );
    let (signer, fingerprint) = (v.signer.to_base64(), v.fingerprint);
    Ok(Box::new(ReadReturn { revision, scores, signer, fingerprint }))
}

/// Imports one file's bytes.
pub fn import_bytes(
    store: &mut Store,
    file_name: &str,
    raw: &[u8],
    identities: &[age::x25519::Identity],
) -> Result<FileResult, StoreError> {
    import_prepared(store, Prepared::later(file_name, raw.to_vec()), identities)
}

/// Imports one file read (and perhaps checked) before.
pub fn import_prepared(
    store: &mut Store,
    p: Prepared,
    identities: &[age::x25519::Identity],
) -> Result<FileResult, StoreError> {
    let Prepared { file_name, raw, file_sha256, checked } = p;
    let file_name = file_name.as_str();
    // The same bytes as a file accepted before, still held and signed by the member's key: the
    // outcome can only be "already imported"; the file was read and checked when it came.
    if !matches!(checked, Checked::Done(Err(_)))
        && let Some(k) = store.already_imported(&file_sha256)?
    {
        return Ok(FileResult {
            file_name: file_name.to_string(),
            outcome: Outcome::AlreadyImported,
            reason: Reason::AlreadyImported,
            counts: counting_for(store, &k.member, k.cycle)?,
            member: Some(k.member),
            cycle: Some(k.cycle),
            revision: Some(k.revision),
            fingerprint: Some(k.fingerprint),
            released: Vec::new(),
        });
    }
    let read = match checked {
        Checked::Done(done) => done,
        Checked::Later => check(&raw, identities),
    };
    let read = match read {
        Ok(r) => r,
        // Written under a content revision not held yet: kept as it came, imported by itself
        // when that revision's framework file comes ([`release_for_content`]).
        Err(Rejection::UnknownContentRevision(revision)) => {
            store.hold_for_content(file_name, &file_sha256, revision, &raw)?;
            let mut r = FileResult::rejected(file_name, Reason::WaitingContent { revision });
            r.outcome = Outcome::Held;
            return Ok(r);
        }
        Err(r) => return Ok(FileResult::rejected(file_name, Reason::Rejected(r))),
    };
    let ReadReturn { revision, scores, signer, fingerprint } = *read;
    let b = &revision;
    // An administration's database keeps its own member's returns only.
    if let Some(own) = own_member(store)?
        && own != b.member
    {
        let mut r = FileResult::rejected(file_name, Reason::OtherMember { member: b.member.clone(), own });
        (r.member, r.cycle, r.revision, r.fingerprint) =
            (Some(b.member.clone()), Some(b.cycle), Some(b.revision), Some(fingerprint));
        return Ok(r);
    }
    let mut decision = (Outcome::Rejected, Reason::None);
    let incoming = Incoming {
        revision: b,
        file_name,
        raw: &raw,
        file_sha256: &file_sha256,
        signer: &signer,
        fingerprint: &fingerprint,
        scores: Some(&scores),
    };
    let candidate = Candidate {
        member: &b.member,
        cycle: b.cycle,
        revision: b.revision,
        digest: &b.digest,
        previous_digest: b.previous_digest.as_deref(),
        signer: &signer,
        fingerprint: &fingerprint,
    };
    store.import_return(&incoming, |known| {
        decision = decide(known, &candidate);
        action(decision.0, &decision.1)
    })?;
    let (outcome, reason) = decision;
    let released = match outcome {
        Outcome::Accepted | Outcome::Supersedes => release(store, &b.uuid, b.revision + 1, identities)?,
        _ => Vec::new(),
    };
    Ok(FileResult {
        file_name: file_name.to_string(),
        outcome,
        reason,
        member: Some(b.member.clone()),
        cycle: Some(b.cycle),
        revision: Some(b.revision),
        counts: counting_for(store, &b.member, b.cycle)?,
        fingerprint: Some(fingerprint),
        released,
    })
}

/// The member of an administration's database (role `administration` and a member set), whose
/// returns alone it takes; None for the Secretariat's (or a database with no role yet).
fn own_member(store: &Store) -> Result<Option<String>, StoreError> {
    if store.setting("role")?.as_deref() != Some("administration") {
        return Ok(None);
    }
    Ok(store.setting("member")?.map(|m| m.trim().to_string()).filter(|m| !m.is_empty()))
}

/// Imports again the files held waiting for `revision - 1` of `uuid`, now that it is held.
fn release(
    store: &mut Store,
    uuid: &str,
    revision: u32,
    identities: &[age::x25519::Identity],
) -> Result<Vec<FileResult>, StoreError> {
    let mut out = Vec::new();
    for (id, name, bytes) in store.waiting_files(uuid, revision)? {
        store.release_held(id)?;
        out.push(import_bytes(store, &name, &bytes, identities)?);
    }
    Ok(out)
}

/// Imports again the returns held for a content revision now in use (or earlier): each is
/// imported as it would have been; one that still cannot be read for want of a key stays held.
pub fn release_for_content(
    store: &mut Store,
    identities: &[age::x25519::Identity],
) -> Result<Vec<FileResult>, StoreError> {
    let upto = crate::framework::current().meta.revision;
    let mut out = Vec::new();
    for (id, name, bytes) in store.waiting_for_content(upto)? {
        let r = import_bytes(store, &name, &bytes, identities)?;
        let keep = matches!(
            &r.reason,
            Reason::WaitingContent { .. } | Reason::Rejected(Rejection::EncryptedNoKey | Rejection::EncryptedWrongKey)
        );
        if !keep {
            store.release_for_content(id)?;
        }
        out.push(r);
    }
    Ok(out)
}

/// Why a conflict could not be settled.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The kept file no longer reads (e.g. the Secretariat's key is gone).
    #[error("{0}")]
    Rejected(Rejection),
}

/// Settles a conflict: `use_new` false keeps what is held (nothing else changes); true uses the
/// conflicting file: its revision replaces the one held (`revision`), its key becomes the
/// member's (`key`), or its assessment becomes the one that counts (`assessment`); in the last
/// two cases the file is then imported again and its result returned.
pub fn resolve(
    store: &mut Store,
    file: FileId,
    use_new: bool,
    identities: &[age::x25519::Identity],
) -> Result<Option<FileResult>, ResolveError> {
    if !use_new {
        store.resolve_conflict(file, None)?;
        return Ok(None);
    }
    let bytes = store.received_bytes(file)?;
    let v = exchange::read(&bytes, identities).map_err(ResolveError::Rejected)?;
    let kind = store.conflict_kind(file)?;
    let revision = v.imported();
    store.resolve_conflict(file, Some(&revision))?;
    // A revision that replaced the one held is stored without its scores: score it.
    crate::secretariat::consolidate::fill_scores(store, |_| {})?;
    if kind == "key" || kind == "assessment" {
        return Ok(Some(import_bytes(store, &exchange::file_name(&v.body), &bytes, identities)?));
    }
    release(store, &revision.uuid, v.body.revision + 1, identities)?;
    Ok(None)
}

/// Imports a file from disk (size checked before reading).
pub fn import_path(
    store: &mut Store,
    path: &Path,
    identities: &[age::x25519::Identity],
) -> Result<FileResult, StoreError> {
    import_prepared(store, Prepared::read(path), identities)
}

/// How many files [`Prefetch`] reads and checks ahead of the one being written.
const AHEAD: usize = 32;

/// Files read and checked on a second thread, in order, while the caller writes the ones before
/// them into the database: on two cores an import then takes about as long as its writing. A
/// file whose bytes the database already holds is not checked there (importing it again is
/// "already imported", found by [`import_prepared`]). Dropping it stops the thread.
///
/// ```ignore
/// let mut batch = Batch::new();
/// for (path, p) in Prefetch::start(&store, files, identities.to_vec())? {
///     let r = batch.import_prepared(&mut store, p, &identities);
/// }
/// batch.finish(&mut store)?;
/// ```
pub struct Prefetch {
    rx: Option<std::sync::mpsc::Receiver<(PathBuf, Prepared)>>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// Without a second thread (it could not be started): the files, and the next one, read
    /// here and checked by [`import_prepared`] as it writes.
    inline: Option<(std::sync::Arc<[PathBuf]>, usize)>,
}

impl Prefetch {
    pub fn start(
        store: &Store,
        files: Vec<PathBuf>,
        identities: Vec<age::x25519::Identity>,
    ) -> Result<Prefetch, StoreError> {
        let known = store.received_hashes()?;
        let files: std::sync::Arc<[PathBuf]> = files.into();
        let (tx, rx) = std::sync::mpsc::sync_channel(AHEAD);
        let theirs = files.clone();
        let spawned = std::thread::Builder::new().name("import-check".into()).spawn(move || {
            for f in theirs.iter() {
                let p = Prepared::from_path(f, &identities, &known);
                if tx.send((f.clone(), p)).is_err() {
                    break; // the import stopped
                }
            }
        });
        Ok(match spawned {
            Ok(thread) => Prefetch { rx: Some(rx), thread: Some(thread), inline: None },
            Err(_) => Prefetch { rx: None, thread: None, inline: Some((files, 0)) },
        })
    }
}

impl Iterator for Prefetch {
    type Item = (PathBuf, Prepared);

    fn next(&mut self) -> Option<(PathBuf, Prepared)> {
        if let Some((files, next)) = &mut self.inline {
            let f = files.get(*next)?.clone();
            *next += 1;
            let p = Prepared::read(&f);
            return Some((f, p));
        }
        match self.rx.as_ref()?.recv() {
            Ok(item) => Some(item),
            Err(_) => {
                // All sent, or the thread panicked: a panic is the import's, as if checked here.
                self.rx = None;
                if let Some(Err(panic)) = self.thread.take().map(|t| t.join()) {
                    std::panic::resume_unwind(panic);
                }
                None
            }
        }
    }
}

impl Drop for Prefetch {
    fn drop(&mut self) {
        self.rx = None; // the thread's next send fails: it stops
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The most files committed together by a [`Batch`].
pub const BATCH_FILES: usize = 200;
/// The longest a [`Batch`] stays open before it is committed.
pub const BATCH_TIME: Duration = Duration::from_millis(500);

/// A file's outcome once it is settled: its batch committed (what the result says is on disk), or
/// the file could not be kept (the error; nothing of it is kept).
#[derive(Debug)]
pub struct Settled {
    /// The file as the caller named it (its path, or the name given to [`Batch::import_bytes`]).
    pub path: PathBuf,
    pub result: Result<FileResult, StoreError>,
}

impl Settled {
    /// The result as shown: a file that could not be kept is "rejected" with its reason in
    /// both languages ([`Reason::Failed`]), under its cleaned name.
    pub fn into_file_result(self) -> FileResult {
        let path = self.path;
        self.result.unwrap_or_else(|e| {
            let words = [e.message(Lang::En), e.message(Lang::Fr)];
            FileResult::rejected(&shown_name(&path), Reason::Failed(words))
        })
    }
}

/// A file imported in the open batch, its outcome held back until the batch is committed; with
/// what importing it again alone needs, if the commit fails.
struct Pending {
    path: PathBuf,
    file_name: String,
    raw: Vec<u8>,
    result: Result<FileResult, StoreError>,
}

/// Imports files in batches: one transaction (one commit, one fsync) for up to [`BATCH_FILES`]
/// files or [`BATCH_TIME`], each file under its own SAVEPOINT with its own outcome.
///
/// An outcome is handed out only once the batch that holds the file is committed, so nothing
/// is ever said "accepted" that is not on disk. If a commit fails (a full disk), the batch's
/// files are imported again one by one, each in its own transaction: those whose commit succeeds
/// are handed out with their outcome, the others with the error (nothing of them is kept).
///
/// ```ignore
/// let mut batch = Batch::new();
/// for f in files {
///     if cancelled { break }
///     for s in batch.import_path(&mut store, &f, &identities) { progress(s) } // settled files
/// }
/// for s in batch.finish(&mut store, &identities) { progress(s) } // always, also after a cancel
/// ```
#[derive(Default)]
pub struct Batch {
    pending: Vec<Pending>,
}

impl std::fmt::Debug for Batch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Batch({} pending)", self.pending.len())
    }
}

impl Batch {
    pub fn new() -> Batch {
        Batch::default()
    }

    /// Files imported and not yet committed.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// [`import_path`] inside the batch; commits it first when it is full. Returns the files
    /// settled by that commit (often none).
    pub fn import_path(
        &mut self,
        store: &mut Store,
        path: &Path,
        identities: &[age::x25519::Identity],
    ) -> Vec<Settled> {
        self.import_prepared(store, path, Prepared::read(path), identities)
    }

    /// [`import_prepared`] inside the batch (`path` names the file in what is handed out);
    /// commits it first when it is full. Returns the files settled by that commit.
    pub fn import_prepared(
        &mut self,
        store: &mut Store,
        path: &Path,
        p: Prepared,
        identities: &[age::x25519::Identity],
    ) -> Vec<Settled> {
        let mut settled = self.before(store, identities);
        let (file_name, raw) = (p.file_name.clone(), p.raw.clone());
        let result = match store.begin_batch() {
            Ok(()) => store.unit(|s| import_prepared(s, p, identities)),
            Err(e) => Err(e),
        };
        let failed = result.is_err();
        self.pending.push(Pending { path: path.to_path_buf(), file_name, raw, result });
        if failed {
            // A store error may have cost the whole transaction (SQLite rolls it back on a full
            // disk): the batch is settled now, before another file goes into it.
            settled.extend(self.commit(store, identities));
        }
        settled
    }

    /// [`import_bytes`] inside the batch; commits it first when it is full. Returns the files
    /// settled by that commit.
    pub fn import_bytes(
        &mut self,
        store: &mut Store,
        file_name: &str,
        raw: &[u8],
        identities: &[age::x25519::Identity],
    ) -> Vec<Settled> {
        self.import_prepared(store, Path::new(file_name), Prepared::later(file_name, raw.to_vec()), identities)
    }

    /// Commits the batch if it is full or old enough.
    fn before(&mut self, store: &mut Store, identities: &[age::x25519::Identity]) -> Vec<Settled> {
        match store.batch_size() {
            Some((units, started)) if units >= BATCH_FILES || started.elapsed() >= BATCH_TIME => {
                self.commit(store, identities)
            }
            _ => Vec::new(),
        }
    }

    /// Commits what the batch holds and hands out every file's outcome. If the commit fails,
    /// the files are imported again one at a time ([`Batch`]).
    fn commit(&mut self, store: &mut Store, identities: &[age::x25519::Identity]) -> Vec<Settled> {
        let pending = std::mem::take(&mut self.pending);
        if store.commit_batch().is_ok() {
            return pending.into_iter().map(|p| Settled { path: p.path, result: p.result }).collect();
        }
        store.rollback_batch();
        pending.into_iter().map(|p| one_by_one(store, p, identities)).collect()
    }

    /// Commits what the batch holds (nothing if empty) and hands out the outcome of every file
    /// not handed out yet. Always call it, also after a cancel or an error.
    pub fn finish(mut self, store: &mut Store, identities: &[age::x25519::Identity]) -> Vec<Settled> {
        self.commit(store, identities)
    }
}

/// A file of a batch whose commit failed, imported again alone, in its own transaction. A file
/// refused on reading changed nothing: its outcome stands.
fn one_by_one(store: &mut Store, p: Pending, identities: &[age::x25519::Identity]) -> Settled {
    let Pending { path, file_name, raw, result } = p;
    if matches!(&result, Ok(r) if r.outcome == Outcome::Rejected && raw.is_empty()) {
        return Settled { path, result };
    }
    let result = store.begin_batch().and_then(|()| {
        let r = store.unit(|s| import_prepared(s, Prepared::later(&file_name, raw), identities));
        match (r, store.commit_batch()) {
            (Ok(r), Ok(())) => Ok(r),
            (Err(e), _) | (Ok(_), Err(e)) => Err(e),
        }
    });
    if result.is_err() {
        store.rollback_batch();
    }
    Settled { path, result }
}

/// Imports `files` in batches ([`Batch`]). `on_each` gets each file's outcome once it is settled
/// (its batch committed: what it says is on disk; or the error of a file not kept) and returns
/// false to stop: no further file is started, and the files already imported are committed and
/// handed out all the same.
pub fn import_many(
    store: &mut Store,
    files: &[PathBuf],
    identities: &[age::x25519::Identity],
    on_each: impl FnMut(&Path, Result<FileResult, StoreError>) -> bool,
) -> Result<(), StoreError> {
    import_many_until(store, files.to_vec(), identities, || false, on_each)
}

/// [`import_many`], also stopped before the next file when `stop` says so (a cancel). The batch
/// is finished and handed out even if importing a file panics; the panic then goes on.
pub fn import_many_until(
    store: &mut Store,
    files: Vec<PathBuf>,
    identities: &[age::x25519::Identity],
    stop: impl Fn() -> bool,
    mut on_each: impl FnMut(&Path, Result<FileResult, StoreError>) -> bool,
) -> Result<(), StoreError> {
    let mut hand_out = |settled: Vec<Settled>| {
        let mut go = true;
        for s in settled {
            go &= on_each(&s.path, s.result);
        }
        go
    };
    let mut batch = Batch::new();
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| -> Result<(), StoreError> {
        // Files are read and checked on a second thread while the ones before are written.
        let ahead = Prefetch::start(store, files, identities.to_vec())?;
        for (f, p) in ahead {
            if stop() || !hand_out(batch.import_prepared(store, &f, p, identities)) {
                break;
            }
        }
        Ok(())
    }));
    hand_out(batch.finish(store, identities));
    match run {
        Ok(r) => r,
        Err(panic) => std::panic::resume_unwind(panic),
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
            Reason::Uncounted,
            Reason::Waiting { missing: 2 },
            Reason::Jump { revision: 3 },
            Reason::Rewind { revision: 1, latest: 3 },
            Reason::DifferentKey { pinned: "A1B2 C3D4 E5F6 0718".into(), new: "0000 1111 2222 3333".into() },
            Reason::SecondAssessment { member: "FJ".into(), cycle: 2026 },
            Reason::SharedKey {
                member: "FJ".into(),
                others: vec!["AS".into(), "TO".into()],
                fingerprint: "A1B2 C3D4 E5F6 0718".into(),
            },
            Reason::OtherMember { member: "AS".into(), own: "FJ".into() },
        ] {
            assert_eq!(Reason::from_stored(&r.to_stored()), r);
        }
        let old = "Revision 2 replaces revision 1: kept in the history";
        assert_eq!(Reason::from_stored(old), Reason::Other(old.into()));
        // The sentences older versions stored are read back as what they say, in either language.
        let en = "Revision 3 replaces revision 2, which stays in the history.";
        let fr = "La révision 3 remplace la révision 2, qui reste dans l'historique.";
        for s in [en, fr] {
            assert_eq!(Reason::from_stored(s), Reason::Supersedes { old: 2, new: 3 });
        }
        let s = "Refusé : cette évaluation a déjà été reçue pour FJ 2026 ; un retour ne peut pas changer de membre ni de cycle.";
        assert_eq!(Reason::from_stored(s), Reason::Inconsistent { member: "FJ".into(), cycle: 2026 });
        assert_eq!(Reason::from_stored("Déjà importé : rien n'a changé."), Reason::AlreadyImported);
        let s = "Conflict: revision x was already received with different content. Both files are kept; choose which one stands.";
        assert_eq!(Reason::from_stored(s), Reason::Other(s.into()));
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
