//! What the pages ask for, and what the worker answers.

use super::model::{LastExport, Notice, SecView, Session, Settings};
use crate::assessment::{NewAssessment, ResponseChange, Summary};
use crate::framework::Profile;
use crate::ids::{AssessmentId, FileId};
use crate::report::regional_files::Format;
use crate::secretariat::import::FileResult;
use crate::store::StoreError;
use std::path::PathBuf;
use std::sync::Arc;

/// Where a file goes: asked with the system's save dialog (opened in `dir`), into a folder under
/// its usual name, or to an exact path.
#[derive(Debug, Clone, PartialEq)]
pub enum Dest {
    Ask { dir: PathBuf },
    Folder(PathBuf),
    Path(PathBuf),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    Pdf,
    Csv,
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

/// One thing the user asked for. Applied by the worker, in the order sent.
#[derive(Debug, Clone)]
pub enum Command {
    /// Saves the settings that differ from those held.
    SaveSettings(Settings),
    /// Saves the settings of first-run setup and opens the workspace.
    FinishSetup(Settings),
    CreateAssessment(NewAssessment),
    Open(AssessmentId),
    /// One change of one indicator of the open assessment.
    Change {
        id: AssessmentId,
        indicator: String,
        change: ResponseChange,
    },
    /// The whole text of a field as it stands after a keystroke. The worker shows it at once and
    /// writes it after a pause (0.8 s), at most 2 s after the first unsaved keystroke, before any
    /// other command, and when the app closes; a failed write is kept and retried.
    Text {
        id: AssessmentId,
        indicator: String,
        field: TextField,
        text: String,
    },
    UpdateProfile {
        id: AssessmentId,
        profile: Profile,
    },
    UpdateAssessor {
        id: AssessmentId,
        name: String,
        role: String,
    },
    Finalise {
        id: AssessmentId,
        approver: String,
    },
    StartRevision(AssessmentId),
    DeleteDraft(AssessmentId),
    /// The results of the open assessment as PDF or CSV.
    ExportResults {
        kind: ExportKind,
        dest: Dest,
    },
    /// The return file of the open (finalised) revision, encrypted if a Secretariat key is set.
    ExportReturn {
        dest: Dest,
    },
    /// Creates the Secretariat's key pair (never replaces one).
    GenerateKeypair,
    /// Imports files (folders: the return files in them).
    Import(Vec<PathBuf>),
    /// Stops a running import after the file in hand (handled at once, not queued).
    CancelImport,
    /// Asks for files (or a folder) with the system's dialog, then imports them.
    PickImport {
        folder: bool,
    },
    SetCycle(i32),
    ResolveConflict {
        file: FileId,
        use_new: bool,
    },
    /// Opens a member's latest return of the cycle, for the Results page.
    OpenMember(String),
    /// The regional report of the cycle.
    WriteReport {
        format: Format,
        dest: Dest,
    },
    /// Pins a member's signing key by hand (the `RW…` line the member read out or sent).
    PinKey {
        member: String,
        key: String,
    },
    /// Feedback (issue 10; handled in `worker/feedback.rs`). Secretariat: shows one member's
    /// review for the cycle chosen.
    OpenReview(String),
    /// Secretariat: the review state of a member's return (`exchange::feedback::STATES`).
    SetReviewState {
        member: String,
        state: String,
    },
    /// Secretariat: a query (`kind` "query") or a note on a request (`kind` "note") on an
    /// indicator; empty text removes it.
    SetRemark {
        member: String,
        indicator: String,
        kind: String,
        text: String,
    },
    /// Secretariat: writes the feedback file of one member, or (None) of every member who
    /// returned in the cycle, into a folder.
    WriteFeedback {
        member: Option<String>,
        dest: Dest,
    },
    /// Secretariat: writes its public card (signing key, encryption key, e-mail address).
    ExportCard {
        dest: Dest,
    },
    /// Administration: imports feedback files from the Secretariat.
    ImportFeedback(Vec<PathBuf>),
    /// Administration: asks for a feedback file with the system's dialog, then imports it.
    PickFeedback,
    /// Administration: imports the Secretariat's card from a file.
    ImportCardFile(PathBuf),
    /// Administration: imports the Secretariat's card from pasted text.
    ImportCardText(String),
    /// Administration: asks for the card file with the system's dialog.
    PickCard,
    /// A backup now, into the backups folder beside the database.
    BackupNow,
    /// Asks for a backup file with the system's dialog, then reads what it holds.
    PickBackup,
    /// Reads what a backup holds (answered with `BackupInfo`), changing nothing.
    InspectBackup(PathBuf),
    /// Replaces the database with a backup (the current one is backed up first).
    Restore(PathBuf),
    /// Forgets the backup offered for a restore.
    CancelRestore,
    /// Opens the e-mail program with this `mailto:` link.
    OpenMail(String),
    /// Opens a folder in the system's file manager.
    OpenFolder(PathBuf),
    /// Takes the message away.
    Dismiss,
    /// Writes the typed text now (leaving a field or a page), without waiting for the pause.
    SaveText,
    /// Does nothing: answered with `Done` once everything sent before it is handled.
    Ping,
    /// The window's first frame is on screen: the worker goes on with its slower start-up work
    /// (the list, the Secretariat's consolidation), so that it never competes with that frame.
    WindowShown,
    /// Ends the worker once everything sent before it is handled.
    Shutdown,
    /// Writes every pending text now and answers on `ack` (a signal, the end of the session).
    /// With `last`, the process ends next: the worker then handles nothing more, so that
    /// nothing is acknowledged that was not written (a command sent after it is never done).
    Flush {
        ack: std::sync::mpsc::Sender<()>,
        last: bool,
    },
}

/// What happened. The client keeps the latest of each in its snapshot.
#[derive(Debug, Clone)]
pub enum Event {
    Started {
        settings: Settings,
        db_path: PathBuf,
        identity_path: Option<PathBuf>,
        own_public_key: Option<String>,
    },
    StartupFailed(Arc<StoreError>),
    /// With [`Event::StartupFailed`]: the automatic backups of the database, newest first, that
    /// the window offers to restore.
    StartupBackups(Vec<crate::store::AutoBackup>),
    Settings(Settings),
    List(Arc<Vec<Summary>>),
    Session(Option<Arc<Session>>),
    /// An assessment was opened: work resumes at indicator `at`.
    Opened {
        id: AssessmentId,
        at: usize,
    },
    /// First-run setup is saved.
    SetupDone,
    Finalised(AssessmentId),
    /// A member's return is open for the Results page.
    MemberOpened,
    Notice(Option<Notice>),
    LastExport(LastExport),
    OwnKey(String),
    Sec(SecView),
    ImportStarted {
        total: usize,
    },
    Imported(FileResult),
    ImportFinished,
    /// A file is being written off the worker (true), or no longer (false).
    Writing(bool),
    /// The folder last chosen in a save dialog.
    ExportDir(PathBuf),
    /// Texts typed but not yet written (a write failed, or waits for its pause).
    Unsaved(Vec<UnsavedText>),
    /// The members' signing keys the Secretariat trusts (active and history).
    MemberKeys(Arc<Vec<crate::store::MemberKey>>),
    /// This installation's signing key: (fingerprint, public key line).
    SigningKey {
        fingerprint: String,
        public: String,
    },
    /// What a backup holds, for the user to confirm a restore.
    BackupInfo(crate::store::BackupInfo),
    /// The database was replaced by a backup: every page starts again from the new state.
    Restored,
    /// No system dialog could be opened on this computer (none installed, no desktop portal).
    NoDialog(Dialog),
    /// The system has no program to open this with.
    NoProgram(Program),
    /// Feedback: the Secretariat's reviews, the review open, files written; a member's feedback.
    Reviews(Arc<Vec<crate::store::ReviewRow>>),
    Review(Option<Arc<super::review::ReviewView>>),
    FeedbackWritten(super::review::WrittenFeedback),
    FeedbackReceived(Arc<Vec<crate::feedback::FeedbackView>>),
    /// One command sent by the client is fully handled.
    Done,
}
