//! Domain values of an assessment: plain data shared by the store, scoring, exchange and UI.

use crate::framework::Profile;
use crate::ids::AssessmentId;
use serde::{Deserialize, Serialize};

/// The longest texts a return may carry, in characters (Unicode scalar values). The return
/// reader (`exchange`) refuses anything longer, the store refuses to keep it, and the window can
/// show counters against them. `exchange::limits` re-exports them.
pub mod limits {
    /// An indicator's evidence note.
    pub const EVIDENCE_MAX: usize = 5000;
    /// An indicator's comment.
    pub const COMMENT_MAX: usize = 5000;
    /// The assessor's and the approving head of administration's names.
    pub const NAME_MAX: usize = 5000;
    /// The assessor's role.
    pub const ROLE_MAX: usize = 5000;
    /// Each field of the member profile (HS version, RKC, …).
    pub const PROFILE_FIELD_MAX: usize = 60;
    /// A contributor's name or unit (issue 26: sections, contributors taking turns).
    pub const CONTRIBUTOR_MAX: usize = 200;
    /// A reply to one of the Secretariat's queries (as long as the query may be).
    pub const REPLY_MAX: usize = 2000;
}

/// The administration's reply to the Secretariat's query on an indicator, kept with the revision
/// that answers it and carried in its return (issue 25).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reply {
    pub indicator: String,
    pub text: String,
}

/// The answer to one indicator. Serialised as its [`Answer::code`]: `null` when unanswered,
/// `"0"`..`"4"`, `"na"` or `"insufficient"` (the return file's form).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Answer {
    #[default]
    Unanswered,
    /// 0 Not in place .. 4 Advanced.
    Level(u8),
    /// Excluded from every score.
    NotApplicable,
    /// Scores as 0 and is flagged wherever it weighs on a result.
    Insufficient,
}

impl Answer {
    /// Stable text form used in the database and the return file.
    pub fn code(self) -> Option<String> {
        match self {
            Answer::Unanswered => None,
            Answer::Level(l) => Some(l.to_string()),
            Answer::NotApplicable => Some("na".into()),
            Answer::Insufficient => Some("insufficient".into()),
        }
    }

    pub fn from_code(code: Option<&str>) -> Option<Answer> {
        Some(match code {
            None => Answer::Unanswered,
            Some("na") => Answer::NotApplicable,
            Some("insufficient") => Answer::Insufficient,
            Some(s) => match s.parse::<u8>() {
                Ok(l) if l <= 4 => Answer::Level(l),
                _ => return None,
            },
        })
    }

    pub fn is_answered(self) -> bool {
        self != Answer::Unanswered
    }
}

impl Serialize for Answer {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.code().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Answer, D::Error> {
        let code = Option::<String>::deserialize(d)?;
        Answer::from_code(code.as_deref())
            .ok_or_else(|| serde::de::Error::custom(format!("invalid answer {:?}", code.unwrap_or_default())))
    }
}

macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $code)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
            pub fn from_code(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

code_enum!(
    /// How sure the assessor is of the level chosen.
    Confidence { Low = "low", Medium = "medium", High = "high" }
);
code_enum!(
    /// The administration's commitment to act on this indicator.
    Commitment { Willing = "willing", Partly = "partly", NotYet = "not_yet" }
);
code_enum!(
    /// Need category of a gap, as in the WTO TFA self-assessment.
    NeedCategory { A = "A", B = "B", C = "C" }
);
code_enum!(
    Status { Draft = "draft", Finalised = "finalised" }
);

impl Commitment {
    /// Share of full willingness this answer expresses (0..=1).
    pub fn willingness(self) -> f64 {
        match self {
            Commitment::Willing => 1.0,
            Commitment::Partly => 0.5,
            Commitment::NotYet => 0.0,
        }
    }
}

/// One response, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    pub indicator: String,
    pub answer: Answer,
    pub target: u8,
    /// The officer chose or confirmed the target; until then it is the framework's suggestion.
    pub target_confirmed: bool,
    pub confidence: Option<Confidence>,
    pub commitment: Option<Commitment>,
    pub evidence: String,
    pub comment: String,
    pub need: Option<NeedCategory>,
    pub updated_at: Option<String>,
}

impl Response {
    /// A response with only an answer and a target (nothing else said yet).
    pub fn new(indicator: &str, answer: Answer, target: u8) -> Response {
        Response {
            indicator: indicator.to_string(),
            answer,
            target,
            target_confirmed: false,
            confidence: None,
            commitment: None,
            evidence: String::new(),
            comment: String::new(),
            need: None,
            updated_at: None,
        }
    }
}

/// One editable field of a response; each change is one write.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseChange {
    Answer(Answer),
    /// Chooses the target (the suggested one too): it is then the officer's, not a suggestion.
    Target(u8),
    Confidence(Option<Confidence>),
    Commitment(Option<Commitment>),
    Evidence(String),
    Comment(String),
    Need(Option<NeedCategory>),
    /// The reply to the Secretariat's query on the indicator (empty: none).
    Reply(String),
}

/// The header of an assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub id: AssessmentId,
    pub uuid: String,
    pub member: String,
    pub cycle: i32,
    pub revision: u32,
    pub framework_version: u32,
    pub status: Status,
    pub assessor_name: String,
    pub assessor_role: String,
    pub language: String,
    pub created_at: String,
    pub updated_at: String,
    pub finalised_at: Option<String>,
    pub approved_by: Option<String>,
    pub imported: bool,
    /// The framework's content revision this revision was signed off under (None: a draft, or
    /// signed off before framework files): its return and scores use that revision for ever.
    pub content_revision: Option<u32>,
}

/// A whole assessment, loaded into memory.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub header: Header,
    pub profile: Profile,
    /// In framework order.
    pub responses: Vec<Response>,
    /// The administration's development plan, in the order written (issue 23).
    pub plan: Vec<crate::plan::Action>,
    /// Replies to the Secretariat's queries, by indicator code (issue 25).
    pub replies: Vec<Reply>,
    /// Who gave the answers, where it is known (issue 26: sections, contributors taking turns),
    /// in framework order.
    pub contributors: Vec<Contribution>,
}

/// Who gave one indicator's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contribution {
    pub indicator: String,
    pub name: String,
    pub unit: String,
}

impl Response {
    /// The same answer (every field a person gives; not when it was given).
    pub fn same_answer(&self, o: &Response) -> bool {
        self.answer == o.answer
            && self.target == o.target
            && self.target_confirmed == o.target_confirmed
            && self.confidence == o.confidence
            && self.commitment == o.commitment
            && self.need == o.need
            && self.evidence == o.evidence
            && self.comment == o.comment
    }
}

impl Assessment {
    pub fn response(&self, indicator: &str) -> Option<&Response> {
        self.responses.iter().find(|r| r.indicator == indicator)
    }

    pub fn answered(&self) -> usize {
        self.responses.iter().filter(|r| r.answer.is_answered()).count()
    }

    /// The reply to the query on an indicator, if any.
    pub fn reply(&self, indicator: &str) -> Option<&str> {
        self.replies.iter().find(|r| r.indicator == indicator).map(|r| r.text.as_str())
    }

    /// Puts a reply in place (empty text removes it), kept by indicator code.
    pub fn set_reply(&mut self, indicator: &str, text: &str) {
        self.replies.retain(|r| r.indicator != indicator);
        if !text.trim().is_empty() {
            self.replies.push(Reply { indicator: indicator.to_string(), text: text.to_string() });
            self.replies.sort_by(|a, b| a.indicator.cmp(&b.indicator));
        }
    }
}

/// A stored revision with what it was received with: an imported revision keeps the writer's
/// app version and the digest it was chained to (both `None` for a local revision).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRevision {
    pub assessment: Assessment,
    pub app_version: Option<String>,
    pub previous_digest: Option<String>,
    /// An imported revision's digest as it arrived.
    pub digest: Option<String>,
}

/// A revision and the earlier revisions of the same assessment held with it (oldest first):
/// everything its return file is built from.
#[derive(Debug, Clone, PartialEq)]
pub struct RevisionChain {
    pub revision: StoredRevision,
    pub earlier: Vec<StoredRevision>,
}

/// A verified revision received from a member administration, as the store keeps it
/// (built from a return file by `exchange`, once).
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedRevision {
    pub uuid: String,
    pub member: String,
    pub cycle: i32,
    pub revision: u32,
    pub framework_version: u32,
    pub assessor_name: String,
    pub assessor_role: String,
    pub approved_by: String,
    pub language: String,
    pub created_at: String,
    pub finalised_at: String,
    /// The writer's app version.
    pub app_version: String,
    /// Digest of the return of the previous revision.
    pub previous_digest: Option<String>,
    /// Content digest of this return.
    pub digest: String,
    /// The framework's content revision it was written under (1 when the return names none).
    pub content_revision: u32,
    pub profile: Profile,
    /// In any order; the store keeps them in framework order.
    pub responses: Vec<Response>,
    /// The plan the return carried (empty in a return of format 2).
    pub plan: Vec<crate::plan::Action>,
    /// Who gave the answers, as the return says (none in a return without them).
    pub contributors: Vec<Contribution>,
    /// The replies to queries the return carried (empty in a return written before them).
    pub replies: Vec<Reply>,
}

/// A line of the assessment list.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub header: Header,
    pub answered: usize,
    pub total: usize,
}

/// What is needed to start an assessment.
#[derive(Debug, Clone)]
pub struct NewAssessment {
    pub member: String,
    pub cycle: i32,
    pub assessor_name: String,
    pub assessor_role: String,
    pub language: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answer_codes_round_trip_and_reject_out_of_range() {
        for a in [Answer::Unanswered, Answer::Level(0), Answer::Level(4), Answer::NotApplicable, Answer::Insufficient] {
            assert_eq!(Answer::from_code(a.code().as_deref()), Some(a));
        }
        assert_eq!(Answer::from_code(Some("5")), None);
        assert_eq!(Answer::from_code(Some("x")), None);
    }

    #[test]
    fn answers_serialise_as_their_code() {
        for (a, json) in [
            (Answer::Unanswered, "null"),
            (Answer::Level(0), r#""0""#),
            (Answer::Level(4), r#""4""#),
            (Answer::NotApplicable, r#""na""#),
            (Answer::Insufficient, r#""insufficient""#),
        ] {
            assert_eq!(serde_json::to_string(&a).unwrap(), json);
            assert_eq!(serde_json::from_str::<Answer>(json).unwrap(), a);
        }
        for bad in [r#""5""#, r#""x""#, "3", r#""""#] {
            assert!(serde_json::from_str::<Answer>(bad).is_err(), "{bad}");
        }
    }
}
