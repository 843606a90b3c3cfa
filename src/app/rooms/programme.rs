//! The Secretariat's work programme (issue 24): the needs of the cycle chosen, the proposals made
//! from them and the analyst's decisions, the interventions, and the Annual Work Programme of a
//! year written as a workbook or a PDF. The rules are `secretariat::programme`'s; this room
//! stores, reads and sends.

use super::super::Dest;
use super::super::command::{Event, ProgrammeCmd};
use super::super::ctx::{self, Ctx};
use super::super::model::{Cause, Msg, Notice};
use crate::report::programme as report;
use crate::secretariat::programme::{self as prog, ProgrammeView, SaveError};
use std::path::Path;
use std::sync::Arc;

pub fn handle(ctx: &mut Ctx, cmd: ProgrammeCmd) {
    match cmd {
        ProgrammeCmd::Refresh { year } => {
            ctx.programme_year = Some(year);
            send(ctx);
        }
        ProgrammeCmd::Save(i) => {
            let r = prog::save(&mut ctx.store, *i);
            said(ctx, r.map(|_| ()));
            send(ctx);
        }
        ProgrammeCmd::Retire { id, retired } => {
            let r = match ctx.store.intervention(id) {
                Ok(Some(mut i)) => {
                    i.retired = retired;
                    ctx.store.save_intervention(&i).map(|_| ()).map_err(SaveError::from)
                }
                Ok(None) => Ok(()),
                Err(e) => Err(e.into()),
            };
            said(ctx, r);
            send(ctx);
        }
        ProgrammeCmd::Accept(key) => {
            if let Some(p) = proposal(ctx, &key) {
                let r = prog::accept(&mut ctx.store, &p, p.draft.clone());
                said(ctx, r.map(|_| ()));
            }
            send(ctx);
        }
        ProgrammeCmd::Merge { key, into } => {
            if let Some(p) = proposal(ctx, &key) {
                let r = prog::merge(&mut ctx.store, &p, into);
                said(ctx, r.map(|_| ()));
            }
            send(ctx);
        }
        ProgrammeCmd::Dismiss(key) => {
            if let Some(p) = proposal(ctx, &key) {
                let r = prog::dismiss(&mut ctx.store, &p);
                said(ctx, r.map_err(SaveError::from));
            }
            send(ctx);
        }
        ProgrammeCmd::Write { pdf, dest } => write(ctx, pdf, dest),
    }
}

/// The proposal of this key, as the needs stand now.
fn proposal(ctx: &Ctx, key: &str) -> Option<prog::Proposal> {
    let view = view(ctx).ok()?;
    view.proposals.into_iter().find(|p| p.key == key)
}

fn said(ctx: &Ctx, r: Result<(), SaveError>) {
    match r {
        Ok(()) => {}
        Err(SaveError::Invalid(key)) => ctx.notice(Notice::error(Msg::key(key))),
        Err(SaveError::Store(e)) => ctx.error(e),
    }
}

fn year(ctx: &Ctx) -> i32 {
    ctx.programme_year.or(ctx.sec.cycle).unwrap_or_else(|| chrono::Datelike::year(&chrono::Local::now()))
}

fn view(ctx: &Ctx) -> crate::store::Result<ProgrammeView> {
    let store = &ctx.store;
    let mut v = ProgrammeView::make(
        ctx.sec.consolidation.as_deref(),
        year(ctx),
        &ctx.sec.cycles,
        ctx.lang(),
        store.interventions()?,
        |c| store.proposal_decisions(c),
        |c| prog::requests(store, c),
    )?;
    v.effects = crate::secretariat::effect::effects(store, &v.interventions)?;
    Ok(v)
}

fn send(ctx: &mut Ctx) {
    match view(ctx) {
        Ok(v) => ctx.send(Event::Programme(Arc::new(v))),
        Err(e) => ctx.error(e),
    }
}

/// Writes the programme of the year shown on a thread of its own.
fn write(ctx: &mut Ctx, pdf: bool, dest: Dest) {
    let y = year(ctx);
    let name = report::default_name(y, pdf);
    if let Dest::Ask { dir } = dest {
        ctx.ask(dir, name, None, move |d| ProgrammeCmd::Write { pdf, dest: d }.into());
        return;
    }
    let Some(out_path) = ctx::destination(dest, name) else { return };
    let wp = match view(ctx) {
        Ok(v) => v.programme.unwrap_or_else(|| prog::work_programme(y, None, &[], &[])),
        Err(e) => return ctx.error(e),
    };
    let t = ctx.lang();
    ctx.write_off_worker(move || {
        let failed =
            |path: &Path, cause| Msg::Failed("export.failed", vec![("path", path.display().to_string())], cause);
        let bytes = if pdf { report::pdf(&wp, t) } else { report::workbook(&wp, t) };
        let result = bytes
            .map_err(|_| failed(&out_path, Cause::Key("export.err_write")))
            .and_then(|b| ctx::write(&out_path, &b).map_err(|cause| failed(&out_path, cause)));
        match result {
            Ok(()) => Notice::info(Msg::with("export.saved", &[("path", &out_path.display())])),
            Err(msg) => Notice::error(msg),
        }
    });
}
