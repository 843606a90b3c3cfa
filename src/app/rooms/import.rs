//! Return files into the Secretariat's database, and the conflicts a person settles.

use super::super::command::{Command, Dialog, Event, ImportCmd, SecCmd};
use super::super::ctx::Ctx;
use super::super::model::{Msg, Notice};
use super::super::{files, ops};
use crate::secretariat::import;
use std::path::PathBuf;
use std::sync::Arc;

pub fn handle(ctx: &mut Ctx, cmd: ImportCmd) {
    match cmd {
        ImportCmd::Files(paths) => import_files(ctx, files::expand(paths)),
        ImportCmd::Pick { folder } => ctx.dialog(Dialog::Import, move || {
            let dialog = rfd::FileDialog::new();
            let files = if folder {
                dialog.pick_folder().map(|d| vec![d])
            } else {
                dialog.add_filter("OCO return", &[crate::exchange::EXTENSION]).pick_files()
            };
            files.map(|f| Command::Import(ImportCmd::Files(f)))
        }),
        ImportCmd::ResolveConflict { file, use_new } => {
            let ids = ctx.identities();
            let result = import::resolve(&mut ctx.store, file, use_new, &ids).map_err(|e| match e {
                import::ResolveError::Store(e) => Msg::Store(Arc::new(e)),
                import::ResolveError::Rejected(r) => Msg::Rejected(r),
            });
            match result {
                Ok(_) => {
                    ctx.info(Msg::key("register.resolved"));
                    ctx.then(SecCmd::Refresh);
                }
                Err(msg) => ctx.notice(Notice::error(msg)),
            }
        }
    }
}

fn import_files(ctx: &mut Ctx, files: Vec<PathBuf>) {
    if files.is_empty() {
        ctx.info(Msg::key("import.folder_empty"));
        return;
    }
    let identities = ctx.identities();
    let total = files.len();
    ctx.cancel.store(false, std::sync::atomic::Ordering::Relaxed);
    ctx.send(Event::ImportStarted { total });
    let cancel = ctx.cancel.clone();
    let out = ctx.out.clone();
    // The panic of one file goes on to the loop's guard once the batch is finished and the
    // progress ended.
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // A file that could not be kept shows as rejected with its reason, and the import stops
        // there (a full disk): the files after it are not tried.
        ops::import_files(&mut ctx.store, files, &identities, &cancel, |path, r| {
            let kept = r.is_ok();
            let settled = import::Settled { path: path.to_path_buf(), result: r };
            out.send(Event::Imported(settled.into_file_result()));
            kept
        })
    }));
    ctx.send(Event::ImportFinished);
    let result = match run {
        Ok(r) => r,
        Err(panic) => std::panic::resume_unwind(panic),
    };
    match result {
        Ok(t) => {
            let rejected = t.rejected + t.failed;
            let msg = Msg::with("import.summary", &[("done", &t.done), ("total", &total), ("rejected", &rejected)]);
            ctx.notice(if rejected > 0 { Notice::error(msg) } else { Notice::info(msg) });
        }
        Err(e) => ctx.error(e),
    }
    ctx.then(SecCmd::Refresh);
}
