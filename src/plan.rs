//! The administration's own development plan (issue 23): for each gap (and any indicator it
//! chooses) one or more actions, who does them, when, with what resources, and how they went.
//!
//! Plain data and the rules on it: lengths capped, quarters parsed, text made one line. The store
//! keeps actions, the return carries them (format 3), the pages draw them; none of them decides
//! what a valid action is but this module.

use crate::assessment::NeedCategory;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The longest texts of an action, in characters (Unicode scalar values).
pub mod limits {
    /// What will be done.
    pub const WHAT_MAX: usize = 300;
    /// The unit or officer responsible.
    pub const OWNER_MAX: usize = 120;
    /// What is asked of the OCO (a C action's request for assistance).
    pub const REQUEST_MAX: usize = 500;
    /// The one-line reason of a status (why stopped, why late).
    pub const REASON_MAX: usize = 200;
    /// The line on what was done (the follow-up of a carried action).
    pub const PROGRESS_MAX: usize = 300;
    /// The most actions one plan holds.
    pub const ACTIONS_MAX: usize = 200;
}

/// A calendar quarter, `2027-Q1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i32,
    /// 1..=4.
    pub q: u8,
}

impl Quarter {
    /// Reads `2027-Q1` (also `2027 Q1`, `2027q1`, `2027/1`, `Q1 2027`), a year within
    /// [`crate::ids::CYCLES`] and a quarter 1-4. None otherwise.
    pub fn parse(s: &str) -> Option<Quarter> {
        let t: String = s.trim().to_ascii_uppercase().chars().filter(|c| !c.is_whitespace()).collect();
        let (year, q) = if let Some(rest) = t.strip_prefix('Q') {
            // Q1-2027, Q12027
            let q = rest.get(..1)?;
            let year = rest.get(1..)?.trim_start_matches(['-', '/']);
            (year.to_string(), q.to_string())
        } else {
            let year = t.get(..4)?;
            let rest = t.get(4..)?.trim_start_matches(['-', '/', 'T']);
            let q = rest.strip_prefix('Q').unwrap_or(rest);
            (year.to_string(), q.to_string())
        };
        if year.len() != 4 || q.len() != 1 {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        let q: u8 = q.parse().ok()?;
        (crate::ids::CYCLES.contains(&year) && (1..=4).contains(&q)).then_some(Quarter { year, q })
    }

    /// The first quarter of a year.
    pub fn first_of(year: i32) -> Quarter {
        Quarter { year, q: 1 }
    }

    /// The last quarter of a year.
    pub fn last_of(year: i32) -> Quarter {
        Quarter { year, q: 4 }
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.q)
    }
}

impl Serialize for Quarter {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_string().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Quarter {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Quarter, D::Error> {
        let s = String::deserialize(d)?;
        // Only the canonical form is read from a file: what is written is what is signed.
        Quarter::parse(&s)
            .filter(|q| q.to_string() == s)
            .ok_or_else(|| serde::de::Error::custom(format!("invalid quarter {}", shown(&s))))
    }
}

macro_rules! plan_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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

plan_enum!(
    /// Who pays: the administration's own budget, a development partner, or the OCO (a request
    /// for assistance, the C need's action).
    Resources { Own = "own", Partner = "partner", Oco = "oco" }
);
plan_enum!(
    /// Where an action stands.
    ActionStatus { NotStarted = "not_started", UnderWay = "under_way", Done = "done", Stopped = "stopped" }
);

impl Resources {
    /// The resources an action for a gap of this need starts with: a C need (time and
    /// assistance) asks the OCO; A and B are the administration's own.
    pub fn for_need(need: Option<NeedCategory>) -> Resources {
        match need {
            Some(NeedCategory::C) => Resources::Oco,
            _ => Resources::Own,
        }
    }
}

/// One action of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    /// The indicator (a gap, or any indicator chosen).
    pub indicator: String,
    pub what: String,
    /// The unit or officer responsible.
    pub owner: String,
    pub start: Quarter,
    pub end: Quarter,
    pub resources: Resources,
    /// What is asked (an OCO action: the request for assistance); may be empty otherwise.
    pub request: String,
    /// `None`: carried from last cycle's plan and not yet said (the follow-up asks it).
    pub status: Option<ActionStatus>,
    /// One line: why stopped, why late.
    pub reason: String,
    /// One line on what was done (asked of a carried action).
    pub progress: String,
    /// The cycle whose plan this action was carried from (None: new in this plan).
    pub from_cycle: Option<i32>,
}

/// Why an action is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanError {
    /// An empty required field (`what`, `owner`, `indicator`).
    Required(&'static str),
    /// A field longer than its limit.
    TooLong { field: &'static str, max: usize },
    /// A quarter not read (`start`, `end`).
    Quarter(&'static str),
    /// The end before the start.
    EndBeforeStart,
    /// An indicator the framework does not have.
    UnknownIndicator(String),
    /// More actions than a plan holds.
    TooMany,
    /// A control character (a new line, a bidirectional override) in a one-line field.
    ControlCharacter(&'static str),
}

impl PlanError {
    /// A stable code (`plan.error.<code>` is its message).
    pub fn code(&self) -> &'static str {
        match self {
            PlanError::Required(_) => "required",
            PlanError::TooLong { .. } => "too_long",
            PlanError::Quarter(_) => "quarter",
            PlanError::EndBeforeStart => "end_before_start",
            PlanError::UnknownIndicator(_) => "unknown_indicator",
            PlanError::TooMany => "too_many",
            PlanError::ControlCharacter(_) => "control",
        }
    }

    /// The field concerned, if any.
    pub fn field(&self) -> &str {
        match self {
            PlanError::Required(f) | PlanError::Quarter(f) | PlanError::ControlCharacter(f) => f,
            PlanError::TooLong { field, .. } => field,
            PlanError::UnknownIndicator(code) => code,
            PlanError::EndBeforeStart => "end",
            PlanError::TooMany => "",
        }
    }
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::TooLong { field, max } => write!(f, "{field} is longer than {max} characters"),
            PlanError::TooMany => write!(f, "a plan holds at most {} actions", limits::ACTIONS_MAX),
            e => write!(f, "{} {}", e.code(), e.field()),
        }
    }
}

/// A character never kept in a one-line field: a control character or a bidirectional mark.
fn hidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Untrusted text fit to be named in a message: one line, at most 80 characters.
fn shown(s: &str) -> String {
    let line = one_line(s);
    match line.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &line[..i]),
        None => line,
    }
}

/// Typed text made one line: control characters and bidirectional marks become spaces (a tab, a
/// pasted new line) or go, runs of spaces are one, the ends trimmed.
pub fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = if c == '\n' || c == '\r' || c == '\t' { ' ' } else { c };
        if hidden(c) || (c == ' ' && out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    out.trim().to_string()
}

impl Action {
    /// A new action for an indicator: this cycle's year, resources from the gap's need.
    pub fn new(indicator: &str, cycle: i32, need: Option<NeedCategory>) -> Action {
        Action {
            indicator: indicator.to_string(),
            what: String::new(),
            owner: String::new(),
            start: Quarter::first_of(cycle + 1),
            end: Quarter::last_of(cycle + 1),
            resources: Resources::for_need(need),
            request: String::new(),
            status: Some(ActionStatus::NotStarted),
            reason: String::new(),
            progress: String::new(),
            from_cycle: None,
        }
    }

    /// The action with every text made one line ([`one_line`]): what the keyboard or a paste
    /// gave, as it is kept.
    pub fn sanitised(mut self) -> Action {
        for s in [&mut self.what, &mut self.owner, &mut self.request, &mut self.reason, &mut self.progress] {
            *s = one_line(s);
        }
        self.indicator = self.indicator.trim().to_string();
        self
    }

    /// Checks an action as kept or read from a file: required fields, lengths, one line, the
    /// quarters in order, and (given a framework) a known indicator.
    pub fn check(&self, fw: Option<&crate::framework::Framework>) -> Result<(), PlanError> {
        if self.indicator.is_empty() {
            return Err(PlanError::Required("indicator"));
        }
        if let Some(fw) = fw
            && fw.indicator(&self.indicator).is_none()
        {
            return Err(PlanError::UnknownIndicator(shown(&self.indicator)));
        }
        for (field, s, max, required) in [
            ("what", &self.what, limits::WHAT_MAX, true),
            ("owner", &self.owner, limits::OWNER_MAX, true),
            ("request", &self.request, limits::REQUEST_MAX, false),
            ("reason", &self.reason, limits::REASON_MAX, false),
            ("progress", &self.progress, limits::PROGRESS_MAX, false),
        ] {
            if required && s.trim().is_empty() {
                return Err(PlanError::Required(field));
            }
            if s.chars().count() > max {
                return Err(PlanError::TooLong { field, max });
            }
            if s.chars().any(hidden) {
                return Err(PlanError::ControlCharacter(field));
            }
        }
        if self.end < self.start {
            return Err(PlanError::EndBeforeStart);
        }
        Ok(())
    }

    /// A request for assistance: an OCO action.
    pub fn is_request(&self) -> bool {
        self.resources == Resources::Oco
    }

    /// The follow-up still asks this carried action's status.
    pub fn status_asked(&self) -> bool {
        self.from_cycle.is_some() && self.status.is_none()
    }
}

/// One change to a plan: what a page sends, applied by the worker.
#[derive(Debug, Clone, PartialEq)]
pub enum PlanEdit {
    /// A new action, at the end.
    Add(Action),
    /// The action at this index (in the order written) replaced.
    Update(usize, Action),
    /// The action at this index taken out.
    Remove(usize),
}

impl PlanEdit {
    /// The plan after this change, every action's text made one line and checked. The plan
    /// given is unchanged when the change is refused.
    pub fn apply(&self, plan: &[Action], fw: Option<&crate::framework::Framework>) -> Result<Vec<Action>, PlanError> {
        let mut next = plan.to_vec();
        match self {
            PlanEdit::Add(a) => {
                if next.len() >= limits::ACTIONS_MAX {
                    return Err(PlanError::TooMany);
                }
                let a = a.clone().sanitised();
                a.check(fw)?;
                next.push(a);
            }
            PlanEdit::Update(i, a) => {
                let a = a.clone().sanitised();
                a.check(fw)?;
                *next.get_mut(*i).ok_or(PlanError::Required("index"))? = a;
            }
            PlanEdit::Remove(i) => {
                if *i >= next.len() {
                    return Err(PlanError::Required("index"));
                }
                next.remove(*i);
            }
        }
        Ok(next)
    }
}

/// Checks a whole plan: each action, and at most [`limits::ACTIONS_MAX`].
pub fn check_plan(actions: &[Action], fw: Option<&crate::framework::Framework>) -> Result<(), (usize, PlanError)> {
    if actions.len() > limits::ACTIONS_MAX {
        return Err((limits::ACTIONS_MAX, PlanError::TooMany));
    }
    actions.iter().enumerate().try_for_each(|(i, a)| a.check(fw).map_err(|e| (i, e)))
}

/// The actions of a plan in the order of their gaps' priority: `rank` gives an indicator's place
/// among the ranked gaps (None: not a gap, after every gap, in framework order `position`); within
/// one indicator, in the order written. Returns indexes into `actions`.
pub fn ordered(
    actions: &[Action],
    rank: impl Fn(&str) -> Option<usize>,
    position: impl Fn(&str) -> usize,
) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..actions.len()).collect();
    idx.sort_by_key(|&i| {
        let code = actions[i].indicator.as_str();
        (rank(code).unwrap_or(usize::MAX), position(code), i)
    });
    idx
}

/// What the sign-off review says of a plan against the ranked gaps: gaps with no action, C needs
/// with no request text, carried actions whose status is still asked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanReview {
    pub gaps_without_action: Vec<String>,
    pub c_without_request: Vec<String>,
    pub status_asked: Vec<String>,
}

/// [`PlanReview`] of a plan, given the gaps (code, need) most urgent first.
pub fn review(actions: &[Action], gaps: &[(String, Option<NeedCategory>)]) -> PlanReview {
    let mut r = PlanReview::default();
    for (code, need) in gaps {
        let mine: Vec<&Action> = actions.iter().filter(|a| &a.indicator == code).collect();
        if mine.is_empty() {
            r.gaps_without_action.push(code.clone());
        }
        if *need == Some(NeedCategory::C) && !mine.iter().any(|a| a.is_request() && !a.request.trim().is_empty()) {
            r.c_without_request.push(code.clone());
        }
    }
    for a in actions.iter().filter(|a| a.status_asked()) {
        if !r.status_asked.contains(&a.indicator) {
            r.status_asked.push(a.indicator.clone());
        }
    }
    r
}

/// Last cycle's actions as next cycle's draft holds them: the ones not closed (done or stopped)
/// then, their status asked again and no line on what was done yet.
pub fn carried_forward(previous: &[Action], from_cycle: i32) -> Vec<Action> {
    previous
        .iter()
        .filter(|a| !matches!(a.status, Some(ActionStatus::Done) | Some(ActionStatus::Stopped)))
        .map(|a| Action {
            status: None,
            progress: String::new(),
            reason: String::new(),
            from_cycle: Some(from_cycle),
            ..a.clone()
        })
        .collect()
}

/// The plan's words (`assets/i18n/*/plan.json`), put together where they are shown.
pub mod words {
    use super::{ActionStatus, PlanError, Resources};
    use crate::lang::Lang;

    /// Why an action was refused.
    pub fn error(e: &PlanError, t: Lang) -> String {
        let field = match e {
            PlanError::UnknownIndicator(code) => code.clone(),
            PlanError::TooMany => String::new(),
            e => t.t(&format!("plan.field.{}", e.field())).to_string(),
        };
        let max = match e {
            PlanError::TooLong { max, .. } => *max,
            _ => super::limits::ACTIONS_MAX,
        };
        t.f(&format!("plan.error.{}", e.code()), &[("field", &field), ("max", &max)])
    }

    pub fn resources(r: Resources, t: Lang) -> &'static str {
        t.t(&format!("plan.resources.{}", r.code()))
    }

    /// A status, or "status asked" for a carried action not yet followed up.
    pub fn status(s: Option<ActionStatus>, t: Lang) -> &'static str {
        match s {
            Some(s) => t.t(&format!("plan.status.{}", s.code())),
            None => t.t("plan.status.asked"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_parse_in_their_forms_and_print_one() {
        for s in ["2027-Q1", "2027 q1", "2027Q1", "2027/1", "Q1 2027", "q1-2027", " 2027-q1 "] {
            assert_eq!(Quarter::parse(s), Some(Quarter { year: 2027, q: 1 }), "{s}");
        }
        for s in ["2027-Q5", "2027-Q0", "1999-Q1", "2101-Q1", "27-Q1", "", "Q", "2027", "2027-Q12"] {
            assert_eq!(Quarter::parse(s), None, "{s}");
        }
        assert_eq!(Quarter { year: 2027, q: 3 }.to_string(), "2027-Q3");
        assert!(Quarter::parse("2027-Q4") < Quarter::parse("2028-Q1"));
        assert!(serde_json::from_str::<Quarter>(r#""2027 q1""#).is_err(), "only the canonical form in a file");
    }

    #[test]
    fn one_line_removes_what_cannot_be_shown() {
        assert_eq!(one_line("  a\nb\t\tc \u{202e}d\u{0} "), "a b c d");
    }

    #[test]
    fn an_action_is_checked() {
        let mut a = Action::new("WF-01", 2026, Some(NeedCategory::C));
        assert_eq!(a.resources, Resources::Oco);
        assert_eq!(a.check(None), Err(PlanError::Required("what")));
        a.what = "Train".into();
        a.owner = "HR".into();
        assert_eq!(a.check(None), Ok(()));
        a.end = Quarter { year: 2026, q: 1 };
        assert_eq!(a.check(None), Err(PlanError::EndBeforeStart));
        a.end = a.start;
        a.reason = "x".repeat(limits::REASON_MAX + 1);
        assert_eq!(a.check(None), Err(PlanError::TooLong { field: "reason", max: limits::REASON_MAX }));
        a.reason = "a\nb".into();
        assert_eq!(a.check(None), Err(PlanError::ControlCharacter("reason")));
        assert_eq!(a.clone().sanitised().reason, "a b");
    }

    #[test]
    fn the_review_flags_gaps_without_action_and_c_without_request() {
        let mut a = Action::new("WF-01", 2026, Some(NeedCategory::C));
        a.what = "Train".into();
        a.owner = "HR".into();
        let gaps = vec![("WF-01".to_string(), Some(NeedCategory::C)), ("WF-02".to_string(), Some(NeedCategory::A))];
        let r = review(std::slice::from_ref(&a), &gaps);
        assert_eq!(r.gaps_without_action, ["WF-02"]);
        assert_eq!(r.c_without_request, ["WF-01"]);
        a.request = "A trainer for two weeks".into();
        assert!(review(&[a], &gaps).c_without_request.is_empty());
    }

    #[test]
    fn carrying_forward_asks_the_status_of_open_actions() {
        let mut open = Action::new("WF-01", 2026, None);
        open.status = Some(ActionStatus::UnderWay);
        open.progress = "half".into();
        let mut done = open.clone();
        done.status = Some(ActionStatus::Done);
        let next = carried_forward(&[open.clone(), done], 2026);
        assert_eq!(next.len(), 1);
        assert_eq!(next[0].status, None);
        assert_eq!(next[0].from_cycle, Some(2026));
        assert!(next[0].status_asked());
        assert!(next[0].progress.is_empty());
    }
}
