//! Loud stops in the window (issue 20): a card that changes the Secretariat's key held, and a pin
//! that replaces a member's key, wait for a person to choose Replace or Keep, both keys named.

use crate::ui::{fiji, fresh, setup};
use cdf_assess::app::{FeedbackCmd, Role};
use cdf_assess::exchange::card::Card;
use cdf_assess::store::Store;
use cdf_assess::ui::Page;
use egui_kittest::kittest::Queryable;

/// A Secretariat's card (its own new signing key) and the key's fingerprint.
fn a_card() -> (String, String) {
    let store = Store::open_in_memory().unwrap();
    let key = cdf_assess::app::ops::signing_key(&store).unwrap();
    let card = Card { signing_key: key.public().clone(), age_recipient: String::new(), email: "sec@oco.org".into() };
    (card.to_text(), card.signing_key.fingerprint())
}

/// Clicks a control by its label once it is scrolled into view (as a person scrolls to it).
fn click(h: &mut egui_kittest::Harness<'static, cdf_assess::ui::CdfApp>, label: &str) {
    h.get_by_label(label).scroll_to_me();
    h.run();
    h.get_by_label(label).click();
    h.run();
}

fn signer_held(h: &egui_kittest::Harness<'static, cdf_assess::ui::CdfApp>) -> String {
    h.state().snapshot().settings.secretariat_signer.clone()
}

#[test]
fn a_card_with_another_key_waits_for_replace_or_keep_in_the_window() {
    let ((real, real_fp), (other, other_fp)) = (a_card(), a_card());
    let mut h = fiji();
    h.state_mut().send(FeedbackCmd::ImportCardText(real));
    let held = signer_held(&h);
    assert!(!held.is_empty(), "the first card is taken without a question");
    h.state_mut().go(Page::Settings);
    h.run();
    for keep in [true, false] {
        h.get_by_label("Paste the card's text").scroll_to_me();
        h.run();
        h.get_by_label("Paste the card's text").focus();
        h.get_by_label("Paste the card's text").type_text(&other);
        h.run();
        click(&mut h, "Use this card");
        // Both fingerprints are named, and nothing changed yet.
        let both = format!("another signing key ({other_fp}) than the Secretariat's card held ({real_fp})");
        assert_eq!(h.get_all_by_label_contains(&both).count(), 1, "both fingerprints named beside the buttons");
        assert_eq!(signer_held(&h), held, "not replaced without a person's word");
        if keep {
            click(&mut h, "Keep the card held");
            assert!(h.query_by_label("Replace the card held with this one").is_none(), "the question is gone");
            assert_eq!(signer_held(&h), held, "kept");
        } else {
            click(&mut h, "Replace the card held with this one");
            assert_ne!(signer_held(&h), held, "replaced once confirmed");
            assert!(h.state().snapshot().card_change.is_none());
        }
    }
}

#[test]
fn a_pin_over_another_key_waits_for_replace_or_keep_in_the_window() {
    let key = |s: &Store| cdf_assess::app::ops::signing_key(s).unwrap().public().to_base64();
    let (first, second) = (key(&Store::open_in_memory().unwrap()), key(&Store::open_in_memory().unwrap()));
    let mut h = fresh();
    setup(h.state_mut(), Role::Secretariat, None);
    h.run();
    let pin = |h: &mut egui_kittest::Harness<'static, cdf_assess::ui::CdfApp>, key: &str, replace| {
        h.state_mut().send(cdf_assess::app::KeysCmd::Pin { member: "FJ".into(), key: key.into(), replace });
        h.run();
    };
    pin(&mut h, &first, false);
    let active = |h: &egui_kittest::Harness<'static, cdf_assess::ui::CdfApp>| {
        h.state().snapshot().member_keys.iter().filter(|k| k.active && k.member == "FJ").count()
    };
    assert_eq!(active(&h), 1);
    let fp_first = h.state().snapshot().member_keys[0].fingerprint.clone();
    pin(&mut h, &second, false);
    h.state_mut().go(Page::Settings);
    h.run();
    assert!(h.state().snapshot().pin_conflict.is_some(), "the second key waits");
    let still: Vec<_> =
        h.state().snapshot().member_keys.iter().filter(|k| k.active).map(|k| k.fingerprint.clone()).collect();
    assert_eq!(still, vec![fp_first.clone()], "the pinned key is unchanged");
    click(&mut h, "Replace: pin this key");
    let now: Vec<_> =
        h.state().snapshot().member_keys.iter().filter(|k| k.active).map(|k| k.fingerprint.clone()).collect();
    assert_eq!(now.len(), 1);
    assert_ne!(now[0], fp_first, "replaced once confirmed");
    assert!(h.state().snapshot().pin_conflict.is_none());
}
