//! What the pages ask for, and what the worker answers.

pub use super::model::{Dialog, FrameworkHeld, PendingCard, PendingPin, Program, TextField, UnsavedText};
use super::model::{LastExport, Notice, SecView, SectionSent, Session, Settings};
use crate::assessment::{NewAssessment, ResponseChange, Summary};
use crate::framework::Profile;
use crate::ids::{AssessmentId, FileId};
use crate::ids::{RemarkKind, ReviewState};
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

/// One thing the user asked for, addressed to the room that does it (`app/rooms/*`). Applied by
/// the worker, in the order sent. The variants without a room are the loop's own: typed text,
/// ordering and the worker's life.
#[derive(Debug, Clone)]
pub enum Command {
    Settings(SettingsCmd),
    Session(SessionCmd),
    Export(ExportCmd),
    Keys(KeysCmd),
    Import(ImportCmd),
    Secretariat(SecCmd),
    Review(ReviewCmd),
    Feedback(FeedbackCmd),
    Framework(FrameworkCmd),
    Backup(BackupCmd),
    Desktop(DesktopCmd),
    Programme(ProgrammeCmd),
    Sections(SectionsCmd),
    /// The whole text of a field as it stands after a keystroke. The worker shows it at once and
    /// writes it after a pause (0.8 s), at most 2 s after the first unsaved keystroke, before any
    /// other command, and when the app closes; a failed write is kept and retried.
    Text {
        id: AssessmentId,
        indicator: String,
        field: TextField,
        text: String,
    },
    /// Writes the typed text now (leaving a field or a page), without waiting for the pause.
    SaveText,
    /// Stops a running import after the file in hand (handled at once, not queued).
    CancelImport,
    /// Takes the message away.
    Dismiss,
    /// Forgets the files opened from outside that were offered (handled at once, not queued).
    ForgetOpened,
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

/// `rooms/settings.rs`: the settings and first-run setup.
#[derive(Debug, Clone)]
pub enum SettingsCmd {
    /// Saves the settings that differ from those held.
    Save(Settings),
    /// Saves the settings of first-run setup and opens the workspace.
    FinishSetup(Settings),
}

/// `rooms/session.rs`: the assessments and the one open.
#[derive(Debug, Clone)]
pub enum SessionCmd {
    CreateAssessment(NewAssessment),
    Open(AssessmentId),
    /// One change of one indicator of the open assessment.
    Change {
        id: AssessmentId,
        indicator: String,
        change: ResponseChange,
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
    /// One change to the open draft's development plan (issue 23).
    Plan {
        id: AssessmentId,
        edit: crate::plan::PlanEdit,
    },
    /// Reads the list of assessments again (another room changed it).
    RefreshList,
    /// Reads the open assessment again, where it is (another room changed it).
    Reload(AssessmentId),
    /// Forgets the open assessment (the database was replaced).
    Close,
}

/// `rooms/sections.rs`: several officers, one assessment (issue 26).
#[derive(Debug, Clone)]
pub enum SectionsCmd {
    /// Hands a section of the open draft to a colleague: its file written to `dest`.
    HandOut { hand: crate::sections::HandOut, dest: Dest },
    /// A colleague's answer file for the section their open draft answers.
    WriteAnswer { id: AssessmentId, dest: Dest },
    /// Section files opened, answer files merged (dropped on the window, or picked).
    Import(Vec<PathBuf>),
    /// Asks for section or answer files with the system's dialog, then imports them.
    Pick,
    /// A conflict settled: the colleague's answer taken, or ours kept.
    Settle { id: AssessmentId, indicator: String, take: bool },
    /// Who answers on this laptop now (an empty name: nobody named).
    Contributor { id: AssessmentId, name: String, unit: String },
}

/// `rooms/export.rs`: the files an administration writes.
#[derive(Debug, Clone)]
pub enum ExportCmd {
    /// The results of the open assessment as PDF or CSV.
    Results { kind: ExportKind, dest: Dest },
    /// The return file of the open (finalised) revision, encrypted if a Secretariat key is set.
    Return { dest: Dest },
    /// The officer says a return file written (its outbox id) was sent.
    MarkSent(i64),
}

/// `rooms/keys.rs`: this installation's keys and the members' keys it trusts.
#[derive(Debug, Clone)]
pub enum KeysCmd {
    /// Creates the Secretariat's key pair (never replaces one).
    GenerateKeypair,
    /// Pins a member's signing key by hand (the `RW…` line the member read out or sent). A key
    /// that replaces another, or that another member has, is refused unless `replace` (the
    /// window asks first, with both named).
    Pin { member: String, key: String, replace: bool },
    /// Forgets a pin waiting for its confirmation.
    KeepPinned,
    /// Makes this installation's signing key if there is none yet and says what it is.
    Announce,
    /// Sends the members' keys the Secretariat trusts.
    SendMemberKeys,
}

/// `rooms/import.rs`: return files into the Secretariat's database.
#[derive(Debug, Clone)]
pub enum ImportCmd {
    /// Imports files (folders: the return files in them).
    Files(Vec<PathBuf>),
    /// Asks for files (or a folder) with the system's dialog, then imports them.
    Pick {
        folder: bool,
    },
    ResolveConflict {
        file: FileId,
        use_new: bool,
    },
}

/// `rooms/secretariat.rs`: the Secretariat's workspace (cycles, consolidation, reports).
#[derive(Debug, Clone)]
pub enum SecCmd {
    SetCycle(i32),
    /// Opens a member's latest return of the cycle, for the Results page.
    OpenMember(String),
    /// The regional report of the cycle.
    WriteReport {
        format: Format,
        dest: Dest,
    },
    /// Reloads what the Secretariat pages show (after start, an import, a resolution).
    Refresh,
    /// Reads the trend over every cycle held again (after `Refresh`, once the rest is shown).
    Trend,
    /// Reads the register of received files again (after `Refresh`: the dashboard does not
    /// show it, the register and import pages do).
    Received,
    /// The Secretariat's target for an M&E line (`MeIndicator::id`) in the cycle chosen's year,
    /// as typed (a percentage for a count, a level for a mean); empty removes it.
    SetMeTarget {
        measure: String,
        text: String,
    },
    /// A record of the Secretariat's for an M&E indicator (`consolidate::RECORDED`), a member
    /// and the cycle chosen's year.
    RecordMe {
        indicator: String,
        member: String,
        note: String,
    },
    RemoveMeRecord(i64),
}

/// `rooms/review.rs`: the Secretariat's review of a member's return and its feedback files.
#[derive(Debug, Clone)]
pub enum ReviewCmd {
    /// Shows one member's review for the cycle chosen.
    Open(String),
    SetState {
        member: String,
        state: ReviewState,
    },
    /// A query or a note on a request on an indicator; empty text removes it.
    SetRemark {
        member: String,
        indicator: String,
        kind: RemarkKind,
        text: String,
    },
    /// Writes the feedback file of one member, or (None) of every member who returned in the
    /// cycle, into a folder.
    WriteFeedback {
        member: Option<String>,
        dest: Dest,
    },
    /// Writes the Secretariat's public card (signing key, encryption key, e-mail address).
    ExportCard {
        dest: Dest,
    },
    /// Sends what the feedback pages show (reviews, or a member's feedback received).
    SendState,
}

/// `rooms/feedback.rs`: an administration's side of feedback: the files and the card.
#[derive(Debug, Clone)]
pub enum FeedbackCmd {
    /// Imports feedback files from the Secretariat.
    Import(Vec<PathBuf>),
    /// Asks for a feedback file with the system's dialog, then imports it.
    Pick,
    /// Imports the Secretariat's card from a file.
    ImportCardFile(PathBuf),
    /// Imports the Secretariat's card from pasted text.
    ImportCardText(String),
    /// Asks for the card file with the system's dialog.
    PickCard,
    /// The card shown waiting (it changes a key held): take it, replacing the card held.
    ReplaceCard(String),
    /// The card shown waiting is not taken: the card held stays.
    KeepCard,
}

/// `rooms/framework.rs`: framework files (a content revision signed by the Secretariat).
#[derive(Debug, Clone)]
pub enum FrameworkCmd {
    /// Imports framework files (checked against the Secretariat's card, newer than the one held).
    Import(Vec<PathBuf>),
    /// Asks for a framework file with the system's dialog, then imports it.
    Pick,
    /// Sends the content revision in use ([`Event::Framework`]).
    SendState,
    /// The Secretariat: writes the content in use as an editable workbook
    /// (`framework export`).
    ExportBook { dest: Dest },
    /// A framework file was imported by another room (inside a feedback file): it becomes the
    /// content in use, and the pages hear of it.
    Installed,
}

/// `rooms/backup.rs`: backups and restore.
#[derive(Debug, Clone)]
pub enum BackupCmd {
    /// A backup now, into the backups folder beside the database.
    Now,
    /// Asks for a backup file with the system's dialog, then reads what it holds.
    Pick,
    /// Reads what a backup holds (answered with `BackupInfo`), changing nothing.
    Inspect(PathBuf),
    /// Replaces the database with a backup (the current one is backed up first).
    Restore(PathBuf),
    /// Forgets the backup offered for a restore.
    Cancel,
}

/// `rooms/desktop.rs`: programs of the system (e-mail, file manager).
#[derive(Debug, Clone)]
pub enum DesktopCmd {
    /// Opens a new message in the e-mail program, its files attached where the program allows
    /// (`desktop::send_mail`), else as a `mailto:` link.
    Mail(crate::app::mail::Mail),
    /// Opens a folder in the system's file manager.
    Folder(PathBuf),
}

/// `rooms/programme.rs`: the Secretariat's work programme (needs, proposals, interventions,
/// the Annual Work Programme).
#[derive(Debug, Clone)]
pub enum ProgrammeCmd {
    /// Computes the needs and proposals of the cycle chosen and the programme of `year` again.
    Refresh { year: i32 },
    /// Creates (no id) or replaces an intervention.
    Save(Box<crate::secretariat::programme::Intervention>),
    /// Retires an intervention (kept for the record, out of the programme), or brings it back.
    Retire { id: i64, retired: bool },
    /// Accepts a proposal (by key) as an intervention, as proposed.
    Accept(String),
    /// Adds a proposal's indicator and members to an intervention held.
    Merge { key: String, into: i64 },
    /// Dismisses a proposal: it does not come back for the same needs.
    Dismiss(String),
    /// The work programme of the year shown, as a workbook or a PDF.
    Write { pdf: bool, dest: Dest },
}

macro_rules! room {
    ($($variant:ident($ty:ty)),*) => {$(
        impl From<$ty> for Command {
            fn from(c: $ty) -> Command {
                Command::$variant(c)
            }
        }
    )*};
}
room!(
    Settings(SettingsCmd),
    Session(SessionCmd),
    Export(ExportCmd),
    Keys(KeysCmd),
    Import(ImportCmd),
    Secretariat(SecCmd),
    Review(ReviewCmd),
    Feedback(FeedbackCmd),
    Framework(FrameworkCmd),
    Backup(BackupCmd),
    Desktop(DesktopCmd),
    Programme(ProgrammeCmd),
    Sections(SectionsCmd)
);

/// What happened. The client keeps the latest of each in its snapshot.
#[derive(Debug, Clone)]
pub enum Event {
    /// Files opened from outside while the window has the database (`inbox`), to offer.
    FilesOpened(Vec<PathBuf>),
    Started {
        settings: Settings,
        db_path: PathBuf,
        identity_path: Option<PathBuf>,
        own_public_key: Option<String>,
    },
    StartupFailed(Arc<StoreError>),
    /// What the first frame shows has been sent (after [`Event::Started`], and the Secretariat's
    /// dashboard data): the window may wait for it a moment rather than draw an empty frame.
    FirstState,
    /// With [`Event::StartupFailed`]: the automatic backups of the database, newest first, that
    /// the window offers to restore.
    StartupBackups(Vec<crate::store::AutoBackup>),
    Settings(Settings),
    List(Arc<Vec<Summary>>),
    Session(Option<Arc<Session>>),
    /// A text typed into the open assessment, as shown (a keystroke: the field alone travels).
    TextShown {
        id: AssessmentId,
        indicator: String,
        field: TextField,
        text: String,
    },
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
    /// A section or answer file was written (issue 26).
    SectionSent(SectionSent),
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
    /// Administration: the return files written and where each stands.
    Outbox(Arc<Vec<crate::feedback::OutboxItem>>),
    /// A card that changes a key held waits for a person's confirmation (or no longer: None).
    CardChange(Option<Arc<PendingCard>>),
    /// A pin that replaces a key, or shares one, waits for a person's confirmation (or None).
    PinConflict(Option<Arc<PendingPin>>),
    /// The work programme page's data.
    Programme(Arc<crate::secretariat::programme::ProgrammeView>),
    /// The content revision in use (framework files).
    Framework(Arc<FrameworkHeld>),
    /// One command sent by the client is fully handled.
    Done,
}
