//! Several officers, one assessment (issue 26), as the Assess and Finalise pages show it: the
//! section a colleague answers, who is answering, the sections handed out and where they stand,
//! a colleague's answer that met ours (both shown; a person chooses), and who answered what.

use crate::app::{DesktopCmd, SectionsCmd, Session};
use crate::assessment::{Answer, Response};
use crate::framework::Framework;
use crate::lang::Lang;
use crate::sections::{HandOut, State};
use crate::ui::View;
use crate::ui::widgets::{fallback, text_field, theme};
use egui::RichText;

/// What is typed into the hand-out form and the contributor's fields (kept between frames).
#[derive(Debug, Clone, Default)]
struct Form {
    indicators: String,
    name: String,
    unit: String,
    due: String,
    message: String,
    who: String,
    who_unit: String,
    /// The assessment the contributor's fields were filled from.
    filled_for: Option<crate::ids::AssessmentId>,
}

/// The answer as a person reads it: "Level 3 (Established)", "Not applicable"…
fn answer_words(a: Answer, fw: &Framework, t: Lang) -> String {
    match a {
        Answer::Level(l) => t.f("assess.level_title", &[("n", &l), ("name", &fw.level_name(l, t))]),
        Answer::NotApplicable => t.t("answer.na").to_string(),
        Answer::Insufficient => t.t("answer.insufficient").to_string(),
        Answer::Unanswered => t.t("section.conflict.unanswered").to_string(),
    }
}

fn response_lines(ui: &mut egui::Ui, r: &Response, fw: &Framework, t: Lang) {
    ui.label(RichText::new(answer_words(r.answer, fw, t)).strong());
    ui.label(t.f("section.conflict.target", &[("n", &r.target)]));
    if let Some(n) = r.need {
        ui.label(t.f("section.conflict.need", &[("need", &n.code())]));
    }
    for text in [&r.evidence, &r.comment] {
        if !text.trim().is_empty() {
            ui.label(RichText::new(crate::exchange::clean_text(text)).small());
        }
    }
}

/// At the top of the Assess page of a colleague's draft: the section it answers (banner, message,
/// the answer file).
pub fn section_banner(ui: &mut egui::Ui, v: &mut View, s: &Session) {
    let t = v.lang();
    if let Some(section) = &s.team.section {
        theme::card(ui, |ui| {
            ui.label(RichText::new(crate::sections::banner(section, t)).strong().color(theme::accent(ui)));
            if !section.message.trim().is_empty() {
                ui.label(RichText::new(crate::exchange::clean_text(&section.message)).italics());
            }
            ui.horizontal_wrapped(|ui| {
                if ui.button(t.t("section.write_answer")).clicked() {
                    v.send(SectionsCmd::WriteAnswer { id: s.id(), dest: v.ask_dest() });
                }
                ui.label(RichText::new(t.t("section.write_answer_help")).weak().small());
            });
            if fallback::save_folder(ui, v, "section_answer_folder", &[t.t("section.write_answer_here")]).is_some() {
                v.send(SectionsCmd::WriteAnswer { id: s.id(), dest: v.folder_dest() });
            }
            sent_ui(ui, v);
        });
    }
}

/// Under the indicator on the Assess page of a coordinator's draft (out of the way of the answer
/// and of Tab): who is answering, the sections handed out, the answers to import.
pub fn team_panel(ui: &mut egui::Ui, v: &mut View, s: &Session) {
    let t = v.lang();
    if s.read_only() || s.team.section.is_some() {
        return;
    }
    let conflicts = s.team.conflicts.len();
    let title = if conflicts > 0 {
        t.f("section.panel_title_conflicts", &[("n", &conflicts)])
    } else {
        t.t("section.panel_title").to_string()
    };
    egui::CollapsingHeader::new(title).id_salt("team_panel").show(ui, |ui| {
        let id = ui.make_persistent_id("section_form");
        let mut f: Form = ui.data_mut(|d| d.get_temp(id)).unwrap_or_default();
        if f.filled_for != Some(s.id()) {
            let (who, unit) = s.team.contributor.clone().unwrap_or_default();
            f = Form { who, who_unit: unit, filled_for: Some(s.id()), ..Form::default() };
        }
        contributor_ui(ui, v, s, &mut f);
        ui.separator();
        hand_out_ui(ui, v, s, &mut f);
        ui.data_mut(|d| d.insert_temp(id, f));
        progress_ui(ui, s, t);
        by_who_ui(ui, s, t);
        if !s.team.out.is_empty() && ui.button(t.t("section.import_answers")).clicked() {
            v.send(SectionsCmd::Pick);
        }
        fallback::path_field(ui, v, crate::app::Dialog::Section);
        sent_ui(ui, v);
    });
}

/// One laptop: who is answering now; each answer saved is theirs.
fn contributor_ui(ui: &mut egui::Ui, v: &mut View, s: &Session, f: &mut Form) {
    let t = v.lang();
    theme::section(ui, t.t("section.who_title"));
    match &s.team.contributor {
        Some((name, unit)) => ui.label(t.f("section.who_now", &[("name", name), ("unit", unit)])),
        None => ui.label(RichText::new(t.t("section.who_none")).weak()),
    };
    text_field(ui, t.t("section.who_name"), &mut f.who, 260.0);
    text_field(ui, t.t("section.who_unit"), &mut f.who_unit, 260.0);
    if ui.button(t.t("section.who_set")).clicked() {
        v.send(SectionsCmd::Contributor { id: s.id(), name: f.who.clone(), unit: f.who_unit.clone() });
    }
}

/// The coordinator hands indicators (a pillar, or any set) to a colleague.
fn hand_out_ui(ui: &mut egui::Ui, v: &mut View, s: &Session, f: &mut Form) {
    let t = v.lang();
    let fw = s.framework();
    theme::section(ui, t.t("section.hand_out_title"));
    ui.label(RichText::new(t.t("section.hand_out_help")).weak().small());
    ui.horizontal_wrapped(|ui| {
        ui.label(t.t("section.pillar"));
        for p in &fw.meta.pillars {
            if ui.small_button(p.name.get(t)).clicked() {
                f.indicators = fw.indicators_of(&p.code).map(|i| i.code.clone()).collect::<Vec<_>>().join(", ");
            }
        }
    });
    text_field(ui, t.t("section.indicators"), &mut f.indicators, 380.0);
    text_field(ui, t.t("section.colleague"), &mut f.name, 260.0);
    text_field(ui, t.t("section.unit"), &mut f.unit, 260.0);
    text_field(ui, t.t("section.due"), &mut f.due, 120.0);
    text_field(ui, t.t("section.message"), &mut f.message, 380.0);
    let due_ok = f.due.trim().is_empty() || chrono::NaiveDate::parse_from_str(f.due.trim(), "%Y-%m-%d").is_ok();
    if !due_ok {
        ui.label(RichText::new(t.f("section.cli.bad_due", &[("date", &f.due.trim())])).color(theme::WARN));
    }
    let hand = HandOut {
        assessment: s.id(),
        indicators: f.indicators.split([',', ' ', ';']).filter(|x| !x.is_empty()).map(str::to_uppercase).collect(),
        colleague: f.name.clone(),
        unit: f.unit.clone(),
        due: Some(f.due.trim().to_string()).filter(|d| !d.is_empty()),
        message: f.message.clone(),
    };
    let ok = due_ok && !hand.indicators.is_empty() && !f.name.trim().is_empty();
    if ui.add_enabled(ok, egui::Button::new(t.t("section.write_section"))).clicked() {
        v.send(SectionsCmd::HandOut { hand: hand.clone(), dest: v.ask_dest() });
    }
    if ok && fallback::save_folder(ui, v, "section_folder", &[t.t("section.write_section_here")]).is_some() {
        v.send(SectionsCmd::HandOut { hand, dest: v.folder_dest() });
    }
}

/// The sections handed out: out, answered, late.
fn progress_ui(ui: &mut egui::Ui, s: &Session, t: Lang) {
    if s.team.out.is_empty() {
        return;
    }
    ui.separator();
    theme::section(ui, t.t("section.progress_title"));
    let count = |x: State| s.team.out.iter().filter(|(_, st)| *st == x).count();
    ui.label(t.f(
        "section.progress_counts",
        &[("out", &count(State::Out)), ("answered", &count(State::Answered)), ("late", &count(State::Late))],
    ));
    egui::Grid::new("sections_out").num_columns(4).striped(true).show(ui, |ui| {
        for (o, state) in &s.team.out {
            let words = t.t(&format!("section.state.{}", state.code()));
            let colour = match state {
                State::Answered => theme::GOOD,
                State::Late => theme::BAD,
                State::Out => theme::WARN,
            };
            ui.label(RichText::new(words).color(colour));
            ui.label(format!(
                "{} ({})",
                crate::exchange::clean_text(&o.colleague),
                crate::exchange::clean_text(&o.unit)
            ));
            ui.label(o.due.clone().unwrap_or_default());
            ui.label(o.indicators.join(", "));
            ui.end_row();
        }
    });
}

/// Indicators by who answered them (sections merged, contributors taking turns).
fn by_who_ui(ui: &mut egui::Ui, s: &Session, t: Lang) {
    let list = crate::sections::by_pillar(&s.data.contributors);
    if list.is_empty() {
        return;
    }
    ui.separator();
    ui.label(RichText::new(t.t("section.by_who")).strong());
    let fw = s.framework();
    for (pillar, people) in list {
        for (name, unit, codes) in people {
            let (name, unit) = (crate::exchange::clean_text(&name), crate::exchange::clean_text(&unit));
            ui.label(format!("{} · {name} ({unit}): {}", fw.pillar_name(&pillar, t), codes.join(", ")));
        }
    }
}

/// The file just written and how to send it: by e-mail or on a USB stick, to whom.
fn sent_ui(ui: &mut egui::Ui, v: &mut View) {
    let t = v.lang();
    let Some(e) = v.snap.section_sent.clone() else { return };
    ui.separator();
    theme::section(ui, t.t("send.title"));
    ui.label(
        t.f("send.file", &[("path", &e.path.display()), ("kb", &t.decimal(&format!("{:.1}", e.size as f64 / 1024.0)))]),
    );
    let key = if e.answer { "section.send_answer" } else { "section.send_section" };
    ui.label(t.f(key, &[("name", &crate::exchange::clean_text(&e.to))]));
    ui.horizontal_wrapped(|ui| {
        if ui.button(t.t("send.open_mail")).clicked() {
            let file = e.path.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default();
            let who = crate::exchange::clean_text(&e.to);
            let (subject, body) = if e.answer {
                (
                    t.f("section.mail_subject_answer", &[("file", &file)]),
                    t.f("section.mail_body_answer", &[("name", &who)]),
                )
            } else {
                (t.f("section.mail_subject", &[("file", &file)]), t.f("section.mail_body", &[("name", &who)]))
            };
            let mail = crate::app::mail::Mail { to: String::new(), subject, body, files: vec![e.path.clone()] };
            v.send(DesktopCmd::Mail(mail));
        }
        if ui.button(t.t("send.open_folder")).clicked()
            && let Some(dir) = e.path.parent()
        {
            v.send(DesktopCmd::Folder(dir.to_path_buf()));
        }
    });
}

/// Beside an indicator: a colleague's answer that met a change of ours; both shown, a person
/// chooses.
pub fn conflict_ui(ui: &mut egui::Ui, v: &mut View, s: &Session, r: &Response) {
    let Some(c) = s.team.conflicts.iter().find(|c| c.indicator == r.indicator) else { return };
    let t = v.lang();
    let fw = s.framework();
    let name = crate::exchange::clean_text(&c.name);
    theme::card(ui, |ui| {
        ui.label(RichText::new(t.f("section.conflict.title", &[("name", &name)])).color(theme::WARN).strong());
        ui.columns(2, |cols| {
            cols[0].label(RichText::new(t.t("section.conflict.ours")).weak());
            response_lines(&mut cols[0], r, fw, t);
            cols[1].label(RichText::new(t.f("section.conflict.theirs", &[("name", &name)])).weak());
            response_lines(&mut cols[1], &c.theirs, fw, t);
        });
        ui.horizontal_wrapped(|ui| {
            if ui.button(t.t("section.conflict.keep")).clicked() {
                v.send(SectionsCmd::Settle { id: s.id(), indicator: r.indicator.clone(), take: false });
            }
            if ui.button(t.f("section.conflict.take", &[("name", &name)])).clicked() {
                v.send(SectionsCmd::Settle { id: s.id(), indicator: r.indicator.clone(), take: true });
            }
        });
    });
}

/// The sign-off review: who answered, per pillar.
pub fn contributors_ui(ui: &mut egui::Ui, s: &Session, t: Lang) {
    let list = crate::sections::by_pillar(&s.data.contributors);
    if list.is_empty() {
        return;
    }
    ui.add_space(4.0);
    theme::section(ui, t.t("section.contributors_title"));
    let fw = s.framework();
    for (pillar, people) in list {
        let who: Vec<String> = people
            .iter()
            .map(|(n, u, l)| {
                let n = crate::exchange::clean_text(n);
                if u.is_empty() {
                    format!("{n} ({})", l.len())
                } else {
                    format!("{n}, {} ({})", crate::exchange::clean_text(u), l.len())
                }
            })
            .collect();
        ui.label(format!("{}: {}", fw.pillar_name(&pillar, t), who.join(" · ")));
    }
}
