//! Results page (kittest) and the results exports.

use crate::ui::{answer, app_over, change, fiji, harness};
use cdf_assess::app::Role;
use cdf_assess::app::SessionCmd;
use cdf_assess::assessment::{Answer, Commitment, NeedCategory, NewAssessment, ResponseChange};
use cdf_assess::framework;
use cdf_assess::lang::Lang;
use cdf_assess::scoring;
use cdf_assess::store::Store;
use cdf_assess::ui::{CdfApp, Page};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

/// Fiji with a filled draft: levels vary by indicator, a few N/A and Insufficient information.
fn filled() -> Harness<'static, CdfApp> {
    let mut h = fiji();
    {
        let st = h.state_mut();
        st.send(SessionCmd::CreateAssessment(NewAssessment {
            member: "FJ".into(),
            cycle: chrono::Datelike::year(&chrono::Local::now()),
            assessor_name: "Mere Naivalu".into(),
            assessor_role: String::new(),
            language: "en".into(),
        }));
        let n = st.session().unwrap().data.responses.len();
        for i in 0..n {
            let a = match i {
                5 => Answer::NotApplicable,
                7 | 20 => Answer::Insufficient,
                _ => Answer::Level(((i * 7) % 5) as u8),
            };
            answer(st, i, a);
            change(st, i, ResponseChange::Commitment(Some(Commitment::ALL[i % 3])));
        }
        st.go(Page::Results);
    }
    h.run();
    h
}

/// Scrolls the page down, as a person would with the wheel, until the first node labelled
/// `label` is inside the window.
pub fn scroll_into_view(h: &mut Harness<'static, CdfApp>, label: &str) {
    for _ in 0..40 {
        let rect = h.get_all_by_label(label).next().expect("node").rect();
        if rect.bottom() < 740.0 {
            return;
        }
        h.get_all_by_label(label).next().expect("node").scroll_down();
        h.run();
    }
    panic!("could not scroll {label} into view");
}

fn score_label(v: Option<f64>) -> String {
    format!("{:.0} / 100", v.unwrap())
}

#[test]
fn results_show_the_verdict_pillar_scores_and_first_gap() {
    let h = filled();
    let s = h.state().session().unwrap();
    let scores = scoring::score(framework::current(), &s.data.responses);
    let q = scores.readiness.quadrant.expect("a verdict");
    let title = cdf_assess::i18n::tr(Lang::En, &format!("verdict.{}", q.code()));
    h.get_by_label(title);
    let wf = score_label(scores.pillars[0].score);
    assert!(h.query_all_by_label(&wf).count() >= 1, "Workforce score {wf} shown");
    let first = scoring::ranked_gaps(&scores)[0];
    let first_title = &framework::current().indicator(&first.code).unwrap().title.en;
    assert!(h.query_all_by_label_contains(first_title).count() >= 1, "first gap {first_title} listed");
    h.get_by_label_contains("(!) 2 indicator(s) marked Insufficient information");
    h.get_by_label("Gaps and action plan");
}

#[test]
fn changing_a_level_changes_the_score_on_the_results_page() {
    let mut h = filled();
    let before = h.state().session().unwrap().scores.pillars[0].score;
    h.get_by_label("Assess").click();
    h.run();
    h.state_mut().pages.assess.current = 0;
    h.run();
    let current = h.state().session().unwrap().data.responses[0].answer;
    let new_level = if current == Answer::Level(4) { "Level 0 · Not in place" } else { "Level 4 · Advanced" };
    h.get_by_label_contains(new_level).click();
    h.run();
    h.get_by_label("Results").click();
    h.run();
    let after = h.state().session().unwrap().scores.pillars[0].score;
    assert_ne!(before, after);
    assert!(h.query_all_by_label(&score_label(after)).count() >= 1, "new Workforce score shown");
}

#[test]
fn a_need_category_set_in_the_gap_list_lists_a_request_for_assistance() {
    let mut h = filled();
    h.get_by_label_contains("No request for assistance yet");
    let first = {
        let s = h.state().session().unwrap();
        scoring::ranked_gaps(&s.scores)[0].code.clone()
    };
    // The first row's "C" button.
    scroll_into_view(&mut h, "C");
    h.get_all_by_label("C").next().unwrap().click();
    h.run();
    let s = h.state().session().unwrap();
    assert_eq!(s.data.response(&first).unwrap().need, Some(NeedCategory::C));
    assert!(h.query_by_label_contains("No request for assistance yet").is_none());
}

#[test]
fn the_results_pdf_and_csv_are_saved_and_readable() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = filled();
    h.state_mut().export_dir = dir.path().display().to_string();
    h.get_by_label("No save dialog? Save into a folder").click();
    h.run();
    h.get_by_label("Save PDF here").click();
    h.run();
    h.get_by_label("Save CSV here").click();
    h.run();
    let pdf = std::fs::read(dir.path().join(format!("FJ_{}_r1_results.pdf", cycle(&h)))).expect("PDF saved");
    assert!(pdf.starts_with(b"%PDF-"));
    // `CDF_RESULTS_SAMPLE=/tmp/r.pdf cargo test ... saved_and_readable` keeps a copy to look at.
    if let Ok(sample) = std::env::var("CDF_RESULTS_SAMPLE") {
        std::fs::write(sample, &pdf).unwrap();
    }
    let text = crate::pdf::pdf_text(&pdf);
    for needle in ["Fiji", "Workforce", "Legislation", "Digital Customs", "Readiness"] {
        assert!(text.contains(needle), "PDF lacks {needle}");
    }
    let csv = std::fs::read_to_string(dir.path().join(format!("FJ_{}_r1_responses.csv", cycle(&h)))).unwrap();
    let mut rdr = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), framework::current().indicators.len());
    assert_eq!(&rows[5][7], "na");
}

fn cycle(h: &Harness<'static, CdfApp>) -> String {
    h.state().session().unwrap().data.header.cycle.to_string()
}

#[test]
fn results_in_french() {
    let mut h = filled();
    h.get_by_label("Français").click();
    h.run();
    h.get_by_label("Verdict de préparation : apte et disposée ?");
    h.get_by_label("Écarts et plan d'action");
}

#[test]
fn a_previous_cycle_is_compared() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    {
        let mut store = Store::open(&path).unwrap();
        let old = store.create_assessment(&crate::store::new_assessment("FJ", 2024)).unwrap();
        let new = store.create_assessment(&crate::store::new_assessment("FJ", 2026)).unwrap();
        for ind in &framework::current().indicators {
            let lvl = |l| cdf_assess::assessment::ResponseChange::Answer(Answer::Level(l));
            store.update_response(old, &ind.code, &lvl(1)).unwrap();
            store.update_response(new, &ind.code, &lvl(if ind.pillar == "WF" { 3 } else { 1 })).unwrap();
        }
        store.set_setting("role", "administration").unwrap();
        store.set_setting("member", "FJ").unwrap();
    }
    let mut app = app_over(Store::open(&path));
    assert_eq!(app.snapshot().settings.role, Some(Role::Administration));
    let id = app.snapshot().list.iter().find(|s| s.header.cycle == 2026).unwrap().header.id;
    app.send(SessionCmd::Open(id));
    app.go(Page::Results);
    let mut h = harness(app);
    h.run();
    h.get_by_label("Compared with cycle 2024 (revision 1)");
    h.get_by_label("+50 up");
}
