//! The worker thread: owns the `Store` (in its [`Ctx`]) for the app's life, applies commands in
//! the order sent and answers with events. This file keeps the loop: ordering, the panic guard,
//! start-up, and the typed text not yet written. Each job is a room (`rooms/*`), handed its
//! commands here; the follow-ups one room asks of another are handled right after it.

use super::command::{
    BackupCmd, Command, Event, FrameworkCmd, KeysCmd, ReviewCmd, SecCmd, SessionCmd, TextField, UnsavedText,
};
use super::ctx::{Ctx, Envelope, Outbox};
use super::model::{Msg, Notice, Role};
use super::rooms;
use crate::assessment::ResponseChange;
use crate::ids::AssessmentId;
use crate::store::{Store, StoreError};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

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

struct Worker {
    ctx: Ctx,
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
    let mut w = Worker { ctx: Ctx::new(store, out, me, cancel, no_desktop), pending: Vec::new() };
    w.ctx.installs_content = db.is_some();
    rooms::framework::install(&mut w.ctx);
    let mut backlog = w.start(&rx, window);
    if restore_done {
        w.ctx.send(Event::Done);
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
            w.ctx.send(Event::Done);
        }
    }
    // Closing: whatever was typed is written before the worker goes.
    w.guarded(|w| w.write_text(true));
}

/// Without a database: says why, then answers every command with `Done`, so the client never
/// waits for a reply that cannot come. When the database's path is known, its automatic backups
/// are offered: `Inspect` answers with what one holds, `Restore` puts it in place (the database
/// as it was is kept beside it) and returns whether that command waits for its `Done`: the
/// worker then opens the database, and says `Done` once it has. None when the client goes.
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
            (Command::Backup(BackupCmd::Inspect(path)), Some(_)) => match Store::inspect_backup(&path) {
                Ok(info) => out.send(Event::BackupInfo(info)),
                Err(e) => out.send(Event::Notice(Some(Notice::error(Msg::Store(Arc::new(e)))))),
            },
            (Command::Backup(BackupCmd::Restore(path)), Some(db)) => match Store::restore_from(&path, db) {
                Ok(_) => {
                    out.send(Event::Restored);
                    restored = true;
                }
                Err(e) => out.send(Event::Notice(Some(Notice::error(Msg::Store(Arc::new(e)))))),
            },
            (Command::Backup(BackupCmd::Cancel) | Command::Dismiss, _) => out.send(Event::Notice(None)),
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

impl Worker {
    /// Runs one piece of work; a panic in it is reported and the worker carries on.
    fn guarded(&mut self, f: impl FnOnce(&mut Worker)) {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(self)));
        if result.is_err() {
            self.ctx.notice(Notice::error(Msg::key("error.internal")));
        }
    }

    /// Hands a command to its room, then the follow-ups rooms asked for, in order.
    fn handle(&mut self, cmd: Command) {
        self.dispatch_and_follow(Some(cmd));
    }

    /// Dispatches `first` (if any), then every follow-up the rooms asked for, in order; then
    /// shows typed text still waiting in a session loaded meanwhile.
    fn dispatch_and_follow(&mut self, first: Option<Command>) {
        let mut next = first.or_else(|| self.ctx.next_follow_up());
        while let Some(cmd) = next {
            self.dispatch(cmd);
            if std::mem::take(&mut self.ctx.replaced) {
                self.pending.clear();
                self.send_unsaved();
            }
            next = self.ctx.next_follow_up();
        }
        // A session loaded from disk shows the text still waiting to be written (a write failed).
        self.reapply_pending();
    }

    fn dispatch(&mut self, cmd: Command) {
        let ctx = &mut self.ctx;
        match cmd {
            Command::Settings(c) => rooms::settings::handle(ctx, c),
            Command::Session(c) => rooms::session::handle(ctx, c),
            Command::Export(c) => rooms::export::handle(ctx, c),
            Command::Keys(c) => rooms::keys::handle(ctx, c),
            Command::Import(c) => rooms::import::handle(ctx, c),
            Command::Secretariat(c) => rooms::secretariat::handle(ctx, c),
            Command::Review(c) => rooms::review::handle(ctx, c),
            Command::Feedback(c) => rooms::feedback::handle(ctx, c),
            Command::Framework(c) => rooms::framework::handle(ctx, c),
            Command::Backup(c) => rooms::backup::handle(ctx, c),
            Command::Desktop(c) => rooms::desktop::handle(ctx, c),
            Command::Programme(c) => rooms::programme::handle(ctx, c),
            Command::Sections(c) => rooms::sections::handle(ctx, c),
            Command::Dismiss => ctx.send(Event::Notice(None)),
            Command::Text { id, indicator, field, text } => self.text(id, indicator, field, text),
            Command::SaveText
            | Command::Ping
            | Command::WindowShown
            | Command::Shutdown
            | Command::CancelImport
            | Command::ForgetOpened
            | Command::Flush { .. } => {}
        }
    }

    /// Says what the window needs for its first frame (`Started`), then, with a window, waits
    /// for that frame to be on screen (at most half a second) before the slower work: on a
    /// 2-core laptop the two would otherwise share the CPU. Commands that arrive meanwhile are
    /// handed back, in order, to be handled next. (The Secretariat's dashboard data is the
    /// exception: small, read at once.)
    fn start(&mut self, rx: &Receiver<Envelope>, window: bool) -> VecDeque<Envelope> {
        self.announce_start();
        // The Secretariat's dashboard data (its consolidation and register, a few ms at 10,005
        // returns) is read at once, beside the first frame; what follows from it (the trend
        // over every cycle, the list, the keys, the reviews) waits for that frame.
        let sec = self.ctx.settings.setup_done() && self.ctx.settings.role == Some(Role::Secretariat);
        if sec {
            self.guarded(|w| w.dispatch(Command::Secretariat(SecCmd::Refresh)));
        }
        self.ctx.send(Event::FirstState);
        let mut backlog = VecDeque::new();
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
        // The follow-ups of the Secretariat's refresh (its list among them: read once), or an
        // administration's list.
        let first = (!sec).then_some(Command::Session(SessionCmd::RefreshList));
        self.guarded(|w| {
            w.dispatch_and_follow(first);
            w.handle(Command::Keys(KeysCmd::Announce));
            w.handle(Command::Framework(FrameworkCmd::SendState));
            if !sec {
                w.handle(Command::Review(ReviewCmd::SendState));
            }
            rooms::session::report_backup_problem(&w.ctx);
        });
        backlog
    }

    fn announce_start(&mut self) {
        let ctx = &self.ctx;
        let identity_path = ctx.identity_path();
        let own_public_key = identity_path
            .as_deref()
            .and_then(|p| std::fs::read_to_string(p).ok())
            .and_then(|t| crate::exchange::keys::public_of(&t).ok());
        ctx.send(Event::Started {
            settings: ctx.settings.clone(),
            db_path: ctx.store.path().to_path_buf(),
            identity_path,
            own_public_key,
        });
    }

    /// Shows typed text at once and keeps it to write after its pause. What travels to the
    /// window is the field's text alone (`Event::TextShown`), not the whole assessment.
    fn text(&mut self, id: AssessmentId, indicator: String, field: TextField, text: String) {
        if !self.ctx.is_open_draft(id) {
            return;
        }
        let now = Instant::now();
        if !self.show_text(id, &indicator, field, &text) {
            return;
        }
        self.ctx.send(Event::TextShown { id, indicator: indicator.clone(), field, text: text.clone() });
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
    }

    /// Puts a text into the open session, in place; false if it has no such indicator.
    fn show_text(&mut self, id: AssessmentId, indicator: &str, field: TextField, text: &str) -> bool {
        let Some(s) = self.ctx.session.as_mut().filter(|s| s.id() == id) else { return false };
        s.show_text(indicator, field, text)
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
                TextField::Reply => ResponseChange::Reply(p.text.clone()),
            };
            match self.ctx.store.update_response(p.id, &p.indicator, &change) {
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
            self.ctx.notice(Notice::error(Msg::TextNotSaved(Arc::new(e))));
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
        self.ctx.send(Event::Unsaved(list));
    }

    /// Puts the texts not yet written back into a session loaded from disk, and shows them.
    fn reapply_pending(&mut self) {
        let mut shown = false;
        for i in 0..self.pending.len() {
            let (id, indicator, field, text) = {
                let p = &self.pending[i];
                (p.id, p.indicator.clone(), p.field, p.text.clone())
            };
            let differs =
                self.ctx.session.as_ref().is_some_and(|s| s.id() == id && s.text(&indicator, field) != Some(&text));
            if differs {
                shown |= self.show_text(id, &indicator, field, &text);
            }
        }
        if shown {
            self.ctx.send_session();
        }
    }
}
