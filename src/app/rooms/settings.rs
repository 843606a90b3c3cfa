//! Settings and first-run setup.

use super::super::command::{Event, KeysCmd, ReviewCmd, SecCmd, SettingsCmd};
use super::super::ctx::Ctx;
use super::super::model::{Role, Settings, ThemeChoice};
use crate::lang::Lang;
use crate::store::Store;

pub fn handle(ctx: &mut Ctx, cmd: SettingsCmd) {
    match cmd {
        SettingsCmd::Save(s) => save(ctx, s),
        SettingsCmd::FinishSetup(s) => {
            if s.setup_done() {
                save(ctx, s);
                ctx.then(KeysCmd::Announce);
                ctx.send(Event::SetupDone);
                if ctx.settings.role == Some(Role::Secretariat) {
                    ctx.then(SecCmd::Refresh);
                }
            }
        }
    }
}

/// Saves the settings that changed (one small write each); a failure is reported and the
/// choice stays on screen.
pub fn save(ctx: &mut Ctx, s: Settings) {
    let old = ctx.settings.pairs();
    for ((k, v), (_, was)) in s.pairs().iter().zip(old.iter()) {
        if v != was
            && let Err(e) = ctx.store.set_setting(k, v)
        {
            ctx.error(e);
            break;
        }
    }
    ctx.settings = s;
    ctx.send(Event::Settings(ctx.settings.clone()));
}

/// Reads the settings again (the database was replaced, or a card changed them), and has every
/// page start again from them.
pub fn reload(ctx: &mut Ctx) {
    ctx.settings = load(&ctx.store);
    ctx.send(Event::Settings(ctx.settings.clone()));
    ctx.then(ReviewCmd::SendState);
}

/// The settings as stored (defaults for what is missing or not valid).
pub fn load(store: &Store) -> Settings {
    let mut s = Settings::default();
    let get = |k: &str| store.setting(k).ok().flatten();
    if let Some(l) = get("lang").and_then(|v| Lang::from_code(&v)) {
        s.lang = l;
    }
    s.role = get("role").and_then(|v| Role::from_code(&v));
    s.member = get("member").filter(|m| crate::framework::member(m).is_some());
    s.theme = if get("theme").as_deref() == Some("dark") { ThemeChoice::Dark } else { ThemeChoice::Light };
    s.ui_scale = get("ui_scale").and_then(|v| v.parse().ok()).filter(|s| (0.75..=2.0).contains(s)).unwrap_or(1.0);
    s.secretariat_email = get("secretariat_email").unwrap_or_default();
    s.secretariat_key = get("secretariat_key").unwrap_or_default();
    s.secretariat_signer = get("secretariat_signer").unwrap_or_default();
    s
}
