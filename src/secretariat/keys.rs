//! Members' signing keys at the Secretariat: pinning one by hand (a key the member read out or
//! sent another way) and listing what is pinned. Pinning on first use happens at import.
//!
//! A key belongs to one member: a key pinned for one member that arrives for another is a
//! conflict a person settles (`secretariat::import`), [`list`] flags a key pinned for two
//! members, and [`pin`] does not replace a pinned key, or give one member another's key,
//! unless asked to (`replace`).

use crate::exchange::sign::PublicKey;
use crate::framework;
use crate::lang::Lang;
use crate::secretariat::import::clean;
use crate::store::{MemberKey, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum PinError {
    #[error("{0} is not an OCO member")]
    UnknownMember(String),
    #[error("not a minisign public key")]
    BadKey,
    /// The member has another key pinned: replacing it needs `replace`.
    #[error("{member} already has key {pinned} pinned; replacing it with {new} needs --replace")]
    AlreadyPinned { member: String, pinned: String, new: String },
    /// The key is pinned for other members: giving it to this one too needs `replace`.
    #[error("key {fingerprint} is pinned for {}; pinning it for {member} too needs --replace", others.join(", "))]
    SharedKey { member: String, others: Vec<String>, fingerprint: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl PinError {
    /// The reason in the user's language (a store error in its own words).
    pub fn message(&self, t: Lang) -> String {
        match self {
            PinError::UnknownMember(m) => t.f("keys.pin_unknown_member", &[("member", &clean(m))]),
            PinError::BadKey => t.t("keys.bad_key").to_string(),
            PinError::AlreadyPinned { member, pinned, new } => t.f(
                "keys.pin_already_pinned",
                &[("member", &clean(member)), ("pinned", &clean(pinned)), ("new", &clean(new))],
            ),
            PinError::SharedKey { member, others, fingerprint } => t.f(
                "keys.pin_shared",
                &[
                    ("member", &clean(member)),
                    ("others", &clean(&others.join(", "))),
                    ("fingerprint", &clean(fingerprint)),
                ],
            ),
            PinError::Store(e) => e.message(t),
        }
    }
}

/// Pins `public_key_text` (the `RW...` line, or a `.pub` file's text) as `member`'s key, by hand;
/// the key before stays in the history. Returns its fingerprint. Over another key already pinned
/// for the member, or with a key pinned for another member, it refuses unless `replace`.
pub fn pin(store: &mut Store, member: &str, public_key_text: &str, replace: bool) -> Result<String, PinError> {
    if framework::member(member).is_none() {
        return Err(PinError::UnknownMember(clean(member)));
    }
    let pk = PublicKey::parse(public_key_text).map_err(|_| PinError::BadKey)?;
    let (text, fp) = (pk.to_base64(), pk.fingerprint());
    if !replace {
        if let Some(k) = store.member_key(member)?
            && k.public_key != text
        {
            return Err(PinError::AlreadyPinned { member: member.to_string(), pinned: k.fingerprint, new: fp });
        }
        let others = store.members_with_key(&text, member)?;
        if !others.is_empty() {
            return Err(PinError::SharedKey { member: member.to_string(), others, fingerprint: fp });
        }
    }
    store.pin_member_key(member, &text, &fp)?;
    Ok(fp)
}

/// Every key pinned, active and history, by member; each with the other members whose active
/// key is the same key ([`MemberKey::shared_with`]: one key for two members is flagged).
pub fn list(store: &Store) -> Result<Vec<MemberKey>, StoreError> {
    let mut keys = store.member_keys()?;
    let active: Vec<(String, String)> =
        keys.iter().filter(|k| k.active).map(|k| (k.member.clone(), k.public_key.clone())).collect();
    for k in &mut keys {
        k.shared_with =
            active.iter().filter(|(m, pk)| *m != k.member && *pk == k.public_key).map(|(m, _)| m.clone()).collect();
        k.shared_with.sort();
        k.shared_with.dedup();
    }
    Ok(keys)
}
