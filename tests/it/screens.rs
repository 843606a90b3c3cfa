//! Made for the officer's screen and hands (issue 14): every page fits a small screen in both
//! languages, the keyboard works at any speed, and signing off is a real review.

use crate::ui::{answer, app_over, change, harness, setup};
use cdf_assess::app::Role;
use cdf_assess::app::{SecCmd, SessionCmd, SettingsCmd};
use cdf_assess::assessment::{Answer, NeedCategory, ResponseChange, Status};
use cdf_assess::lang::Lang;
use cdf_assess::store::Store;
use cdf_assess::ui::{CdfApp, Page};
use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

type H = Harness<'static, CdfApp>;

/// An administration (Fiji) with a new assessment open on the Assess page.
fn assessing(size: egui::Vec2, lang: Lang) -> H {
    let mut app = app_over(Store::open_in_memory());
    setup(&mut app, Role::Administration, Some("FJ"));
    app.send(SessionCmd::CreateAssessment(cdf_assess::assessment::NewAssessment {
        member: "FJ".into(),
        cycle: 2026,
        assessor_name: "Mere Naivalu".into(),
        assessor_role: "Officer".into(),
        language: "en".into(),
    }));
    set_lang(&mut app, lang);
    let mut h = harness(app);
    h.set_size(size);
    h.run();
    assert_eq!(h.state().page, Page::Assess);
    h
}

fn set_lang(app: &mut CdfApp, lang: Lang) {
    let mut s = app.snapshot().settings.clone();
    s.lang = lang;
    app.send(SettingsCmd::Save(s));
}

fn key(key: Key, modifiers: Modifiers, pressed: bool) -> Event {
    Event::Key { key, pressed, modifiers, repeat: false, physical_key: None }
}

/// A key pressed and released, with the character it types (as a real keyboard sends it).
fn press(k: Key, modifiers: Modifiers, text: Option<&str>) -> Vec<Event> {
    let mut v = vec![key(k, modifiers, true)];
    if let Some(t) = text {
        v.push(Event::Text(t.into()));
    }
    v.push(key(k, modifiers, false));
    v
}

/// All these events in ONE frame (a fast typist, a slow machine), then the app settles.
fn one_frame(h: &mut H, events: Vec<Vec<Event>>) {
    h.input_mut().events.extend(events.into_iter().flatten());
    h.step();
    h.run();
}

fn answers(h: &H) -> Vec<Answer> {
    h.state().session().unwrap().data.responses.iter().map(|r| r.answer).collect()
}

#[test]
fn alt_right_then_a_digit_in_one_frame_answers_the_next_indicator() {
    let mut h = assessing(egui::vec2(1024.0, 700.0), Lang::En);
    let n = answers(&h).len();
    one_frame(&mut h, vec![press(Key::ArrowRight, Modifiers::ALT, None), press(Key::Num2, Modifiers::NONE, Some("2"))]);
    assert_eq!(h.state().pages.assess.current, 1);
    let a = answers(&h);
    assert_eq!(a[0], Answer::Unanswered, "the first indicator is left as it was");
    assert_eq!(a[1], Answer::Level(2));
    // Several moves and answers in one frame apply in order: "1" on the 2nd, then two on.
    one_frame(
        &mut h,
        vec![
            press(Key::Num1, Modifiers::NONE, Some("1")),
            press(Key::ArrowRight, Modifiers::ALT, None),
            press(Key::ArrowRight, Modifiers::ALT, None),
            press(Key::Num4, Modifiers::NONE, Some("4")),
            press(Key::ArrowLeft, Modifiers::ALT, None),
        ],
    );
    let a = answers(&h);
    assert_eq!((a[1], a[2], a[3]), (Answer::Level(1), Answer::Unanswered, Answer::Level(4)));
    assert_eq!(h.state().pages.assess.current, 2);
    assert_eq!(a.len(), n);
}

#[test]
fn from_a_focused_text_field_alt_right_then_a_digit_chooses_a_level() {
    let mut h = assessing(egui::vec2(1366.0, 768.0), Lang::En);
    h.get_by_label("Evidence note").focus();
    h.run();
    h.get_by_label("Evidence note").type_text("HR plan 2025");
    h.run();
    // A digit typed in the field is text, not a level.
    one_frame(&mut h, vec![press(Key::Num2, Modifiers::NONE, Some("2"))]);
    assert_eq!(answers(&h)[0], Answer::Unanswered);
    one_frame(&mut h, vec![press(Key::ArrowRight, Modifiers::ALT, None), press(Key::Num3, Modifiers::NONE, Some("3"))]);
    let s = h.state().session().unwrap();
    assert_eq!(s.data.responses[1].answer, Answer::Level(3));
    assert_eq!(s.data.responses[1].evidence, "", "the 3 was not typed into the next field");
    assert_eq!(s.data.responses[0].evidence, "HR plan 20252");
    assert_eq!(s.data.responses[0].answer, Answer::Unanswered);
    assert!(!h.get_by_label("Evidence note").is_focused(), "Alt+Right leaves the text field");
    // Alt+E goes back into the evidence note; what is typed next is text.
    one_frame(&mut h, vec![press(Key::E, Modifiers::ALT, None)]);
    assert!(h.get_by_label("Evidence note").is_focused());
    one_frame(&mut h, vec![press(Key::Num1, Modifiers::NONE, Some("1"))]);
    let s = h.state().session().unwrap();
    assert_eq!((s.data.responses[1].answer, s.data.responses[1].evidence.as_str()), (Answer::Level(3), "1"));
}

fn enabled(h: &H, label: &str) -> bool {
    !h.get_by_label(label).accesskit_node().is_disabled()
}

#[test]
fn finalise_shows_the_review_warns_of_unclassified_gaps_and_needs_confirmation() {
    let mut h = assessing(egui::vec2(1024.0, 700.0), Lang::En);
    let n = answers(&h).len();
    for i in 0..n {
        answer(h.state_mut(), i, Answer::Level(1));
    }
    let s = h.state().session().unwrap();
    let gaps: Vec<usize> =
        s.gaps.iter().map(|g| s.data.responses.iter().position(|r| r.indicator == g.code).unwrap()).collect();
    assert!(gaps.len() >= 2, "level 1 everywhere leaves gaps");
    // Every gap classified but one.
    for &i in &gaps[1..] {
        change(h.state_mut(), i, ResponseChange::Need(Some(NeedCategory::B)));
    }
    h.get_by_label("Finalise").click();
    h.run();
    h.get_by_label("Review before signing off");
    let first = h.state().session().unwrap().data.responses[gaps[0]].indicator.clone();
    h.get_by_label_contains("1 gap(s) have no need category");
    h.get_by_label("Head of administration").focus();
    h.get_by_label("Head of administration").type_text("Comptroller of Customs");
    h.run();
    assert!(!enabled(&h, "Finalise this revision"), "the warnings must be read first");
    click(&mut h, "I have read these warnings and sign off as it is");
    assert!(enabled(&h, "Finalise this revision"));
    click(&mut h, "Finalise this revision");
    h.get_by_label("Sign off this revision?");
    h.get_by_label_contains("Read-only afterwards");
    // The question is modal: the page behind it (here its own tick box) takes no click.
    let behind = visible_rect(&h, &Ctl::Is("I have read these warnings and sign off as it is".into()))
        .expect("the tick box is drawn behind the dialog");
    let id = find(&h, &Ctl::Is("I have read these warnings and sign off as it is".into())).accesskit_node().locate().0;
    let hit = hit_at(&mut h, behind.center());
    assert!(hit.is_none_or(|w| w.accesskit_id() != id), "a click behind the dialog reaches the page");
    assert_eq!(h.state().session().unwrap().data.header.status, Status::Draft, "nothing is signed yet");
    click(&mut h, "Cancel");
    assert!(h.query_by_label("Sign off this revision?").is_none());
    assert_eq!(h.state().session().unwrap().data.header.status, Status::Draft);

    // Accepted warnings that change must be read again.
    answer(h.state_mut(), gaps[1], Answer::Insufficient);
    h.run();
    assert!(!enabled(&h, "Finalise this revision"));
    // The unclassified gap's code opens its indicator, where the need can be set (the first
    // warning lists it; the suggested targets' list names it again).
    reach(&mut h, &Ctl::First(first.clone()), "click");
    h.get_all_by_label(&first).next().unwrap().click();
    h.run();
    assert_eq!(h.state().page, Page::Assess);
    assert_eq!(h.state().pages.assess.current, gaps[0]);
    click(&mut h, "C: needs time and assistance");
    let s = h.state().session().unwrap();
    assert_eq!(s.data.responses[gaps[0]].need, Some(NeedCategory::C), "the need is set on the indicator page");
    h.get_by_label("Finalise").click();
    h.run();
    assert!(h.query_by_label_contains("have no need category").is_none());
    h.get_by_label_contains(&format!("Requests for assistance (C): {first}"));
    click(&mut h, "I have read these warnings and sign off as it is");
    click(&mut h, "Finalise this revision");
    click(&mut h, "Sign off");
    assert_eq!(h.state().session().unwrap().data.header.status, Status::Finalised);

    // Starting a revision asks first.
    click(&mut h, "Start a revision");
    h.get_by_label("Start a new revision?");
    assert_eq!(h.state().session().unwrap().data.header.revision, 1);
    click(&mut h, "Start revision 2");
    let s = h.state().session().unwrap();
    assert_eq!((s.data.header.revision, s.data.header.status), (2, Status::Draft));
}

// ---------------------------------------------------------------------------------------------
// Every page at 1024x700 and 1366x768, in both languages: its key controls are in the window,
// are the topmost widget where they are drawn (nothing covers them) and do not overlap.

/// How a key control is found: by its whole label, by part of it, or the first of several.
#[derive(Debug, Clone)]
enum Ctl {
    Is(String),
    Has(String),
    First(String),
    Last(String),
}

fn find<'a>(h: &'a H, c: &'a Ctl) -> egui_kittest::Node<'a> {
    match c {
        Ctl::Is(l) => h.get_by_label(l),
        Ctl::Has(l) => h.get_all_by_label_contains(l).next().unwrap_or_else(|| panic!("no control with {l:?}")),
        Ctl::First(l) => h.get_all_by_label(l).next().unwrap_or_else(|| panic!("no control {l:?}")),
        Ctl::Last(l) => h.get_all_by_label(l).last().unwrap_or_else(|| panic!("no control {l:?}")),
    }
}

/// The widget egui would click at `pos` (from the last frame's hit test).
fn hit_at(h: &mut H, pos: egui::Pos2) -> Option<egui::Id> {
    h.hover_at(pos);
    h.run();
    h.ctx.viewport(|v| v.hits.click.or(v.hits.drag).map(|w| w.id))
}

/// The part of a control that can be seen and clicked (its rect cut by its scroll area or panel),
/// from egui's own record of the last frame.
fn visible_rect(h: &H, c: &Ctl) -> Option<egui::Rect> {
    let node = find(h, c).accesskit_node().locate().0;
    h.ctx.viewport(|v| {
        v.prev_pass
            .widgets
            .layers()
            .flat_map(|(_, ws)| ws.iter())
            .find(|w| w.id.accesskit_id() == node)
            .map(|w| w.interact_rect)
    })
}

fn check_page(h: &mut H, what: &str, controls: &[Ctl]) {
    let screen = h.ctx.content_rect();
    // Nothing overlaps as the page first shows (the parts that can be seen).
    let shown: Vec<(&Ctl, egui::Rect)> = controls
        .iter()
        .filter_map(|c| Some((c, visible_rect(h, c)?)))
        .filter(|(_, r)| r.is_positive() && screen.contains_rect(*r))
        .collect();
    for (i, (a, ra)) in shown.iter().enumerate() {
        for (b, rb) in &shown[i + 1..] {
            assert!(!ra.shrink(1.0).intersects(rb.shrink(1.0)), "{what}: {a:?} {ra:?} overlaps {b:?} {rb:?}");
        }
    }
    // Each in the window once scrolled to, and the one clicked at its centre.
    for c in controls {
        reach(h, c, what);
        let node = find(h, c);
        let (rect, id) = (node.rect(), node.accesskit_node().locate().0);
        assert!(shows(h, c, screen), "{what}: {c:?} at {rect:?} is cut by the window {screen:?}");
        let hit = hit_at(h, rect.center());
        assert_eq!(hit.map(|i| i.accesskit_id()), Some(id), "{what}: {c:?} at {rect:?} is covered or not clickable");
    }
    h.remove_cursor();
    h.run();
}

/// Wholly in the window, or (a field as wide as its column) cut by at most a sliver.
fn shows(h: &H, c: &Ctl, screen: egui::Rect) -> bool {
    let full = find(h, c).rect();
    let Some(seen) = visible_rect(h, c) else { return false };
    screen.expand(0.5).contains_rect(seen) && seen.area() >= 0.85 * full.area()
}

/// Scrolls as a person would until the control is wholly in the window: the page up or down,
/// a wide table sideways with the wheel over it.
fn reach(h: &mut H, c: &Ctl, what: &str) {
    let screen = h.ctx.content_rect();
    for _ in 0..60 {
        let node = find(h, c);
        let (r, id) = (node.rect(), node.accesskit_node().locate().0);
        if shows(h, c, screen) {
            if hit_at(h, r.center()).map(|i| i.accesskit_id()) == Some(id) {
                return;
            }
            // Under a bar at the edge of its scroll area: scroll it towards the middle.
            if r.center().y > screen.center().y {
                find(h, c).scroll_down();
            } else {
                find(h, c).scroll_up();
            }
        } else if !visible_rect(h, c).is_some_and(|seen| seen.height() >= r.height() - 1.0)
            || r.bottom() > screen.bottom()
            || r.top() < screen.top()
        {
            // Cut above or below: scroll it towards the middle.
            if r.center().y > screen.center().y {
                find(h, c).scroll_down();
            } else {
                find(h, c).scroll_up();
            }
        } else {
            let at = egui::pos2(screen.right() - 60.0, r.center().y);
            let dx = if r.right() > screen.right() { -60.0 } else { 60.0 };
            h.input_mut().events.push(Event::PointerMoved(at));
            h.input_mut().events.push(Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: egui::vec2(dx, 0.0),
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Wheel,
                modifiers: Modifiers::NONE,
            });
            h.step();
        }
        h.run();
    }
    let notice = h.state().snapshot().notice.as_ref().map(|n| n.msg.text(Lang::En));
    panic!("{what}: cannot scroll {c:?} into the window (at {:?}; notice {notice:?})", find(h, c).rect());
}

/// Scrolls to a control, then clicks it with the pointer.
fn click(h: &mut H, label: &str) {
    reach(h, &Ctl::Is(label.into()), "click");
    h.get_by_label(label).click();
    h.run();
}

fn go(h: &mut H, page: Page) {
    h.state_mut().go(page);
    h.run();
    h.run();
}

const SIZES: [(f32, f32, f32); 4] =
    [(1024.0, 700.0, 1.0), (1366.0, 768.0, 1.0), (1366.0, 768.0, 1.25), (1024.0, 700.0, 1.25)];

fn set_scale(h: &mut H, scale: f32) {
    let app = h.state_mut();
    let mut s = app.snapshot().settings.clone();
    s.ui_scale = scale;
    app.send(SettingsCmd::Save(s));
    h.run();
}

#[test]
fn every_page_of_an_administration_fits_small_screens_in_both_languages() {
    for (w, ht, scale) in SIZES {
        for lang in Lang::ALL {
            let what = |page: &str| format!("{page} at {w}x{ht} ×{scale} in {}", lang.code());
            let mut h = assessing(egui::vec2(w, ht), lang);
            set_scale(&mut h, scale);
            let fw = cdf_assess::framework::current();
            let n = answers(&h).len();
            for i in 0..n {
                answer(h.state_mut(), i, Answer::Level(1));
            }
            let t = |k: &str| lang.t(k).to_string();
            let level = |l: u8| lang.f("assess.level_title", &[("n", &l), ("name", &fw.level_name(l, lang))]);
            // Assess (the second indicator: "Previous" is enabled): the answer, the need, moving
            // on, the evidence note.
            h.state_mut().pages.assess.current = 1;
            go(&mut h, Page::Assess);
            check_page(
                &mut h,
                &what("Assess"),
                &[
                    Ctl::Has(level(0)),
                    Ctl::Has(level(4)),
                    Ctl::Is(t("answer.na")),
                    Ctl::Is(t("need.C")),
                    Ctl::Is(t("assess.evidence_note")),
                    Ctl::Is(t("assess.previous")),
                    Ctl::Is(t("assess.next")),
                ],
            );
            go(&mut h, Page::Results);
            check_page(
                &mut h,
                &what("Results"),
                &[
                    Ctl::Is(t("results.save_csv")),
                    Ctl::Is(t("results.save_pdf")),
                    Ctl::First("A".into()),
                    Ctl::First("C".into()),
                ],
            );
            // The development plan (issue 23): the form beside the ranked gaps.
            go(&mut h, Page::Plan);
            check_page(
                &mut h,
                &what("Plan"),
                &[
                    Ctl::Is(t("plan.label.what")),
                    Ctl::Is(t("plan.label.owner")),
                    Ctl::Is(t("plan.label.request")),
                    Ctl::Is(t("plan.label.progress")),
                    Ctl::Is(t("plan.add")),
                ],
            );
            go(&mut h, Page::Profile);
            check_page(&mut h, &what("Profile"), &[Ctl::Is(t("profile.hs_version")), Ctl::Is(t("profile.pca"))]);
            go(&mut h, Page::Finalise);
            h.state_mut().pages.finalise.approver = "Comptroller".into();
            check_page(
                &mut h,
                &what("Finalise"),
                &[Ctl::Is(t("finalise.approver")), Ctl::Is(t("signoff.acknowledge"))],
            );
            click(&mut h, &t("signoff.acknowledge"));
            check_page(&mut h, &what("Finalise"), &[Ctl::Is(t("finalise.button"))]);
            go(&mut h, Page::Settings);
            check_page(
                &mut h,
                &what("Settings"),
                &[
                    // The slider (after its label, which has the same name).
                    Ctl::Last(t("settings.scale")),
                    Ctl::Is(t("settings.secretariat_email")),
                    Ctl::Is(t("settings.secretariat_key")),
                    Ctl::Is(t("settings.backup_now")),
                    Ctl::Is(t("settings.restore")),
                ],
            );
            go(&mut h, Page::Home);
            let open = lang.f("home.open", &[("cycle", &2026), ("revision", &1)]);
            check_page(
                &mut h,
                &what("Assessments"),
                &[Ctl::Is(t("home.new")), Ctl::Is(open), Ctl::Is(t("home.delete"))],
            );
            // The navigation, always.
            check_page(&mut h, &what("navigation"), &[Ctl::First(t("nav.home")), Ctl::First(t("nav.settings"))]);
        }
    }
}

#[cfg(feature = "demo")]
#[test]
fn every_page_of_the_secretariat_fits_small_screens_in_both_languages() {
    let mut store = Store::open_in_memory().unwrap();
    for f in cdf_assess::demo::generate(5, 2026, 2, 1) {
        cdf_assess::secretariat::import::import_bytes(&mut store, &f.file_name, &f.bytes, &[]).unwrap();
    }
    let mut app = app_over(Ok(store));
    setup(&mut app, Role::Secretariat, None);
    let mut h = harness(app);
    h.run();
    for (w, ht, scale) in SIZES {
        for lang in Lang::ALL {
            h.set_size(egui::vec2(w, ht));
            set_lang(h.state_mut(), lang);
            set_scale(&mut h, scale);
            let what = |page: &str| format!("{page} at {w}x{ht} ×{scale} in {}", lang.code());
            let t = |k: &str| lang.t(k).to_string();
            go(&mut h, Page::Dashboard);
            check_page(
                &mut h,
                &what("Dashboard"),
                &[
                    Ctl::Is(t("sec.cycle")),
                    Ctl::Is(t("reports.pdf")),
                    Ctl::Is(t("reports.csv")),
                    Ctl::Is(t("reports.xlsx")),
                ],
            );
            go(&mut h, Page::Register);
            check_page(&mut h, &what("Register"), &[Ctl::Is(t("sec.cycle")), Ctl::First(t("register.open"))]);
            go(&mut h, Page::Monitoring);
            check_page(&mut h, &what("Monitoring"), &[Ctl::Is(t("sec.cycle"))]);
            go(&mut h, Page::Import);
            check_page(
                &mut h,
                &what("Import"),
                &[
                    Ctl::Is(t("import.pick_files")),
                    Ctl::Is(t("import.pick_folder")),
                    Ctl::Is(t("import.folder_button")),
                ],
            );
            // The last member opened is not shown over the regional pages.
            h.state_mut().send(SecCmd::OpenMember("FJ".into()));
            h.run();
            assert_eq!(h.state().page, Page::Results);
            let fiji = cdf_assess::framework::member("FJ").unwrap().name.get(lang).to_string();
            assert!(h.query_all_by_label_contains(&fiji).count() > 0, "the member's results name it");
            go(&mut h, Page::Dashboard);
            let top = lang.f("top.assessment", &[("member", &fiji), ("cycle", &2026), ("revision", &1)]);
            assert!(h.query_by_label(&top).is_none(), "{}: the top bar still shows {top}", what("Dashboard"));
        }
    }
}

#[test]
fn a_notice_moves_nothing_and_goes_when_another_page_is_shown() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_over(Store::open(&dir.path().join("n.sqlite3")));
    setup(&mut app, Role::Administration, Some("FJ"));
    let mut h = harness(app);
    h.set_size(egui::vec2(1024.0, 700.0));
    h.run();
    go(&mut h, Page::Settings);
    reach(&mut h, &Ctl::Is("Back up now".into()), "Settings");
    let heading = h.get_all_by_label("Settings").last().unwrap().rect();
    let button = h.get_by_label("Back up now").rect();
    click(&mut h, "Back up now");
    let text = h.state().snapshot().notice.as_ref().expect("the backup is reported").msg.text(Lang::En);
    h.get_by_label(&text);
    h.get_by_label("Dismiss");
    assert_eq!(h.get_all_by_label("Settings").last().unwrap().rect(), heading, "the notice pushed the page down");
    assert_eq!(h.get_by_label("Back up now").rect(), button);
    // Another page: the notice was about this one.
    h.get_all_by_label("Assessments").next().unwrap().click();
    h.run();
    assert_eq!(h.state().page, Page::Home);
    assert!(h.state().snapshot().notice.is_none());
    assert!(h.query_by_label(&text).is_none());
}

#[test]
fn tab_reaches_the_evidence_note_without_walking_the_indicator_list() {
    let mut h = assessing(egui::vec2(1366.0, 768.0), Lang::En);
    let indicators = cdf_assess::framework::current().indicators.len();
    let mut tabs = 0;
    while !h.get_by_label("Evidence note").is_focused() {
        assert!(tabs < indicators, "{tabs} Tab presses and still not in the evidence note");
        one_frame(&mut h, vec![press(Key::Tab, Modifiers::NONE, None)]);
        tabs += 1;
    }
    // The list rows are not on the way (there are as many as indicators); the answer is. (The
    // first stop is "Skip to content", which goes past the bars in one Enter.)
    assert!(tabs <= 31, "{tabs} Tab presses to the evidence note");
    // Typing there is text; a level key is not a level.
    one_frame(&mut h, vec![press(Key::Num4, Modifiers::NONE, Some("4"))]);
    let s = h.state().session().unwrap();
    assert_eq!((s.data.responses[0].answer, s.data.responses[0].evidence.as_str()), (Answer::Unanswered, "4"));
}

#[test]
fn a_pdf_table_header_word_is_never_broken_in_two() {
    use cdf_assess::report::doc::{Block, Doc};
    // "Priority" in a column far too narrow for it, beside a wide one that can spare the room.
    let doc = Doc {
        title: "Gaps".into(),
        subtitle: String::new(),
        footer: String::new(),
        page_label: "Page {n}".into(),
        blocks: vec![Block::Table {
            headers: vec!["Code".into(), "Indicator".into(), "Priority".into(), "Intervention".into()],
            widths: vec![2.0, 30.0, 1.0, 1.0],
            rows: vec![vec!["WF-01".into(), "Workforce strategy".into(), "12".into(), "Training".into()]],
        }],
    };
    let text = crate::pdf::pdf_text(&cdf_assess::report::pdf::render(&doc).unwrap());
    for word in ["Priority", "Intervention"] {
        assert!(text.contains(word), "{word} is broken in the header: {text}");
    }
}

// ---------------------------------------------------------------------------------------------
// Issue 25: the officer's keyboard and targets.

/// A key as a keyboard layout sends it: `key` the character's key (what the layout types),
/// `place` the key's place on the keyboard, and the character typed.
fn press_at(key: Key, place: Key, modifiers: Modifiers, text: &str) -> Vec<Event> {
    let down = Event::Key { key, pressed: true, modifiers, repeat: false, physical_key: Some(place) };
    let up = Event::Key { key, pressed: false, modifiers, repeat: false, physical_key: Some(place) };
    vec![down, Event::Text(text.into()), up]
}

#[test]
fn an_azerty_digit_row_chooses_every_level_shifted_or_not() {
    let mut h = assessing(egui::vec2(1024.0, 700.0), Lang::Fr);
    // AZERTY, unshifted: the digit row types à & é " ' (egui reads " and ' as Quote, and à & é as
    // no key of their own, so their place is the key), with Shift the digits.
    let unshifted = [
        (Key::Num0, Key::Num0, "à"),
        (Key::Num1, Key::Num1, "&"),
        (Key::Num2, Key::Num2, "é"),
        (Key::Quote, Key::Num3, "\""),
        (Key::Quote, Key::Num4, "'"),
    ];
    for (i, (key, place, text)) in unshifted.iter().enumerate() {
        one_frame(&mut h, vec![press_at(*key, *place, Modifiers::NONE, text)]);
        assert_eq!(answers(&h)[i], Answer::Level(i as u8), "unshifted key at digit {i}");
        one_frame(&mut h, vec![press(Key::ArrowRight, Modifiers::ALT, None)]);
    }
    for l in 0..=4u8 {
        let digit = [Key::Num0, Key::Num1, Key::Num2, Key::Num3, Key::Num4][l as usize];
        one_frame(&mut h, vec![press_at(digit, digit, Modifiers::SHIFT, &l.to_string())]);
        assert_eq!(answers(&h)[5 + l as usize], Answer::Level(l), "Shift+digit {l}");
        one_frame(&mut h, vec![press(Key::ArrowRight, Modifiers::ALT, None)]);
    }
    // N and I: not applicable and insufficient information.
    one_frame(&mut h, vec![press(Key::N, Modifiers::NONE, Some("n"))]);
    assert_eq!(answers(&h)[10], Answer::NotApplicable);
    one_frame(&mut h, vec![press(Key::I, Modifiers::NONE, Some("i"))]);
    assert_eq!(answers(&h)[10], Answer::Insufficient);
}

#[test]
fn alt_e_brings_the_evidence_note_into_view() {
    let mut h = assessing(egui::vec2(1024.0, 700.0), Lang::Fr);
    let screen = h.ctx.content_rect();
    let field = Ctl::Is("Note sur les preuves".into());
    assert!(
        visible_rect(&h, &field).is_none_or(|r| !screen.contains_rect(r)),
        "the note starts below the fold at 1024x700 (else this test proves nothing)"
    );
    one_frame(&mut h, vec![press(Key::E, Modifiers::ALT, None)]);
    let r = visible_rect(&h, &field).expect("drawn");
    assert!(screen.contains_rect(r), "the focused note is in view: {r:?} in {screen:?}");
    assert!(h.ctx.memory(|m| m.has_focus(cdf_assess::ui::pages::assess::evidence_id())));
}

/// The ids of the widgets Tab reaches from the first level, one press at a time.
fn tab_stops(h: &mut H, n: usize) -> Vec<egui::Id> {
    h.get_by_label_contains("Niveau 0").focus();
    h.run();
    let mut out = Vec::new();
    for _ in 0..n {
        one_frame(h, vec![press(Key::Tab, Modifiers::NONE, None)]);
        out.extend(h.ctx.memory(|m| m.focused()));
    }
    out
}

#[test]
fn the_tab_order_stays_when_a_gap_appears() {
    let mut h = assessing(egui::vec2(1024.0, 700.0), Lang::Fr);
    answer(h.state_mut(), 0, Answer::Level(4));
    h.run();
    assert!(h.state().session().unwrap().gaps.is_empty(), "no gap at level 4");
    let before = tab_stops(&mut h, 16);
    answer(h.state_mut(), 0, Answer::Level(0));
    h.run();
    assert_eq!(h.state().session().unwrap().gaps.len(), 1, "a gap now");
    let after = tab_stops(&mut h, 16);
    assert_eq!(before, after, "the stops the hand goes through are the same");
}

#[test]
fn the_target_is_beside_the_level_suggested_until_chosen_and_sign_off_lists_it() {
    let mut h = assessing(egui::vec2(1024.0, 700.0), Lang::Fr);
    let screen = h.ctx.content_rect();
    let suggested = Ctl::Is("Cible suggérée".into());
    let r = visible_rect(&h, &suggested).expect("the suggested target is drawn");
    assert!(screen.contains_rect(r), "beside the level, in view without scrolling: {r:?}");
    h.get_by_label_contains("suggérée par le cadre");
    // The review lists warnings once every indicator is answered.
    let n = answers(&h).len();
    for i in 0..n {
        answer(h.state_mut(), i, Answer::Level(1));
    }
    h.run();
    go(&mut h, Page::Finalise);
    h.get_by_label_contains(&format!("{n} cible(s) encore suggérée(s)"));
    // Confirm the first one's suggestion; choose another target for the second.
    h.state_mut().pages.assess.current = 0;
    go(&mut h, Page::Assess);
    click(&mut h, "Cible suggérée");
    let s = h.state().session().unwrap();
    let first = s.data.responses[0].clone();
    assert!(first.target_confirmed, "the suggestion, confirmed");
    h.get_by_label_contains("choisie par vous");
    one_frame(&mut h, vec![press(Key::ArrowRight, Modifiers::ALT, None)]);
    reach(&mut h, &Ctl::Last("Choisir comme cible".into()), "click");
    h.get_all_by_label("Choisir comme cible").last().unwrap().click();
    h.run();
    let second = h.state().session().unwrap().data.responses[1].clone();
    assert!(second.target_confirmed);
    assert_eq!(second.target, 4, "the last level's chip");
    go(&mut h, Page::Finalise);
    h.get_by_label_contains(&format!("{} cible(s) encore suggérée(s)", n - 2));
}

/// The list of assessments at 1024x700 in French: every column, "Dernière modification" the
/// last, in view without scrolling sideways (issue 25: it was cut).
#[test]
fn the_assessments_list_shows_every_column_at_1024_in_french() {
    let mut h = assessing(egui::vec2(1024.0, 700.0), Lang::Fr);
    go(&mut h, Page::Home);
    let screen = h.ctx.content_rect();
    for key in ["col.member", "col.actions", "col.status", "col.progress", "col.updated"] {
        let c = Ctl::Is(Lang::Fr.t(key).to_string());
        let seen = visible_rect(&h, &c);
        assert!(shows(&h, &c, screen), "{key}: {:?} seen {seen:?} in {screen:?}", find(&h, &c).rect());
    }
}

/// Enter in a one-line field, or Escape on a control of a list, keeps the focus where it was,
/// so the next Tab goes on from there, not from the top bar (issue 25).
#[test]
fn enter_in_a_field_and_escape_in_a_list_keep_the_focus_where_the_hand_is() {
    let mut h = assessing(egui::vec2(1024.0, 700.0), Lang::En);
    go(&mut h, Page::Plan);
    let owner = Lang::En.t("plan.label.owner").to_string();
    h.get_by_label(&owner).focus();
    h.run();
    let field = h.ctx.memory(|m| m.focused());
    assert!(field.is_some());
    one_frame(&mut h, vec![press(Key::Enter, Modifiers::NONE, None)]);
    h.run();
    assert_eq!(h.ctx.memory(|m| m.focused()), field, "Enter kept the focus in the field");
    // A button of the top bar's navigation, then Escape.
    go(&mut h, Page::Assess);
    let results = Lang::En.t("nav.results").to_string();
    h.get_by_label(&results).focus();
    h.run();
    let button = h.ctx.memory(|m| m.focused());
    assert!(button.is_some());
    one_frame(&mut h, vec![press(Key::Escape, Modifiers::NONE, None)]);
    h.run();
    assert_eq!(h.ctx.memory(|m| m.focused()), button, "Escape kept the focus on the button");
}

/// "Skip to content", the first Tab stop, takes the focus past the top bar and the navigation to
/// the page (issue 25).
#[test]
fn skip_to_content_takes_the_focus_past_the_navigation_to_the_page() {
    let mut h = assessing(egui::vec2(1024.0, 700.0), Lang::Fr);
    go(&mut h, Page::Home);
    h.get_by_label("Aller au contenu").focus();
    h.run();
    one_frame(&mut h, vec![press(Key::Enter, Modifiers::NONE, None)]);
    h.run();
    let focused = h.ctx.memory(|m| m.focused()).expect("a control has the focus");
    let rect = h
        .ctx
        .viewport(|v| {
            v.prev_pass.widgets.layers().flat_map(|(_, ws)| ws.iter()).find(|w| w.id == focused).map(|w| w.rect)
        })
        .expect("the focused control is drawn");
    let nav = h.get_by_label("Paramètres").rect();
    let top = h.get_by_label("Aller au contenu").rect();
    assert!(rect.left() > nav.right() && rect.top() > top.bottom(), "focus at {rect:?}: not in the page");
}
