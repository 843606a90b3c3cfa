//! The Secretariat's side: received files, imported revisions, conflicts.

use super::rows::insert_profile;
use super::{Result, Store, StoreError, now};
use crate::assessment::ImportedRevision;
use crate::framework;
use crate::ids::{AssessmentId, FileId};
use rusqlite::{Connection, OptionalExtension, params};

/// What the database already holds about an incoming return's assessment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Known {
    /// (member, cycle) of the assessment UUID, if seen before.
    pub identity: Option<(String, i32)>,
    /// (revision, digest) of every revision held (digest empty for local, never-exported ones).
    pub revisions: Vec<(u32, String)>,
}

/// What to do with an incoming return (decided by `secretariat`, applied here in one transaction).
#[derive(Debug, Clone, PartialEq)]
pub enum ImportAction {
    /// Insert the revision; `outcome` is "accepted" or "supersedes". `reason` is a stable,
    /// language-free code (`secretariat::import::Reason::to_stored`), kept as given.
    Insert { outcome: &'static str, reason: String },
    /// Keep the file for a person to decide; nothing else changes.
    Conflict { reason: String },
    /// Change nothing.
    Nothing,
}

/// A received file as listed on the import page.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceivedFile {
    pub id: FileId,
    pub received_at: String,
    pub file_name: String,
    pub member: String,
    pub cycle: i32,
    pub revision: u32,
    pub outcome: String,
    /// As stored: `secretariat::import::Reason::from_stored` reads it (older versions kept
    /// translated text here, which reads back as is).
    pub reason: String,
    pub resolved: bool,
}

/// The incoming return, as the store needs it.
pub struct Incoming<'a> {
    pub revision: &'a ImportedRevision,
    pub file_name: &'a str,
    /// The file's bytes as received, kept as they are.
    pub raw: &'a [u8],
    /// Hex SHA-256 of `raw`.
    pub file_sha256: &'a str,
}

impl Store {
    /// Imports one verified return in one transaction: looks up what is known, lets `decide`
    /// choose, and applies it. Returns the action taken.
    pub fn import_return(
        &mut self,
        incoming: &Incoming,
        decide: impl FnOnce(&Known) -> ImportAction,
    ) -> Result<ImportAction> {
        let b = incoming.revision;
        let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let identity = tx
            .query_row("SELECT member, cycle FROM assessment WHERE uuid = ?1 LIMIT 1", [&b.uuid], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i32>(1)?))
            })
            .optional()?;
        let revisions = {
            let mut stmt =
                tx.prepare("SELECT revision, coalesce(digest, '') FROM assessment WHERE uuid = ?1 ORDER BY revision")?;
            stmt.query_map([&b.uuid], |r| Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?
        };
        let action = decide(&Known { identity, revisions });
        let ts = now();
        let sha = incoming.file_sha256;
        match &action {
            ImportAction::Nothing => return Ok(action),
            ImportAction::Conflict { reason } => {
                // The same conflicting return received again is the same conflict, not a new one.
                let known: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM return_file
                        WHERE outcome = 'conflict' AND uuid = ?1 AND revision = ?2 AND digest = ?3)",
                    params![b.uuid, b.revision, b.digest],
                    |r| r.get(0),
                )?;
                if known {
                    return Ok(action);
                }
                tx.execute(
                    "INSERT INTO return_file (received_at, file_name, file_sha256, digest, uuid, member, cycle, revision,
                        outcome, reason, bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'conflict', ?9, ?10)",
                    params![ts, incoming.file_name, sha, b.digest, b.uuid, b.member, b.cycle, b.revision, reason, incoming.raw],
                )?;
            }
            ImportAction::Insert { outcome, reason } => {
                let id = insert_imported(&tx, b)?;
                tx.execute(
                    "INSERT INTO return_file (received_at, file_name, file_sha256, digest, uuid, member, cycle, revision,
                        outcome, reason, assessment_id, bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                    params![ts, incoming.file_name, sha, b.digest, b.uuid, b.member, b.cycle, b.revision, outcome, reason, id, incoming.raw],
                )?;
            }
        }
        tx.commit()?;
        Ok(action)
    }

    /// Every file received, newest first (without the bytes).
    pub fn received_files(&self) -> Result<Vec<ReceivedFile>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, received_at, file_name, member, cycle, revision, outcome, reason, resolved
             FROM return_file ORDER BY id DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(ReceivedFile {
                id: r.get(0)?,
                received_at: r.get(1)?,
                file_name: r.get(2)?,
                member: r.get(3)?,
                cycle: r.get(4)?,
                revision: r.get(5)?,
                outcome: r.get(6)?,
                reason: r.get(7)?,
                resolved: r.get::<_, i64>(8)? != 0,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The original bytes of a received file.
    pub fn received_bytes(&self, id: FileId) -> Result<Vec<u8>> {
        self.conn
            .query_row("SELECT bytes FROM return_file WHERE id = ?1", [id], |r| r.get(0))
            .optional()?
            .ok_or(StoreError::NotFound)
    }
}

/// A revision held by the Secretariat, as consolidation needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldRevision {
    pub id: AssessmentId,
    pub uuid: String,
    pub member: String,
    pub cycle: i32,
    pub revision: u32,
    pub finalised_at: Option<String>,
    pub received_at: Option<String>,
}

impl Store {
    /// Every imported revision (optionally of one cycle), oldest first.
    pub fn imported_revisions(&self, cycle: Option<i32>) -> Result<Vec<HeldRevision>> {
        let mut stmt = self.conn.prepare(
            "SELECT a.id, a.uuid, a.member, a.cycle, a.revision, a.finalised_at,
                (SELECT min(f.received_at) FROM return_file f WHERE f.assessment_id = a.id)
             FROM assessment a WHERE a.imported = 1 AND (?1 IS NULL OR a.cycle = ?1)
             ORDER BY a.cycle, a.member, a.finalised_at, a.revision",
        )?;
        let rows = stmt.query_map([cycle], |r| {
            Ok(HeldRevision {
                id: r.get(0)?,
                uuid: r.get(1)?,
                member: r.get(2)?,
                cycle: r.get(3)?,
                revision: r.get(4)?,
                finalised_at: r.get(5)?,
                received_at: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Cycles with at least one imported return, newest first.
    pub fn imported_cycles(&self) -> Result<Vec<i32>> {
        let mut stmt =
            self.conn.prepare("SELECT DISTINCT cycle FROM assessment WHERE imported = 1 ORDER BY cycle DESC")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Unresolved conflicts (file ids) per member for a cycle.
    pub fn open_conflicts(&self, cycle: i32) -> Result<Vec<(String, FileId)>> {
        let mut stmt = self.conn.prepare(
            "SELECT member, id FROM return_file WHERE outcome = 'conflict' AND resolved = 0 AND cycle = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([cycle], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Settles a conflict. With `use_new`, the conflicting file replaces the revision held
    /// (its responses are loaded from `body`); otherwise the held revision stays. Both files are
    /// kept either way. One transaction.
    pub fn resolve_conflict(&mut self, file_id: FileId, replacement: Option<&ImportedRevision>) -> Result<()> {
        let tx = self.conn.transaction()?;
        if let Some(b) = replacement {
            let old: Option<AssessmentId> = tx
                .query_row(
                    "SELECT id FROM assessment WHERE uuid = ?1 AND revision = ?2",
                    params![b.uuid, b.revision],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(old) = old {
                tx.execute("DELETE FROM assessment WHERE id = ?1", [old])?;
            }
            let id = insert_imported(&tx, b)?;
            tx.execute("UPDATE return_file SET assessment_id = ?1 WHERE id = ?2", params![id, file_id])?;
        }
        tx.execute("UPDATE return_file SET resolved = 1 WHERE id = ?1", [file_id])?;
        // Older conflicts on the same revision are settled by the same choice.
        tx.execute(
            "UPDATE return_file SET resolved = 1 WHERE outcome = 'conflict' AND (uuid, revision) =
                (SELECT uuid, revision FROM return_file WHERE id = ?1)",
            [file_id],
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// Inserts an imported revision (assessment, profile, responses); returns its id.
fn insert_imported(tx: &Connection, b: &ImportedRevision) -> Result<AssessmentId> {
    tx.execute(
        "INSERT INTO assessment (uuid, member, cycle, revision, framework_version, status, assessor_name,
            assessor_role, language, created_at, updated_at, finalised_at, approved_by, imported,
            app_version, previous_digest, digest)
         VALUES (?1, ?2, ?3, ?4, ?5, 'finalised', ?6, ?7, ?8, ?9, ?10, ?10, ?11, 1, ?12, ?13, ?14)",
        params![
            b.uuid,
            b.member,
            b.cycle,
            b.revision,
            b.framework_version,
            b.assessor_name,
            b.assessor_role,
            b.language,
            b.created_at,
            b.finalised_at,
            b.approved_by,
            b.app_version,
            b.previous_digest,
            b.digest
        ],
    )?;
    let id = AssessmentId(tx.last_insert_rowid());
    insert_profile(tx, id, &b.profile)?;
    let mut ins = tx.prepare(
        "INSERT INTO response (assessment_id, indicator, position, answer, target, confidence, commitment,
            evidence, comment, need, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    let fw = framework::get(b.framework_version).unwrap_or_else(framework::current);
    for r in &b.responses {
        let pos = fw.indicators.iter().position(|i| i.code == r.indicator).unwrap_or(0);
        ins.execute(params![
            id,
            r.indicator,
            pos as i64,
            r.answer.code(),
            r.target,
            r.confidence.map(|c| c.code()),
            r.commitment.map(|c| c.code()),
            r.evidence,
            r.comment,
            r.need.map(|n| n.code()),
            r.updated_at
        ])?;
    }
    Ok(id)
}
