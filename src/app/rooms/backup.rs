//! Backups: one now, what a backup holds, and restoring one in place of the database.

use super::super::command::{BackupCmd, Command, Dialog, Event, KeysCmd, ReviewCmd, SecCmd, SessionCmd};
use super::super::ctx::Ctx;
use super::super::model::{Msg, Notice, Role, SecView};
use crate::store::Store;
use std::path::Path;
use std::sync::Arc;

pub fn handle(ctx: &mut Ctx, cmd: BackupCmd) {
    match cmd {
        BackupCmd::Now => match ctx.store.backup_now("manual") {
            Ok(Some(path)) => ctx.info(Msg::with("backup.done", &[("path", &path.display())])),
            Ok(None) => {}
            Err(e) => ctx.notice(Notice::error(Msg::Backup(Arc::new(e)))),
        },
        BackupCmd::Pick => {
            let dir = ctx.store.backups_folder();
            ctx.dialog(Dialog::Backup, move || {
                let mut dialog = rfd::FileDialog::new().add_filter("SQLite", &["sqlite3", "sqlite", "db"]);
                if let Some(dir) = dir {
                    dialog = dialog.set_directory(dir);
                }
                dialog.pick_file().map(|p| Command::Backup(BackupCmd::Inspect(p)))
            })
        }
        BackupCmd::Inspect(path) => match Store::inspect_backup(&path) {
            Ok(info) => ctx.send(Event::BackupInfo(info)),
            Err(e) => ctx.error(e),
        },
        BackupCmd::Restore(path) => restore(ctx, &path),
        BackupCmd::Cancel => {}
    }
}

/// Replaces the database with a backup: closes it, restores (the current one is backed up
/// first), opens it again and has every room send the new state. Typed text not yet written
/// (the loop wrote what it could before this command) belongs to the database replaced.
fn restore(ctx: &mut Ctx, backup: &Path) {
    if ctx.in_memory() {
        return;
    }
    let db = ctx.store.path().to_path_buf();
    let placeholder = match Store::open_in_memory() {
        Ok(s) => s,
        Err(e) => return ctx.error(e),
    };
    drop(std::mem::replace(&mut ctx.store, placeholder));
    let restored = Store::restore_from(backup, &db);
    match Store::open(&db) {
        Ok(store) => ctx.store = store,
        Err(e) => {
            // Nothing may be written to the placeholder: the window shows why instead.
            ctx.send(Event::StartupFailed(Arc::new(e)));
            return;
        }
    }
    match restored {
        Ok(r) => {
            ctx.replaced = true;
            ctx.settings = super::settings::load(&ctx.store);
            ctx.send(Event::Restored);
            ctx.then(SessionCmd::Close);
            ctx.send(Event::Settings(ctx.settings.clone()));
            ctx.then(KeysCmd::Announce);
            ctx.then(SessionCmd::RefreshList);
            ctx.then(ReviewCmd::SendState);
            if ctx.settings.role == Some(Role::Secretariat) {
                ctx.sec = SecView::default();
                ctx.trend = None;
                ctx.then(SecCmd::Refresh);
            }
            let before = r.before.map(|p| p.display().to_string()).unwrap_or_default();
            ctx.info(Msg::with("backup.restored", &[("before", &before)]));
        }
        Err(e) => ctx.error(e),
    }
}
