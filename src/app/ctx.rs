//! What every room of the worker stands on: the store, the state the pages are shown, the
//! outbox to the window, and the follow-ups a room asks of another. Rooms never call each
//! other: a room that needs another's work pushes a command with [`Ctx::then`]; the loop
//! handles it right after, before the client hears `Done`.

use super::command::{Command, Dialog, Event, Program};
use super::model::{Cause, Msg, Notice, SecView, Session, Settings};
use super::{desktop, files};
use crate::assessment::Summary;
use crate::lang::Lang;
use crate::store::{Store, StoreError};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::time::Instant;

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
    /// Whether the window still listens (an empty offer, folded into nothing, without waking it).
    pub fn listening(&self) -> bool {
        self.tx.send(Event::FilesOpened(Vec::new())).is_ok()
    }
    pub fn send(&self, e: Event) {
        let _ = self.tx.send(e);
        if let Some(w) = self.wake.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
            w();
        }
    }
}

/// The worker's state, shared by its rooms. Each field has one room that writes it (named);
/// the others only read it.
pub(super) struct Ctx {
    pub store: Store,
    /// `rooms/settings.rs` (and a restore).
    pub settings: Settings,
    /// `rooms/session.rs`: the assessments held.
    pub list: Arc<Vec<Summary>>,
    /// `rooms/session.rs`: the assessment open (typed text is shown in it by the loop).
    pub session: Option<Session>,
    /// `rooms/secretariat.rs`: the cycle chosen and its consolidation.
    pub sec: SecView,
    /// `rooms/secretariat.rs`: the trend over every cycle held, read once per refresh.
    pub trend: Option<crate::secretariat::consolidate::Trend>,
    /// `rooms/programme.rs`: the year of the work programme shown.
    pub programme_year: Option<i32>,
    /// `rooms/review.rs`: the member whose review is open (opened again after an import).
    pub review_member: Option<String>,
    pub out: Outbox,
    /// For the dialog threads to send their answer back.
    pub me: Sender<Envelope>,
    pub cancel: Arc<AtomicBool>,
    /// Behave as on a computer without system dialogs or programs ([`super::Client::without_desktop`]).
    pub no_desktop: Arc<AtomicBool>,
    /// Set by a restore: the database was replaced, so typed text still held is forgotten.
    pub replaced: bool,
    /// The newest framework file held becomes the content the whole program uses
    /// (`framework::install`): for a worker over a database opened by path (the window's), not
    /// over a store handed in (tests, which share one process).
    pub installs_content: bool,
    /// Commands rooms asked of other rooms, handled next (in order).
    follow: VecDeque<Command>,
}

impl Ctx {
    pub fn new(
        store: Store,
        out: Outbox,
        me: Sender<Envelope>,
        cancel: Arc<AtomicBool>,
        no_desktop: Arc<AtomicBool>,
    ) -> Ctx {
        Ctx {
            settings: super::rooms::settings::load(&store),
            store,
            list: Arc::default(),
            session: None,
            sec: SecView::default(),
            trend: None,
            programme_year: None,
            review_member: None,
            out,
            me,
            cancel,
            no_desktop,
            replaced: false,
            installs_content: false,
            follow: VecDeque::new(),
        }
    }

    /// Asks another room for its work, after this command.
    pub fn then(&mut self, cmd: impl Into<Command>) {
        self.follow.push_back(cmd.into());
    }

    pub(super) fn next_follow_up(&mut self) -> Option<Command> {
        self.follow.pop_front()
    }

    pub fn lang(&self) -> Lang {
        self.settings.lang
    }

    pub fn send(&self, e: Event) {
        self.out.send(e);
    }

    pub fn notice(&self, n: Notice) {
        self.out.send(Event::Notice(Some(n)));
    }

    pub fn info(&self, msg: Msg) {
        self.notice(Notice::info(msg));
    }

    pub fn error(&self, e: StoreError) {
        self.notice(Notice::error(Msg::Store(Arc::new(e))));
    }

    pub fn fail(&self, key: &'static str, cause: Cause) {
        self.notice(Notice::error(Msg::Failed(key, Vec::new(), cause)));
    }

    /// Sends the open assessment (whole: it changed shape).
    pub fn send_session(&self) {
        self.out.send(Event::Session(self.session.as_ref().map(|s| Arc::new(s.clone()))));
    }

    pub fn is_open_draft(&self, id: crate::ids::AssessmentId) -> bool {
        self.session.as_ref().is_some_and(|s| s.id() == id && !s.read_only())
    }

    /// The database is in memory (tests): no key files, no backups.
    pub fn in_memory(&self) -> bool {
        self.store.path().as_os_str() == ":memory:"
    }

    /// Where the Secretariat's private key lives (beside the database).
    pub fn identity_path(&self) -> Option<PathBuf> {
        (!self.in_memory()).then(|| self.store.path().with_file_name("secretariat-identity.txt"))
    }

    pub fn identities(&self) -> Vec<age::x25519::Identity> {
        self.identity_path().and_then(|p| crate::exchange::keys::load_identities(&p).ok()).unwrap_or_default()
    }

    /// This database's signing key (`ops::signing_key`).
    pub fn signing_key(&self) -> Result<crate::exchange::sign::SigningKey, Cause> {
        super::ops::signing_key(&self.store).map_err(super::ops::KeyError::into_cause)
    }

    /// Opens the save dialog on its own thread; the chosen path comes back as `again(path)`.
    pub fn ask(
        &self,
        dir: PathBuf,
        name: String,
        filter: Option<(&'static str, &'static str)>,
        again: impl FnOnce(super::Dest) -> Command + Send + 'static,
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
            Some(again(super::Dest::Path(path)))
        });
    }

    /// Runs a system dialog on a thread of its own (the worker goes on saving meanwhile); the
    /// command it yields comes back to the worker. Cancelled: nothing. A dialog that could not
    /// open (no desktop portal, no zenity) is said, and the pages show their folder fields.
    pub fn dialog(&self, what: Dialog, pick: impl FnOnce() -> Option<Command> + Send + 'static) {
        let (me, out) = (self.me.clone(), self.out.clone());
        let missing = self.no_desktop.load(Ordering::Relaxed);
        std::thread::spawn(move || {
            let started = Instant::now();
            let cmd = if missing { None } else { pick() };
            match cmd {
                Some(cmd) => {
                    let _ = me.send(Envelope { cmd, counted: false });
                }
                None if missing || desktop::no_dialog_shown(started.elapsed()) => {
                    // The page says what to do beside its folder field; the notice says why.
                    out.send(Event::NoDialog(what));
                    out.send(Event::Notice(Some(Notice::error(Msg::key("dialog.none")))));
                }
                None => {}
            }
        });
    }

    /// Asks the system to open a `mailto:` link or a folder, on a thread of its
    /// own; a program that is missing or fails is said, and the page shows what to do by hand.
    pub fn open_program(&self, what: Program, target: std::ffi::OsString) {
        let out = self.out.clone();
        let missing = self.no_desktop.load(Ordering::Relaxed);
        std::thread::spawn(move || {
            let result =
                if missing { Err(std::io::ErrorKind::NotFound.into()) } else { desktop::open_with_system(&target) };
            if result.is_err() {
                out.send(Event::NoProgram(what));
                let key = match what {
                    Program::Mail => "program.no_mail",
                    Program::Folder => "program.no_folder",
                };
                let path = target.to_string_lossy();
                let shown = if what == Program::Mail { String::new() } else { crate::exchange::clean_text(&path) };
                out.send(Event::Notice(Some(Notice::error(Msg::with(key, &[("path", &shown)])))));
            }
        });
    }

    /// Opens a new message with its files attached (`desktop::send_mail`) on a thread of its own
    /// (Simple MAPI waits while its window is open); says whether the files were attached, and
    /// when no program could open it, shows the page's fallback as [`Self::open_program`] does.
    pub fn send_mail(&self, mail: crate::app::mail::Mail) {
        if self.no_desktop.load(Ordering::Relaxed) {
            return self.open_program(Program::Mail, mail.mailto().into());
        }
        let out = self.out.clone();
        std::thread::spawn(move || match desktop::send_mail(&mail) {
            Ok(true) => {
                let files: Vec<String> = mail
                    .files
                    .iter()
                    .map(|p| crate::exchange::clean_text(&p.file_name().unwrap_or_default().to_string_lossy()))
                    .collect();
                out.send(Event::Notice(Some(Notice::info(Msg::with(
                    "program.mail_attached",
                    &[("files", &files.join(", "))],
                )))));
            }
            Ok(false) => {}
            Err(_) => {
                out.send(Event::NoProgram(Program::Mail));
                out.send(Event::Notice(Some(Notice::error(Msg::with("program.no_mail", &[("path", &"")])))));
            }
        });
    }

    /// Runs slow writing (PDF, XLSX) on a thread of its own so the worker goes on saving; its
    /// notice ends the "writing" spinner, which also ends if the thread panics.
    pub fn write_off_worker(&self, work: impl FnOnce() -> Notice + Send + 'static) {
        let out = self.out.clone();
        out.send(Event::Writing(true));
        let guard = WritingGuard(out.clone());
        std::thread::spawn(move || {
            let _guard = guard;
            out.send(Event::Notice(Some(work())));
        });
    }
}

/// The path of a file going to a folder or an exact path (`None` when a dialog must ask).
pub(super) fn destination(dest: super::Dest, name: String) -> Option<PathBuf> {
    match dest {
        super::Dest::Path(p) => Some(p),
        super::Dest::Folder(dir) => Some(dir.join(name)),
        super::Dest::Ask { .. } => None,
    }
}

/// "Saved to PATH", or why not.
pub(super) fn saved_or_failed(path: &Path, result: Result<(), Cause>) -> Notice {
    match result {
        Ok(()) => Notice::info(Msg::with("export.saved", &[("path", &path.display())])),
        Err(cause) => Notice::error(Msg::Failed("export.failed", vec![("path", path.display().to_string())], cause)),
    }
}

/// Writes a file the user named (see `files::write_atomically`), the failure as a value.
pub(super) fn write(path: &Path, bytes: &[u8]) -> Result<(), Cause> {
    files::write_atomically(path, bytes).map_err(|e| Cause::io(&e))
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
