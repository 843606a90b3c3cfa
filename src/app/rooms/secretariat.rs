//! The Secretariat's workspace: the cycles held, the one chosen and its consolidation, the
//! member opened for the Results page, the regional reports.

use super::super::command::{Event, KeysCmd, ReviewCmd, SecCmd, SessionCmd};
use super::super::ctx::{self, Ctx};
use super::super::model::{Msg, Notice};
use super::super::{Dest, model::Cause};
use crate::report::regional_files as reports;
use crate::secretariat::consolidate;
use std::path::Path;
use std::sync::Arc;

pub fn handle(ctx: &mut Ctx, cmd: SecCmd) {
    match cmd {
        SecCmd::SetCycle(c) => {
            if ctx.sec.cycle != Some(c) {
                ctx.sec.cycle = Some(c);
                consolidate(ctx);
                ctx.send(Event::Sec(ctx.sec.clone()));
                ctx.then(ReviewCmd::SendState);
            }
        }
        SecCmd::OpenMember(member) => {
            if let Some(id) = ctx.sec.counting(&member)
                && super::session::load(ctx, id)
            {
                ctx.send(Event::MemberOpened);
            }
        }
        SecCmd::WriteReport { format, dest } => write_report(ctx, format, dest),
        SecCmd::Refresh => refresh(ctx),
        SecCmd::RecordMe { indicator, member, note } => {
            let Some(cycle) = ctx.sec.cycle else { return };
            if !consolidate::RECORDED.contains(&indicator.as_str()) || crate::framework::member(&member).is_none() {
                return;
            }
            let note: String = note.trim().chars().take(500).collect();
            match ctx.store.record_me(&indicator, cycle, &member, &note) {
                Ok(()) => {
                    consolidate(ctx);
                    ctx.send(Event::Sec(ctx.sec.clone()));
                }
                Err(e) => ctx.error(e),
            }
        }
        SecCmd::RemoveMeRecord(id) => match ctx.store.remove_me_record(id) {
            Ok(()) => {
                consolidate(ctx);
                ctx.send(Event::Sec(ctx.sec.clone()));
            }
            Err(e) => ctx.error(e),
        },
        SecCmd::SetMeTarget { measure, text } => {
            let (Some(cycle), Some(c)) = (ctx.sec.cycle, ctx.sec.consolidation.clone()) else { return };
            let Some(kind) = c.me.iter().find(|m| m.id == measure).and_then(|m| m.target_kind()) else { return };
            match consolidate::parse_target(kind, &text) {
                Err(key) => ctx.notice(Notice::error(Msg::key(key))),
                Ok(target) => match ctx.store.set_me_target(&measure, cycle, target) {
                    Ok(()) => {
                        consolidate(ctx);
                        ctx.send(Event::Sec(ctx.sec.clone()));
                    }
                    Err(e) => ctx.error(e),
                },
            }
        }
        SecCmd::Received => {
            // 10,005 rows from a covering index: 31 ms from a cold disk, 8 ms warm.
            ctx.sec.received = Arc::new(ctx.store.received_files().unwrap_or_default());
            ctx.send(Event::Sec(ctx.sec.clone()));
        }
        SecCmd::Trend => {
            // The one part that grows with every cycle held: after the rest is on screen.
            match consolidate::trend(&ctx.store, crate::framework::current()) {
                Ok(t) => {
                    ctx.trend = Some(t);
                    if let Some(c) = ctx.sec.consolidation.as_mut() {
                        Arc::make_mut(c).trend = ctx.trend.clone().unwrap_or_default();
                        ctx.send(Event::Sec(ctx.sec.clone()));
                    }
                }
                Err(e) => ctx.error(e),
            }
        }
    }
}

/// Reloads what the Secretariat pages show (after start, an import, a resolution).
fn refresh(ctx: &mut Ctx) {
    ctx.then(KeysCmd::SendMemberKeys);
    ctx.sec.cycles = ctx.store.imported_cycles().unwrap_or_default();
    if ctx.sec.cycle.is_none_or(|c| !ctx.sec.cycles.contains(&c)) {
        ctx.sec.cycle = ctx.sec.cycles.first().copied();
    }
    ctx.then(SessionCmd::RefreshList);
    // Revisions imported by an older version get their scores stored (once, in steps).
    if let Err(e) = consolidate::fill_scores(&mut ctx.store, |_| {}) {
        ctx.error(e);
    }
    consolidate(ctx);
    ctx.send(Event::Sec(ctx.sec.clone()));
    // The member open follows its newest revision at once (issue 25: it stayed on revision 1
    // until chosen again).
    let open = ctx.session.as_ref().filter(|s| s.data.header.imported).map(|s| (s.id(), s.data.header.member.clone()));
    if let Some((open, member)) = open
        && let Some(id) = ctx.sec.counting(&member).filter(|id| *id != open)
    {
        super::session::load(ctx, id);
    }
    // The register of received files, the trend over every cycle, the list and the reviews are
    // read after the dashboard has its data (at start: once its first frame is on screen).
    ctx.then(SecCmd::Received);
    ctx.then(SecCmd::Trend);
    ctx.then(ReviewCmd::SendState);
}

fn consolidate(ctx: &mut Ctx) {
    let Some(cycle) = ctx.sec.cycle else {
        ctx.sec.consolidation = None;
        return;
    };
    // The trend over every cycle does not depend on the cycle chosen: the one read last is used
    // (`SecCmd::Trend` reads it again after an import).
    match consolidate::consolidate_without_trend(&ctx.store, cycle) {
        Ok(mut c) => {
            c.trend = ctx.trend.clone().unwrap_or_default();
            ctx.sec.consolidation = Some(Arc::new(c));
        }
        Err(e) => ctx.error(e),
    }
}

/// Writes the report files on a thread of their own, from the consolidation in memory.
fn write_report(ctx: &mut Ctx, format: reports::Format, dest: Dest) {
    let Some(c) = ctx.sec.consolidation.clone() else { return };
    let name = reports::default_name(c.cycle, format);
    if let Dest::Ask { dir } = dest {
        ctx.ask(dir, name, None, move |d| SecCmd::WriteReport { format, dest: d }.into());
        return;
    }
    let Some(out_path) = ctx::destination(dest, name) else { return };
    let t = ctx.lang();
    // Did the delivered interventions help: read here, where the store is.
    let c = match crate::secretariat::effect::with_effects(&ctx.store, &c) {
        Ok(c) => Arc::new(c),
        Err(e) => return ctx.error(e),
    };
    ctx.write_off_worker(move || {
        let failed =
            |path: &Path, cause| Msg::Failed("export.failed", vec![("path", path.display().to_string())], cause);
        let result = reports::files(&c, t, format, &out_path)
            .map_err(|_| failed(&out_path, Cause::Key("export.err_write")))
            .and_then(|files| {
                let mut written = Vec::new();
                for (path, bytes) in files {
                    ctx::write(&path, &bytes).map_err(|cause| failed(&path, cause))?;
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
