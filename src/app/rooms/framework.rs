//! Framework files (issue 22): a content revision signed by the Secretariat, imported (a file
//! dropped on the window, or chosen in Settings), and the revision in use said to the pages.

use super::super::command::{Dest, Dialog, Event, FrameworkCmd, FrameworkHeld, SecCmd, SessionCmd};
use super::super::ctx::Ctx;
use super::super::model::{Msg, Notice};
use crate::exchange::framework_file::{self as ff, Refusal};
use crate::lang::Lang;
use std::path::PathBuf;
use std::sync::Arc;

pub fn handle(ctx: &mut Ctx, cmd: FrameworkCmd) {
    match cmd {
        FrameworkCmd::Import(paths) => import(ctx, paths),
        FrameworkCmd::Pick => ctx.dialog(Dialog::Import, || {
            rfd::FileDialog::new()
                .add_filter("OCO framework", &[ff::EXTENSION])
                .pick_files()
                .map(|f| FrameworkCmd::Import(f).into())
        }),
        FrameworkCmd::SendState => send_state(ctx),
        FrameworkCmd::ExportBook { dest } => export_book(ctx, dest),
        FrameworkCmd::Installed => {
            install(ctx);
            send_state(ctx);
            ctx.then(SessionCmd::RefreshList);
        }
    }
}

/// The workbook's name: `oco-cdf_content_r<REVISION>.xlsx`.
fn book_name() -> String {
    format!("oco-cdf_content_r{}.xlsx", crate::framework::current().meta.revision)
}

fn export_book(ctx: &mut Ctx, dest: Dest) {
    if let Dest::Ask { dir } = dest {
        ctx.ask(dir, book_name(), Some(("Excel", "xlsx")), |d| FrameworkCmd::ExportBook { dest: d }.into());
        return;
    }
    let Some(path) = super::super::ctx::destination(dest, book_name()) else { return };
    match crate::app::ops::export_framework_book(&ctx.store) {
        Ok((bytes, revision)) => match super::super::ctx::write(&path, &bytes) {
            Ok(()) => ctx.info(Msg::with(
                "fwbuild.exported",
                &[("path", &crate::exchange::clean_path(&path)), ("revision", &revision), ("bytes", &bytes.len())],
            )),
            Err(cause) => ctx.notice(super::super::ctx::saved_or_failed(&path, Err(cause))),
        },
        Err(e) => ctx.notice(Notice::error(Msg::Text(crate::exchange::clean_text(&e.to_string())))),
    }
}

/// The revision in use, and its change log when it came from a file.
fn send_state(ctx: &mut Ctx) {
    match crate::fwfiles::current(&ctx.store) {
        Ok(c) => {
            let (imported, change_log) = match &c {
                crate::fwfiles::Current::BuiltIn(_) => (false, Vec::new()),
                crate::fwfiles::Current::Imported(v) => (true, v.body.change_log.clone()),
            };
            ctx.send(Event::Framework(Arc::new(FrameworkHeld { revision: c.revision(), imported, change_log })));
        }
        Err(e) => ctx.error(e),
    }
}

/// Makes the newest framework file held the content in use (for a worker that installs it): new
/// assessments use it, and drafts get the indicators it adds.
pub fn install(ctx: &mut Ctx) {
    if !ctx.installs_content {
        return;
    }
    match crate::fwfiles::install_held(&ctx.store) {
        Ok(Some(_)) => {
            if let Err(e) = ctx.store.complete_drafts() {
                ctx.error(e);
            }
            // The Secretariat: the returns held for this revision come in.
            let ids = ctx.identities();
            match crate::secretariat::import::release_for_content(&mut ctx.store, &ids) {
                Ok(released) if !released.is_empty() => {
                    ctx.send(Event::ImportStarted { total: released.len() });
                    for r in released {
                        ctx.send(Event::Imported(r));
                    }
                    ctx.send(Event::ImportFinished);
                    ctx.then(SecCmd::Refresh);
                }
                Ok(_) => {}
                Err(e) => ctx.error(e),
            }
        }
        Ok(None) => {}
        Err(e) => ctx.error(e),
    }
}

fn import(ctx: &mut Ctx, paths: Vec<PathBuf>) {
    let mut last = None;
    for p in paths {
        last = Some(match crate::app::ops::import_framework(&mut ctx.store, &p) {
            Ok(i) => Notice::info(Msg::Langs([i.said(Lang::En), i.said(Lang::Fr)])),
            Err(crate::fwfiles::ImportError::Refused(r)) => {
                let not_newer = matches!(r, Refusal::NotNewer(..));
                let n = Msg::said(r);
                if not_newer { Notice::info(n) } else { Notice::error(n) }
            }
            Err(crate::fwfiles::ImportError::Store(e)) => Notice::error(Msg::Store(Arc::new(e))),
        });
    }
    install(ctx);
    ctx.then(FrameworkCmd::SendState);
    ctx.then(SessionCmd::RefreshList);
    if let Some(n) = last {
        ctx.notice(n);
    }
}
