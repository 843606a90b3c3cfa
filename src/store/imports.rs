//! The Secretariat's side: received files, imported revisions, conflicts.

use super::rows::insert_profile;
use super::{Result, Store, StoreError, now};
use crate::assessment::ImportedRevision;
use crate::framework;
use crate::ids::{AssessmentId, FileId};
use rusqlite::{Connection, OptionalExtension, params};

/// One held revision as the chain rule (`secretariat::consolidate::counting_revision`) needs it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Link {
    pub revision: u32,
    /// Empty for local, never-exported revisions.
    pub digest: String,
    pub previous_digest: Option<String>,
    /// A person chose this revision although it does not chain to the one before.
    pub confirmed: bool,
}

/// A member's key as pinned by the Secretariat.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberKey {
    pub id: i64,
    pub member: String,
    /// The minisign public key, one line (`RW...`).
    pub public_key: String,
    pub fingerprint: String,
    pub pinned_at: String,
    pub how: PinHow,
    pub active: bool,
    pub retired_at: Option<String>,
    /// Other members whose active key is this same key (filled by `secretariat::keys::list`;
    /// empty as read).
    pub shared_with: Vec<String>,
}

/// How a key came to be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinHow {
    /// The first accepted return of the member was signed with it (trust on first use).
    FirstUse,
    /// A person pinned or confirmed it.
    ByHand,
}

impl PinHow {
    pub fn code(self) -> &'static str {
        match self {
            PinHow::FirstUse => "first_use",
            PinHow::ByHand => "by_hand",
        }
    }
}

/// What the database already holds about an incoming return's assessment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Known {
    /// (member, cycle) of the assessment UUID, if seen before.
    pub identity: Option<(String, i32)>,
    /// Every revision of this assessment held, by revision.
    pub revisions: Vec<Link>,
    /// This assessment was set aside by a person (another one of the member and cycle counts).
    pub retired: bool,
    /// Other assessments of the same member and cycle that are not set aside (UUIDs).
    pub others: Vec<String>,
    /// The member's active key, if one is pinned.
    pub member_key: Option<MemberKey>,
    /// Other members whose active key is the incoming file's signer (a key belongs to one
    /// member), by code.
    pub signer_members: Vec<String>,
}

/// What to do with an incoming return (decided by `secretariat`, applied here in one transaction).
#[derive(Debug, Clone, PartialEq)]
pub enum ImportAction {
    /// Insert the revision; `outcome` is "accepted" or "supersedes". `reason` is a stable,
    /// language-free code (`secretariat::import::Reason::to_stored`), kept as given. With
    /// `pin_first_use`, the signer's key becomes the member's key (if none is pinned).
    Insert { outcome: &'static str, reason: String, pin_first_use: bool },
    /// Keep the file for a person to decide; nothing else changes. `kind`: `revision` (a second
    /// different revision, a jump or a rewind), `key` (signed by another key than the member's),
    /// `assessment` (a second assessment for the member and cycle).
    Conflict { kind: &'static str, reason: String },
    /// Keep the file waiting for an earlier revision; it is looked at again when that arrives.
    Hold { reason: String },
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
    /// The key that signed it (minisign public key, one line) and its fingerprint.
    pub signer: &'a str,
    pub fingerprint: &'a str,
    /// The revision's scores, stored with it when it is inserted.
    pub scores: Option<&'a super::RevisionScores>,
}

impl Store {
    /// Imports one verified return in one transaction (inside a batch, [`Store::begin_batch`],
    /// under a SAVEPOINT): looks up what is known, lets `decide` choose, and applies it. Returns
    /// the action taken.
    pub fn import_return(
        &mut self,
        incoming: &Incoming,
        decide: impl FnOnce(&Known) -> ImportAction,
    ) -> Result<ImportAction> {
        if self.batch.is_some() {
            let sp = self.conn.savepoint()?;
            let action = import_return_in(&sp, incoming, decide)?;
            sp.commit()?;
            Ok(action)
        } else {
            let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let action = import_return_in(&tx, incoming, decide)?;
            tx.commit()?;
            Ok(action)
        }
    }

    /// Files held waiting for revision `revision - 1` of `uuid` (not yet released): id, file name
    /// and bytes.
    pub fn waiting_files(&self, uuid: &str, revision: u32) -> Result<Vec<(FileId, String, Vec<u8>)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, file_name, bytes FROM return_file WHERE outcome = 'held' AND resolved = 0 AND uuid = ?1
                AND revision = ?2 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![uuid, revision], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Marks a held file as released (it is being imported again, as a new arrival).
    pub fn release_held(&mut self, file: FileId) -> Result<()> {
        self.conn.execute("UPDATE return_file SET resolved = 1 WHERE id = ?1 AND outcome = 'held'", [file])?;
        Ok(())
    }

    /// The kind of a received file's conflict (`revision`, `key`, `assessment`; empty if none).
    pub fn conflict_kind(&self, file: FileId) -> Result<String> {
        self.conn
            .query_row("SELECT kind FROM return_file WHERE id = ?1", [file], |r| r.get(0))
            .optional()?
            .ok_or(StoreError::NotFound)
    }

    /// Pins a key by hand for a member: it becomes the active key, the one before stays in the
    /// history. `public_key` is the minisign one-line form, already checked by the caller
    /// (`secretariat::keys::pin`), with its fingerprint.
    pub fn pin_member_key(&mut self, member: &str, public_key: &str, fingerprint: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        pin(&tx, member, public_key, fingerprint, PinHow::ByHand)?;
        tx.commit()?;
        Ok(())
    }

    /// A person confirms a member's new key (as when settling a "different key" conflict).
    pub fn confirm_member_key(&mut self, member: &str, public_key: &str, fingerprint: &str) -> Result<()> {
        self.pin_member_key(member, public_key, fingerprint)
    }

    /// The member's active key, if any.
    pub fn member_key(&self, member: &str) -> Result<Option<MemberKey>> {
        active_key(&self.conn, member)
    }

    /// Members other than `member` whose active key is `public_key` (minisign one-line form).
    pub fn members_with_key(&self, public_key: &str, member: &str) -> Result<Vec<String>> {
        members_with_key(&self.conn, public_key, member)
    }

    /// Every key ever pinned (active and history), by member then date.
    pub fn member_keys(&self) -> Result<Vec<MemberKey>> {
        let mut stmt = self.conn.prepare(&format!("{KEY_SELECT} ORDER BY member, id"))?;
        let rows = stmt.query_map([], key_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
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
    pub digest: String,
    pub previous_digest: Option<String>,
    /// A person accepted it although it does not chain.
    pub confirmed: bool,
    /// Its assessment was set aside by a person.
    pub retired: bool,
}

impl HeldRevision {
    pub fn link(&self) -> Link {
        Link {
            revision: self.revision,
            digest: self.digest.clone(),
            previous_digest: self.previous_digest.clone(),
            confirmed: self.confirmed,
        }
    }
}

impl Store {
    /// Every imported revision (optionally of one cycle), oldest first.
    pub fn imported_revisions(&self, cycle: Option<i32>) -> Result<Vec<HeldRevision>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.id, a.uuid, a.member, a.cycle, a.revision, a.finalised_at,
                (SELECT min(f.received_at) FROM return_file f WHERE f.assessment_id = a.id),
                coalesce(a.digest, ''), a.previous_digest, a.confirmed, a.retired
             FROM assessment a WHERE a.imported = 1 AND (?1 IS NULL OR a.cycle = ?1)
             ORDER BY a.cycle, a.member, a.id",
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
                digest: r.get(7)?,
                previous_digest: r.get(8)?,
                confirmed: r.get::<_, i64>(9)? != 0,
                retired: r.get::<_, i64>(10)? != 0,
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

    /// Files held waiting for an earlier revision (file ids) per member for a cycle.
    pub fn open_waiting(&self, cycle: i32) -> Result<Vec<(String, FileId)>> {
        let mut stmt = self.conn.prepare(
            "SELECT member, id FROM return_file WHERE outcome = 'held' AND resolved = 0 AND cycle = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([cycle], |r| Ok((r.get(0)?, r.get(1)?)))?;
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

    /// Settles a conflict; `replacement` is the conflicting file's revision when a person chose
    /// it ("use new"), None to keep what is held. Both files are kept either way. One transaction.
    /// By kind of conflict, "use new":
    /// - `revision`: the file's revision replaces the one held with that number, as confirmed;
    /// - `key`: the file's signing key becomes the member's key (by hand), the old one stays in
    ///   the history; the file itself is then imported again by the caller
    ///   (`secretariat::import::resolve`);
    /// - `assessment`: the file's assessment is the one that counts for the member and cycle, the
    ///   others are set aside; the file is then imported again by the caller.
    pub fn resolve_conflict(&mut self, file_id: FileId, replacement: Option<&ImportedRevision>) -> Result<()> {
        let tx = self.conn.transaction()?;
        let (kind, outcome, member, cycle, signer, fingerprint): (String, String, String, i32, String, String) = tx
            .query_row(
                "SELECT kind, outcome, member, cycle, signer, fingerprint FROM return_file WHERE id = ?1",
                [file_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
            )
            .optional()?
            .ok_or(StoreError::NotFound)?;
        if outcome != "conflict" {
            return Err(StoreError::Invalid("not a conflict".into()));
        }
        match (kind.as_str(), replacement) {
            (_, None) => {}
            ("key", Some(_)) => {
                if signer.is_empty() {
                    return Err(StoreError::Invalid("the file has no signing key".into()));
                }
                pin(&tx, &member, &signer, &fingerprint, PinHow::ByHand)?;
            }
            ("assessment", Some(b)) => {
                tx.execute(
                    "UPDATE assessment SET retired = 1 WHERE imported = 1 AND member = ?1 AND cycle = ?2 AND uuid <> ?3",
                    params![member, cycle, b.uuid],
                )?;
                tx.execute("UPDATE assessment SET retired = 0 WHERE uuid = ?1", [&b.uuid])?;
            }
            (_, Some(b)) => replace_revision(&tx, file_id, b)?,
        }
        tx.execute("UPDATE return_file SET resolved = 1 WHERE id = ?1", [file_id])?;
        if kind == "revision" || kind.is_empty() {
            // Older conflicts on the same revision are settled by the same choice.
            tx.execute(
                "UPDATE return_file SET resolved = 1 WHERE outcome = 'conflict' AND kind IN ('revision', '')
                    AND (uuid, revision) = (SELECT uuid, revision FROM return_file WHERE id = ?1)",
                [file_id],
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}

/// "Use new" on a revision conflict: the file's revision replaces the one held, confirmed.
fn replace_revision(tx: &Connection, file_id: FileId, b: &ImportedRevision) -> Result<()> {
    {
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
        let id = insert_imported(tx, b)?;
        tx.execute("UPDATE assessment SET confirmed = 1 WHERE id = ?1", [id])?;
        tx.execute("UPDATE return_file SET assessment_id = ?1 WHERE id = ?2", params![id, file_id])?;
    }
    Ok(())
}

/// [`Store::import_return`] inside its transaction or savepoint.
fn import_return_in(
    tx: &Connection,
    incoming: &Incoming,
    decide: impl FnOnce(&Known) -> ImportAction,
) -> Result<ImportAction> {
    let b = incoming.revision;
    let identity = tx
        .prepare_cached("SELECT member, cycle FROM assessment WHERE uuid = ?1 LIMIT 1")?
        .query_row([&b.uuid], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i32>(1)?)))
        .optional()?;
    let revisions = links(tx, &b.uuid)?;
    let retired = tx
        .prepare_cached("SELECT max(retired) FROM assessment WHERE uuid = ?1")?
        .query_row([&b.uuid], |r| r.get::<_, Option<i64>>(0))?
        .unwrap_or(0)
        != 0;
    let others = {
        let mut stmt = tx.prepare_cached(
            "SELECT DISTINCT uuid FROM assessment WHERE imported = 1 AND retired = 0 AND member = ?1 AND cycle = ?2
                AND uuid <> ?3 ORDER BY id",
        )?;
        stmt.query_map(params![b.member, b.cycle, b.uuid], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?
    };
    let member_key = active_key(tx, &b.member)?;
    let signer_members = members_with_key(tx, incoming.signer, &b.member)?;
    let action = decide(&Known { identity, revisions, retired, others, member_key, signer_members });
    let ts = now();
    let sha = incoming.file_sha256;
    let (outcome, kind, reason, id) = match &action {
        ImportAction::Nothing => return Ok(action),
        ImportAction::Conflict { .. } | ImportAction::Hold { .. }
            if {
                // The same return received again is the same conflict (or wait), not a new one.
                tx.prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM return_file
                    WHERE outcome IN ('conflict', 'held') AND resolved = 0 AND uuid = ?1 AND revision = ?2 AND digest = ?3)",
                )?
                .query_row(
                    params![b.uuid, b.revision, b.digest],
                    |r| r.get::<_, bool>(0),
                )?
            } =>
        {
            return Ok(action);
        }
        ImportAction::Conflict { kind, reason } => ("conflict", *kind, reason, None),
        ImportAction::Hold { reason } => ("held", "", reason, None),
        ImportAction::Insert { outcome, reason, pin_first_use } => {
            if *pin_first_use && active_key(tx, &b.member)?.is_none() && !incoming.signer.is_empty() {
                pin(tx, &b.member, incoming.signer, incoming.fingerprint, PinHow::FirstUse)?;
            }
            let id = insert_imported(tx, b)?;
            if let Some(s) = incoming.scores {
                super::scores::insert_scores(tx, id, s)?;
            }
            (*outcome, "", reason, Some(id))
        }
    };
    tx.prepare_cached(
        "INSERT INTO return_file (received_at, file_name, file_sha256, digest, uuid, member, cycle, revision,
            outcome, reason, assessment_id, bytes, kind, signer, fingerprint)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        ts,
        incoming.file_name,
        sha,
        b.digest,
        b.uuid,
        b.member,
        b.cycle,
        b.revision,
        outcome,
        reason,
        id,
        incoming.raw,
        kind,
        incoming.signer,
        incoming.fingerprint
    ])?;
    Ok(action)
}

const KEY_SELECT: &str =
    "SELECT id, member, public_key, fingerprint, pinned_at, how, active, retired_at FROM member_key";

fn key_row(r: &rusqlite::Row) -> rusqlite::Result<MemberKey> {
    Ok(MemberKey {
        id: r.get(0)?,
        member: r.get(1)?,
        public_key: r.get(2)?,
        fingerprint: r.get(3)?,
        pinned_at: r.get(4)?,
        how: if r.get::<_, String>(5)? == "first_use" { PinHow::FirstUse } else { PinHow::ByHand },
        active: r.get::<_, i64>(6)? != 0,
        retired_at: r.get(7)?,
        shared_with: Vec::new(),
    })
}

/// Members other than `member` whose active key is `public_key`, by code.
fn members_with_key(conn: &Connection, public_key: &str, member: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT member FROM member_key WHERE active = 1 AND public_key = ?1 AND member <> ?2 ORDER BY member",
    )?;
    let rows = stmt.query_map(params![public_key, member], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

fn active_key(conn: &Connection, member: &str) -> Result<Option<MemberKey>> {
    let sql = format!("{KEY_SELECT} WHERE member = ?1 AND active = 1");
    Ok(conn.prepare_cached(&sql)?.query_row([member], key_row).optional()?)
}

/// Makes `public_key` the member's active key; the one before (if another) stays as history.
fn pin(tx: &Connection, member: &str, public_key: &str, fingerprint: &str, how: PinHow) -> Result<()> {
    if active_key(tx, member)?.is_some_and(|k| k.public_key == public_key) {
        return Ok(());
    }
    let ts = now();
    tx.execute(
        "UPDATE member_key SET active = 0, retired_at = ?2 WHERE member = ?1 AND active = 1",
        params![member, ts],
    )?;
    tx.execute(
        "INSERT INTO member_key (member, public_key, fingerprint, pinned_at, how, active) VALUES (?1, ?2, ?3, ?4, ?5, 1)",
        params![member, public_key, fingerprint, ts, how.code()],
    )?;
    Ok(())
}

/// Every revision of an assessment held, by revision.
fn links(conn: &Connection, uuid: &str) -> Result<Vec<Link>> {
    let mut stmt = conn.prepare_cached(
        "SELECT revision, coalesce(digest, ''), previous_digest, confirmed FROM assessment WHERE uuid = ?1
         ORDER BY revision",
    )?;
    let rows = stmt.query_map([uuid], |r| {
        Ok(Link {
            revision: r.get(0)?,
            digest: r.get(1)?,
            previous_digest: r.get(2)?,
            confirmed: r.get::<_, i64>(3)? != 0,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The most responses one INSERT statement writes.
const RESPONSES_AT_ONCE: usize = 32;

/// `INSERT INTO response … VALUES (…), (…)` for `rows` rows.
fn insert_responses_sql(rows: usize) -> String {
    let one = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    format!(
        "INSERT INTO response (assessment_id, indicator, position, answer, target, confidence, commitment,
            evidence, comment, need, updated_at, target_confirmed) VALUES {}",
        vec![one; rows].join(", ")
    )
}

/// Inserts an imported revision (assessment, profile, responses); returns its id.
fn insert_imported(tx: &Connection, b: &ImportedRevision) -> Result<AssessmentId> {
    tx.prepare_cached(
        "INSERT INTO assessment (uuid, member, cycle, revision, framework_version, status, assessor_name,
            assessor_role, language, created_at, updated_at, finalised_at, approved_by, imported,
            app_version, previous_digest, digest, content_revision)
         VALUES (?1, ?2, ?3, ?4, ?5, 'finalised', ?6, ?7, ?8, ?9, ?10, ?10, ?11, 1, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
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
        b.digest,
        b.content_revision
    ])?;
    let id = AssessmentId(tx.last_insert_rowid());
    insert_profile(tx, id, &b.profile)?;
    // Many rows a statement: one statement a row spends more on starting and ending it than on
    // the row (an import writes 600,000 of them for 10,000 returns).
    let fw = framework::get(b.framework_version).unwrap_or_else(framework::current);
    for chunk in b.responses.chunks(RESPONSES_AT_ONCE) {
        let mut stmt = tx.prepare_cached(&insert_responses_sql(chunk.len()))?;
        let positions: Vec<i64> = chunk
            .iter()
            .map(|r| fw.indicators.iter().position(|i| i.code == r.indicator).unwrap_or(0) as i64)
            .collect();
        let answers: Vec<Option<String>> = chunk.iter().map(|r| r.answer.code()).collect();
        let codes: Vec<[Option<&str>; 3]> = chunk
            .iter()
            .map(|r| [r.confidence.map(|c| c.code()), r.commitment.map(|c| c.code()), r.need.map(|n| n.code())])
            .collect();
        let mut values: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(chunk.len() * 12);
        for (((r, pos), answer), [confidence, commitment, need]) in
            chunk.iter().zip(&positions).zip(&answers).zip(&codes)
        {
            values.extend([
                &id as &dyn rusqlite::ToSql,
                &r.indicator,
                pos,
                answer,
                &r.target,
                confidence,
                commitment,
                &r.evidence,
                &r.comment,
                need,
                &r.updated_at,
                &r.target_confirmed,
            ]);
        }
        stmt.execute(rusqlite::params_from_iter(values))?;
    }
    super::plan::insert_plan(tx, id, &b.plan)?;
    super::replies::insert_replies(tx, id, &b.replies)?;
    super::attribution::insert_contributors(tx, id, &b.contributors, &b.finalised_at)?;
    Ok(id)
}
