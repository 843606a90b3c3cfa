//! An administration's side of feedback: the Secretariat's feedback files and its card.

use super::super::command::{Dialog, Event, FeedbackCmd, FrameworkCmd, PendingCard, ReviewCmd};
use super::super::ctx::Ctx;
use super::super::model::{Msg, Notice, Role};
use crate::exchange::feedback::{self, Refusal};
use crate::exchange::sign::PublicKey;
use std::path::PathBuf;
use std::sync::Arc;

pub fn handle(ctx: &mut Ctx, cmd: FeedbackCmd) {
    match cmd {
        FeedbackCmd::Import(paths) => import_feedback(ctx, paths),
        FeedbackCmd::Pick => ctx.dialog(Dialog::Feedback, || {
            rfd::FileDialog::new()
                .add_filter("OCO feedback", &[feedback::EXTENSION])
                .pick_files()
                .map(|f| FeedbackCmd::Import(f).into())
        }),
        FeedbackCmd::ImportCardFile(path) => match crate::exchange::read_file_limited(&path) {
            Ok(bytes) => import_card(ctx, &String::from_utf8_lossy(&bytes), false),
            Err(r) => ctx.notice(Notice::error(Msg::Rejected(r))),
        },
        FeedbackCmd::ImportCardText(text) => import_card(ctx, &text, false),
        FeedbackCmd::ReplaceCard(text) => import_card(ctx, &text, true),
        FeedbackCmd::KeepCard => ctx.send(Event::CardChange(None)),
        FeedbackCmd::PickCard => ctx.dialog(Dialog::Card, || {
            rfd::FileDialog::new()
                .add_filter("OCO card", &[crate::exchange::card::EXTENSION, "txt"])
                .pick_file()
                .map(|f| FeedbackCmd::ImportCardFile(f).into())
        }),
    }
}

/// Takes the Secretariat's card, read strictly; a card that changes a key held is a loud stop:
/// it waits, old and new fingerprints shown, for a person to replace the card held or keep it.
fn import_card(ctx: &mut Ctx, text: &str, replace: bool) {
    use crate::feedback::CardImportError;
    match crate::feedback::import_card(&mut ctx.store, text, replace) {
        Ok(card) => {
            ctx.send(Event::CardChange(None));
            super::settings::reload(ctx);
            ctx.info(Msg::with("card.imported", &[("fingerprint", &card.signing_key.fingerprint())]));
        }
        Err(CardImportError::Changed(change)) => {
            // Said beside the card's Replace and Keep buttons (a message over them would hide
            // them on a small screen).
            ctx.send(Event::Notice(None));
            ctx.send(Event::CardChange(Some(Arc::new(PendingCard { text: text.to_string(), change }))));
        }
        Err(CardImportError::Refused(r)) => ctx.notice(Notice::error(Msg::said(r))),
        Err(CardImportError::Store(e)) => ctx.error(e),
    }
}

fn import_feedback(ctx: &mut Ctx, paths: Vec<PathBuf>) {
    let Some(member) = ctx.settings.member.clone().filter(|_| ctx.settings.role != Some(Role::Secretariat)) else {
        return ctx.notice(Notice::error(Msg::key("feedback.not_administration")));
    };
    let card = PublicKey::parse(ctx.settings.secretariat_signer.trim()).ok();
    let mut last = None;
    for p in paths {
        last = Some(match crate::feedback::import_path_both(&mut ctx.store, &p, card.as_ref(), &member) {
            Ok((body, Some(fw))) => {
                // One e-mail carried both: the feedback, then the framework's change log.
                ctx.then(FrameworkCmd::Installed);
                let words = |t: crate::lang::Lang| {
                    let said = t.f("feedback.imported", &[("cycle", &body.cycle), ("queries", &body.queries.len())]);
                    format!("{said}\n{}", fw.said(t))
                };
                Notice::info(Msg::Langs([words(crate::lang::Lang::En), words(crate::lang::Lang::Fr)]))
            }
            Ok((body, None)) => Notice::info(Msg::with(
                "feedback.imported",
                &[("cycle", &body.cycle), ("queries", &body.queries.len())],
            )),
            Err(crate::feedback::ImportError::Refused(r)) => {
                let older = matches!(r, Refusal::Older(..));
                let n = Msg::FeedbackRefused(r);
                if older { Notice::info(n) } else { Notice::error(n) }
            }
            Err(crate::feedback::ImportError::Store(e)) => Notice::error(Msg::Store(Arc::new(e))),
        });
    }
    ctx.then(ReviewCmd::SendState);
    if let Some(n) = last {
        ctx.notice(n);
    }
}
