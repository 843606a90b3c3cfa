//! The application layer, between the pages and the store, with no egui in it.
//!
//! Pages send [`Command`]s and draw from the [`Snapshot`]. A worker thread owns the [`Store`]
//! for the app's life, applies the commands in order and answers with [`Event`]s, which the
//! [`Client`] folds into the snapshot at the start of a frame. Nothing a frame does touches the
//! database or a file. See `docs/architecture.md`.

pub mod command;
mod ctx;
pub mod desktop;
pub mod files;
pub mod filetypes;
pub mod inbox;
pub mod mail;
pub mod model;
pub mod msg;
pub mod ops;
pub mod review;
mod rooms;
pub mod session;
mod worker;

pub use command::{
    BackupCmd, Command, DesktopCmd, Dest, Dialog, Event, ExportCmd, ExportKind, FeedbackCmd, FrameworkCmd,
    FrameworkHeld, ImportCmd, KeysCmd, Program, ProgrammeCmd, ReviewCmd, SecCmd, SectionsCmd, SessionCmd, SettingsCmd,
    TextField, UnsavedText,
};
pub use model::{
    Cause, Changed, LastExport, Msg, Notice, NoticeKind, Role, SectionSent, Session, Settings, Snapshot, ThemeChoice,
    Warning,
};
pub use worker::{TEXT_MAX_WAIT, TEXT_PAUSE, TEXT_RETRY};

use crate::store::{Store, StoreError};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// Called by the worker after each event (the window asks for a repaint).
pub type Waker = Arc<Mutex<Option<Box<dyn Fn() + Send>>>>;

/// How `send` waits: not at all (the window), or until the worker has answered (tests and the
/// command line, where the next step depends on the last).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Async,
    Sync,
}

/// The pages' side of the application: sends commands, keeps the snapshot.
pub struct Client {
    tx: Option<Sender<ctx::Envelope>>,
    rx: Receiver<Event>,
    snap: Snapshot,
    /// Commands sent and not yet answered with `Done`.
    pending: usize,
    /// Files being written off the worker.
    writers: usize,
    /// Events already folded into the snapshot, handed out by the next `poll`.
    queued: Vec<Event>,
    cancel: Arc<AtomicBool>,
    /// Set: behave as on a computer without system dialogs or programs to open files with.
    no_desktop: Arc<AtomicBool>,
    waker: Waker,
    /// Where the worker's events go (also the inbox watcher's).
    events: Sender<Event>,
    thread: Option<JoinHandle<()>>,
    mode: Mode,
    /// [`Client::wait_first_state`] has been called.
    first_state_waited: bool,
}

impl Client {
    /// Starts the worker, which opens the store with `open` on its own thread.
    pub fn start(open: impl FnOnce() -> Result<Store, StoreError> + Send + 'static, mode: Mode) -> Client {
        Client::start_at(open, None, mode)
    }

    /// [`Client::start`] for the database at `db` (when known): if it cannot be opened, the
    /// worker offers its automatic backups and can restore one, then opens it again.
    fn start_at(
        open: impl FnOnce() -> Result<Store, StoreError> + Send + 'static,
        db: Option<std::path::PathBuf>,
        mode: Mode,
    ) -> Client {
        let (tx, rx_cmd) = channel();
        let (tx_ev, rx) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let no_desktop = Arc::new(AtomicBool::new(false));
        let waker: Waker = Arc::default();
        let outbox = ctx::Outbox::new(tx_ev.clone(), waker.clone());
        let (me, stop, desktop) = (tx.clone(), cancel.clone(), no_desktop.clone());
        let thread = std::thread::Builder::new()
            .name("cdf-store".into())
            .spawn(move || worker::run(open, db, rx_cmd, me, outbox, stop, desktop, mode == Mode::Async))
            .expect("cannot start the worker thread");
        let mut c = Client {
            tx: Some(tx),
            rx,
            snap: Snapshot::default(),
            pending: 0,
            writers: 0,
            queued: Vec::new(),
            cancel,
            no_desktop,
            waker,
            events: tx_ev,
            thread: Some(thread),
            mode,
            first_state_waited: false,
        };
        if mode == Mode::Sync {
            c.wait_started();
            c.poll();
        }
        c
    }

    /// Opens the database file on the worker's thread (the window's first frame never waits).
    pub fn open(db: std::path::PathBuf, mode: Mode) -> Client {
        let again = db.clone();
        Client::start_at(move || Store::open(&db), Some(again), mode)
    }

    /// Over a store already opened (tests, and the window once it has opened the database).
    pub fn over(store: Result<Store, StoreError>, mode: Mode) -> Client {
        Client::start(move || store, mode)
    }

    /// What the pages draw from.
    pub fn snapshot(&self) -> &Snapshot {
        &self.snap
    }

    /// Sends one command. In sync mode, returns once the worker has handled it.
    pub fn send(&mut self, cmd: impl Into<Command>) {
        let cmd = cmd.into();
        // Settings show at once; the worker saves them and reports a failure.
        if let Command::Settings(SettingsCmd::Save(s) | SettingsCmd::FinishSetup(s)) = &cmd {
            self.snap.settings = s.clone();
        }
        if matches!(cmd, Command::Dismiss) {
            self.snap.notice = None;
        }
        if matches!(cmd, Command::Backup(BackupCmd::Cancel | BackupCmd::Restore(_))) {
            self.snap.backup_info = None;
        }
        if matches!(cmd, Command::Feedback(FeedbackCmd::ReplaceCard(_) | FeedbackCmd::KeepCard)) {
            self.snap.card_change = None;
        }
        if matches!(cmd, Command::Keys(KeysCmd::KeepPinned | KeysCmd::Pin { .. })) {
            self.snap.pin_conflict = None;
        }
        if matches!(cmd, Command::CancelImport) {
            self.cancel_import();
            return;
        }
        if matches!(cmd, Command::ForgetOpened) {
            self.snap.opened.clear();
            return;
        }
        let Some(tx) = &self.tx else { return };
        if tx.send(ctx::Envelope { cmd, counted: true }).is_ok() {
            self.pending += 1;
        }
        if self.mode == Mode::Sync {
            self.wait_idle();
        }
    }

    /// Sends several commands in order.
    pub fn send_all<C: Into<Command>>(&mut self, cmds: impl IntoIterator<Item = C>) {
        for c in cmds {
            self.send(c);
        }
    }

    /// Watches the database's inbox on a thread of its own (`inbox`: files opened from outside
    /// while this window has the database); what it takes is offered ([`Snapshot::opened`]).
    pub fn watch_inbox(&self, db: std::path::PathBuf) {
        let out = ctx::Outbox::new(self.events.clone(), self.waker.clone());
        let _ = std::thread::Builder::new().name("cdf-inbox".into()).spawn(move || {
            // Until the window is gone (a window that failed to open hands its place to another).
            while out.listening() {
                std::thread::sleep(inbox::EVERY);
                let files = inbox::take(&db);
                if !files.is_empty() {
                    out.send(Event::FilesOpened(files));
                }
            }
        });
    }

    /// Offers files the window was started with (`cdf-assess FILE`): said and asked, not imported.
    pub fn offer_files(&mut self, files: Vec<std::path::PathBuf>) {
        add_opened(&mut self.snap.opened, files);
    }

    /// Folds the events that arrived into the snapshot (cheap: drains a channel) and returns them,
    /// for the window to follow (open a page after `Opened`, …).
    pub fn poll(&mut self) -> Vec<Event> {
        let fresh: Vec<Event> = self.rx.try_iter().collect();
        for e in fresh {
            self.take(e);
        }
        std::mem::take(&mut self.queued)
    }

    fn apply(&mut self, e: &Event) {
        let s = &mut self.snap;
        match e {
            Event::Started { settings, db_path, identity_path, own_public_key } => {
                s.ready = true;
                s.settings = settings.clone();
                // Opened (also after a backup was restored from the start-up error).
                s.startup_error = None;
                s.startup_backups.clear();
                s.db_path = Some(db_path.clone());
                s.identity_path = identity_path.clone();
                s.own_public_key = own_public_key.clone();
            }
            Event::StartupFailed(err) => {
                s.ready = true;
                s.startup_error = Some(err.clone());
            }
            Event::StartupBackups(list) => s.startup_backups = list.clone(),
            Event::Settings(settings) => s.settings = settings.clone(),
            Event::List(list) => s.list = list.clone(),
            Event::Session(session) => s.session = session.clone(),
            // A keystroke: the text goes into the session in place (the worker holds no other
            // reference to it, so nothing is copied).
            Event::TextShown { id, indicator, field, text } => {
                if let Some(session) = s.session.as_mut().filter(|x| x.id() == *id) {
                    Arc::make_mut(session).show_text(indicator, *field, text);
                }
            }
            Event::Notice(n) => s.notice = n.clone(),
            Event::LastExport(e) => s.last_export = Some(e.clone()),
            Event::SectionSent(e) => s.section_sent = Some(e.clone()),
            Event::OwnKey(k) => s.own_public_key = Some(k.clone()),
            Event::Sec(sec) => s.sec = sec.clone(),
            Event::ImportStarted { total } => s.import = Some(model::ImportProgress { done: 0, total: *total }),
            Event::Imported(r) => {
                if let Some(p) = s.import.as_mut() {
                    p.done += 1;
                }
                s.import_results.push_back(r.clone());
            }
            Event::ImportFinished => s.import = None,
            Event::Writing(_) => s.writing = self.writers > 0,
            Event::Unsaved(list) => s.unsaved = list.clone(),
            Event::BackupInfo(info) => s.backup_info = Some(info.clone()),
            Event::MemberKeys(keys) => s.member_keys = keys.clone(),
            Event::SigningKey { fingerprint, public } => s.signing = Some((fingerprint.clone(), public.clone())),
            Event::NoDialog(d) => {
                s.no_dialog = true;
                if !s.no_dialog_for.contains(d) {
                    s.no_dialog_for.push(*d);
                }
            }
            Event::NoProgram(p) => s.no_program = Some(*p),
            Event::FilesOpened(files) => add_opened(&mut s.opened, files.clone()),
            Event::Reviews(r) => s.feedback.reviews = r.clone(),
            Event::Review(r) => s.feedback.review = r.clone(),
            Event::FeedbackWritten(w) => s.feedback.written = Some(w.clone()),
            Event::FeedbackReceived(f) => s.feedback.received = f.clone(),
            Event::Outbox(o) => s.feedback.outbox = o.clone(),
            Event::Restored => {
                // What was said before (a backup refused, say) is about the database replaced.
                s.notice = None;
                s.backup_info = None;
                s.session = None;
                s.import_results.clear();
            }
            Event::CardChange(c) => s.card_change = c.clone(),
            Event::Framework(f) => s.framework = Some(f.clone()),
            Event::PinConflict(p) => s.pin_conflict = p.clone(),
            Event::Programme(p) => s.programme = p.clone(),
            Event::Done
            | Event::Opened { .. }
            | Event::SetupDone
            | Event::Finalised(_)
            | Event::MemberOpened
            | Event::ExportDir(_)
            | Event::FirstState => {}
        }
    }

    /// Folds one event into the snapshot and keeps it for the next `poll`.
    fn take(&mut self, e: Event) {
        self.count(&e);
        self.apply(&e);
        self.queued.push(e);
    }

    /// Counts what is in flight: commands not yet done, files being written.
    fn count(&mut self, e: &Event) {
        match e {
            Event::Done => self.pending = self.pending.saturating_sub(1),
            Event::Writing(true) => self.writers += 1,
            Event::Writing(false) => self.writers = self.writers.saturating_sub(1),
            _ => {}
        }
    }

    /// True while commands are waiting for the worker or files are being written.
    pub fn busy(&self) -> bool {
        self.pending > 0 || self.writers > 0
    }

    /// Blocks until every command sent is handled and every file written (tests, the command
    /// line, closing the window).
    pub fn wait_idle(&mut self) {
        while self.busy() {
            match self.rx.recv() {
                Ok(e) => self.take(e),
                Err(_) => {
                    self.pending = 0;
                    self.writers = 0;
                    if self.snap.notice.is_none() {
                        self.snap.notice = Some(Notice::error(Msg::key("error.internal")));
                    }
                }
            }
        }
    }

    /// Waits, at most `limit`, until what the first frame shows has arrived (the database opened,
    /// the Secretariat's dashboard data read): the window's first frame then shows the data
    /// instead of a spinner that a slow (software) renderer would take as long to draw again.
    /// Returns at once after the first call, or when the worker has stopped.
    pub fn wait_first_state(&mut self, limit: std::time::Duration) {
        if std::mem::replace(&mut self.first_state_waited, true) {
            return;
        }
        let until = std::time::Instant::now() + limit;
        while let Ok(e) = self.rx.recv_timeout(until.saturating_duration_since(std::time::Instant::now())) {
            let done = matches!(e, Event::FirstState | Event::StartupFailed(_));
            self.take(e);
            if done {
                break;
            }
        }
    }

    fn wait_started(&mut self) {
        while let Ok(e) = self.rx.recv() {
            let started = matches!(e, Event::Started { .. } | Event::StartupFailed(_));
            self.take(e);
            if started {
                break;
            }
        }
        // The first state (list, workspace) follows `Started`: wait for it too.
        self.send_barrier();
    }

    /// Waits until the worker has handled everything before this point.
    fn send_barrier(&mut self) {
        let Some(tx) = &self.tx else { return };
        if tx.send(ctx::Envelope { cmd: Command::Ping, counted: true }).is_ok() {
            self.pending += 1;
            self.wait_idle();
        }
    }

    /// From now on, behaves as on a computer with no system dialog and no program to open files
    /// or e-mail with (tests; a machine where they hang).
    pub fn without_desktop(&self) {
        self.no_desktop.store(true, Ordering::Relaxed);
    }

    /// Stops a running import after the file in hand.
    pub fn cancel_import(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// What the worker calls after each event (the window: request a repaint).
    pub fn set_waker(&self, wake: impl Fn() + Send + 'static) {
        *self.waker.lock().unwrap_or_else(|e| e.into_inner()) = Some(Box::new(wake));
    }

    /// A handle that another thread (a signal handler) can call to stop any import and have every
    /// typed text written; true if the worker confirmed within `timeout`.
    pub fn flusher(&self) -> Option<impl Fn(std::time::Duration, bool) -> bool + Send + Sync + 'static> {
        let tx = self.tx.clone()?;
        let cancel = self.cancel.clone();
        Some(move |timeout, last| {
            cancel.store(true, Ordering::Relaxed);
            let (ack, done) = channel();
            tx.send(ctx::Envelope { cmd: Command::Flush { ack, last }, counted: false }).is_ok()
                && done.recv_timeout(timeout).is_ok()
        })
    }

    /// Lets the worker finish every command sent, then stops it.
    pub fn shutdown(&mut self) {
        if let Some(tx) = self.tx.take() {
            let _ = tx.send(ctx::Envelope { cmd: Command::Shutdown, counted: false });
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        // A report or export still being written is finished, not cut off.
        let rest: Vec<Event> = self.rx.try_iter().collect();
        for e in rest {
            self.take(e);
        }
        while self.writers > 0 {
            let Ok(e) = self.rx.recv() else { break };
            self.take(e);
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Logout and shutdown send SIGTERM or SIGHUP (Ctrl+C: SIGINT): typed text is written, then the
/// process ends (exit code 0 when the worker confirmed within 5 s).
#[cfg(unix)]
pub fn write_text_on_signal(flush: impl Fn(std::time::Duration, bool) -> bool + Send + 'static) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT]) else { return };
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            // The last flush: nothing typed after it is acknowledged, and the process ends.
            let written = flush(std::time::Duration::from_secs(5), true);
            std::process::exit(if written { 0 } else { 1 });
        }
    });
}

/// Adds files to those offered: each once, at most [`inbox::MAX_TAKEN`].
fn add_opened(opened: &mut Vec<std::path::PathBuf>, files: Vec<std::path::PathBuf>) {
    for f in files {
        if !opened.contains(&f) && opened.len() < inbox::MAX_TAKEN {
            opened.push(f);
        }
    }
}
