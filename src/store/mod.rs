//! The one place that holds SQL. Every change is its own transaction, committed as it is made.
//!
//! `open` (opening, locking, migrations, checks), `settings`, `assessments` (drafts, revisions),
//! `imports` (received files, imported revisions, conflicts) and `rows` (row mapping helpers).
//! The store takes and returns plain values (`crate::assessment`): it knows nothing of return
//! files or languages beyond [`StoreError::message`].

mod assessments;
mod attribution;
mod backup;
mod batch;
mod disk;
mod frameworks;
mod imports;
mod keys;
mod me_targets;
mod open;
mod plan;
mod programme;
mod relocate;
mod replies;
mod review;
mod rows;
mod schema;
mod scores;
mod sections;
mod settings;
pub use settings::peek_setting;

pub use backup::{AutoBackup, BackupInfo, CheckReport, MAX_AUTO_BACKUPS, Restored};
pub use disk::Holder;
pub use frameworks::FrameworkFileRow;
pub use imports::{HeldRevision, ImportAction, Incoming, Known, Link, MemberKey, PinHow, ReceivedFile};
pub use keys::{DescribeKey, KeyProblem, NewKey, PUBLIC_KEY_SUFFIX, SECRET_KEY_SUFFIX, key_files as signing_key_files};
pub use me_targets::MeRecord;
pub use programme::{Decision, Intervention, InterventionStatus, StoredDecision};
pub use relocate::{MOVED_SUFFIX, Moved, move_database};
pub use replies::ExportRow;
pub use review::{ReceiptRow, ReviewRow};
pub use schema::{ObjectKind, SchemaDiff};
pub use scores::{Counting, KnownFile, PillarScores, RevisionScores};
pub use sections::{ColleagueKey, Conflict, MergeOutcome, SectionIn, SectionOut, ToMerge};

use crate::lang::Lang;
use batch::Batch;
use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};
use std::path::PathBuf;

/// Schema migrations, oldest first. Never edit a released one: add the next.
pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("migrations/001_initial.sql")),
        M::up(include_str!("migrations/002_returns.sql")),
        M::up(include_str!("migrations/003_signing.sql")),
        M::up(include_str!("migrations/004_indexes.sql")),
        M::up(include_str!("migrations/005_feedback.sql")),
        M::up(include_str!("migrations/006_scores.sql")),
        M::up(include_str!("migrations/007_answered_index.sql")),
        M::up(include_str!("migrations/008_draft_index.sql")),
        M::up(include_str!("migrations/009_target_confirmed.sql")),
        M::up(include_str!("migrations/010_programme.sql")),
        M::up(include_str!("migrations/011_plan.sql")),
        M::up(include_str!("migrations/012_framework_files.sql")),
        M::up(include_str!("migrations/013_me_targets.sql")),
        M::up(include_str!("migrations/014_query_replies.sql")),
        M::up(include_str!("migrations/015_sections.sql")),
    ])
}

/// The newest schema version this build understands.
pub const SCHEMA_VERSION: i64 = 15;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// `holder`: what holds it, when the lock file says so.
    #[error("the database {path} is already open elsewhere ({holder:?})")]
    Locked { path: PathBuf, holder: Option<Holder> },
    #[error("{0} is not a cdf-assess database or is damaged")]
    NotADatabase(PathBuf),
    /// The file exists but holds no cdf-assess data (empty, or a SQLite file without our
    /// tables, e.g. a copy taken without its `-wal` while the app was open). Never initialised
    /// silently: [`Store::create_new`] starts a new database on purpose.
    #[error("{0} holds no cdf-assess data (empty, or copied while the app was open)")]
    NotInitialised(PathBuf),
    /// [`Store::create_new`] on a file that already holds a database.
    #[error("{0} already holds a cdf-assess database")]
    AlreadyExists(PathBuf),
    #[error("{path} was written by a newer cdf-assess (schema {found}, this one knows {known})")]
    TooNew { path: PathBuf, found: i64, known: i64 },
    /// The file's schema is not the one its version must have (an added trigger, a view in place
    /// of a table, a dropped trigger…): never opened nor restored. See `schema`.
    #[error("{path} has an unexpected schema for version {version}: {}", schema::codes(diffs))]
    UnexpectedSchema { path: PathBuf, version: i64, diffs: Vec<SchemaDiff> },
    /// A signing key file beside the database that is not used (see `Store::signing_key`).
    #[error("the key file {path} is not used: {problem:?}")]
    KeyFile { path: PathBuf, problem: KeyProblem },
    #[error("this revision is finalised and cannot be changed")]
    Finalised,
    #[error("no such assessment")]
    NotFound,
    #[error("the database is busy with an import")]
    Busy,
    #[error("{0}")]
    Invalid(String),
    /// A change the rules refuse, said by a catalogue key (`store.*`) with its arguments.
    #[error("refused: {0}")]
    Refused(&'static str, Vec<(&'static str, String)>),
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
            E::Locked { path, holder } => {
                let key = match holder {
                    Some(Holder::Window) => "error.locked_window",
                    Some(Holder::Command) => "error.locked_command",
                    None => "error.locked",
                };
                lang.f(key, &[("path", &path.display())])
            }
            E::NotADatabase(p) => lang.f("error.not_a_database", &[("path", &p.display())]),
            E::NotInitialised(p) => lang.f("error.not_initialised", &[("path", &p.display())]),
            E::AlreadyExists(p) => lang.f("error.already_exists", &[("path", &p.display())]),
            E::TooNew { path, .. } => lang.f("error.too_new", &[("path", &path.display())]),
            E::UnexpectedSchema { path, version, diffs } => lang.f(
                "store.schema.refused",
                &[("path", &path.display()), ("version", version), ("detail", &schema::messages(diffs, lang))],
            ),
            E::KeyFile { path, problem: KeyProblem::OtherDatabase { file, database } } => {
                lang.f("store.key.other_database", &[("path", &path.display()), ("file", file), ("database", database)])
            }
            E::KeyFile { path, problem: KeyProblem::Damaged } => {
                lang.f("store.key.damaged", &[("path", &path.display())])
            }
            E::Finalised => lang.t("error.finalised").to_string(),
            E::NotFound => lang.t("error.not_found").to_string(),
            E::Busy => lang.t("error.busy").to_string(),
            E::Invalid(detail) => lang.f("error.invalid", &[("detail", detail)]),
            E::Refused(key, args) => {
                let args: Vec<(&str, &dyn std::fmt::Display)> =
                    args.iter().map(|(k, v)| (*k, v as &dyn std::fmt::Display)).collect();
                lang.f("error.invalid", &[("detail", &lang.f(key, &args))])
            }
            E::Io { path, source } => lang
                .f("error.io", &[("path", &path.display()), ("detail", &crate::i18n::IoCause::of(source).words(lang))]),
            E::Sqlite(e) if self.is_disk_problem() => lang.f("error.disk", &[("detail", &sqlite_words(e, lang))]),
            E::Sqlite(e) => lang.f("error.database", &[("detail", &sqlite_words(e, lang))]),
        }
    }

    /// The message for an automatic backup that failed ([`Store::last_backup_problem`]).
    pub fn backup_message(&self, lang: Lang) -> String {
        lang.f("error.backup_failed", &[("detail", &self.message(lang))])
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

/// What SQLite said, in plain words (its own text is English and technical).
fn sqlite_words(e: &rusqlite::Error, lang: Lang) -> String {
    use crate::i18n::IoCause;
    use rusqlite::ErrorCode as C;
    let rusqlite::Error::SqliteFailure(f, _) = e else {
        return lang.t("db.unexpected").to_string();
    };
    match f.code {
        C::DiskFull => IoCause::DiskFull.words(lang),
        C::ReadOnly => IoCause::ReadOnly.words(lang),
        C::PermissionDenied => IoCause::PermissionDenied.words(lang),
        C::DatabaseBusy | C::DatabaseLocked => IoCause::InUse.words(lang),
        C::SystemIoFailure => IoCause::DeviceError.words(lang),
        C::CannotOpen => lang.t("db.cannot_open").to_string(),
        C::DatabaseCorrupt | C::NotADatabase => lang.t("db.corrupt").to_string(),
        _ => lang.f("db.code", &[("code", &f.extended_code)]),
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

pub struct Store {
    conn: Connection,
    /// The path as given (shown to the user).
    path: PathBuf,
    /// The file itself, symlinks resolved: where the `backups` folder is (None in memory).
    file: Option<PathBuf>,
    /// The last automatic backup that failed (see [`Store::last_backup_problem`]).
    backup_problem: Option<StoreError>,
    /// Opening read the whole file ([`Store::checked_at_open`]).
    checked_at_open: bool,
    /// The import batch in progress ([`Store::begin_batch`]).
    batch: Option<Batch>,
    /// Held for the life of the store (dropped after `conn`): a second instance on the same
    /// database, by whatever name, is refused.
    _lock: Option<disk::Lock>,
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The default database file, in the platform's *local* data directory (on Windows
/// `%LOCALAPPDATA%\OCO\cdf-assess\data`: never on a network share, as roaming profiles are).
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "OCO", "cdf-assess").map(|d| d.data_local_dir().join(DB_FILE))
}

/// Where version 0.1 put the default database: the roaming data directory on Windows (the same
/// as [`default_path`] elsewhere). See [`move_database`].
pub fn roaming_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "OCO", "cdf-assess").map(|d| d.data_dir().join(DB_FILE))
}

const DB_FILE: &str = "cdf-assess.sqlite3";
