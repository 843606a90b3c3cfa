//! The assessments held and the one open: create, open, answer, profile, sign off, revise.

use super::super::command::{Event, SessionCmd};
use super::super::ctx::Ctx;
use super::super::model::{Msg, Notice, Session};
use crate::assessment::{Assessment, ResponseChange};
use crate::ids::AssessmentId;
use crate::{framework, scoring};
use std::sync::Arc;

pub fn handle(ctx: &mut Ctx, cmd: SessionCmd) {
    match cmd {
        SessionCmd::CreateAssessment(new) => match ctx.store.create_assessment(&new) {
            Ok(id) => {
                refresh_list(ctx);
                open(ctx, id);
            }
            Err(e) => ctx.error(e),
        },
        SessionCmd::Open(id) => open(ctx, id),
        SessionCmd::Change { id, indicator, change } => self::change(ctx, id, &indicator, change),
        SessionCmd::UpdateProfile { id, profile } => {
            if !ctx.is_open_draft(id) {
                return;
            }
            match ctx.store.update_profile(id, &profile) {
                Ok(()) => edit(ctx, |s| {
                    s.data.profile = profile;
                    s.check();
                }),
                Err(e) => {
                    ctx.error(e);
                    reload(ctx);
                }
            }
        }
        SessionCmd::UpdateAssessor { id, name, role } => {
            if !ctx.is_open_draft(id) {
                return;
            }
            match ctx.store.update_assessor(id, &name, &role) {
                Ok(()) => edit(ctx, |s| {
                    s.data.header.assessor_name = name;
                    s.data.header.assessor_role = role;
                    s.check();
                }),
                Err(e) => ctx.error(e),
            }
        }
        SessionCmd::Finalise { id, approver } => finalise(ctx, id, &approver),
        SessionCmd::StartRevision(id) => match ctx.store.start_revision(id) {
            Ok(new_id) => {
                refresh_list(ctx);
                open(ctx, new_id);
            }
            Err(e) => ctx.error(e),
        },
        SessionCmd::DeleteDraft(id) => {
            if ctx.session.as_ref().is_some_and(|s| s.id() == id) {
                ctx.session = None;
                ctx.send(Event::Session(None));
            }
            match ctx.store.delete_draft(id) {
                Ok(()) => refresh_list(ctx),
                Err(e) => ctx.error(e),
            }
        }
        SessionCmd::RefreshList => refresh_list(ctx),
        SessionCmd::Reload(id) => {
            if ctx.session.as_ref().is_some_and(|s| s.id() == id) {
                load(ctx, id);
            }
        }
        SessionCmd::Plan { id, edit: change } => plan(ctx, id, change),
        SessionCmd::Close => {
            ctx.session = None;
            ctx.send(Event::Session(None));
        }
    }
}

fn finalise(ctx: &mut Ctx, id: AssessmentId, approver: &str) {
    // Sign off only what the Secretariat's import will accept.
    let (problems, no_reason) = match ctx.session.as_ref().filter(|s| s.id() == id) {
        Some(s) => (
            crate::exchange::finalise_problems(&s.data, approver),
            crate::scoring::readiness_na_without_reason(s.framework(), &s.data.responses),
        ),
        None => return,
    };
    if !problems.is_empty() {
        ctx.notice(Notice::error(Msg::Problems(problems)));
        return;
    }
    // A readiness item set aside as not applicable needs its reason (docs/scoring.md).
    if !no_reason.is_empty() {
        ctx.notice(Notice::error(Msg::with("readiness.signoff_na_reason", &[("items", &no_reason.join(", "))])));
        return;
    }
    // The return records the language it is signed off in.
    match ctx.store.finalise_in(id, approver.trim(), ctx.lang()) {
        Ok(()) => {
            refresh_list(ctx);
            load(ctx, id);
            ctx.send(Event::Finalised(id));
            ctx.info(Msg::key("finalise.done"));
            report_backup_problem(ctx);
        }
        Err(e) => ctx.error(e),
    }
}

/// One change to the open draft's plan: checked by the domain, written in one transaction, then
/// shown (the sign-off review's warnings follow it).
fn plan(ctx: &mut Ctx, id: AssessmentId, change: crate::plan::PlanEdit) {
    let Some(s) = ctx.session.as_ref().filter(|s| s.id() == id) else { return };
    if s.read_only() {
        return;
    }
    let next = match change.apply(&s.data.plan, Some(s.framework())) {
        Ok(next) => next,
        Err(e) => {
            ctx.notice(Notice::error(Msg::langs(move |t| crate::plan::words::error(&e, t))));
            return;
        }
    };
    match ctx.store.replace_plan(id, &next) {
        Ok(()) => edit(ctx, |s| {
            s.data.plan = next;
            s.check();
        }),
        Err(e) => {
            ctx.error(e);
            reload(ctx);
        }
    }
}

/// An automatic backup that failed is said once (the work itself is saved).
pub fn report_backup_problem(ctx: &Ctx) {
    if let Some(e) = ctx.store.last_backup_problem() {
        ctx.notice(Notice::error(Msg::langs(|t| e.backup_message(t))));
    }
}

pub fn refresh_list(ctx: &mut Ctx) {
    match ctx.store.list() {
        Ok(list) => {
            ctx.list = Arc::new(list);
            ctx.send(Event::List(ctx.list.clone()));
        }
        Err(e) => ctx.error(e),
    }
}

fn edit(ctx: &mut Ctx, f: impl FnOnce(&mut Session)) {
    if let Some(s) = ctx.session.as_mut() {
        f(s);
    }
    ctx.send_session();
}

/// Loads an assessment with its previous cycle and sends it. Typed text not yet written is put
/// back by the loop (`worker.rs`), which holds it.
pub fn load(ctx: &mut Ctx, id: AssessmentId) -> bool {
    match ctx.store.load(id) {
        Ok(data) => {
            let previous = previous_of(ctx, &data);
            let h = &data.header;
            let newer = ctx.list.iter().any(|r| r.header.uuid == h.uuid && r.header.revision > h.revision);
            let draft = h.status == crate::assessment::Status::Draft;
            // The head who signed off the revision before, whose name the sign-off keeps.
            let approver = match (draft, h.revision) {
                (true, r) if r > 1 => ctx
                    .store
                    .revision_id(&h.uuid, r - 1)
                    .ok()
                    .flatten()
                    .and_then(|id| ctx.store.header(id).ok())
                    .and_then(|h| h.approved_by),
                _ => None,
            };
            let mut s = Session::new(data, previous, newer);
            s.last_approver = approver;
            s.recheck = ctx.store.rechecks(id).unwrap_or_default();
            let today = chrono::Local::now().date_naive().to_string();
            match crate::sections::Team::load(&ctx.store, id, &today) {
                Ok(team) => s.team = team,
                Err(e) => ctx.notice(Notice::error(Msg::langs(|t| e.message(t)))),
            }
            if draft && let Ok(Some(before)) = ctx.store.previous_sent(id) {
                s.last_sent = ctx.store.load(before).ok().map(Arc::new);
            }
            s.exports = ctx.store.exports_of(id).unwrap_or_default();
            ctx.session = Some(s);
            ctx.send_session();
            true
        }
        Err(e) => {
            ctx.error(e);
            false
        }
    }
}

/// Loads an assessment; work resumes at its first unanswered indicator.
fn open(ctx: &mut Ctx, id: AssessmentId) {
    if load(ctx, id) {
        let at = ctx.session.as_ref().map(|s| s.first_unanswered()).unwrap_or(0);
        ctx.send(Event::Opened { id, at });
    }
}

/// The latest revision of the same member's most recent earlier cycle, scored.
fn previous_of(ctx: &Ctx, data: &Assessment) -> Option<(i32, u32, scoring::Scores)> {
    let h = &data.header;
    let prev = ctx
        .list
        .iter()
        .filter(|r| r.header.member == h.member && r.header.cycle < h.cycle)
        .max_by_key(|r| (r.header.cycle, r.header.revision))?
        .header
        .clone();
    let a = ctx.store.load(prev.id).ok()?;
    let fw = framework::of(a.header.framework_version, a.header.content_revision)?;
    Some((prev.cycle, prev.revision, scoring::score(fw, &a.responses)))
}

/// Reloads the open assessment (after an error, so screen and disk agree).
fn reload(ctx: &mut Ctx) {
    if let Some(id) = ctx.session.as_ref().map(|s| s.id()) {
        load(ctx, id);
    }
}

fn change(ctx: &mut Ctx, id: AssessmentId, indicator: &str, change: ResponseChange) {
    let Some(s) = ctx.session.as_ref().filter(|s| s.id() == id) else { return };
    if s.read_only() {
        return;
    }
    let Some(idx) = s.data.responses.iter().position(|r| r.indicator == indicator) else { return };
    match ctx.store.update_response(id, indicator, &change) {
        Ok(()) => {
            let mut answered = 0;
            if let Some(s) = ctx.session.as_mut() {
                if matches!(change, ResponseChange::Answer(_)) {
                    s.recheck.retain(|c| c != indicator);
                }
                // A reply to a query is the administration's, not an answer (nobody attributed).
                let is_reply = matches!(change, ResponseChange::Reply(_));
                let r = &mut s.data.responses[idx];
                match change {
                    ResponseChange::Answer(a) => r.answer = a,
                    ResponseChange::Target(t) => {
                        r.target = t;
                        r.target_confirmed = true;
                    }
                    ResponseChange::Confidence(c) => r.confidence = c,
                    ResponseChange::Commitment(c) => r.commitment = c,
                    ResponseChange::Evidence(t) => r.evidence = t,
                    ResponseChange::Comment(t) => r.comment = t,
                    ResponseChange::Need(n) => r.need = n,
                    ResponseChange::Reply(t) => s.data.set_reply(indicator, &t),
                }
                // The answer is the current contributor's (one laptop, several officers).
                if let Some((name, unit)) = s.team.contributor.clone().filter(|_| !is_reply) {
                    let c = crate::assessment::Contribution { indicator: indicator.to_string(), name, unit };
                    match s.data.contributors.iter_mut().find(|c| c.indicator == indicator) {
                        Some(held) => *held = c,
                        None => s.data.contributors.push(c),
                    }
                }
                s.rescore();
                answered = s.progress.answered;
            }
            ctx.send_session();
            // Keep the list's progress figures right without querying again.
            if let Some(pos) = ctx.list.iter().position(|r| r.header.id == id)
                && ctx.list[pos].answered != answered
            {
                Arc::make_mut(&mut ctx.list)[pos].answered = answered;
                ctx.send(Event::List(ctx.list.clone()));
            }
        }
        Err(e) => {
            ctx.error(e);
            reload(ctx);
        }
    }
}
