//! The worker thread: owns the `Store` for the app's life, applies commands in order and answers
//! with events. Slow writing (PDF, XLSX, dialogs) goes to short-lived threads of its own, so a
//! save never waits behind a report.

use super::command::{Command, Dest, Dialog, Event, ExportKind, Program, TextField, UnsavedText};
use super::files;
use super::model::{Cause, LastExport, Msg, Notice, Role, SecView, Session, Settings, ThemeChoice};
use crate::assessment::{ResponseChange, Summary};
use crate::framework;
use crate::ids::AssessmentId;
use crate::lang::Lang;
use crate::report::regional_files as reports;
use crate::scoring;
use crate::secretariat::{consolidate, import};
use crate::store::{Store, StoreError};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

mod feedback;

/// Typed text is written after this pause…
pub const TEXT_PAUSE: Duration = Duration::from_millis(800);
/// …and at the latest this long after the first unsaved keystroke, even while typing goes on.
pub const TEXT_MAX_WAIT: Duration = Duration::from_secs(2);
/// A failed write of typed text is tried again after this long.
pub const TEXT_RETRY: Duration = Duration::from_secs(5);

/// Text typed and shown, not yet written.
struct PendingText {
    id: AssessmentId,
    indicator: String,
    field: TextField,
    text: String,
    first: Instant,
    last: Instant,
    /// When a write last failed (then it waits `TEXT_RETRY`).
    failed: Option<Instant>,
}

impl PendingText {
    fn due_at(&self) -> Instant {
        match self.failed {
            Some(f) => f + TEXT_RETRY,
            None => (self.last + TEXT_PAUSE).min(self.first + TEXT_MAX_WAIT),
        }
    }
}

/// A command and whether the client counts it (commands the worker sends itself are not counted).
pub(super) struct Envelope {
    pub cmd: Command,
    pub counted: bool,
}

/// Sends events and wakes the window.
#[derive(Clone)]
pub(super) struct Outbox {
    tx: Sender<Event>,
    wake: super::Waker,
}

impl Outbox {
    pub fn new(tx: Sender<Event>, wake: super::Waker) -> Outbox {
        Outbox { tx, wake }
    }
    pub fn send(&self, e: Event) {
        let _ = self.tx.send(e);
        if let Some(w) = self.wake.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            w();
        }
    }
}

pub(super) struct Worker {
    store: Store,
    settings: Settings,
    list: Arc<Vec<Summary>>,
    session: Option<Session>,
    sec: SecView,
    out: Outbox,
    /// For the dialog threads to send their answer back.
    me: Sender<Envelope>,
    cancel: Arc<AtomicBool>,
    /// Behave as on a computer without system dialogs or programs ([`super::Client::without_desktop`]).
    no_desktop: Arc<AtomicBool>,
    pending: Vec<PendingText>,
}

/// The worker's life: open the store, send the first state, then apply commands until the
/// client goes. A panic while applying one command is reported and the worker carries on.
#[allow(clippy::too_many_arguments)]
pub(super) fn run(
    open: impl FnOnce() -> Result<Store, StoreError>,
    db: Option<PathBuf>,
    rx: Receiver<Envelope>,
    me: Sender<Envelope>,
    out: Outbox,
    cancel: Arc<AtomicBool>,
    no_desktop: Arc<AtomicBool>,
    window: bool,
) {
    let mut opened = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(open)) {
        Ok(r) => r,
        Err(_) => Err(StoreError::Invalid("internal error".into())),
    };
    // A database that cannot be opened: say why; a backup restored from there is opened next.
    // The `Restore` command is done once that is known (opened, or why not).
    let mut restore_done = false;
    let store = loop {
        match opened {
            Ok(s) => break s,
            Err(e) => {
                let Some(counted) = refuse_all(e, db.as_deref(), &rx, &out, restore_done) else { return };
                restore_done = counted;
                let db = db.as_deref().expect("restoring needs the database's path");
                opened = std::panic::catch_unwind(|| Store::open(db))
                    .unwrap_or_else(|_| Err(StoreError::Invalid("internal error".into())));
            }
        }
    };
    let mut w = Worker {
        settings: load_settings(&store),
        store,
        list: Arc::default(),
        session: None,
        sec: SecView::default(),
        out,
        me,
        cancel,
        no_desktop,
        pending: Vec::new(),
    };
    let mut backlog = w.start(&rx, window);
    if restore_done {
        w.out.send(Event::Done);
    }
    loop {
        let next = backlog.pop_front();
        let env = match (next, w.pending.iter().map(|p| p.due_at()).min()) {
            (Some(env), _) => env,
            (None, Some(due)) => match rx.recv_timeout(due.saturating_duration_since(Instant::now())) {
                Ok(env) => env,
                Err(RecvTimeoutError::Timeout) => {
                    w.guarded(|w| w.write_text(false));
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => break,
            },
            (None, None) => match rx.recv() {
                Ok(env) => env,
                Err(_) => break,
            },
        };
        match env.cmd {
            Command::Shutdown => break,
            Command::Flush { ack, last } => {
                w.guarded(|w| w.write_text(true));
                let _ = ack.send(());
                if last {
                    // Holds until the process ends: later commands are taken and never done.
                    while rx.recv().is_ok() {}
                    return;
                }
            }
            // Typed text waits for its pause; anything else comes after the text typed before it.
            Command::Text { id, indicator, field, text } => w.guarded(|w| w.text(id, indicator, field, text)),
            cmd => {
                w.guarded(|w| w.write_text(true));
                w.guarded(|w| w.handle(cmd));
            }
        }
        if env.counted {
            w.out.send(Event::Done);
        }
    }
    // Closing: whatever was typed is written before the worker goes.
    w.guarded(|w| w.write_text(true));
}

/// Without a database: says why, then answers every command with `Done`, so the client never
/// waits for a reply that cannot come. When the database's path is known, its automatic backups
/// are offered: `InspectBackup` answers with what one holds, `Restore` puts it in place (the
/// database as it was is kept beside it) and returns whether that command waits for its `Done`:
/// the worker then opens the database, and says `Done` once it has. None when the client goes.
/// `done_pending`: the `Done` of a restore whose database still could not be opened.
fn refuse_all(
    e: StoreError,
    db: Option<&Path>,
    rx: &Receiver<Envelope>,
    out: &Outbox,
    done_pending: bool,
) -> Option<bool> {
    // Only a file that holds no usable database is offered a backup (not one open in another
    // window, nor one from a newer version).
    let damaged = matches!(e, StoreError::NotADatabase(_) | StoreError::NotInitialised(_));
    let db = db.filter(|_| damaged);
    out.send(Event::StartupFailed(Arc::new(e)));
    if let Some(db) = db {
        out.send(Event::StartupBackups(Store::backups_of(db)));
    }
    if done_pending {
        out.send(Event::Done);
    }
    for env in rx {
        let mut restored = false;
        match (env.cmd, db) {
            (Command::Shutdown, _) => return None,
            (Command::Flush { ack, last }, _) => {
                let _ = ack.send(());
                if last {
                    while rx.recv().is_ok() {}
                    return None;
                }
            }
            (Command::InspectBackup(path), Some(_)) => match Store::inspect_backup(&path) {
                Ok(info) => out.send(Event::BackupInfo(info)),
                Err(e) => out.send(Event::Notice(Some(Notice::error(Msg::Store(Arc::new(e)))))),
            },
            (Command::Restore(path), Some(db)) => match Store::restore_from(&path, db) {
                Ok(_) => {
                    out.send(Event::Restored);
                    restored = true;
                }
                Err(e) => out.send(Event::Notice(Some(Notice::error(Msg::Store(Arc::new(e)))))),
            },
            (Command::CancelRestore | Command::Dismiss, _) => out.send(Event::Notice(None)),
            _ => {}
        }
        if restored {
            return Some(env.counted);
        }
        if env.counted {
            out.send(Event::Done);
        }
    }
    None
}

fn load_settings(store: &Store) -> Settings {
    let mut s = Settings::default();
    let get = |k: &str| store.setting(k).ok().flatten();
    if let Some(l) = get("lang").and_then(|v| Lang::from_code(&v)) {
        s.lang = l;
    }
    s.role = get("role").and_then(|v| Role::from_code(&v));
    s.member = get("member").filter(|m| framework::member(m).is_some());
    s.theme = if get("theme").as_deref() == Some("dark") { ThemeChoice::Dark } else { ThemeChoice::Light };
    s.ui_scale = get("ui_scale").and_then(|v| v.parse().ok()).filter(|s| (0.75..=2.0).contains(s)).unwrap_or(1.0);
    s.secretariat_email = get("secretariat_email").unwrap_or_default();
    s.secretariat_key = get("secretariat_key").unwrap_or_default();
    s.secretariat_signer = get("secretariat_signer").unwrap_or_default();
    s
}

impl Worker {
    /// Runs one piece of work; a panic in it is reported and the worker carries on.
    fn guarded(&mut self, f: impl FnOnce(&mut Worker)) {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(self)));
        if result.is_err() {
            self.notice(Notice::error(Msg::key("error.internal")));
        }
    }

    /// Shows typed text at once (in the session) and keeps it to write after its pause.
    fn text(&mut self, id: AssessmentId, indicator: String, field: TextField, text: String) {
        if !self.is_open_draft(id) {
            return;
        }
        let now = Instant::now();
        self.show_text(id, &indicator, field, &text);
        match self.pending.iter_mut().find(|p| p.id == id && p.indicator == indicator && p.field == field) {
            Some(p) => {
                p.text = text;
                p.last = now;
            }
            None => {
                self.pending.push(PendingText { id, indicator, field, text, first: now, last: now, failed: None });
                self.send_unsaved();
            }
        }
        self.send_session();
    }

    fn show_text(&mut self, id: AssessmentId, indicator: &str, field: TextField, text: &str) {
        let Some(s) = self.session.as_mut().filter(|s| s.id() == id) else { return };
        if let Some(r) = s.data.responses.iter_mut().find(|r| r.indicator == indicator) {
            match field {
                TextField::Evidence => r.evidence = text.to_string(),
                TextField::Comment => r.comment = text.to_string(),
            }
        }
    }

    /// Writes the pending texts that are due (or all). A failure keeps the text, on screen and
    /// here, says so once, and tries again later.
    fn write_text(&mut self, all: bool) {
        if self.pending.is_empty() {
            return;
        }
        let now = Instant::now();
        let mut kept = Vec::new();
        let mut failure = None;
        for mut p in std::mem::take(&mut self.pending) {
            if !all && p.due_at() > now {
                kept.push(p);
                continue;
            }
            let change = match p.field {
                TextField::Evidence => ResponseChange::Evidence(p.text.clone()),
                TextField::Comment => ResponseChange::Comment(p.text.clone()),
            };
            match self.store.update_response(p.id, &p.indicator, &change) {
                Ok(()) => {}
                // A revision finalised or deleted meanwhile: nothing left to write to.
                Err(StoreError::Finalised | StoreError::NotFound) => {}
                Err(e) => {
                    let first_failure = p.failed.is_none();
                    p.failed = Some(now);
                    kept.push(p);
                    if first_failure {
                        failure = Some(e);
                    }
                }
            }
        }
        self.pending = kept;
        if let Some(e) = failure {
            self.notice(Notice::error(Msg::TextNotSaved(Arc::new(e))));
        }
        self.send_unsaved();
    }

    fn send_unsaved(&self) {
        let list = self
            .pending
            .iter()
            .map(|p| UnsavedText {
                id: p.id,
                indicator: p.indicator.clone(),
                field: p.field,
                failed: p.failed.is_some(),
            })
            .collect();
        self.out.send(Event::Unsaved(list));
    }

    /// Puts the texts not yet written back into a session loaded from disk.
    fn reapply_pending(&mut self) {
        let texts: Vec<_> = self.pending.iter().map(|p| (p.id, p.indicator.clone(), p.field, p.text.clone())).collect();
        for (id, indicator, field, text) in texts {
            self.show_text(id, &indicator, field, &text);
        }
    }

    /// An automatic backup that failed is said once (the work itself is saved).
    fn report_backup_problem(&self) {
        if let Some(e) = self.store.last_backup_problem() {
            self.notice(Notice::error(Msg::langs(|t| e.backup_message(t))));
        }
    }

    /// Replaces the database with a backup: closes it, restores (the current one is backed up
    /// first), opens it again and sends every page the new state.
    fn restore(&mut self, backup: &Path) {
        let db = self.store.path().to_path_buf();
        if db.as_os_str() == ":memory:" {
            return;
        }
        self.write_text(true);
        let placeholder = match Store::open_in_memory() {
            Ok(s) => s,
            Err(e) => return self.error(e),
        };
        drop(std::mem::replace(&mut self.store, placeholder));
        let restored = Store::restore_from(backup, &db);
        match Store::open(&db) {
            Ok(store) => self.store = store,
            Err(e) => {
                // Nothing may be written to the placeholder: the window shows why instead.
                self.out.send(Event::StartupFailed(Arc::new(e)));
                return;
            }
        }
        match restored {
            Ok(r) => {
                self.session = None;
                self.pending.clear();
                self.settings = load_settings(&self.store);
                self.out.send(Event::Restored);
                self.out.send(Event::Session(None));
                self.out.send(Event::Settings(self.settings.clone()));
                self.announce_signing_key();
                self.refresh_list();
                self.send_feedback_state();
                if self.settings.role == Some(Role::Secretariat) {
                    self.sec = SecView::default();
                    self.refresh_secretariat();
                }
                let before = r.before.map(|p| p.display().to_string()).unwrap_or_default();
                self.info(Msg::with("backup.restored", &[("before", &before)]));
            }
            Err(e) => self.error(e),
        }
    }

    /// Says what the window needs for its first frame (`Started`), then, with a window, waits
    /// for that frame to be on screen (at most half a second) before the slower work: on a
    /// 2-core laptop the two would otherwise share the CPU. Commands that arrive meanwhile are
    /// handed back, in order, to be handled next.
    fn start(&mut self, rx: &Receiver<Envelope>, window: bool) -> std::collections::VecDeque<Envelope> {
        self.announce_start();
        let mut backlog = std::collections::VecDeque::new();
        if window {
            let until = Instant::now() + Duration::from_millis(500);
            while let Ok(env) = rx.recv_timeout(until.saturating_duration_since(Instant::now())) {
                let shown = matches!(env.cmd, Command::WindowShown | Command::Shutdown | Command::Flush { .. });
                backlog.push_back(env);
                if shown {
                    break;
                }
            }
        }
        self.start_rest();
        backlog
    }

    fn announce_start(&mut self) {
        let identity_path = self.identity_path();
        let own_public_key = identity_path
            .as_deref()
            .and_then(|p| std::fs::read_to_string(p).ok())
            .and_then(|t| crate::exchange::keys::public_of(&t).ok());
        self.out.send(Event::Started {
            settings: self.settings.clone(),
            db_path: self.store.path().to_path_buf(),
            identity_path,
            own_public_key,
        });
    }

    fn start_rest(&mut self) {
        self.refresh_list();
        if self.settings.setup_done() && self.settings.role == Some(Role::Secretariat) {
            self.refresh_secretariat();
        }
        self.announce_signing_key();
        self.send_feedback_state();
        self.report_backup_problem();
    }

    fn lang(&self) -> Lang {
        self.settings.lang
    }

    fn notice(&self, n: Notice) {
        self.out.send(Event::Notice(Some(n)));
    }

    fn info(&self, msg: Msg) {
        self.notice(Notice::info(msg));
    }

    fn error(&self, e: StoreError) {
        self.notice(Notice::error(Msg::Store(Arc::new(e))));
    }

    fn handle(&mut self, cmd: Command) {
        match cmd {
            Command::SaveSettings(s) => self.save_settings(s),
            Command::FinishSetup(s) => {
                if s.setup_done() {
                    self.save_settings(s);
                    self.announce_signing_key();
                    self.out.send(Event::SetupDone);
                    if self.settings.role == Some(Role::Secretariat) {
                        self.refresh_secretariat();
                    }
                }
            }
            Command::CreateAssessment(new) => match self.store.create_assessment(&new) {
                Ok(id) => {
                    self.refresh_list();
                    self.open(id);
                }
                Err(e) => self.error(e),
            },
            Command::Open(id) => self.open(id),
            Command::Change { id, indicator, change } => self.change(id, &indicator, change),
            Command::UpdateProfile { id, profile } => {
                if !self.is_open_draft(id) {
                    return;
                }
                match self.store.update_profile(id, &profile) {
                    Ok(()) => self.edit_session(|s| {
                        s.data.profile = profile;
                        s.check();
                    }),
                    Err(e) => {
                        self.error(e);
                        self.reload();
                    }
                }
            }
            Command::UpdateAssessor { id, name, role } => {
                if !self.is_open_draft(id) {
                    return;
                }
                match self.store.update_assessor(id, &name, &role) {
                    Ok(()) => self.edit_session(|s| {
                        s.data.header.assessor_name = name;
                        s.data.header.assessor_role = role;
                        s.check();
                    }),
                    Err(e) => self.error(e),
                }
            }
            Command::Finalise { id, approver } => {
                // Sign off only what the Secretariat's import will accept.
                let problems = match self.session.as_ref().filter(|s| s.id() == id) {
                    Some(s) => crate::exchange::finalise_problems(&s.data, &approver),
                    None => return,
                };
                if !problems.is_empty() {
                    self.notice(Notice::error(Msg::Problems(problems)));
                    return;
                }
                // The return records the language it is signed off in.
                match self.store.finalise_in(id, approver.trim(), self.lang()) {
                    Ok(()) => {
                        self.refresh_list();
                        self.load_session(id);
                        self.out.send(Event::Finalised(id));
                        self.info(Msg::key("finalise.done"));
                        self.report_backup_problem();
                    }
                    Err(e) => self.error(e),
                }
            }
            Command::PinKey { member, key } => {
                match crate::secretariat::keys::pin(&mut self.store, &member, &key) {
                    Ok(fingerprint) => {
                        self.info(Msg::with("keys.pinned", &[("member", &member), ("fingerprint", &fingerprint)]))
                    }
                    Err(crate::secretariat::keys::PinError::Store(e)) => self.error(e),
                    Err(_) => self.notice(Notice::error(Msg::key("keys.bad_key"))),
                }
                self.send_member_keys();
            }
            Command::BackupNow => match self.store.backup_now("manual") {
                Ok(Some(path)) => self.info(Msg::with("backup.done", &[("path", &path.display())])),
                Ok(None) => {}
                Err(e) => self.notice(Notice::error(Msg::Backup(Arc::new(e)))),
            },
            Command::PickBackup => {
                let dir = self.store.backups_folder();
                self.dialog(Dialog::Backup, move || {
                    let mut dialog = rfd::FileDialog::new().add_filter("SQLite", &["sqlite3", "sqlite", "db"]);
                    if let Some(dir) = dir {
                        dialog = dialog.set_directory(dir);
                    }
                    dialog.pick_file().map(Command::InspectBackup)
                })
            }
            Command::InspectBackup(path) => match Store::inspect_backup(&path) {
                Ok(info) => self.out.send(Event::BackupInfo(info)),
                Err(e) => self.error(e),
            },
            Command::Restore(path) => self.restore(&path),
            Command::StartRevision(id) => match self.store.start_revision(id) {
                Ok(new_id) => {
                    self.refresh_list();
                    self.open(new_id);
                }
                Err(e) => self.error(e),
            },
            Command::DeleteDraft(id) => {
                if self.session.as_ref().is_some_and(|s| s.id() == id) {
                    self.session = None;
                    self.out.send(Event::Session(None));
                }
                match self.store.delete_draft(id) {
                    Ok(()) => self.refresh_list(),
                    Err(e) => self.error(e),
                }
            }
            Command::ExportResults { kind, dest } => self.export_results(kind, dest),
            Command::ExportReturn { dest } => self.export_return(dest),
            Command::GenerateKeypair => self.generate_keypair(),
            Command::Import(paths) => self.import(files::expand(paths)),
            Command::PickImport { folder } => self.dialog(Dialog::Import, move || {
                let dialog = rfd::FileDialog::new();
                let files = if folder {
                    dialog.pick_folder().map(|d| vec![d])
                } else {
                    dialog.add_filter("OCO return", &[crate::exchange::EXTENSION]).pick_files()
                };
                files.map(Command::Import)
            }),
            Command::SetCycle(c) => {
                if self.sec.cycle != Some(c) {
                    self.sec.cycle = Some(c);
                    self.consolidate();
                    self.out.send(Event::Sec(self.sec.clone()));
                    self.send_feedback_state();
                }
            }
            Command::ResolveConflict { file, use_new } => self.resolve_conflict(file, use_new),
            Command::OpenMember(member) => {
                let id = self
                    .sec
                    .consolidation
                    .as_ref()
                    .and_then(|c| c.members.iter().find(|m| m.member == member))
                    .and_then(|m| m.assessment.as_ref())
                    .map(|a| a.header.id);
                if let Some(id) = id {
                    self.load_session(id);
                    self.out.send(Event::MemberOpened);
                }
            }
            Command::WriteReport { format, dest } => self.write_report(format, dest),
            Command::OpenMail(url) => self.open_program(Program::Mail, url.into()),
            Command::OpenFolder(dir) => self.open_program(Program::Folder, dir.into_os_string()),
            cmd @ (Command::OpenReview(_)
            | Command::SetReviewState { .. }
            | Command::SetRemark { .. }
            | Command::WriteFeedback { .. }
            | Command::ExportCard { .. }
            | Command::ImportFeedback(_)
            | Command::PickFeedback
            | Command::ImportCardFile(_)
            | Command::ImportCardText(_)
            | Command::PickCard) => self.feedback_command(cmd),
            Command::Dismiss => self.out.send(Event::Notice(None)),
            Command::Text { id, indicator, field, text } => self.text(id, indicator, field, text),
            Command::SaveText
            | Command::Ping
            | Command::WindowShown
            | Command::Shutdown
            | Command::CancelImport
            | Command::Flush { .. }
            | Command::CancelRestore => {}
        }
    }

    /// Saves the settings that changed (one small write each); a failure is reported and the
    /// choice stays on screen.
    fn save_settings(&mut self, s: Settings) {
        let old = self.settings.pairs();
        for ((k, v), (_, was)) in s.pairs().iter().zip(old.iter()) {
            if v != was
                && let Err(e) = self.store.set_setting(k, v)
            {
                self.error(e);
                break;
            }
        }
        self.settings = s;
        self.out.send(Event::Settings(self.settings.clone()));
    }

    fn refresh_list(&mut self) {
        match self.store.list() {
            Ok(list) => {
                self.list = Arc::new(list);
                self.out.send(Event::List(self.list.clone()));
            }
            Err(e) => self.error(e),
        }
    }

    fn send_session(&self) {
        self.out.send(Event::Session(self.session.as_ref().map(|s| Arc::new(s.clone()))));
    }

    fn edit_session(&mut self, f: impl FnOnce(&mut Session)) {
        if let Some(s) = self.session.as_mut() {
            f(s);
        }
        self.send_session();
    }

    fn is_open_draft(&self, id: AssessmentId) -> bool {
        self.session.as_ref().is_some_and(|s| s.id() == id && !s.read_only())
    }

    /// Loads an assessment with its previous cycle and sends it.
    fn load_session(&mut self, id: AssessmentId) -> bool {
        match self.store.load(id) {
            Ok(data) => {
                let previous = self.previous_of(&data);
                let h = &data.header;
                let newer = self.list.iter().any(|r| r.header.uuid == h.uuid && r.header.revision > h.revision);
                self.session = Some(Session::new(data, previous, newer));
                self.reapply_pending();
                self.send_session();
                true
            }
            Err(e) => {
                self.error(e);
                false
            }
        }
    }

    /// Loads an assessment; work resumes at its first unanswered indicator.
    fn open(&mut self, id: AssessmentId) {
        if self.load_session(id) {
            let at = self.session.as_ref().map(|s| s.first_unanswered()).unwrap_or(0);
            self.out.send(Event::Opened { id, at });
        }
    }

    /// The latest revision of the same member's most recent earlier cycle, scored.
    fn previous_of(&self, data: &crate::assessment::Assessment) -> Option<(i32, u32, scoring::Scores)> {
        let h = &data.header;
        let prev = self
            .list
            .iter()
            .filter(|r| r.header.member == h.member && r.header.cycle < h.cycle)
            .max_by_key(|r| (r.header.cycle, r.header.revision))?
            .header
            .clone();
        let a = self.store.load(prev.id).ok()?;
        let fw = framework::get(a.header.framework_version)?;
        Some((prev.cycle, prev.revision, scoring::score(fw, &a.responses)))
    }

    /// Reloads the open assessment (after an error, so screen and disk agree).
    fn reload(&mut self) {
        if let Some(id) = self.session.as_ref().map(|s| s.id()) {
            self.load_session(id);
        }
    }

    fn change(&mut self, id: AssessmentId, indicator: &str, change: ResponseChange) {
        let Some(s) = self.session.as_ref().filter(|s| s.id() == id) else { return };
        if s.read_only() {
            return;
        }
        let Some(idx) = s.data.responses.iter().position(|r| r.indicator == indicator) else { return };
        match self.store.update_response(id, indicator, &change) {
            Ok(()) => {
                let mut answered = 0;
                if let Some(s) = self.session.as_mut() {
                    let r = &mut s.data.responses[idx];
                    match change {
                        ResponseChange::Answer(a) => r.answer = a,
                        ResponseChange::Target(t) => r.target = t,
                        ResponseChange::Confidence(c) => r.confidence = c,
                        ResponseChange::Commitment(c) => r.commitment = c,
                        ResponseChange::Evidence(t) => r.evidence = t,
                        ResponseChange::Comment(t) => r.comment = t,
                        ResponseChange::Need(n) => r.need = n,
                    }
                    s.rescore();
                    answered = s.progress.answered;
                }
                self.send_session();
                // Keep the list's progress figures right without querying again.
                if let Some(pos) = self.list.iter().position(|r| r.header.id == id)
                    && self.list[pos].answered != answered
                {
                    Arc::make_mut(&mut self.list)[pos].answered = answered;
                    self.out.send(Event::List(self.list.clone()));
                }
            }
            Err(e) => {
                self.error(e);
                self.reload();
            }
        }
    }

    /// The path of a file going to a folder or an exact path (`None` when a dialog must ask).
    fn destination(dest: Dest, name: String) -> Option<PathBuf> {
        match dest {
            Dest::Path(p) => Some(p),
            Dest::Folder(dir) => Some(dir.join(name)),
            Dest::Ask { .. } => None,
        }
    }

    /// Opens the save dialog on its own thread; the chosen path comes back as `again(path)`.
    fn ask(
        &self,
        dir: PathBuf,
        name: String,
        filter: Option<(&'static str, &'static str)>,
        again: impl FnOnce(Dest) -> Command + Send + 'static,
    ) {
        let out = self.out.clone();
        self.dialog(Dialog::Save, move || {
            let mut dialog = rfd::FileDialog::new().set_directory(&dir).set_file_name(&name);
            if let Some((label, ext)) = filter {
                dialog = dialog.add_filter(label, &[ext]);
            }
            let path = dialog.save_file()?;
            if let Some(d) = path.parent() {
                out.send(Event::ExportDir(d.to_path_buf()));
            }
            Some(again(Dest::Path(path)))
        });
    }

    /// Runs a system dialog on a thread of its own (the worker goes on saving meanwhile); the
    /// command it yields comes back to the worker. Cancelled: nothing. A dialog that could not
    /// open (no desktop portal, no zenity) is said, and the pages show their folder fields.
    fn dialog(&self, what: Dialog, pick: impl FnOnce() -> Option<Command> + Send + 'static) {
        let (me, out) = (self.me.clone(), self.out.clone());
        let missing = self.no_desktop.load(Ordering::Relaxed);
        std::thread::spawn(move || {
            let started = Instant::now();
            let cmd = if missing { None } else { pick() };
            match cmd {
                Some(cmd) => {
                    let _ = me.send(Envelope { cmd, counted: false });
                }
                None if missing || files::no_dialog_shown(started.elapsed()) => {
                    // The page says what to do beside its folder field; the notice says why.
                    out.send(Event::NoDialog(what));
                    out.send(Event::Notice(Some(Notice::error(Msg::key("dialog.none")))));
                }
                None => {}
            }
        });
    }

    /// Asks the system to open a `mailto:` link or a folder, on a thread of its own; a program
    /// that is missing or fails is said, and the page shows what to do by hand.
    fn open_program(&self, what: Program, target: std::ffi::OsString) {
        let out = self.out.clone();
        let missing = self.no_desktop.load(Ordering::Relaxed);
        std::thread::spawn(move || {
            let result =
                if missing { Err(std::io::ErrorKind::NotFound.into()) } else { files::open_with_system(&target) };
            if result.is_err() {
                out.send(Event::NoProgram(what));
                let key = match what {
                    Program::Mail => "program.no_mail",
                    Program::Folder => "program.no_folder",
                };
                let path = target.to_string_lossy();
                let shown = if what == Program::Folder { crate::exchange::clean_text(&path) } else { String::new() };
                out.send(Event::Notice(Some(Notice::error(Msg::with(key, &[("path", &shown)])))));
            }
        });
    }

    fn export_results(&mut self, kind: ExportKind, dest: Dest) {
        let Some(s) = self.session.as_ref() else { return };
        let h = &s.data.header;
        let (name, filter) = match kind {
            ExportKind::Pdf => (format!("{}_{}_r{}_results.pdf", h.member, h.cycle, h.revision), ("PDF", "pdf")),
            ExportKind::Csv => (format!("{}_{}_r{}_responses.csv", h.member, h.cycle, h.revision), ("CSV", "csv")),
        };
        if let Dest::Ask { dir } = dest {
            self.ask(dir, name, Some(filter), move |d| Command::ExportResults { kind, dest: d });
            return;
        }
        let Some(path) = Self::destination(dest, name) else { return };
        // Rendering a PDF takes a moment: off the worker, from a copy of what is in memory.
        let s = s.clone();
        let t = self.lang();
        self.write_off_worker(move || {
            let fw = s.framework();
            let bytes = match kind {
                ExportKind::Csv => {
                    crate::report::csv::responses_csv(fw, &s.data, &s.scores, t).map_err(|e| match e.kind() {
                        csv::ErrorKind::Io(io) => Cause::io(io),
                        _ => Cause::Key("export.err_write"),
                    })
                }
                ExportKind::Pdf => {
                    let prev = s.previous.as_ref().map(|p| (p.cycle, &p.scores, &p.comparison));
                    let doc = crate::report::results::results_doc(fw, &s.data, &s.scores, prev, t);
                    crate::report::pdf::render(&doc).map_err(|_| Cause::Key("export.err_write"))
                }
            };
            let result = bytes.and_then(|b| files::write_atomically(&path, &b).map_err(|e| Cause::io(&e)));
            saved_or_failed(&path, result)
        });
    }

    /// Runs slow writing (PDF, XLSX) on a thread of its own so the worker goes on saving; its
    /// notice ends the "writing" spinner, which also ends if the thread panics.
    fn write_off_worker(&self, work: impl FnOnce() -> Notice + Send + 'static) {
        let out = self.out.clone();
        out.send(Event::Writing(true));
        let guard = WritingGuard(out.clone());
        std::thread::spawn(move || {
            let _guard = guard;
            out.send(Event::Notice(Some(work())));
        });
    }

    fn export_return(&mut self, dest: Dest) {
        let Some(s) = self.session.as_ref() else { return };
        let h = s.data.header.clone();
        let name = format!("{}_{}_r{}.{}", h.member, h.cycle, h.revision, crate::exchange::EXTENSION);
        if let Dest::Ask { dir } = dest {
            self.ask(dir, name, Some(("OCO return", crate::exchange::EXTENSION)), |d| Command::ExportReturn {
                dest: d,
            });
            return;
        }
        let Some(path) = Self::destination(dest, name) else { return };
        let recipient = crate::exchange::keys::parse_recipient(self.settings.secretariat_key.trim()).ok();
        let key = self.signing_key();
        let result = key
            .and_then(|key| self.store.revision_chain(h.id).map_err(|e| Cause::Store(Arc::new(e))).map(|c| (c, key)))
            .and_then(|(chain, key)| {
                crate::exchange::export::export(&chain, recipient.as_deref(), &key).map_err(|e| Cause::of_export(&e))
            })
            .and_then(|e| files::write_atomically(&path, &e.bytes).map(|_| e).map_err(|e| Cause::io(&e)));
        if let Ok(e) = &result {
            self.out.send(Event::LastExport(LastExport {
                path: path.clone(),
                size: e.bytes.len(),
                encrypted: e.encrypted,
                member: h.member.clone(),
                cycle: h.cycle,
                revision: h.revision,
            }));
        }
        self.notice(saved_or_failed(&path, result.map(|_| ())));
    }

    /// Makes this installation's signing key if there is none yet (first-run setup, or an older
    /// database) and says what it is.
    fn announce_signing_key(&self) {
        let db = self.store.path();
        if db.as_os_str() == ":memory:" || !self.settings.setup_done() {
            return;
        }
        match self.signing_key() {
            Ok(k) => {
                let public = k.public();
                self.out.send(Event::SigningKey { fingerprint: public.fingerprint(), public: public.to_base64() });
            }
            Err(e) => self.notice(Notice::error(Msg::Failed("keys.failed", Vec::new(), e))),
        }
    }

    /// This database's signing key (one per database: `Store::signing_key_text`).
    fn signing_key(&self) -> Result<crate::exchange::sign::SigningKey, Cause> {
        use crate::exchange::sign;
        let text = self.store.signing_key_text(sign::new_key_text, sign::describe_key_text);
        sign::SigningKey::parse(&text.map_err(|e| Cause::Store(Arc::new(e)))?).map_err(|e| Cause::of_sign(&e))
    }

    fn identity_path(&self) -> Option<PathBuf> {
        let db = self.store.path();
        if db.as_os_str() == ":memory:" {
            return None;
        }
        Some(db.with_file_name("secretariat-identity.txt"))
    }

    fn identities(&self) -> Vec<age::x25519::Identity> {
        self.identity_path().and_then(|p| crate::exchange::keys::load_identities(&p).ok()).unwrap_or_default()
    }

    fn generate_keypair(&mut self) {
        let Some(path) = self.identity_path() else { return };
        let (text, public) = crate::exchange::keys::generate();
        match crate::exchange::keys::write_identity_file(&path, &text) {
            Ok(()) => {
                self.out.send(Event::OwnKey(public));
                self.info(Msg::with("keys.created", &[("path", &path.display())]));
            }
            Err(e) => self.notice(Notice::error(Msg::Failed("keys.failed", Vec::new(), Cause::of_key(&e)))),
        }
    }

    fn import(&mut self, files: Vec<PathBuf>) {
        if files.is_empty() {
            self.info(Msg::key("import.folder_empty"));
            return;
        }
        let identities = self.identities();
        let total = files.len();
        self.cancel.store(false, Ordering::Relaxed);
        self.out.send(Event::ImportStarted { total });
        let (mut done, mut rejected) = (0, 0);
        // Files are committed in batches (every 200 files or 0.5 s), each file under its own
        // savepoint; the batch is always finished, even if importing a file panics.
        // Files are read and checked on a second thread while the ones before are written.
        let mut batch = import::Batch::new();
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let ahead = match import::Prefetch::start(&self.store, files, identities.clone()) {
                Ok(ahead) => ahead,
                Err(e) => {
                    self.error(e);
                    return;
                }
            };
            for (f, p) in ahead {
                if self.cancel.load(Ordering::Relaxed) {
                    break;
                }
                let r = batch.import_prepared(&mut self.store, p, &identities).unwrap_or_else(|e| {
                    let words = [e.message(Lang::En), e.message(Lang::Fr)];
                    import::FileResult::rejected(&f.display().to_string(), import::Reason::Failed(words))
                });
                done += 1;
                if r.outcome == import::Outcome::Rejected {
                    rejected += 1;
                }
                self.out.send(Event::Imported(r));
            }
        }));
        if let Err(e) = batch.finish(&mut self.store) {
            self.error(e);
        }
        if let Err(panic) = run {
            self.out.send(Event::ImportFinished);
            std::panic::resume_unwind(panic);
        }
        self.out.send(Event::ImportFinished);
        let msg = Msg::with("import.summary", &[("done", &done), ("total", &total), ("rejected", &rejected)]);
        self.notice(if rejected > 0 { Notice::error(msg) } else { Notice::info(msg) });
        self.refresh_secretariat();
    }

    fn send_member_keys(&self) {
        match crate::secretariat::keys::list(&self.store) {
            Ok(keys) => self.out.send(Event::MemberKeys(Arc::new(keys))),
            Err(e) => self.error(e),
        }
    }

    /// Reloads what the Secretariat pages show (after start, an import, a resolution).
    fn refresh_secretariat(&mut self) {
        self.send_member_keys();
        self.sec.cycles = self.store.imported_cycles().unwrap_or_default();
        self.sec.received = Arc::new(self.store.received_files().unwrap_or_default());
        if self.sec.cycle.is_none_or(|c| !self.sec.cycles.contains(&c)) {
            self.sec.cycle = self.sec.cycles.first().copied();
        }
        self.refresh_list();
        // Revisions imported by an older version get their scores stored (once, in steps).
        if let Err(e) = consolidate::fill_scores(&mut self.store, |_| {}) {
            self.error(e);
        }
        self.consolidate();
        self.out.send(Event::Sec(self.sec.clone()));
        self.send_feedback_state();
    }

    fn consolidate(&mut self) {
        let Some(cycle) = self.sec.cycle else {
            self.sec.consolidation = None;
            return;
        };
        match consolidate::consolidate(&self.store, cycle) {
            Ok(c) => self.sec.consolidation = Some(Arc::new(c)),
            Err(e) => self.error(e),
        }
    }

    fn resolve_conflict(&mut self, file: crate::ids::FileId, use_new: bool) {
        let ids = self.identities();
        let result = import::resolve(&mut self.store, file, use_new, &ids).map_err(|e| match e {
            import::ResolveError::Store(e) => Msg::Store(Arc::new(e)),
            import::ResolveError::Rejected(r) => Msg::Rejected(r),
        });
        match result {
            Ok(_) => {
                self.info(Msg::key("register.resolved"));
                self.refresh_secretariat();
            }
            Err(msg) => self.notice(Notice::error(msg)),
        }
    }

    /// Writes the report files on a thread of their own, from the consolidation in memory.
    fn write_report(&mut self, format: reports::Format, dest: Dest) {
        let Some(c) = self.sec.consolidation.clone() else { return };
        let name = reports::default_name(c.cycle, format);
        if let Dest::Ask { dir } = dest {
            self.ask(dir, name, None, move |d| Command::WriteReport { format, dest: d });
            return;
        }
        let Some(out_path) = Self::destination(dest, name) else { return };
        let t = self.lang();
        self.write_off_worker(move || {
            let failed =
                |path: &Path, cause| Msg::Failed("export.failed", vec![("path", path.display().to_string())], cause);
            let result = reports::files(&c, t, format, &out_path)
                .map_err(|_| failed(&out_path, Cause::Key("export.err_write")))
                .and_then(|files| {
                    let mut written = Vec::new();
                    for (path, bytes) in files {
                        files::write_atomically(&path, &bytes).map_err(|e| failed(&path, Cause::io(&e)))?;
                        written.push(path.display().to_string());
                    }
                    Ok(written)
                });
            match result {
                Ok(paths) => Notice::info(Msg::with("export.saved", &[("path", &paths.join(", "))])),
                Err(msg) => Notice::error(msg),
            }
        });
    }
}

fn saved_or_failed(path: &Path, result: Result<(), Cause>) -> Notice {
    match result {
        Ok(()) => Notice::info(Msg::with("export.saved", &[("path", &path.display())])),
        Err(cause) => Notice::error(Msg::Failed("export.failed", vec![("path", path.display().to_string())], cause)),
    }
}

/// Ends a "writing" spinner whatever happens to the thread that writes: done, failed or panicked
/// (then the user is told).
struct WritingGuard(Outbox);

impl Drop for WritingGuard {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.send(Event::Notice(Some(Notice::error(Msg::key("error.internal")))));
        }
        self.0.send(Event::Writing(false));
    }
}
