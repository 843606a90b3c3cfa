//! What the pages draw from: plain data, sent by the worker, never touched by a frame's work.

pub use super::session::{Previous, Progress, Session, TextField, Warning};
use crate::assessment::Summary;
use crate::ids::AssessmentId;
use crate::lang::{Lang, Words};
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
    /// The web browser, on a link.
    Browser,
}

/// What a system dialog was asked for (the message says what to do instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialog {
    Save,
    Import,
    Backup,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Error,
}

/// A message kept as data and put into words only when shown, so it follows the language.
#[derive(Debug, Clone)]
pub enum Msg {
    /// An i18n key with its arguments (already sanitised text).
    Key(&'static str, Vec<(&'static str, String)>),
    /// A store error.
    Store(Arc<StoreError>),
    /// A refused return file.
    Rejected(crate::exchange::Rejection),
    /// Typed text that could not be written: it stays on screen and is tried again.
    TextNotSaved(Arc<StoreError>),
    /// An automatic backup failed (the work itself is saved).
    Backup(Arc<StoreError>),
    /// What import would refuse, found before signing off.
    Problems(Vec<crate::exchange::Rejection>),
    /// Text already in the user's language (from a lower layer that words its own errors).
    Text(String),
    /// The same message already put into each language (indexed by `Lang`), for an error that
    /// cannot be kept as a value.
    Langs([String; 2]),
    /// `key` with `args`, whose `{detail}` says why, put into words when shown.
    Failed(&'static str, Vec<(&'static str, String)>, Cause),
    /// A feedback file refused or ignored.
    FeedbackRefused(crate::exchange::feedback::Refusal),
    /// Any value that says itself in words ([`Words`]): an error of a lower layer, kept as it is.
    Said(Arc<dyn Words>),
}

/// Why something failed, kept as a value and put into words when shown.
#[derive(Debug, Clone)]
pub enum Cause {
    /// The system refused a file (the message names it).
    Os(crate::i18n::IoCause),
    /// The system refused this file or folder.
    OsAt(String, crate::i18n::IoCause),
    Store(Arc<StoreError>),
    /// A catalogue key.
    Key(&'static str),
    /// A library's own technical wording (a PDF or workbook writer), shown as is.
    Detail(String),
}

impl Cause {
    pub fn io(e: &std::io::Error) -> Cause {
        Cause::Os(crate::i18n::IoCause::of(e))
    }

    pub fn text(&self, t: Lang) -> String {
        match self {
            Cause::Os(c) => c.words(t),
            Cause::OsAt(path, c) => t.f("os.at", &[("path", path), ("cause", &c.words(t))]),
            Cause::Store(e) => e.message(t),
            Cause::Key(k) => t.t(k).to_string(),
            Cause::Detail(d) => crate::exchange::clean_text(d),
        }
    }

    /// A signing-key error as a value.
    pub fn of_sign(e: &crate::exchange::sign::SignError) -> Cause {
        use crate::exchange::sign::SignError as E;
        match e {
            E::Io { path, source } => Cause::OsAt(path.clone(), crate::i18n::IoCause::of(source)),
            E::BadSecretKey(_) | E::BadPublicKey => Cause::Key("keys.damaged"),
            E::Generate(d) => Cause::Detail(d.clone()),
            E::BadSignature | E::Mismatch => Cause::Key("reject.bad_signature"),
        }
    }

    /// An age key-file error as a value.
    pub fn of_key(e: &crate::exchange::keys::KeyError) -> Cause {
        use crate::exchange::keys::KeyError as E;
        match e {
            E::Io { path, source } => Cause::OsAt(path.clone(), crate::i18n::IoCause::of(source)),
            E::NoKey(_) | E::Invalid(_) => Cause::Key("keys.damaged"),
        }
    }

    /// A return that could not be written, as a value.
    pub fn of_export(e: &crate::exchange::ExportError) -> Cause {
        use crate::exchange::ExportError as E;
        match e {
            E::NotFinalised => Cause::Key("export.err_not_finalised"),
            E::UnknownFramework(_) => Cause::Key("export.err_framework"),
            E::BadKey(_) => Cause::Key("export.err_bad_key"),
            E::Encrypt(d) => Cause::Detail(d.clone()),
        }
    }
}

impl Msg {
    pub fn key(key: &'static str) -> Msg {
        Msg::Key(key, Vec::new())
    }
    pub fn with(key: &'static str, args: &[(&'static str, &dyn std::fmt::Display)]) -> Msg {
        Msg::Key(key, args.iter().map(|(k, v)| (*k, v.to_string())).collect())
    }
    /// A value that says itself in words, kept as it is until shown.
    pub fn said(w: impl Words + 'static) -> Msg {
        Msg::Said(Arc::new(w))
    }

    /// The same message in every language, for a lower layer that words its own errors.
    pub fn langs(words: impl Fn(Lang) -> String) -> Msg {
        Msg::Langs([words(Lang::En), words(Lang::Fr)])
    }

    pub fn text(&self, t: Lang) -> String {
        match self {
            Msg::Key(key, args) => {
                let args: Vec<(&str, &dyn std::fmt::Display)> =
                    args.iter().map(|(k, v)| (*k, v as &dyn std::fmt::Display)).collect();
                t.f(key, &args)
            }
            Msg::Store(e) => e.message(t),
            Msg::Rejected(r) => r.message(t),
            Msg::Text(s) => s.clone(),
            Msg::Langs(texts) => texts[t as usize].clone(),
            Msg::Failed(key, args, cause) => {
                let detail = cause.text(t);
                let mut all: Vec<(&str, &dyn std::fmt::Display)> =
                    args.iter().map(|(k, v)| (*k, v as &dyn std::fmt::Display)).collect();
                all.push(("detail", &detail));
                t.f(key, &all)
            }
            Msg::Backup(e) => e.backup_message(t),
            Msg::Problems(list) => {
                let items: Vec<String> = list.iter().take(5).map(|r| r.message(t)).collect();
                t.f("finalise.problems", &[("n", &list.len()), ("list", &items.join(" · "))])
            }
            Msg::TextNotSaved(e) => t.f("text.not_saved", &[("detail", &e.message(t))]),
            Msg::FeedbackRefused(r) => r.message(t),
            Msg::Said(w) => w.words(t),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Notice {
    pub kind: NoticeKind,
    pub msg: Msg,
}

impl Notice {
    pub fn info(msg: Msg) -> Notice {
        Notice { kind: NoticeKind::Info, msg }
    }
    pub fn error(msg: Msg) -> Notice {
        Notice { kind: NoticeKind::Error, msg }
    }
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

/// The Secretariat's workspace: the cycles held, the chosen one, its consolidation, the files.
#[derive(Debug, Clone, Default)]
pub struct SecView {
    pub cycles: Vec<i32>,
    pub cycle: Option<i32>,
    pub consolidation: Option<Arc<Consolidation>>,
    pub received: Arc<Vec<ReceivedFile>>,
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
    /// A program could not be opened (no e-mail program, no file manager): the page shows what
    /// to do by hand.
    pub no_program: Option<Program>,
    /// Feedback: the Secretariat's reviews, a member's feedback received (`app::review`).
    pub feedback: super::review::FeedbackState,
    /// A card that changes a key held, waiting for a person's confirmation.
    pub card_change: Option<Arc<PendingCard>>,
    /// A key pin that replaces or shares a key, waiting for a person's confirmation.
    pub pin_conflict: Option<Arc<PendingPin>>,
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
    /// Why it needs confirming, in each language (both members or both keys named).
    pub why: [String; 2],
}

/// Every error and refusal the window shows says itself through [`Words`] (its own `message`).
macro_rules! words {
    ($($t:ty),* $(,)?) => {$(
        impl Words for $t {
            fn words(&self, t: Lang) -> String {
                self.message(t)
            }
        }
    )*};
}
words!(
    crate::store::StoreError,
    crate::exchange::Rejection,
    crate::exchange::card::CardRefusal,
    crate::exchange::feedback::Refusal,
    crate::feedback::CardChange,
    crate::feedback::CardImportError,
    crate::secretariat::keys::PinError,
    crate::secretariat::import::Reason,
    crate::ids::CodeError,
    super::files::ArgProblem,
);
