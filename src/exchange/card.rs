//! The Secretariat's public card: the three things a member needs from the Secretariat, in one
//! small text the Secretariat hands out once (a file `oco-secretariat.ococard`, or the same lines
//! pasted into an e-mail):
//!
//! ```text
//! # OCO Secretariat: public card for cdf-assess
//! format: oco-cdf-card 1
//! signing-key: RW...        (minisign public key: checks feedback files)
//! age-recipient: age1...    (returns are encrypted to it; `none` if the Secretariat has none)
//! email: cdf@oco.example    (where returns are sent; `none` if not given)
//! ```
//!
//! The card is not signed: it is what a member trusts, so its fingerprint is read out on the
//! phone like any key. It is read strictly: each of the three fields exactly once (a card that
//! names a field twice, or leaves one out, is refused with its reason), so what a member
//! imports is the card as a whole, never a mix with what was held before.

use super::keys::parse_recipient;
use super::sign::PublicKey;
use crate::lang::Lang;

pub const EXTENSION: &str = "ococard";
pub const FILE_NAME: &str = "oco-secretariat.ococard";
const HEADER: &str = "format: oco-cdf-card 1";
/// The value of an optional field the Secretariat does not give.
const NONE: &str = "none";
/// The fields of a card, each required once.
pub const FIELDS: [&str; 3] = ["signing-key", "age-recipient", "email"];
/// Larger texts are not cards.
pub const MAX_BYTES: usize = 4096;

#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub signing_key: PublicKey,
    /// `age1...`, or empty.
    pub age_recipient: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    #[error("this is not a Secretariat card")]
    NotACard,
    #[error("the card's signing key is not a valid minisign public key")]
    BadSigningKey,
    #[error("the card's encryption key is not a valid age public key")]
    BadRecipient,
    #[error("the card's e-mail address is not valid")]
    BadEmail,
}

/// Why a card was refused, precisely: the error (by field) and what is wrong with the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardRefusal {
    pub error: CardError,
    pub fault: Fault,
}

/// What is wrong with a card's field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Its value is not valid (or the text is not a card at all).
    Invalid,
    /// The field is there twice: which one the Secretariat meant cannot be told.
    Twice(&'static str),
    /// The field is missing.
    Missing(&'static str),
}

impl CardRefusal {
    fn invalid(error: CardError) -> CardRefusal {
        CardRefusal { error, fault: Fault::Invalid }
    }

    /// The reason in the user's language.
    pub fn message(&self, t: Lang) -> String {
        match self.fault {
            Fault::Invalid => t.t(&format!("card.error.{}", self.error.code())).to_string(),
            Fault::Twice(field) => t.f("card.error.field_twice", &[("field", &field)]),
            Fault::Missing(field) => t.f("card.error.field_missing", &[("field", &field)]),
        }
    }
}

impl CardError {
    pub fn code(&self) -> &'static str {
        match self {
            CardError::NotACard => "not_a_card",
            CardError::BadSigningKey => "bad_signing_key",
            CardError::BadRecipient => "bad_recipient",
            CardError::BadEmail => "bad_email",
        }
    }
}

impl Card {
    pub fn to_text(&self) -> String {
        let fp = self.signing_key.fingerprint();
        let mut s = format!(
            "# OCO Secretariat: public card for cdf-assess (fingerprint {fp})\n\
             # Secrétariat de l'OCO : carte publique pour cdf-assess (empreinte {fp})\n{HEADER}\nsigning-key: {}\n",
            self.signing_key.to_base64()
        );
        let or_none = |v: &str| if v.is_empty() { NONE.to_string() } else { v.to_string() };
        s.push_str(&format!("age-recipient: {}\n", or_none(&self.age_recipient)));
        s.push_str(&format!("email: {}\n", or_none(&self.email)));
        s
    }

    /// Reads a card (a file or pasted text; other lines, e.g. of an e-mail, are ignored).
    pub fn parse(text: &str) -> Result<Card, CardError> {
        Self::parse_strictly(text).map_err(|r| r.error)
    }

    /// [`Card::parse`] with the precise reason: each field must be there exactly once
    /// (`age-recipient` and `email` may say `none`).
    pub fn parse_strictly(text: &str) -> Result<Card, CardRefusal> {
        if text.len() > MAX_BYTES {
            return Err(CardRefusal::invalid(CardError::NotACard));
        }
        let mut header = false;
        let mut values: [Option<&str>; 3] = [None; 3];
        let errors = [CardError::BadSigningKey, CardError::BadRecipient, CardError::BadEmail];
        for line in text.lines().map(str::trim) {
            if line == HEADER {
                header = true;
                continue;
            }
            for (i, field) in FIELDS.iter().enumerate() {
                if let Some(v) = line.strip_prefix(field).and_then(|rest| rest.strip_prefix(':')) {
                    if values[i].is_some() {
                        return Err(CardRefusal { error: errors[i].clone(), fault: Fault::Twice(field) });
                    }
                    values[i] = Some(v.trim());
                }
            }
        }
        if !header {
            return Err(CardRefusal::invalid(CardError::NotACard));
        }
        for (i, field) in FIELDS.iter().enumerate() {
            if values[i].is_none() {
                return Err(CardRefusal { error: errors[i].clone(), fault: Fault::Missing(field) });
            }
        }
        let [key, recipient, email] = values.map(Option::unwrap_or_default);
        let signing_key = PublicKey::parse(key).map_err(|_| CardRefusal::invalid(CardError::BadSigningKey))?;
        let age_recipient = match recipient {
            NONE => String::new(),
            r => parse_recipient(r).map_err(|_| CardRefusal::invalid(CardError::BadRecipient))?,
        };
        let email = match email {
            NONE => String::new(),
            e => {
                let ok = e.len() <= 254
                    && e.split_once('@').is_some_and(|(a, b)| !a.is_empty() && b.contains('.'))
                    && !e.chars().any(|c| c.is_whitespace() || c.is_control() || "<>\"',;".contains(c));
                if !ok {
                    return Err(CardRefusal::invalid(CardError::BadEmail));
                }
                e.to_string()
            }
        };
        Ok(Card { signing_key, age_recipient, email })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_reads_back_and_bad_ones_are_named() {
        let k = crate::exchange::sign::SigningKey::from_seed([3; 32], *b"card-tst");
        let (_, age) = crate::exchange::keys::generate();
        let card = Card { signing_key: k.public().clone(), age_recipient: age, email: "cdf@oco.example".into() };
        let text = card.to_text();
        assert_eq!(Card::parse(&format!("Dear member,\n\n{text}\nRegards")).unwrap(), card);
        assert_eq!(Card::parse("hello"), Err(CardError::NotACard));
        assert_eq!(Card::parse(&text.replace("signing-key: RW", "signing-key: XX")), Err(CardError::BadSigningKey));
        assert_eq!(
            Card::parse(&text.replace("age-recipient: age1", "age-recipient: agX1")),
            Err(CardError::BadRecipient)
        );
        assert_eq!(Card::parse(&text.replace("cdf@oco.example", "not an address")), Err(CardError::BadEmail));
        // Strictly: a field twice, or a field missing, refuses the card, naming the field.
        let other = crate::exchange::sign::SigningKey::from_seed([4; 32], *b"card-tst");
        let twice = format!("{text}signing-key: {}\n", other.public().to_base64());
        let r = Card::parse_strictly(&twice).unwrap_err();
        assert_eq!((r.error, r.fault), (CardError::BadSigningKey, Fault::Twice("signing-key")));
        for field in ["age-recipient", "email"] {
            let without: String = text.lines().filter(|l| !l.starts_with(field)).map(|l| format!("{l}\n")).collect();
            assert_eq!(Card::parse_strictly(&without).unwrap_err().fault, Fault::Missing(field));
            assert!(Card::parse_strictly(&without).unwrap_err().message(Lang::Fr).contains(field));
        }
        // A Secretariat without an encryption key or an address says so: `none`.
        let bare = Card { signing_key: k.public().clone(), age_recipient: String::new(), email: String::new() };
        assert!(bare.to_text().contains("age-recipient: none\nemail: none\n"));
        assert_eq!(Card::parse(&bare.to_text()).unwrap(), bare);
    }
}
