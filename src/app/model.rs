//! What the pages draw from: plain data, sent by the worker, never touched by a frame's work.

use crate::assessment::{Answer, Assessment, Status, Summary};
use crate::framework::{self, Framework};
use crate::ids::AssessmentId;
use crate::lang::Lang;
use crate::scoring::{self, Comparison, IndicatorScore, Scores};
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

/// Which of an indicator's two texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextField {
    Evidence,
    Comment,
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

/// Progress of one assessment: answered / total per pillar (framework order) and overall.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Progress {
    pub pillars: Vec<(String, usize, usize)>,
    pub answered: usize,
    pub total: usize,
}

impl Progress {
    pub fn of(fw: &Framework, a: &Assessment) -> Progress {
        let mut p = Progress::default();
        for pillar in &fw.meta.pillars {
            let codes: Vec<&str> = fw.indicators_of(&pillar.code).map(|i| i.code.as_str()).collect();
            let answered =
                a.responses.iter().filter(|r| codes.contains(&r.indicator.as_str()) && r.answer.is_answered()).count();
            p.pillars.push((pillar.code.clone(), answered, codes.len()));
            p.answered += answered;
            p.total += codes.len();
        }
        p
    }

    pub fn fraction(&self) -> f32 {
        if self.total == 0 { 0.0 } else { self.answered as f32 / self.total as f32 }
    }
}

/// The assessment a comparison is made against.
#[derive(Debug, Clone)]
pub struct Previous {
    pub cycle: i32,
    pub revision: u32,
    pub scores: Scores,
    pub comparison: Comparison,
}

/// An open assessment with everything derived from it, computed once per change.
#[derive(Debug, Clone)]
pub struct Session {
    pub data: Assessment,
    pub progress: Progress,
    pub scores: Scores,
    /// The gaps, ranked (most urgent first).
    pub gaps: Vec<IndicatorScore>,
    /// The same member's previous cycle (latest revision), for comparison.
    pub previous: Option<Previous>,
    /// A newer revision of this assessment exists (then no new revision from this one).
    pub has_newer_revision: bool,
    /// What import would refuse in the return of this revision if it were signed off now
    /// (finalise is refused while any is left).
    pub problems: Vec<crate::exchange::Rejection>,
}

impl Session {
    pub fn new(data: Assessment, previous: Option<(i32, u32, Scores)>, has_newer_revision: bool) -> Session {
        let fw = framework_of(&data);
        let scores = scoring::score(fw, &data.responses);
        let previous = previous.map(|(cycle, revision, s)| Previous {
            cycle,
            revision,
            comparison: scoring::compare(&s, &scores),
            scores: s,
        });
        let mut s = Session {
            progress: Progress::of(fw, &data),
            gaps: Vec::new(),
            scores,
            previous,
            has_newer_revision,
            problems: Vec::new(),
            data,
        };
        s.gaps = scoring::ranked_gaps(&s.scores).into_iter().cloned().collect();
        s.check();
        s
    }

    /// Runs every rule import will run on this revision's return (the approver is checked when
    /// signing off; unanswered indicators are listed by the Finalise page itself).
    pub fn check(&mut self) {
        self.problems = if self.read_only() {
            Vec::new()
        } else {
            crate::exchange::finalise_problems(&self.data, "Head of administration")
                .into_iter()
                .filter(|p| !matches!(p, crate::exchange::Rejection::InvalidValue { value, .. } if value == "null"))
                .collect()
        };
    }

    /// Recomputes progress, scores, gaps and the comparison after a change.
    pub fn rescore(&mut self) {
        let fw = self.framework();
        self.progress = Progress::of(fw, &self.data);
        self.scores = scoring::score(fw, &self.data.responses);
        self.gaps = scoring::ranked_gaps(&self.scores).into_iter().cloned().collect();
        if let Some(p) = self.previous.as_mut() {
            p.comparison = scoring::compare(&p.scores, &self.scores);
        }
        self.check();
    }

    pub fn id(&self) -> AssessmentId {
        self.data.header.id
    }

    /// Puts a typed text in place (no score depends on it); false if there is no such indicator.
    pub fn show_text(&mut self, indicator: &str, field: TextField, text: &str) -> bool {
        let Some(r) = self.data.responses.iter_mut().find(|r| r.indicator == indicator) else { return false };
        let slot = match field {
            TextField::Evidence => &mut r.evidence,
            TextField::Comment => &mut r.comment,
        };
        slot.clear();
        slot.push_str(text);
        true
    }

    /// A text of an indicator.
    pub fn text(&self, indicator: &str, field: TextField) -> Option<&String> {
        let r = self.data.responses.iter().find(|r| r.indicator == indicator)?;
        Some(match field {
            TextField::Evidence => &r.evidence,
            TextField::Comment => &r.comment,
        })
    }

    pub fn framework(&self) -> &'static Framework {
        framework_of(&self.data)
    }

    pub fn read_only(&self) -> bool {
        self.data.header.status == Status::Finalised || self.data.header.imported
    }

    /// The first unanswered indicator (or the first), where work resumes.
    pub fn first_unanswered(&self) -> usize {
        self.data.responses.iter().position(|r| !r.answer.is_answered()).unwrap_or(0)
    }
}

fn framework_of(a: &Assessment) -> &'static Framework {
    framework::get(a.header.framework_version).unwrap_or_else(framework::current)
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

/// What the review warns about before signing off (each with its count).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// Gaps without a need category (A, B or C): the action plan and the region's demand for
    /// help miss them.
    Unclassified(Vec<String>),
    /// Indicators answered "Insufficient information" (they score 0).
    Insufficient(Vec<String>),
    /// Indicators answered "Not applicable" (outside every score).
    NotApplicable(Vec<String>),
}

impl Session {
    /// What the sign-off review warns about, in the order it shows them (the rule, beside the
    /// session; the Finalise page only draws them).
    pub fn signoff_warnings(&self) -> Vec<Warning> {
        let s = self;
        let codes = |a: Answer| -> Vec<String> {
            s.data.responses.iter().filter(|r| r.answer == a).map(|r| r.indicator.clone()).collect()
        };
        let unclassified: Vec<String> = s.gaps.iter().filter(|g| g.need.is_none()).map(|g| g.code.clone()).collect();
        let mut w = Vec::new();
        if !unclassified.is_empty() {
            w.push(Warning::Unclassified(unclassified));
        }
        let insufficient = codes(Answer::Insufficient);
        if !insufficient.is_empty() {
            w.push(Warning::Insufficient(insufficient));
        }
        let na = codes(Answer::NotApplicable);
        if !na.is_empty() {
            w.push(Warning::NotApplicable(na));
        }
        w
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
