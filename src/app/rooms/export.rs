//! The files an administration writes: its results (PDF, CSV) and its signed return.

use super::super::command::{Command, Event, ExportCmd, ExportKind, ReviewCmd};
use super::super::ctx::{self, Ctx};
use super::super::model::{Cause, LastExport};
use super::super::{Dest, ops};

pub fn handle(ctx: &mut Ctx, cmd: ExportCmd) {
    match cmd {
        ExportCmd::Results { kind, dest } => results(ctx, kind, dest),
        ExportCmd::Return { dest } => export_return(ctx, dest),
        ExportCmd::MarkSent(export) => {
            if let Err(e) = ctx.store.mark_sent(export) {
                ctx.error(e);
            }
            ctx.then(ReviewCmd::SendState);
        }
    }
}

fn results(ctx: &mut Ctx, kind: ExportKind, dest: Dest) {
    let Some(s) = ctx.session.as_ref() else { return };
    let h = &s.data.header;
    let (name, filter) = match kind {
        ExportKind::Pdf => (format!("{}_{}_r{}_results.pdf", h.member, h.cycle, h.revision), ("PDF", "pdf")),
        ExportKind::Csv => (format!("{}_{}_r{}_responses.csv", h.member, h.cycle, h.revision), ("CSV", "csv")),
    };
    if let Dest::Ask { dir } = dest {
        ctx.ask(dir, name, Some(filter), move |d| ExportCmd::Results { kind, dest: d }.into());
        return;
    }
    let Some(path) = ctx::destination(dest, name) else { return };
    // Rendering a PDF takes a moment: off the worker, from a copy of what is in memory.
    let s = s.clone();
    let t = ctx.lang();
    ctx.write_off_worker(move || {
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
        ctx::saved_or_failed(&path, bytes.and_then(|b| ctx::write(&path, &b)))
    });
}

fn export_return(ctx: &mut Ctx, dest: Dest) {
    let Some(s) = ctx.session.as_ref() else { return };
    let h = s.data.header.clone();
    let name = format!("{}_{}_r{}.{}", h.member, h.cycle, h.revision, crate::exchange::EXTENSION);
    if let Dest::Ask { dir } = dest {
        ctx.ask(dir, name, Some(("OCO return", crate::exchange::EXTENSION)), |d| {
            Command::Export(ExportCmd::Return { dest: d })
        });
        return;
    }
    let Some(path) = ctx::destination(dest, name) else { return };
    let recipient = crate::exchange::keys::parse_recipient(ctx.settings.secretariat_key.trim()).ok();
    let result = ctx
        .signing_key()
        .and_then(|key| ops::export_return(&ctx.store, h.id, recipient.as_deref(), &key))
        .and_then(|e| ctx::write(&path, &e.bytes).map(|_| e));
    if let Ok(e) = &result {
        ctx.send(Event::LastExport(LastExport {
            path: path.clone(),
            size: e.bytes.len(),
            encrypted: e.encrypted,
            member: h.member.clone(),
            cycle: h.cycle,
            revision: h.revision,
        }));
        // The outbox: the file is written (the feedback panel then waits for its receipt).
        match ctx.store.record_export(h.id, &path.display().to_string(), &e.digest) {
            Ok(()) => {
                let exports = ctx.store.exports_of(h.id).unwrap_or_default();
                if let Some(s) = ctx.session.as_mut().filter(|s| s.id() == h.id) {
                    s.exports = exports;
                    ctx.send_session();
                }
                ctx.then(ReviewCmd::SendState);
            }
            Err(e) => ctx.error(e),
        }
    }
    ctx.notice(ctx::saved_or_failed(&path, result.map(|_| ())));
}
