//! This installation's keys (its signing key; the Secretariat's encryption key pair) and the
//! members' signing keys the Secretariat trusts.

use super::super::command::{Event, KeysCmd, PendingPin};
use super::super::ctx::Ctx;
use super::super::model::{Cause, Msg, Notice};
use std::sync::Arc;

pub fn handle(ctx: &mut Ctx, cmd: KeysCmd) {
    match cmd {
        KeysCmd::GenerateKeypair => generate_keypair(ctx),
        KeysCmd::Pin { member, key, replace } => {
            use crate::secretariat::keys::PinError;
            ctx.send(Event::PinConflict(None));
            match crate::secretariat::keys::pin(&mut ctx.store, &member, &key, replace) {
                Ok(fingerprint) => {
                    ctx.info(Msg::with("keys.pinned", &[("member", &member), ("fingerprint", &fingerprint)]))
                }
                Err(PinError::Store(e)) => ctx.error(e),
                // A loud stop, never a silent replace: the page asks, naming both.
                Err(e @ (PinError::AlreadyPinned { .. } | PinError::SharedKey { .. })) => {
                    // Said beside the Replace and Keep buttons.
                    ctx.send(Event::Notice(None));
                    ctx.send(Event::PinConflict(Some(Arc::new(PendingPin { member, key, why: Msg::said(e) }))));
                }
                Err(_) => ctx.notice(Notice::error(Msg::key("keys.bad_key"))),
            }
            send_member_keys(ctx);
        }
        KeysCmd::KeepPinned => ctx.send(Event::PinConflict(None)),
        KeysCmd::Announce => announce(ctx),
        KeysCmd::SendMemberKeys => send_member_keys(ctx),
    }
}

fn send_member_keys(ctx: &Ctx) {
    match crate::secretariat::keys::list(&ctx.store) {
        Ok(keys) => ctx.send(Event::MemberKeys(Arc::new(keys))),
        Err(e) => ctx.error(e),
    }
}

/// Makes this database's signing key if there is none yet (first-run setup, or an older
/// database) and says what it is. The store keeps it (its key file beside the database, and in
/// the database so that an automatic backup brings it back: `Store::signing_key_text`).
fn announce(ctx: &mut Ctx) {
    if ctx.in_memory() || !ctx.settings.setup_done() {
        return;
    }
    match ctx.signing_key() {
        Ok(k) => {
            let public = k.public();
            ctx.send(Event::SigningKey { fingerprint: public.fingerprint(), public: public.to_base64() });
        }
        Err(e) => ctx.fail("keys.failed", e),
    }
}

fn generate_keypair(ctx: &mut Ctx) {
    let Some(path) = ctx.identity_path() else { return };
    let (text, public) = crate::exchange::keys::generate();
    match crate::exchange::keys::write_identity_file(&path, &text) {
        Ok(()) => {
            ctx.send(Event::OwnKey(public));
            ctx.info(Msg::with("keys.created", &[("path", &path.display())]));
        }
        Err(e) => ctx.fail("keys.failed", Cause::of_key(&e)),
    }
}
