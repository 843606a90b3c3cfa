//! The one place that holds SQL. Every change is its own transaction, committed as it is made.

use crate::assessment::{
    Answer, Assessment, Commitment, Confidence, Header, ImportedRevision, NeedCategory, NewAssessment, Response,
    ResponseChange, RevisionChain, Status, StoredRevision, Summary,
};
use crate::framework::{self, Profile};
use crate::lang::Lang;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row, params};
use rusqlite_migration::{M, Migrations};
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

/// Schema migrations, oldest first. Never edit a released one: add the next.
pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("migrations/001_initial.sql")),
        M::up(include_str!("migrations/002_returns.sql")),
    ])
}

/// The newest schema version this build understands.
pub const SCHEMA_VERSION: i64 = 2;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database {0} is already open in another cdf-assess window")]
    Locked(PathBuf),
    #[error("{0} is not a cdf-assess database or is damaged")]
    NotADatabase(PathBuf),
    #[error("{path} was written by a newer cdf-assess (schema {found}, this one knows {known})")]
    TooNew { path: PathBuf, found: i64, known: i64 },
    #[error("this revision is finalised and cannot be changed")]
    Finalised,
    #[error("no such assessment")]
    NotFound,
    #[error("the database is busy with an import")]
    Busy,
    #[error("{0}")]
    Invalid(String),
    #[error("cannot write to {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

impl StoreError {
    /// The user's message for this error.
    pub fn message(&self, lang: Lang) -> String {
        use StoreError as E;
        match self {
            E::Locked(p) => lang.f("error.locked", &[("path", &p.display())]),
            E::NotADatabase(p) => lang.f("error.not_a_database", &[("path", &p.display())]),
            E::TooNew { path, .. } => lang.f("error.too_new", &[("path", &path.display())]),
            E::Finalised => lang.t("error.finalised").to_string(),
            E::NotFound => lang.t("error.not_found").to_string(),
            E::Busy => lang.t("error.busy").to_string(),
            E::Invalid(detail) => lang.f("error.invalid", &[("detail", detail)]),
            e if e.is_disk_problem() => lang.f("error.disk", &[("detail", e)]),
            other => lang.f("error.database", &[("detail", other)]),
        }
    }

    /// True when the disk refused the write (full, read-only, I/O error).
    pub fn is_disk_problem(&self) -> bool {
        match self {
            StoreError::Io { .. } => true,
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.code,
                rusqlite::ErrorCode::DiskFull | rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::SystemIoFailure
            ),
            _ => false,
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Held for the life of the store: a second instance on the same database is refused.
    _lock: Option<File>,
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn is_not_a_db(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if matches!(f.code, rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt))
}

/// The default database file, in the platform's data directory.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "OCO", "cdf-assess").map(|d| d.data_dir().join("cdf-assess.sqlite3"))
}

impl Store {
    /// Opens (or creates) the database at `path`, refusing a second instance, a damaged or
    /// foreign file, or one from a newer version. Never overwrites anything it cannot read.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io { path: dir.into(), source })?;
        }
        let lock_path = lock_path(path);
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|source| StoreError::Io { path: lock_path.clone(), source })?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Err(StoreError::Locked(path.into())),
            Err(TryLockError::Error(source)) => return Err(StoreError::Io { path: lock_path, source }),
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        Self::init(conn, path.into(), Some(lock))
    }

    /// A private in-memory database (tests, previews).
    pub fn open_in_memory() -> Result<Store> {
        Self::init(Connection::open_in_memory()?, PathBuf::from(":memory:"), None)
    }

    fn init(mut conn: Connection, path: PathBuf, lock: Option<File>) -> Result<Store> {
        // Read before writing anything: a file that isn't a database must stay untouched.
        let version: i64 = match conn.query_row("PRAGMA user_version", [], |r| r.get(0)) {
            Ok(v) => v,
            Err(e) if is_not_a_db(&e) => return Err(StoreError::NotADatabase(path)),
            Err(e) => return Err(e.into()),
        };
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(|e| if is_not_a_db(&e) { StoreError::NotADatabase(path.clone()) } else { e.into() })?;
        if version == 0 && tables > 0 {
            // Someone else's SQLite file: refuse rather than add our tables to it.
            return Err(StoreError::NotADatabase(path));
        }
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew { path, found: version, known: SCHEMA_VERSION });
        }
        if version > 0 {
            let check: String = conn
                .query_row("PRAGMA quick_check", [], |r| r.get(0))
                .map_err(|e| if is_not_a_db(&e) { StoreError::NotADatabase(path.clone()) } else { e.into() })?;
            if check != "ok" {
                return Err(StoreError::NotADatabase(path));
            }
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: a committed answer survives a power cut, not just a crash.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_millis(2000))?;
        migrations().to_latest(&mut conn).map_err(|e| match e {
            rusqlite_migration::Error::RusqliteError { err, .. } => StoreError::Sqlite(err),
            other => StoreError::Invalid(other.to_string()),
        })?;
        Ok(Store { conn, path, _lock: lock })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    // ----- settings -----

    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self.conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    // ----- assessments -----

    /// Starts a draft for a member and cycle: every indicator of the current framework with its
    /// default target, and the member's baseline profile (Appendix 1 of the plan).
    pub fn create_assessment(&mut self, new: &NewAssessment) -> Result<i64> {
        let member = framework::member(&new.member)
            .ok_or_else(|| StoreError::Invalid(format!("unknown member {}", new.member)))?;
        let fw = framework::current();
        let ts = now();
        let uuid = uuid::Uuid::new_v4().to_string();
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO assessment (uuid, member, cycle, revision, framework_version, status, assessor_name,
                assessor_role, language, created_at, updated_at)
             VALUES (?1, ?2, ?3, 1, ?4, 'draft', ?5, ?6, ?7, ?8, ?8)",
            params![
                uuid,
                member.code,
                new.cycle,
                fw.meta.version,
                new.assessor_name,
                new.assessor_role,
                new.language,
                ts
            ],
        )?;
        let id = tx.last_insert_rowid();
        {
            let mut ins = tx
                .prepare("INSERT INTO response (assessment_id, indicator, position, target) VALUES (?1, ?2, ?3, ?4)")?;
            for (pos, ind) in fw.indicators.iter().enumerate() {
                ins.execute(params![id, ind.code, pos as i64, ind.default_target])?;
            }
        }
        insert_profile(&tx, id, &member.baseline)?;
        tx.commit()?;
        Ok(id)
    }

    pub fn list(&self) -> Result<Vec<Summary>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {HEADER_COLS},
                (SELECT count(*) FROM response r WHERE r.assessment_id = a.id AND r.answer IS NOT NULL),
                (SELECT count(*) FROM response r WHERE r.assessment_id = a.id)
             FROM assessment a ORDER BY a.cycle DESC, a.member, a.revision DESC"
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok(Summary {
                header: header_from_row(r)?,
                answered: r.get::<_, i64>(15)? as usize,
                total: r.get::<_, i64>(16)? as usize,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    pub fn header(&self, id: i64) -> Result<Header> {
        self.conn
            .query_row(&format!("SELECT {HEADER_COLS} FROM assessment a WHERE a.id = ?1"), [id], header_from_row)
            .optional()?
            .ok_or(StoreError::NotFound)
    }

    pub fn load(&self, id: i64) -> Result<Assessment> {
        let header = self.header(id)?;
        let profile = self.conn.query_row(
            "SELECT hs_version, rkc, wto_valuation, risk_management, automation, arusha, pca FROM profile WHERE assessment_id = ?1",
            [id],
            |r| {
                Ok(Profile {
                    hs_version: r.get(0)?,
                    rkc: r.get(1)?,
                    wto_valuation: r.get(2)?,
                    risk_management: r.get(3)?,
                    automation: r.get(4)?,
                    arusha: r.get(5)?,
                    pca: r.get(6)?,
                })
            },
        )?;
        let mut stmt = self.conn.prepare(
            "SELECT indicator, answer, target, confidence, commitment, evidence, comment, need, updated_at
             FROM response WHERE assessment_id = ?1 ORDER BY position",
        )?;
        let responses = stmt
            .query_map([id], |r| {
                let answer: Option<String> = r.get(1)?;
                let confidence: Option<String> = r.get(3)?;
                let commitment: Option<String> = r.get(4)?;
                let need: Option<String> = r.get(7)?;
                Ok(Response {
                    indicator: r.get(0)?,
                    answer: Answer::from_code(answer.as_deref()).unwrap_or_default(),
                    target: r.get(2)?,
                    confidence: confidence.as_deref().and_then(Confidence::from_code),
                    commitment: commitment.as_deref().and_then(Commitment::from_code),
                    evidence: r.get(5)?,
                    comment: r.get(6)?,
                    need: need.as_deref().and_then(NeedCategory::from_code),
                    updated_at: r.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Assessment { header, profile, responses })
    }

    fn ensure_draft(&self, id: i64) -> Result<()> {
        match self.header(id)?.status {
            Status::Draft => Ok(()),
            Status::Finalised => Err(StoreError::Finalised),
        }
    }

    /// Writes one change to one response, in its own transaction.
    pub fn update_response(&mut self, id: i64, indicator: &str, change: &ResponseChange) -> Result<()> {
        self.ensure_draft(id)?;
        let (column, value): (&str, rusqlite::types::Value) = match change {
            ResponseChange::Answer(a) => ("answer", opt_text(a.code())),
            ResponseChange::Target(t) if *t <= 4 => ("target", rusqlite::types::Value::Integer(*t as i64)),
            ResponseChange::Target(t) => return Err(StoreError::Invalid(format!("target {t} out of range"))),
            ResponseChange::Confidence(c) => ("confidence", opt_text(c.map(|c| c.code().to_string()))),
            ResponseChange::Commitment(c) => ("commitment", opt_text(c.map(|c| c.code().to_string()))),
            ResponseChange::Evidence(s) => ("evidence", rusqlite::types::Value::Text(s.clone())),
            ResponseChange::Comment(s) => ("comment", rusqlite::types::Value::Text(s.clone())),
            ResponseChange::Need(n) => ("need", opt_text(n.map(|n| n.code().to_string()))),
        };
        let ts = now();
        let tx = self.conn.transaction()?;
        let n = tx.execute(
            &format!("UPDATE response SET {column} = ?1, updated_at = ?2 WHERE assessment_id = ?3 AND indicator = ?4"),
            params![value, ts, id, indicator],
        )?;
        if n != 1 {
            return Err(StoreError::Invalid(format!("unknown indicator {indicator}")));
        }
        tx.execute("UPDATE assessment SET updated_at = ?1 WHERE id = ?2", params![ts, id])?;
        tx.commit()?;
        Ok(())
    }

    pub fn update_profile(&mut self, id: i64, profile: &Profile) -> Result<()> {
        self.ensure_draft(id)?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE profile SET hs_version = ?1, rkc = ?2, wto_valuation = ?3, risk_management = ?4, automation = ?5,
                arusha = ?6, pca = ?7 WHERE assessment_id = ?8",
            params![
                profile.hs_version,
                profile.rkc,
                profile.wto_valuation,
                profile.risk_management,
                profile.automation,
                profile.arusha,
                profile.pca,
                id
            ],
        )?;
        tx.execute("UPDATE assessment SET updated_at = ?1 WHERE id = ?2", params![now(), id])?;
        tx.commit()?;
        Ok(())
    }

    pub fn update_assessor(&mut self, id: i64, name: &str, role: &str) -> Result<()> {
        self.ensure_draft(id)?;
        self.conn.execute(
            "UPDATE assessment SET assessor_name = ?1, assessor_role = ?2, updated_at = ?3 WHERE id = ?4",
            params![name, role, now(), id],
        )?;
        Ok(())
    }

    /// Signs off a draft: it becomes read-only.
    pub fn finalise(&mut self, id: i64, approved_by: &str) -> Result<()> {
        self.ensure_draft(id)?;
        if approved_by.trim().is_empty() {
            return Err(StoreError::Invalid("the head of administration's name is required".into()));
        }
        let ts = now();
        self.conn.execute(
            "UPDATE assessment SET status = 'finalised', approved_by = ?1, finalised_at = ?2, updated_at = ?2 WHERE id = ?3",
            params![approved_by.trim(), ts, id],
        )?;
        Ok(())
    }

    /// Opens revision n+1 of a finalised assessment as a draft copy; returns its id.
    pub fn start_revision(&mut self, id: i64) -> Result<i64> {
        let h = self.header(id)?;
        if h.status != Status::Finalised {
            return Err(StoreError::Invalid("only a finalised revision can be revised".into()));
        }
        let tx = self.conn.transaction()?;
        let latest: u32 =
            tx.query_row("SELECT max(revision) FROM assessment WHERE uuid = ?1", [&h.uuid], |r| r.get(0))?;
        if latest != h.revision {
            return Err(StoreError::Invalid(format!("revision {latest} already exists")));
        }
        let ts = now();
        tx.execute(
            "INSERT INTO assessment (uuid, member, cycle, revision, framework_version, status, assessor_name,
                assessor_role, language, created_at, updated_at)
             SELECT uuid, member, cycle, revision + 1, framework_version, 'draft', assessor_name, assessor_role,
                language, ?1, ?1 FROM assessment WHERE id = ?2",
            params![ts, id],
        )?;
        let new_id = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO response (assessment_id, indicator, position, answer, target, confidence, commitment,
                evidence, comment, need, updated_at)
             SELECT ?1, indicator, position, answer, target, confidence, commitment, evidence, comment, need, updated_at
             FROM response WHERE assessment_id = ?2",
            params![new_id, id],
        )?;
        tx.execute(
            "INSERT INTO profile SELECT ?1, hs_version, rkc, wto_valuation, risk_management, automation, arusha, pca
             FROM profile WHERE assessment_id = ?2",
            params![new_id, id],
        )?;
        tx.commit()?;
        Ok(new_id)
    }

    /// Deletes a draft (a finalised revision is kept forever).
    pub fn delete_draft(&mut self, id: i64) -> Result<()> {
        self.ensure_draft(id)?;
        self.conn.execute("DELETE FROM assessment WHERE id = ?1", [id])?;
        Ok(())
    }
}

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
    pub id: i64,
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
    pub fn received_bytes(&self, id: i64) -> Result<Vec<u8>> {
        self.conn
            .query_row("SELECT bytes FROM return_file WHERE id = ?1", [id], |r| r.get(0))
            .optional()?
            .ok_or(StoreError::NotFound)
    }

    /// Digest and app version an imported revision was written with (None for local ones).
    pub fn return_meta(&self, id: i64) -> Result<(Option<String>, Option<String>, Option<String>)> {
        Ok(self.conn.query_row(
            "SELECT digest, app_version, previous_digest FROM assessment WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?)
    }

    /// A revision with what it was received with (see [`StoredRevision`]).
    pub fn stored_revision(&self, id: i64) -> Result<StoredRevision> {
        let assessment = self.load(id)?;
        let (_, app_version, previous_digest) = self.return_meta(id)?;
        Ok(StoredRevision { assessment, app_version, previous_digest })
    }

    /// A revision and every earlier revision of the same assessment held: what its return file is
    /// built from (`exchange::export`).
    pub fn revision_chain(&self, id: i64) -> Result<RevisionChain> {
        let revision = self.stored_revision(id)?;
        let h = &revision.assessment.header;
        let ids = {
            let mut stmt =
                self.conn.prepare("SELECT id FROM assessment WHERE uuid = ?1 AND revision < ?2 ORDER BY revision")?;
            stmt.query_map(params![h.uuid, h.revision], |r| r.get::<_, i64>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?
        };
        let earlier = ids.into_iter().map(|id| self.stored_revision(id)).collect::<Result<Vec<_>>>()?;
        Ok(RevisionChain { revision, earlier })
    }

    /// The id of a revision of an assessment, if held.
    pub fn revision_id(&self, uuid: &str, revision: u32) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row("SELECT id FROM assessment WHERE uuid = ?1 AND revision = ?2", params![uuid, revision], |r| {
                r.get(0)
            })
            .optional()?)
    }
}

/// A revision held by the Secretariat, as consolidation needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldRevision {
    pub id: i64,
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
    pub fn open_conflicts(&self, cycle: i32) -> Result<Vec<(String, i64)>> {
        let mut stmt = self.conn.prepare(
            "SELECT member, id FROM return_file WHERE outcome = 'conflict' AND resolved = 0 AND cycle = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([cycle], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Settles a conflict. With `use_new`, the conflicting file replaces the revision held
    /// (its responses are loaded from `body`); otherwise the held revision stays. Both files are
    /// kept either way. One transaction.
    pub fn resolve_conflict(&mut self, file_id: i64, replacement: Option<&ImportedRevision>) -> Result<()> {
        let tx = self.conn.transaction()?;
        if let Some(b) = replacement {
            let old: Option<i64> = tx
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
fn insert_imported(tx: &Connection, b: &ImportedRevision) -> Result<i64> {
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
    let id = tx.last_insert_rowid();
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

fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".lock");
    db.with_file_name(name)
}

fn opt_text(v: Option<String>) -> rusqlite::types::Value {
    v.map(rusqlite::types::Value::Text).unwrap_or(rusqlite::types::Value::Null)
}

fn insert_profile(tx: &Connection, id: i64, p: &Profile) -> Result<()> {
    tx.execute(
        "INSERT INTO profile (assessment_id, hs_version, rkc, wto_valuation, risk_management, automation, arusha, pca)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![id, p.hs_version, p.rkc, p.wto_valuation, p.risk_management, p.automation, p.arusha, p.pca],
    )?;
    Ok(())
}

const HEADER_COLS: &str = "a.id, a.uuid, a.member, a.cycle, a.revision, a.framework_version, a.status, a.assessor_name,
    a.assessor_role, a.language, a.created_at, a.updated_at, a.finalised_at, a.approved_by, a.imported";

fn header_from_row(r: &Row) -> rusqlite::Result<Header> {
    let status: String = r.get(6)?;
    Ok(Header {
        id: r.get(0)?,
        uuid: r.get(1)?,
        member: r.get(2)?,
        cycle: r.get(3)?,
        revision: r.get(4)?,
        framework_version: r.get(5)?,
        status: Status::from_code(&status).unwrap_or(Status::Draft),
        assessor_name: r.get(7)?,
        assessor_role: r.get(8)?,
        language: r.get(9)?,
        created_at: r.get(10)?,
        updated_at: r.get(11)?,
        finalised_at: r.get(12)?,
        approved_by: r.get(13)?,
        imported: r.get::<_, i64>(14)? != 0,
    })
}
