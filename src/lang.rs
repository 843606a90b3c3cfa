//! The two languages of the product. Kept tiny and dependency-free so `build.rs` can share it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "fr" => Some(Lang::Fr),
            _ => None,
        }
    }

    /// A number written with a decimal point ("2.4", "9.4") as the language writes it: a decimal
    /// comma in French ("2,4").
    pub fn decimal(self, number: &str) -> String {
        match self {
            Lang::En => number.to_string(),
            Lang::Fr => number.replace('.', ","),
        }
    }

    /// The language's own name, as shown in the language picker.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
        }
    }
}

/// A name folded for sorting, so "États" sorts with "E" and "Îles" with "I".
pub fn sort_key(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'À' | 'Â' | 'Ä' | 'à' | 'â' | 'ä' => 'a',
            'É' | 'È' | 'Ê' | 'Ë' | 'é' | 'è' | 'ê' | 'ë' => 'e',
            'Î' | 'Ï' | 'î' | 'ï' => 'i',
            'Ô' | 'Ö' | 'ô' | 'ö' => 'o',
            'Ù' | 'Û' | 'Ü' | 'ù' | 'û' | 'ü' => 'u',
            'Ç' | 'ç' => 'c',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// What turns a value (an error, a refusal, a reason) into words in a language: one trait for
/// every layer's errors, so that a message is kept as a value and put into words only when it is
/// shown, in the language of that moment. Implemented beside `app::Msg` for the types it shows.
pub trait Words: std::fmt::Debug + Send + Sync {
    fn words(&self, t: Lang) -> String;
}
