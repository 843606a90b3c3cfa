//! What the pages draw from: plain data, sent by the worker, never touched by a frame's work.

pub use super::msg::{Cause, Msg, Notice, NoticeKind};
pub use super::session::{Changed, Previous, Progress, Session, TextField, Warning};
use crate::assessment::Summary;
use crate::ids::AssessmentId;
use crate::lang::Lang;
use crate::secretariat::consolidate::Consolidation;
use crate::secretariat::import::FileResult;
use crate::store::{ReceivedFile, StoreError};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Administration,
    Secretariat,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Administration => "administration",
            Role::Secretariat => "secretariat",
        }
    }
    pub fn from_code(s: &str) -> Option<Role> {
        match s {
            "administration" => Some(Role::Administration),
            "secretariat" => Some(Role::Secretariat),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeChoice {
    Light,
    Dark,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub lang: Lang,
    pub role: Option<Role>,
    pub member: Option<String>,
    pub theme: ThemeChoice,
    pub ui_scale: f32,
    pub secretariat_email: String,
    /// The Secretariat's public key (`age1...`): returns are encrypted to it when set.
    pub secretariat_key: String,
    /// The Secretariat's signing key (`RW...`, from its card): feedback files are checked with it.
    pub secretariat_signer: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            lang: super::desktop::system_lang(),
            role: None,
            member: None,
            theme: ThemeChoice::Light,
            ui_scale: 1.0,
            secretariat_email: String::new(),
            secretariat_key: String::new(),
            secretariat_signer: String::new(),
        }
    }
}

impl Settings {
    /// First-run setup is complete: a role, and a member for an administration.
    pub fn setup_done(&self) -> bool {
        match self.role {
            Some(Role::Administration) => self.member.is_some(),
            Some(Role::Secretariat) => true,
            None => false,
        }
    }

    /// The settings as stored, key by key.
    pub fn pairs(&self) -> [(&'static str, String); 8] {
        [
            ("lang", self.lang.code().to_string()),
            ("role", self.role.map(|r| r.code().to_string()).unwrap_or_default()),
            ("member", self.member.clone().unwrap_or_default()),
            ("theme", if self.theme == ThemeChoice::Dark { "dark" } else { "light" }.to_string()),
            ("ui_scale", format!("{:.2}", self.ui_scale)),
            ("secretariat_email", self.secretariat_email.clone()),
            ("secretariat_key", self.secretariat_key.trim().to_string()),
            ("secretariat_signer", self.secretariat_signer.trim().to_string()),
        ]
    }

    /// True if the Secretariat key is a valid `age1...` key.
    pub fn secretariat_key_valid(&self) -> bool {
        crate::exchange::keys::parse_recipient(&self.secretariat_key).is_ok()
    }
}

/// A program the app asks the system to open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Program {
    /// The e-mail program, with a message filled in.
    Mail,
    /// The file manager, on a folder.
    Folder,
}

/// What a system dialog was asked for (the message says what to do instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialog {
    Save,
    /// The Secretariat's return files.
    Import,
    Backup,
    /// An administration's: the Secretariat's card.
    Card,
    /// An administration's: a feedback file.
    Feedback,
    /// A section file or a section answer file (issue 26).
    Section,
}

/// A text typed and shown but not yet written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsavedText {
    pub id: AssessmentId,
    pub indicator: String,
    pub field: TextField,
    /// A write failed; it is tried again.
    pub failed: bool,
}

/// A return just written.
#[derive(Debug, Clone, PartialEq)]
pub struct LastExport {
    pub path: PathBuf,
    pub size: usize,
    pub encrypted: bool,
    pub member: String,
    pub cycle: i32,
    pub revision: u32,
}

/// A section or answer file written: where, how large, for whom.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionSent {
    pub path: PathBuf,
    pub size: usize,
    /// The colleague (a section) or the coordinator (an answer).
    pub to: String,
    pub answer: bool,
}

/// The Secretariat's workspace: the cycles held, the chosen one, its consolidation, the files.
#[derive(Debug, Clone, Default)]
pub struct SecView {
    pub cycles: Vec<i32>,
    pub cycle: Option<i32>,
    pub consolidation: Option<Arc<Consolidation>>,
    pub received: Arc<Vec<ReceivedFile>>,
}

impl SecView {
    /// The revision of a member's return that counts in the consolidation of the cycle chosen.
    pub fn counting(&self, member: &str) -> Option<crate::ids::AssessmentId> {
        self.consolidation
            .as_ref()
            .and_then(|c| c.members.iter().find(|m| m.member == member))
            .and_then(|m| m.assessment.as_ref())
            .map(|a| a.header.id)
    }
}

/// An import running in the worker.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportProgress {
    pub done: usize,
    pub total: usize,
}

/// Everything the pages read. Replaced piece by piece as the worker's events arrive.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// The worker has opened the database and sent the first state.
    pub ready: bool,
    pub startup_error: Option<Arc<StoreError>>,
    /// The automatic backups of a database that could not be opened, newest first.
    pub startup_backups: Vec<crate::store::AutoBackup>,
    pub settings: Settings,
    pub db_path: Option<PathBuf>,
    /// Where the Secretariat's private key lives (beside the database).
    pub identity_path: Option<PathBuf>,
    /// The Secretariat's own public key, once its key pair exists.
    pub own_public_key: Option<String>,
    pub list: Arc<Vec<Summary>>,
    pub session: Option<Arc<Session>>,
    pub notice: Option<Notice>,
    pub last_export: Option<LastExport>,
    /// The last section or answer file written (issue 26): how to send it.
    pub section_sent: Option<SectionSent>,
    pub sec: SecView,
    /// Results of this session's imports, in the order imported (drawn newest first).
    pub import_results: std::collections::VecDeque<FileResult>,
    pub import: Option<ImportProgress>,
    /// A report or export is being written off the worker.
    pub writing: bool,
    /// The members' signing keys the Secretariat trusts (active and history).
    pub member_keys: Arc<Vec<crate::store::MemberKey>>,
    /// This installation's signing key, once made: its fingerprint (read out on the phone) and
    /// its public key line (given to the Secretariat).
    pub signing: Option<(String, String)>,
    /// What the backup chosen for a restore holds, waiting for the user to confirm.
    pub backup_info: Option<crate::store::BackupInfo>,
    /// Typed texts not yet written (waiting for their pause, or a write failed).
    pub unsaved: Vec<UnsavedText>,
    /// A system dialog could not be opened on this computer: pages show their folder fields.
    pub no_dialog: bool,
    /// Which file choices found no dialog: each shows its own path field.
    pub no_dialog_for: Vec<Dialog>,
    /// A program could not be opened (no e-mail program, no file manager): the page shows what
    /// to do by hand.
    pub no_program: Option<Program>,
    /// Files opened from outside (`cdf-assess FILE`, a double-click), offered before importing.
    pub opened: Vec<PathBuf>,
    /// Feedback: the Secretariat's reviews, a member's feedback received (`app::review`).
    pub feedback: super::review::FeedbackState,
    /// A card that changes a key held, waiting for a person's confirmation.
    pub card_change: Option<Arc<PendingCard>>,
    /// A key pin that replaces or shares a key, waiting for a person's confirmation.
    pub pin_conflict: Option<Arc<PendingPin>>,
    /// The Secretariat's work programme (`rooms/programme.rs`).
    pub programme: Arc<crate::secretariat::programme::ProgrammeView>,
    /// The framework's content revision in use (framework files), once the worker said it.
    pub framework: Option<Arc<FrameworkHeld>>,
}

impl Snapshot {
    pub fn lang(&self) -> Lang {
        self.settings.lang
    }

    /// The assessments this installation shows: its own member's (or all, for the Secretariat).
    pub fn visible_list(&self) -> impl Iterator<Item = &Summary> {
        let member = self.settings.member.clone();
        let admin = self.settings.role == Some(Role::Administration);
        self.list.iter().filter(move |s| !admin || Some(&s.header.member) == member.as_ref())
    }
}

impl Snapshot {
    /// The latest feedback imported for a cycle (administration).
    pub fn feedback_for(&self, cycle: i32) -> Option<&crate::feedback::FeedbackView> {
        self.feedback.received.iter().find(|f| f.body.cycle == cycle)
    }

    /// The feedback for the open assessment's cycle.
    pub fn session_feedback(&self) -> Option<&crate::feedback::FeedbackView> {
        let s = self.session.as_deref()?;
        if s.data.header.imported {
            return None;
        }
        self.feedback_for(s.data.header.cycle)
    }
}

/// A card waiting for a person to confirm the change it makes (old and new keys in `change`).
#[derive(Debug, Clone)]
pub struct PendingCard {
    pub text: String,
    pub change: crate::feedback::CardChange,
}

/// A key pin waiting for a person to confirm it.
#[derive(Debug, Clone)]
pub struct PendingPin {
    pub member: String,
    pub key: String,
    /// Why it needs confirming (both members or both keys named), put into words when shown.
    pub why: Msg,
}

/// The content revision in use: its number, whether it came from a framework file, and that
/// file's change log.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameworkHeld {
    pub revision: u32,
    pub imported: bool,
    pub change_log: Vec<crate::framework::Text>,
}
