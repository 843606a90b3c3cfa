//! The Secretariat's review of a member's return: state, queries and notes, the feedback files
//! it writes and its public card.

use super::super::command::{Dialog, Event, ReviewCmd};
use super::super::ctx::{self, Ctx};
use super::super::model::{Cause, Msg, Role};
use super::super::review::{ReviewView, WrittenFeedback};
use super::super::{Dest, ops};
use crate::exchange::feedback;
use crate::ids::{MemberCode, RemarkKind};
use std::sync::Arc;

/// Text typed into a query or note, fit to keep: no control characters but new lines, at most
/// `feedback::REMARK_MAX` characters.
fn clean_remark(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .take(feedback::REMARK_MAX)
        .collect::<String>()
        .trim()
        .to_string()
}

pub fn handle(ctx: &mut Ctx, cmd: ReviewCmd) {
    match cmd {
        ReviewCmd::Open(member) => open(ctx, &member),
        ReviewCmd::SetState { member, state } => {
            let Some(cycle) = ctx.sec.cycle else { return };
            let Ok(member) = MemberCode::parse(&member) else { return };
            if let Err(e) = ctx.store.set_review_state(&member, cycle, state.code()) {
                ctx.error(e);
            }
            open(ctx, &member);
            send_state(ctx);
        }
        ReviewCmd::SetRemark { member, indicator, kind, text } => {
            let Some(cycle) = ctx.sec.cycle else { return };
            let (Ok(member), Ok(indicator)) =
                (MemberCode::parse(&member), crate::ids::IndicatorCode::parse(&indicator))
            else {
                return;
            };
            if let Err(e) = ctx.store.set_review_remark(&member, cycle, &indicator, kind.code(), &clean_remark(&text)) {
                ctx.error(e);
            }
            open(ctx, &member);
            send_state(ctx);
        }
        ReviewCmd::WriteFeedback { member, dest } => write_feedback(ctx, member, dest),
        ReviewCmd::ExportCard { dest } => export_card(ctx, dest),
        ReviewCmd::SendState => {
            send_state(ctx);
            // After an import: the review open shows the newest revision at once.
            if let Some(m) = ctx.review_member.clone() {
                open(ctx, &m);
            }
        }
    }
}

/// Sends what the feedback pages show: the Secretariat's reviews of the cycle, or a member's
/// feedback received.
fn send_state(ctx: &mut Ctx) {
    if ctx.settings.role == Some(Role::Secretariat) {
        let rows = match ctx.sec.cycle {
            Some(c) => ctx.store.reviews(c).unwrap_or_default(),
            None => Vec::new(),
        };
        ctx.send(Event::Reviews(Arc::new(rows)));
    } else {
        match crate::feedback::views(&ctx.store) {
            Ok(v) => {
                match crate::feedback::outbox(&ctx.store, &v) {
                    Ok(o) => ctx.send(Event::Outbox(Arc::new(o))),
                    Err(e) => ctx.error(e),
                }
                ctx.send(Event::FeedbackReceived(Arc::new(v)));
            }
            Err(e) => ctx.error(e),
        }
    }
}

fn open(ctx: &mut Ctx, member: &str) {
    let Some(cycle) = ctx.sec.cycle else { return };
    ctx.review_member = Some(member.to_string());
    let latest_id = ctx.sec.counting(member);
    let requests = ctx
        .sec
        .consolidation
        .as_ref()
        .map(|c| c.requests.iter().filter(|r| r.member == member).cloned().collect())
        .unwrap_or_default();
    let store = &ctx.store;
    let view = (|| -> crate::store::Result<ReviewView> {
        let latest = latest_id.map(|id| store.load(id)).transpose()?;
        // The revision the queries were asked on (the one before the newest when the state was
        // set before the query loop), when a newer one came since.
        let queried = match &latest {
            Some(a) => {
                let asked = store.queried_revision(member, cycle)?.unwrap_or(a.header.revision.saturating_sub(1));
                match store.revision_id(&a.header.uuid, asked)? {
                    Some(id) if asked < a.header.revision => Some(store.load(id)?),
                    _ => None,
                }
            }
            None => None,
        };
        Ok(ReviewView {
            member: member.to_string(),
            cycle,
            state: store.review_state(member, cycle)?,
            queries: store.review_remarks(member, cycle, RemarkKind::Query.code())?,
            notes: store.review_remarks(member, cycle, RemarkKind::Note.code())?,
            requests,
            receipts: store.receipts(member, cycle)?,
            written: store.last_feedback_issued(member, cycle)?.unwrap_or(0),
            latest,
            queried,
        })
    })();
    match view {
        Ok(v) => ctx.send(Event::Review(Some(Arc::new(v)))),
        Err(e) => ctx.error(e),
    }
}

fn write_feedback(ctx: &mut Ctx, member: Option<String>, dest: Dest) {
    let (Some(cycle), Some(c)) = (ctx.sec.cycle, ctx.sec.consolidation.clone()) else { return };
    let member = match member.as_deref().map(MemberCode::parse) {
        Some(Ok(m)) => Some(m),
        Some(Err(_)) => return,
        None => None,
    };
    if let Dest::Ask { dir } = dest {
        match member {
            Some(m) => {
                let n = ctx.store.last_feedback_issued(&m, cycle).ok().flatten().unwrap_or(0) + 1;
                let name = format!("{m}_{cycle}_feedback_{n}.{}", feedback::EXTENSION);
                ctx.ask(dir, name, Some(("OCO feedback", feedback::EXTENSION)), move |d| {
                    ReviewCmd::WriteFeedback { member: Some(m.0), dest: d }.into()
                });
            }
            None => ctx.dialog(Dialog::Save, move || {
                let dir = rfd::FileDialog::new().set_directory(&dir).pick_folder()?;
                Some(ReviewCmd::WriteFeedback { member: None, dest: Dest::Folder(dir) }.into())
            }),
        }
        return;
    }
    let members = match ops::feedback_members(&ctx.store, cycle, member.as_ref()) {
        Ok(list) => list,
        Err(e) => return ctx.error(e),
    };
    if members.is_empty() {
        return ctx.info(Msg::key("feedback.nobody"));
    }
    let key = match ctx.signing_key() {
        Ok(k) => k,
        Err(e) => return ctx.fail("keys.failed", e),
    };
    let (out, into_folder) = match &dest {
        Dest::Path(p) => (p.clone(), false),
        Dest::Folder(dir) => (dir.clone(), true),
        Dest::Ask { .. } => return,
    };
    let files = match ops::write_feedback(&mut ctx.store, &c, &members, &key, &out, into_folder) {
        Ok(files) => files,
        Err(ops::FeedbackWriteError::Store(e)) => return ctx.error(e),
        Err(ops::FeedbackWriteError::Io(path, e)) => {
            return ctx.notice(ctx::saved_or_failed(&path, Err(Cause::io(&e))));
        }
    };
    let files: Vec<(String, std::path::PathBuf)> = files.into_iter().map(|(w, p)| (w.member, p)).collect();
    let n = files.len();
    let first = files.first().map(|(_, p)| p.display().to_string()).unwrap_or_default();
    ctx.send(Event::FeedbackWritten(WrittenFeedback { cycle, files }));
    ctx.info(Msg::with("feedback.written", &[("n", &n), ("path", &first)]));
    if let Some(m) = member {
        open(ctx, &m);
    }
    send_state(ctx);
}

fn export_card(ctx: &mut Ctx, dest: Dest) {
    if let Dest::Ask { dir } = dest {
        let name = crate::exchange::card::FILE_NAME.to_string();
        ctx.ask(dir, name, Some(("OCO card", crate::exchange::card::EXTENSION)), |d| {
            ReviewCmd::ExportCard { dest: d }.into()
        });
        return;
    }
    let Some(path) = ctx::destination(dest, crate::exchange::card::FILE_NAME.to_string()) else { return };
    let card = match ops::card(&ctx.store, &ctx.settings.secretariat_email, None) {
        Ok((c, _)) => c,
        Err(e) => return ctx.fail("keys.failed", e.into_cause()),
    };
    match ctx::write(&path, card.to_text().as_bytes()) {
        Ok(()) => ctx.info(Msg::with(
            "card.exported",
            &[("path", &path.display()), ("fingerprint", &card.signing_key.fingerprint())],
        )),
        Err(cause) => ctx.notice(ctx::saved_or_failed(&path, Err(cause))),
    }
}
