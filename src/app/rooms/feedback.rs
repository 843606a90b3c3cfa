//! An administration's side of feedback: the Secretariat's feedback files and its card.

use super::super::command::{Dialog, FeedbackCmd, ReviewCmd};
use super::super::ctx::Ctx;
use super::super::model::{Msg, Notice, Role};
use super::super::ops;
use crate::exchange::feedback::{self, Refusal};
use crate::exchange::sign::PublicKey;
use std::path::PathBuf;
use std::sync::Arc;

pub fn handle(ctx: &mut Ctx, cmd: FeedbackCmd) {
    match cmd {
        FeedbackCmd::Import(paths) => import_feedback(ctx, paths),
        FeedbackCmd::Pick => ctx.dialog(Dialog::Import, || {
            rfd::FileDialog::new()
                .add_filter("OCO feedback", &[feedback::EXTENSION])
                .pick_files()
                .map(|f| FeedbackCmd::Import(f).into())
        }),
        FeedbackCmd::ImportCardFile(path) => match crate::exchange::read_file_limited(&path) {
            Ok(bytes) => import_card(ctx, &String::from_utf8_lossy(&bytes)),
            Err(r) => ctx.notice(Notice::error(Msg::Rejected(r))),
        },
        FeedbackCmd::ImportCardText(text) => import_card(ctx, &text),
        FeedbackCmd::PickCard => ctx.dialog(Dialog::Import, || {
            rfd::FileDialog::new()
                .add_filter("OCO card", &[crate::exchange::card::EXTENSION, "txt"])
                .pick_file()
                .map(|f| FeedbackCmd::ImportCardFile(f).into())
        }),
    }
}

fn import_card(ctx: &mut Ctx, text: &str) {
    match ops::import_card(&ctx.store, text) {
        Ok(Ok(card)) => {
            super::settings::reload(ctx);
            ctx.info(Msg::with("card.imported", &[("fingerprint", &card.signing_key.fingerprint())]));
        }
        Ok(Err(e)) => ctx.notice(Notice::error(Msg::key(ops::card_error_key(&e)))),
        Err(e) => ctx.error(e),
    }
}

fn import_feedback(ctx: &mut Ctx, paths: Vec<PathBuf>) {
    let Some(member) = ctx.settings.member.clone().filter(|_| ctx.settings.role != Some(Role::Secretariat)) else {
        return ctx.notice(Notice::error(Msg::key("feedback.not_administration")));
    };
    let card = PublicKey::parse(ctx.settings.secretariat_signer.trim()).ok();
    let mut last = None;
    for p in paths {
        last = Some(match crate::feedback::import_path(&mut ctx.store, &p, card.as_ref(), &member) {
            Ok(body) => Notice::info(Msg::with(
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
