//! Several officers, one assessment (issue 26): sections handed out, section files opened,
//! answer files written and merged, conflicts settled, the contributor on this laptop. The rules
//! are `crate::sections`'; the files are written as returns are.

use super::super::command::{Event, SectionsCmd, SessionCmd};
use super::super::ctx::{self, Ctx};
use super::super::model::{Msg, Notice, SectionSent};
use super::super::{Dest, ops};
use crate::ids::AssessmentId;
use crate::sections::Imported;

pub fn handle(ctx: &mut Ctx, cmd: SectionsCmd) {
    match cmd {
        SectionsCmd::HandOut { hand, dest } => hand_out(ctx, hand, dest),
        SectionsCmd::WriteAnswer { id, dest } => write_answer(ctx, id, dest),
        SectionsCmd::Import(paths) => import(ctx, paths),
        SectionsCmd::Pick => ctx.dialog(crate::app::Dialog::Section, || {
            use crate::exchange::section::{ANSWER_EXTENSION, SECTION_EXTENSION};
            rfd::FileDialog::new()
                .add_filter("OCO section", &[SECTION_EXTENSION, ANSWER_EXTENSION])
                .pick_files()
                .map(|f| SectionsCmd::Import(f).into())
        }),
        SectionsCmd::Settle { id, indicator, take } => match ctx.store.settle_conflict(id, &indicator, take) {
            Ok(()) => ctx.then(SessionCmd::Reload(id)),
            Err(e) => ctx.error(e),
        },
        SectionsCmd::Contributor { id, name, unit } => {
            let who = (!name.trim().is_empty()).then_some((name.as_str(), unit.as_str()));
            match ctx.store.set_contributor(id, who) {
                Ok(()) => ctx.then(SessionCmd::Reload(id)),
                Err(e) => ctx.error(e),
            }
        }
    }
}

fn refused(ctx: &Ctx, e: crate::sections::Error) {
    ctx.notice(Notice::error(Msg::langs(|t| e.message(t))));
}

/// Writes `bytes` to `path`; then says where, and keeps it for "how to send it".
fn written(ctx: &Ctx, path: std::path::PathBuf, bytes: &[u8], to: String, answer: bool) {
    let result = ctx::write(&path, bytes);
    if result.is_ok() {
        ctx.send(Event::SectionSent(SectionSent { path: path.clone(), size: bytes.len(), to, answer }));
    }
    ctx.notice(ctx::saved_or_failed(&path, result));
}

fn hand_out(ctx: &mut Ctx, hand: crate::sections::HandOut, dest: Dest) {
    let Some(s) = ctx.session.as_ref().filter(|s| s.id() == hand.assessment) else { return };
    let h = &s.data.header;
    let name = crate::exchange::section::section_file_name_for(&h.member, h.cycle, &hand.colleague);
    if let Dest::Ask { dir } = dest {
        let ext = crate::exchange::section::SECTION_EXTENSION;
        ctx.ask(dir, name, Some(("OCO section", ext)), move |d| SectionsCmd::HandOut { hand, dest: d }.into());
        return;
    }
    let Some(path) = ctx::destination(dest, name) else { return };
    match ops::hand_out_section(&mut ctx.store, &hand) {
        Ok(w) => {
            written(ctx, path, &w.bytes, hand.colleague.trim().to_string(), false);
            ctx.then(SessionCmd::Reload(hand.assessment));
        }
        Err(e) => refused(ctx, e),
    }
}

fn write_answer(ctx: &mut Ctx, id: AssessmentId, dest: Dest) {
    let Some(section) = ctx.session.as_ref().filter(|s| s.id() == id).and_then(|s| s.team.section.clone()) else {
        return;
    };
    let name = crate::exchange::section::answer_file_name_for(
        &section.assessment.member,
        section.assessment.cycle,
        &section.colleague,
    );
    if let Dest::Ask { dir } = dest {
        let ext = crate::exchange::section::ANSWER_EXTENSION;
        ctx.ask(dir, name, Some(("OCO section answer", ext)), move |d| SectionsCmd::WriteAnswer { id, dest: d }.into());
        return;
    }
    let Some(path) = ctx::destination(dest, name) else { return };
    match ops::write_section_answer(&ctx.store, id) {
        Ok(w) => written(ctx, path, &w.bytes, section.coordinator.clone(), true),
        Err(e) => refused(ctx, e),
    }
}

fn import(ctx: &mut Ctx, paths: Vec<std::path::PathBuf>) {
    for p in paths {
        let shown = crate::exchange::clean_path(&p);
        match ops::import_section(&mut ctx.store, &p) {
            Ok(Imported::Opened { assessment, section, coordinator_fingerprint }) => {
                ctx.then(SessionCmd::RefreshList);
                ctx.then(SessionCmd::Open(assessment));
                ctx.notice(Notice::info(Msg::langs(|t| {
                    format!(
                        "{} {}",
                        crate::sections::banner(&section, t),
                        t.f("section.cli.coordinator_key", &[("fingerprint", &coordinator_fingerprint)])
                    )
                })));
            }
            Ok(Imported::Merged { assessment, colleague, fingerprint, outcome, .. }) => {
                ctx.then(SessionCmd::Reload(assessment));
                let colleague = crate::exchange::clean_text(&colleague);
                ctx.notice(Notice::info(Msg::langs(|t| {
                    let args: [(&str, &dyn std::fmt::Display); 5] = [
                        ("name", &colleague),
                        ("taken", &outcome.taken.len()),
                        ("conflicts", &outcome.conflicts.len()),
                        ("unchanged", &outcome.unchanged),
                        ("fingerprint", &fingerprint),
                    ];
                    let mut s = t.f("section.merged", &args);
                    if outcome.pinned.is_some() {
                        s = format!("{s} {}", t.f("section.pinned", &args));
                    }
                    s
                })));
            }
            Err(e) => ctx.notice(Notice::error(Msg::langs(|t| format!("{shown}: {}", e.message(t))))),
        }
    }
}
