//! The Secretariat's public card: the three things a member needs from the Secretariat, in one
//! small text the Secretariat hands out once (a file `oco-secretariat.ococard`, or the same lines
//! pasted into an e-mail):
//!
//! ```text
//! # OCO Secretariat: public card for cdf-assess
//! format: oco-cdf-card 1
//! signing-key: RW...        (minisign public key: checks feedback files)
//! age-recipient: age1...    (returns are encrypted to it; optional)
//! email: cdf@oco.example    (where returns are sent; optional)
//! ```
//!
//! The card is not signed: it is what a member trusts, so its fingerprint is read out on the
//! phone like any key.

use super::keys::parse_recipient;
use super::sign::PublicKey;

pub const EXTENSION: &str = "ococard";
pub const FILE_NAME: &str = "oco-secretariat.ococard";
const HEADER: &str = "format: oco-cdf-card 1";
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
        let mut s = format!(
            "# OCO Secretariat: public card for cdf-assess (fingerprint {})\n{HEADER}\nsigning-key: {}\n",
            self.signing_key.fingerprint(),
            self.signing_key.to_base64()
        );
        if !self.age_recipient.is_empty() {
            s.push_str(&format!("age-recipient: {}\n", self.age_recipient));
        }
        if !self.email.is_empty() {
            s.push_str(&format!("email: {}\n", self.email));
        }
        s
    }

    /// Reads a card (a file or pasted text; other lines, e.g. of an e-mail, are ignored).
    pub fn parse(text: &str) -> Result<Card, CardError> {
        if text.len() > MAX_BYTES {
            return Err(CardError::NotACard);
        }
        let mut header = false;
        let (mut key, mut recipient, mut email) = (None, String::new(), String::new());
        for line in text.lines().map(str::trim) {
            if line == HEADER {
                header = true;
            } else if let Some(v) = line.strip_prefix("signing-key:") {
                key = Some(PublicKey::parse(v.trim()).map_err(|_| CardError::BadSigningKey)?);
            } else if let Some(v) = line.strip_prefix("age-recipient:") {
                recipient = parse_recipient(v.trim()).map_err(|_| CardError::BadRecipient)?;
            } else if let Some(v) = line.strip_prefix("email:") {
                email = v.trim().to_string();
                let ok = email.len() <= 254
                    && email.split_once('@').is_some_and(|(a, b)| !a.is_empty() && b.contains('.'))
                    && !email.chars().any(|c| c.is_whitespace() || c.is_control() || "<>\"',;".contains(c));
                if !ok {
                    return Err(CardError::BadEmail);
                }
            }
        }
        match (header, key) {
            (true, Some(signing_key)) => Ok(Card { signing_key, age_recipient: recipient, email }),
            (true, None) => Err(CardError::BadSigningKey),
            _ => Err(CardError::NotACard),
        }
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
    }
}
