//! Feedback from the Secretariat, as the pages show it (issue 10): the receipt line, the review
//! state and queries on the Assess page, a badge per queried indicator, the benchmark tables of
//! Results, the Secretariat's card in Settings and the "how to send it" panel of feedback just
//! written. Pages call these in one line each.

use super::{member_name, theme};
use crate::app::{Command, Role, Snapshot};
use crate::app::{DesktopCmd, FeedbackCmd, ReviewCmd, SessionCmd};
use crate::exchange::feedback::{self, Stat};
use crate::feedback::{FeedbackView, Match};
use crate::lang::Lang;
use crate::ui::View;

/// "12 May 2027" / "12 mai 2027" from an RFC 3339 time (local date).
pub fn long_date(ts: &str, t: Lang) -> String {
    match chrono::DateTime::parse_from_rfc3339(ts) {
        Ok(d) => {
            use chrono::Datelike;
            let d = d.with_timezone(&chrono::Local);
            t.f(
                "feedback.date",
                &[("day", &d.day()), ("month", &t.t(&format!("feedback.month.{}", d.month()))), ("year", &d.year())],
            )
        }
        Err(_) => crate::exchange::clean_text(ts),
    }
}

/// Text from a feedback file, fit to show: control characters but new lines removed, capped.
fn shown(s: &str) -> String {
    s.chars().filter(|c| !c.is_control() || *c == '\n').take(crate::exchange::feedback::REMARK_MAX).collect()
}

/// The indicators with a query for the open assessment (for the badges of a list).
pub fn queried(snap: &Snapshot) -> Vec<String> {
    snap.session_feedback().map(|f| f.body.queries.iter().map(|q| q.indicator.clone()).collect()).unwrap_or_default()
}

/// A small "Query" badge beside an indicator that has one.
pub fn badge(ui: &mut egui::Ui, t: Lang, queried: &[String], indicator: &str) {
    if !queried.iter().any(|q| q == indicator) {
        return;
    }
    egui::Frame::new()
        .fill(theme::badge_fill(theme::WARN))
        .corner_radius(6.0)
        .inner_margin(egui::Margin::symmetric(5, 1))
        .show(ui, |ui| {
            ui.label(egui::RichText::new(t.t("feedback.badge")).color(egui::Color32::WHITE).small().strong())
                .on_hover_text(t.t("feedback.badge_help"));
        });
}

/// One intervention the Secretariat planned for the member, in a line: "Valuation workshop —
/// Regional workshop · Q2 2027 · Confirmed (regional activity)".
pub fn planned_line(p: &feedback::Planned, t: Lang) -> String {
    let when = match (&p.started, &p.ended, p.quarter) {
        (Some(s), Some(e), _) if s != e => format!("{} – {}", long_date(s, t), long_date(e, t)),
        (Some(s), _, _) | (None, Some(s), _) => long_date(s, t),
        (None, None, Some(q)) => t.f("feedback.planned_quarter", &[("q", &q), ("year", &p.year)]),
        (None, None, None) => p.year.to_string(),
    };
    let mode = t.t(&format!("programme.mode.{}", p.mode));
    let status = t.t(&format!("programme.status.{}", p.status));
    let mut line = format!("{} — {mode} · {when} · {status}", shown_line(&p.title));
    if p.regional {
        line.push_str(&format!(" ({})", t.t("feedback.planned_regional")));
    }
    line
}

fn shown_line(s: &str) -> String {
    crate::exchange::clean_text_max(s, feedback::TITLE_MAX)
}

/// The first intervention planned for an indicator, for a gap list's cell: (title, the whole
/// line to show on hover).
pub fn planned_cell(v: &View, indicator: &str) -> Option<(String, String)> {
    let t = v.lang();
    let f = v.snap.session_feedback()?;
    let all: Vec<String> = f.planned(indicator).map(|p| planned_line(p, t)).collect();
    let first = f.planned(indicator).next()?;
    Some((shown_line(&first.title), format!("{}\n{}", t.t("feedback.planned_from"), all.join("\n"))))
}

/// The Secretariat's query (and note) on the indicator in view, and what it planned for it; under
/// the query the reply: typed in a draft revision (it goes with its return), shown in a signed-off
/// one.
pub fn query_beside(ui: &mut egui::Ui, v: &mut View, indicator: &str) {
    let t = v.lang();
    let Some(f) = v.snap.session_feedback() else { return };
    let planned: Vec<String> = f.planned(indicator).map(|p| planned_line(p, t)).collect();
    if !planned.is_empty() {
        egui::Frame::new().stroke(egui::Stroke::new(1.5, theme::GOOD)).corner_radius(6.0).inner_margin(8.0).show(
            ui,
            |ui| {
                ui.set_width(ui.available_width());
                ui.label(egui::RichText::new(t.t("feedback.planned_from")).strong());
                for line in &planned {
                    ui.label(format!("• {line}"));
                }
            },
        );
        ui.add_space(4.0);
    }
    for (key, text, color) in [
        ("feedback.query_from", f.query(indicator), egui::Color32::from(theme::WARN)),
        ("feedback.note_from", f.note(indicator), theme::ACCENT),
    ] {
        let Some(text) = text else { continue };
        let query = key == "feedback.query_from";
        egui::Frame::new().stroke(egui::Stroke::new(1.5, color)).corner_radius(6.0).inner_margin(8.0).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(egui::RichText::new(t.t(key)).strong());
            ui.label(shown(text));
            if query {
                reply_ui(ui, v, indicator);
            }
        });
        ui.add_space(4.0);
    }
}

/// The id of the reply field of an indicator (tests find it by its label).
pub fn reply_id(indicator: &str) -> egui::Id {
    egui::Id::unique(("query_reply", indicator))
}

/// The reply to the query on an indicator: a field in a draft, a line once signed off.
fn reply_ui(ui: &mut egui::Ui, v: &mut View, indicator: &str) {
    let t = v.lang();
    let Some(s) = v.snap.session.as_deref() else { return };
    if s.read_only() {
        if let Some(text) = s.data.reply(indicator) {
            ui.label(
                egui::RichText::new(
                    t.f("feedback.reply_given", &[("revision", &s.data.header.revision), ("text", &shown(text))]),
                )
                .italics(),
            );
        }
        return;
    }
    let id = reply_id(indicator);
    // The text being typed is kept here, for this revision; the session has what was sent.
    let key = egui::Id::unique(("query_reply_text", s.id(), indicator));
    let saved = s.data.reply(indicator).unwrap_or_default().to_string();
    let mut text = ui.data_mut(|d| d.get_temp::<String>(key)).unwrap_or(saved);
    let l = ui.label(egui::RichText::new(t.t("feedback.reply")).strong());
    let r = ui
        .add(
            egui::TextEdit::multiline(&mut text)
                .id(id)
                .hint_text(t.t("feedback.reply_help"))
                .desired_rows(2)
                .desired_width(f32::INFINITY)
                .char_limit(crate::assessment::limits::REPLY_MAX),
        )
        .labelled_by(l.id);
    if r.changed() {
        let (sid, indicator) = (s.id(), indicator.to_string());
        v.send(Command::Text { id: sid, indicator, field: crate::app::TextField::Reply, text: text.clone() });
    }
    if r.lost_focus() {
        v.send(Command::SaveText);
    }
    ui.data_mut(|d| d.insert_temp(key, text));
}

/// The receipt line of one return.
fn receipt_line(f: &FeedbackView, uuid: &str, revision: u32, t: Lang) -> Option<(String, theme::Tone)> {
    let r = f.receipts.iter().find(|r| r.receipt.assessment_uuid == uuid && r.receipt.revision == revision)?;
    let date = long_date(&r.receipt.received_at, t);
    let (key, color) = match r.matches {
        Match::Same => ("feedback.receipt_same", theme::GOOD),
        Match::Different => ("feedback.receipt_different", theme::BAD),
        Match::NotHere => ("feedback.receipt_elsewhere", theme::WARN),
    };
    Some((t.f(key, &[("date", &date), ("revision", &revision)]), color))
}

/// What the Secretariat said about the open assessment's cycle: receipt, review state, queries
/// (each a link: the index of the indicator to show is returned), notes, and "Start a revision to
/// answer the queries".
pub fn member_panel(ui: &mut egui::Ui, v: &mut View) -> Option<usize> {
    let t = v.lang();
    let snap = v.snap;
    let s = snap.session.as_deref()?;
    let f = snap.session_feedback()?;
    let h = &s.data.header;
    let mut go = None;
    egui::Frame::new().stroke(egui::Stroke::new(1.0, theme::accent(ui))).corner_radius(6.0).inner_margin(8.0).show(
        ui,
        |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.label(egui::RichText::new(t.t("feedback.title")).strong().color(theme::accent(ui)));
                let state = t.t(&format!("review.state.{}", f.body.review_state));
                ui.label(t.f("feedback.state_line", &[("state", &state)]));
                ui.label(
                    egui::RichText::new(t.f("feedback.issued", &[("date", &long_date(&f.body.issued_at, t))])).weak(),
                );
            });
            // The receipt of this revision, else of the latest received.
            let line = receipt_line(f, &h.uuid, h.revision, t).or_else(|| {
                f.receipts
                    .iter()
                    .filter(|r| r.receipt.assessment_uuid == h.uuid)
                    .max_by_key(|r| r.receipt.revision)
                    .and_then(|r| receipt_line(f, &h.uuid, r.receipt.revision, t))
            });
            match line {
                Some((text, color)) => {
                    ui.label(egui::RichText::new(text).color(color));
                }
                None => {
                    ui.label(egui::RichText::new(t.t("feedback.no_receipt")).color(theme::WARN));
                }
            }
            if !f.body.queries.is_empty() {
                egui::CollapsingHeader::new(t.f("feedback.queries", &[("n", &f.body.queries.len())]))
                    .id_salt("feedback_queries")
                    .default_open(true)
                    .show(ui, |ui| {
                        let fw = s.framework();
                        for q in &f.body.queries {
                            let title = fw.indicator(&q.indicator).map(|i| i.title.get(t)).unwrap_or_default();
                            ui.horizontal_wrapped(|ui| {
                                if ui.link(format!("{} — {title}", q.indicator)).clicked() {
                                    go = s.data.responses.iter().position(|r| r.indicator == q.indicator);
                                }
                                ui.label(shown(&q.text));
                            });
                            if let Some(reply) = s.data.reply(&q.indicator) {
                                ui.label(
                                    egui::RichText::new(t.f("feedback.reply_short", &[("text", &shown(reply))]))
                                        .italics()
                                        .weak(),
                                );
                            }
                        }
                        if s.read_only() && !s.has_newer_revision && !h.imported {
                            next_step_ui(ui, v, s, f);
                        }
                    });
            }
            if !f.body.notes.is_empty() {
                egui::CollapsingHeader::new(t.f("feedback.notes", &[("n", &f.body.notes.len())]))
                    .id_salt("feedback_notes")
                    .show(ui, |ui| {
                        for q in &f.body.notes {
                            ui.horizontal_wrapped(|ui| {
                                ui.label(egui::RichText::new(&q.indicator).strong());
                                ui.label(shown(&q.text));
                            });
                        }
                    });
            }
        },
    );
    ui.add_space(6.0);
    go
}

/// Under the queries of a signed-off revision: once its return is written and no receipt of it
/// has come, "revision N sent, waiting for the Secretariat's receipt"; a revision answering
/// queries not yet written, "export it"; else "Start a revision to answer the queries".
fn next_step_ui(ui: &mut egui::Ui, v: &mut View, s: &crate::app::Session, f: &FeedbackView) {
    let t = v.lang();
    let h = &s.data.header;
    let received = f.receipts.iter().any(|r| r.receipt.assessment_uuid == h.uuid && r.receipt.revision >= h.revision);
    let answering = f.receipts.iter().any(|r| r.receipt.assessment_uuid == h.uuid && r.receipt.revision < h.revision);
    if received && f.body.review_state == "answered" {
        // The answers are in; another revision stays one click away on the read-only banner.
        ui.label(
            egui::RichText::new(t.f("feedback.answers_received", &[("revision", &h.revision)])).color(theme::GOOD),
        );
    } else if received {
        if ui.button(t.t("feedback.start_revision")).clicked() {
            v.out.push(SessionCmd::StartRevision(s.id()).into());
        }
    } else if s.last_export().is_some() {
        ui.label(
            egui::RichText::new(t.f("feedback.waiting_receipt", &[("revision", &h.revision)])).color(theme::accent(ui)),
        );
    } else if answering {
        ui.label(egui::RichText::new(t.f("feedback.export_pending", &[("revision", &h.revision)])).color(theme::WARN));
    } else if ui.button(t.t("feedback.start_revision")).clicked() {
        v.out.push(SessionCmd::StartRevision(s.id()).into());
    }
}

fn fmt(x: Option<f64>, digits: usize) -> String {
    x.map(|x| format!("{x:.digits$}")).unwrap_or_else(|| "–".into())
}

fn quartiles(s: Option<Stat>, digits: usize) -> String {
    s.map(|s| format!("{:.digits$} – {:.digits$}", s.q1, s.q3)).unwrap_or_else(|| "–".into())
}

/// The gap table's benchmark cell for one indicator: "sub-region mean · region mean" (levels),
/// when the Secretariat's feedback for the cycle carries benchmarks; `None` without benchmarks.
pub fn indicator_benchmark(v: &View, code: &str) -> Option<String> {
    let bm = v.snap.session_feedback().and_then(|f| f.body.benchmarks.as_ref())?;
    let b = bm.indicators.iter().find(|b| b.code == code);
    Some(format!(
        "{} · {}",
        fmt(b.and_then(|b| b.subregion.map(|x| x.mean)), 1),
        fmt(b.and_then(|b| b.region.map(|x| x.mean)), 1)
    ))
}

/// The radar's comparison outlines: the sub-region's and the region's mean pillar scores, each
/// only when every pillar has a figure (a figure over fewer than 3 members is never sent), with
/// the legend text.
pub fn pillar_series(ui: &egui::Ui, v: &View, pillars: &[String]) -> Vec<(String, super::charts::RadarSeries)> {
    let t = v.lang();
    let Some(bm) = v.snap.session_feedback().and_then(|f| f.body.benchmarks.as_ref()) else { return Vec::new() };
    let series = |pick: &dyn Fn(&feedback::Bench) -> Option<f64>| -> Option<Vec<f64>> {
        pillars.iter().map(|code| bm.pillars.iter().find(|b| &b.code == code).and_then(pick)).collect()
    };
    let sub = t.t(&format!("subregion.{}", bm.subregion));
    let mut out = Vec::new();
    if let Some(values) = series(&|b| b.subregion.map(|x| x.mean)) {
        out.push((t.f("benchmark.subregion", &[("subregion", &sub)]), (super::charts::SUBREGION, values, 6.0)));
    }
    if let Some(values) = series(&|b| b.region.map(|x| x.mean)) {
        out.push((t.t("benchmark.region").to_string(), (ui.visuals().text_color(), values, 3.0)));
    }
    out
}

/// Whether the open assessment has benchmarks to show (the gap table then has their column).
pub fn has_benchmarks(v: &View) -> bool {
    v.snap.session_feedback().is_some_and(|f| f.body.benchmarks.is_some())
}

/// "You, your sub-region, the region" per pillar and per indicator, when the Secretariat's
/// feedback for the cycle carries benchmarks.
pub fn benchmarks_ui(ui: &mut egui::Ui, v: &View) {
    let t = v.lang();
    let Some(s) = v.snap.session.as_deref() else { return };
    let Some(bm) = v.snap.session_feedback().and_then(|f| f.body.benchmarks.as_ref()) else { return };
    let fw = s.framework();
    let sub = t.t(&format!("subregion.{}", bm.subregion));
    theme::card(ui, |ui| {
        theme::section(ui, t.t("benchmark.title"));
        ui.label(egui::RichText::new(t.t("benchmark.help")).weak());
        let header = |ui: &mut egui::Ui, first: &str| {
            for h in [first, t.t("benchmark.you"), &t.f("benchmark.subregion", &[("subregion", &sub)])] {
                ui.label(egui::RichText::new(h).strong());
            }
            for h in ["benchmark.region", "benchmark.quartiles", "benchmark.n"] {
                ui.label(egui::RichText::new(t.t(h)).strong());
            }
            ui.end_row();
        };
        egui::Grid::new("bench_pillars").striped(true).num_columns(6).show(ui, |ui| {
            header(ui, t.t("benchmark.pillar"));
            for b in &bm.pillars {
                ui.label(fw.pillar_name(&b.code, t));
                ui.label(fmt(s.scores.pillar_score(&b.code), 0));
                ui.label(fmt(b.subregion.map(|x| x.mean), 0));
                ui.label(fmt(b.region.map(|x| x.mean), 0));
                ui.label(quartiles(b.region, 0));
                ui.label(b.region.map(|x| x.n.to_string()).unwrap_or_else(|| "–".into()));
                ui.end_row();
            }
        });
        egui::CollapsingHeader::new(t.t("benchmark.per_indicator")).id_salt("bench_indicators").show(ui, |ui| {
            egui::Grid::new("bench_indicators").striped(true).num_columns(6).show(ui, |ui| {
                header(ui, t.t("benchmark.indicator"));
                for b in &bm.indicators {
                    let mine = s.scores.indicators.iter().find(|i| i.code == b.code).and_then(|i| i.value);
                    ui.label(&b.code);
                    ui.label(mine.map(|x| x.to_string()).unwrap_or_else(|| "–".into()));
                    ui.label(fmt(b.subregion.map(|x| x.mean), 1));
                    ui.label(fmt(b.region.map(|x| x.mean), 1));
                    ui.label(quartiles(b.region, 1));
                    ui.label(b.region.map(|x| x.n.to_string()).unwrap_or_else(|| "–".into()));
                    ui.end_row();
                }
            });
        });
    });
    ui.add_space(8.0);
}

/// Settings: the Secretariat exports its public card; an administration imports it (a file, or
/// pasted text) and sees what it holds.
pub fn card_ui(ui: &mut egui::Ui, v: &mut View) {
    let t = v.lang();
    let snap = v.snap;
    ui.add_space(8.0);
    theme::card(ui, |ui| {
        theme::section(ui, t.t("card.title"));
        if snap.settings.role == Some(Role::Secretariat) {
            ui.label(egui::RichText::new(t.t("card.export_help")).weak());
            ui.horizontal(|ui| {
                if ui.button(t.t("card.export")).clicked() {
                    v.send(ReviewCmd::ExportCard { dest: v.ask_dest() });
                }
                if ui.button(t.t("card.export_here")).clicked() {
                    v.send(ReviewCmd::ExportCard { dest: v.folder_dest() });
                }
            });
            return;
        }
        ui.label(egui::RichText::new(t.t("card.import_help")).weak());
        match crate::exchange::sign::PublicKey::parse(snap.settings.secretariat_signer.trim()) {
            Ok(k) => {
                ui.label(t.f("card.signing_key", &[("fingerprint", &k.fingerprint())]));
            }
            Err(_) => {
                ui.label(egui::RichText::new(t.t("card.none")).color(theme::WARN));
            }
        }
        let id = ui.make_persistent_id("feedback_card_paste");
        let mut text = ui.data_mut(|d| d.get_temp::<String>(id)).unwrap_or_default();
        let l = ui.label(t.t("card.paste"));
        ui.add(egui::TextEdit::multiline(&mut text).desired_rows(3).desired_width(520.0).char_limit(4096))
            .labelled_by(l.id);
        ui.horizontal(|ui| {
            if ui.add_enabled(!text.trim().is_empty(), egui::Button::new(t.t("card.import_text"))).clicked() {
                v.send(FeedbackCmd::ImportCardText(std::mem::take(&mut text)));
            }
            if ui.button(t.t("card.import_file")).clicked() {
                v.send(FeedbackCmd::PickCard);
            }
        });
        crate::ui::widgets::fallback::path_field(ui, v, crate::app::Dialog::Card);
        ui.data_mut(|d| d.insert_temp(id, text));
        // A card with another key than the card held: a loud stop, old and new fingerprints.
        if let Some(p) = snap.card_change.clone() {
            ui.add_space(4.0);
            ui.label(egui::RichText::new(p.change.message(t)).color(theme::WARN));
            ui.label(egui::RichText::new(t.t("card.change_help")).weak());
            ui.horizontal(|ui| {
                if ui.button(t.t("card.replace")).clicked() {
                    v.send(FeedbackCmd::ReplaceCard(p.text.clone()));
                }
                if ui.button(t.t("card.keep")).clicked() {
                    v.send(FeedbackCmd::KeepCard);
                }
            });
        }
        ui.add_space(4.0);
        if ui.button(t.t("feedback.import_button")).clicked() {
            v.send(FeedbackCmd::Pick);
        }
        crate::ui::widgets::fallback::path_field(ui, v, crate::app::Dialog::Feedback);
    });
}

/// An administration's outbox (on the Assessments page): each return file written, newest first,
/// and where it stands: written, sent (the officer says so here), or its receipt received.
pub fn outbox_ui(ui: &mut egui::Ui, v: &mut View) {
    use crate::feedback::Sending;
    let t = v.lang();
    let items = v.snap.feedback.outbox.clone();
    if items.is_empty() {
        return;
    }
    let mut sent = None;
    theme::card(ui, |ui| {
        theme::section(ui, t.t("outbox.title"));
        ui.label(egui::RichText::new(t.t("outbox.help")).weak());
        // The files still waiting, then the newest whose receipt came: a few lines above the list.
        let waiting = items.iter().filter(|i| !matches!(i.state, Sending::Received(_)));
        let done = items.iter().find(|i| matches!(i.state, Sending::Received(_)));
        for item in waiting.chain(done).take(OUTBOX_SHOWN) {
            let e = &item.export;
            let file = std::path::Path::new(&e.path)
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_else(|| e.path.clone());
            ui.horizontal_wrapped(|ui| {
                ui.label(t.f(
                    "outbox.line",
                    &[
                        ("member", &member_name(&e.member, t)),
                        ("cycle", &e.cycle),
                        ("revision", &e.revision),
                        ("file", &file),
                        ("date", &super::short_time(&e.written_at)),
                    ],
                ))
                .on_hover_text(&e.path);
                if state_ui(ui, t, item) {
                    sent = Some(e.id);
                }
            });
        }
    });
    if let Some(id) = sent {
        v.send(crate::app::ExportCmd::MarkSent(id));
    }
    ui.add_space(8.0);
}

/// Where one return file written stands, with "I have sent it" while only written: true when
/// that is clicked.
fn state_ui(ui: &mut egui::Ui, t: Lang, item: &crate::feedback::OutboxItem) -> bool {
    use crate::feedback::Sending;
    match &item.state {
        Sending::Written => {
            ui.label(egui::RichText::new(t.t("outbox.written")).color(theme::WARN));
            ui.small_button(t.t("outbox.mark_sent")).clicked()
        }
        Sending::Sent(at) => {
            ui.label(
                egui::RichText::new(t.f("outbox.sent", &[("date", &super::short_time(at))])).color(theme::accent(ui)),
            );
            false
        }
        Sending::Received(at) => {
            ui.label(egui::RichText::new(t.f("outbox.received", &[("date", &long_date(at, t))])).color(theme::GOOD));
            false
        }
    }
}

/// The state of the return file just written (the "how to send it" panel), with "I have sent
/// it" while only written.
pub fn sent_ui(ui: &mut egui::Ui, v: &mut View, path: &std::path::Path) {
    let t = v.lang();
    let path = path.display().to_string();
    let Some(item) = v.snap.feedback.outbox.iter().find(|i| i.export.path == path).cloned() else { return };
    let clicked = ui.horizontal_wrapped(|ui| state_ui(ui, t, &item)).inner;
    if clicked {
        v.send(crate::app::ExportCmd::MarkSent(item.export.id));
    }
}

/// The outbox lines shown at most (the Assessments page keeps its list in view at 1024x700).
const OUTBOX_SHOWN: usize = 4;

/// The Secretariat's "how to send it" panel for the feedback files just written.
pub fn written_ui(ui: &mut egui::Ui, v: &mut View) {
    let t = v.lang();
    let snap = v.snap;
    let Some(w) = snap.feedback.written.as_ref() else { return };
    ui.add_space(8.0);
    theme::card(ui, |ui| {
        theme::section(ui, t.t("send.title"));
        for (m, p) in &w.files {
            ui.label(t.f("feedback.written_file", &[("member", &member_name(m, t)), ("path", &p.display())]));
        }
        ui.label(t.t("feedback.send_steps"));
        // Through the worker, whose fallback says when no program could open them.
        let mut open = None;
        ui.horizontal(|ui| {
            if ui.button(t.t("send.open_mail")).clicked()
                && let Some(mail) = snap.feedback_mail()
            {
                open = Some(DesktopCmd::Mail(mail));
            }
            if ui.button(t.t("send.open_folder")).clicked()
                && let Some(dir) = w.files.first().and_then(|(_, p)| p.parent())
            {
                open = Some(DesktopCmd::Folder(dir.to_path_buf()));
            }
        });
        if let Some(c) = open {
            v.send(c);
        }
    });
}

/// What to do with files dropped on an administration's window: feedback files are imported,
/// a card (`.ococard`) is read.
pub fn dropped(paths: Vec<std::path::PathBuf>) -> Vec<Command> {
    let ext = |p: &std::path::Path, e: &str| p.extension().is_some_and(|x| x.eq_ignore_ascii_case(e));
    let (cards, rest): (Vec<_>, Vec<_>) = paths.into_iter().partition(|p| ext(p, crate::exchange::card::EXTENSION));
    let mut out: Vec<Command> = cards.into_iter().map(|c| FeedbackCmd::ImportCardFile(c).into()).collect();
    if !rest.is_empty() {
        out.push(FeedbackCmd::Import(rest).into());
    }
    out
}

/// First-run setup of an administration: the Secretariat's card, pasted (optional). A card that
/// reads sets the draft's signing key, encryption key and e-mail address, saved with the rest.
pub fn setup_card_ui(ui: &mut egui::Ui, t: Lang, d: &mut crate::app::Settings) {
    theme::section(ui, t.t("card.title"));
    ui.label(egui::RichText::new(t.t("card.setup_help")).weak());
    let id = ui.make_persistent_id("setup_card");
    let (mut text, mut error) =
        ui.data_mut(|m| m.get_temp::<(String, Option<crate::exchange::card::CardRefusal>)>(id)).unwrap_or_default();
    let l = ui.label(t.t("card.paste"));
    let r = ui
        .add(egui::TextEdit::multiline(&mut text).desired_rows(3).desired_width(f32::INFINITY).char_limit(4096))
        .labelled_by(l.id);
    if r.changed() {
        match crate::app::ops::card_into(d, &text) {
            Ok(()) => error = None,
            Err(e) => {
                d.secretariat_signer.clear();
                error = (!text.trim().is_empty()).then_some(e);
            }
        }
    }
    if let Some(e) = &error {
        ui.label(egui::RichText::new(e.message(t)).color(theme::BAD));
    } else if let Ok(k) = crate::exchange::sign::PublicKey::parse(d.secretariat_signer.trim()) {
        ui.label(egui::RichText::new(t.f("card.signing_key", &[("fingerprint", &k.fingerprint())])).color(theme::GOOD));
    }
    ui.data_mut(|m| m.insert_temp(id, (text, error)));
}
