//! The open assessment with everything derived from it (progress, scores, ranked gaps, the
//! comparison with last cycle, the sign-off review's warnings), computed once per change by the
//! worker and drawn by the pages.

use crate::assessment::{Answer, Assessment, Status};
use crate::framework::{self, Framework};
use crate::ids::AssessmentId;
use crate::scoring::{self, Comparison, IndicatorScore, Scores};

/// Which of an indicator's two texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextField {
    Evidence,
    Comment,
    /// The reply to the Secretariat's query on the indicator (issue 25).
    Reply,
}

/// Progress of one assessment: answered / total per pillar (framework order) and overall.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Progress {
    pub pillars: Vec<(String, usize, usize)>,
    pub answered: usize,
    pub total: usize,
}

impl Progress {
    pub fn of(fw: &Framework, a: &Assessment) -> Progress {
        let mut p = Progress::default();
        for pillar in &fw.meta.pillars {
            let codes: Vec<&str> = fw.indicators_of(&pillar.code).map(|i| i.code.as_str()).collect();
            let answered =
                a.responses.iter().filter(|r| codes.contains(&r.indicator.as_str()) && r.answer.is_answered()).count();
            p.pillars.push((pillar.code.clone(), answered, codes.len()));
            p.answered += answered;
            p.total += codes.len();
        }
        p
    }

    pub fn fraction(&self) -> f32 {
        if self.total == 0 { 0.0 } else { self.answered as f32 / self.total as f32 }
    }
}

/// The assessment a comparison is made against.
#[derive(Debug, Clone)]
pub struct Previous {
    pub cycle: i32,
    pub revision: u32,
    pub scores: Scores,
    pub comparison: Comparison,
}

/// An open assessment with everything derived from it, computed once per change.
#[derive(Debug, Clone)]
pub struct Session {
    pub data: Assessment,
    pub progress: Progress,
    pub scores: Scores,
    /// The gaps, ranked (most urgent first).
    pub gaps: Vec<IndicatorScore>,
    /// The same member's previous cycle (latest revision), for comparison.
    pub previous: Option<Previous>,
    /// A newer revision of this assessment exists (then no new revision from this one).
    pub has_newer_revision: bool,
    /// What import would refuse in the return of this revision if it were signed off now
    /// (finalise is refused while any is left).
    pub problems: Vec<crate::exchange::Rejection>,
    /// Answers whose indicator's level descriptors a framework file changed since they were
    /// given: "the descriptors changed: check your answer" (cleared when answered again).
    pub recheck: Vec<String>,
    /// Sections handed out or answered, the contributor, the conflicts (issue 26).
    pub team: crate::sections::Team,
    /// A draft revision: the last revision sent before it (its return written), else the last
    /// signed off: what changed since.
    pub last_sent: Option<std::sync::Arc<Assessment>>,
    /// A draft revision: the head of administration who signed off the revision before it.
    pub last_approver: Option<String>,
    /// The return files written of this revision, newest first (the outbox).
    pub exports: Vec<crate::store::ExportRow>,
}

/// What changed in one indicator since the revision signed off before (issue 25).
#[derive(Debug, Clone, PartialEq)]
pub enum Changed {
    Level(Answer, Answer),
    Target(u8, u8),
    Need(Option<crate::assessment::NeedCategory>, Option<crate::assessment::NeedCategory>),
    Evidence,
    Comment,
    /// A reply to the Secretariat's query, written in this revision.
    Reply,
}

impl Session {
    pub fn new(data: Assessment, previous: Option<(i32, u32, Scores)>, has_newer_revision: bool) -> Session {
        let fw = framework_of(&data);
        let scores = scoring::score(fw, &data.responses);
        let previous = previous.map(|(cycle, revision, s)| Previous {
            cycle,
            revision,
            comparison: scoring::compare(&s, &scores),
            scores: s,
        });
        let mut s = Session {
            progress: Progress::of(fw, &data),
            gaps: Vec::new(),
            scores,
            previous,
            has_newer_revision,
            problems: Vec::new(),
            recheck: Vec::new(),
            team: Default::default(),
            last_sent: None,
            last_approver: None,
            exports: Vec::new(),
            data,
        };
        s.gaps = scoring::ranked_gaps(&s.scores).into_iter().cloned().collect();
        s.check();
        s
    }

    /// Runs every rule import will run on this revision's return (the approver is checked when
    /// signing off; unanswered indicators are listed by the Finalise page itself).
    pub fn check(&mut self) {
        self.problems = if self.read_only() {
            Vec::new()
        } else {
            crate::exchange::finalise_problems(&self.data, "Head of administration")
                .into_iter()
                .filter(|p| !matches!(p, crate::exchange::Rejection::InvalidValue { value, .. } if value == "null"))
                .collect()
        };
    }

    /// Recomputes progress, scores, gaps and the comparison after a change.
    pub fn rescore(&mut self) {
        let fw = self.framework();
        self.progress = Progress::of(fw, &self.data);
        self.scores = scoring::score(fw, &self.data.responses);
        self.gaps = scoring::ranked_gaps(&self.scores).into_iter().cloned().collect();
        if let Some(p) = self.previous.as_mut() {
            p.comparison = scoring::compare(&p.scores, &self.scores);
        }
        self.check();
    }

    pub fn id(&self) -> AssessmentId {
        self.data.header.id
    }

    /// What changed since the last revision sent (`last_sent`), indicator by indicator in
    /// framework order (empty without one).
    pub fn changes(&self) -> Vec<(String, Vec<Changed>)> {
        let Some(before) = self.last_sent.as_deref() else { return Vec::new() };
        let mut out = Vec::new();
        for r in &self.data.responses {
            let mut what = Vec::new();
            let old = before.response(&r.indicator);
            let (answer, target, need) = old.map_or((Answer::Unanswered, 0, None), |o| (o.answer, o.target, o.need));
            if answer != r.answer {
                what.push(Changed::Level(answer, r.answer));
            }
            if old.is_some() && target != r.target {
                what.push(Changed::Target(target, r.target));
            }
            if need != r.need {
                what.push(Changed::Need(need, r.need));
            }
            if old.map_or("", |o| o.evidence.as_str()).trim() != r.evidence.trim() {
                what.push(Changed::Evidence);
            }
            if old.map_or("", |o| o.comment.as_str()).trim() != r.comment.trim() {
                what.push(Changed::Comment);
            }
            if self.data.reply(&r.indicator).is_some() && before.reply(&r.indicator) != self.data.reply(&r.indicator) {
                what.push(Changed::Reply);
            }
            if !what.is_empty() {
                out.push((r.indicator.clone(), what));
            }
        }
        out
    }

    /// The last return file written of this revision that no receipt has answered yet is
    /// waiting: "sent, waiting for the Secretariat's receipt".
    pub fn last_export(&self) -> Option<&crate::store::ExportRow> {
        self.exports.first()
    }

    /// Puts a typed text in place (no score depends on it); false if there is no such indicator.
    pub fn show_text(&mut self, indicator: &str, field: TextField, text: &str) -> bool {
        let Some(r) = self.data.responses.iter_mut().find(|r| r.indicator == indicator) else { return false };
        let slot = match field {
            TextField::Evidence => &mut r.evidence,
            TextField::Comment => &mut r.comment,
            TextField::Reply => {
                self.data.set_reply(indicator, text);
                return true;
            }
        };
        slot.clear();
        slot.push_str(text);
        true
    }

    /// A text of an indicator.
    pub fn text(&self, indicator: &str, field: TextField) -> Option<&str> {
        let r = self.data.responses.iter().find(|r| r.indicator == indicator)?;
        Some(match field {
            TextField::Evidence => &r.evidence,
            TextField::Comment => &r.comment,
            TextField::Reply => self.data.reply(indicator).unwrap_or(""),
        })
    }

    pub fn framework(&self) -> &'static Framework {
        framework_of(&self.data)
    }

    pub fn read_only(&self) -> bool {
        self.data.header.status == Status::Finalised || self.data.header.imported
    }

    /// The first unanswered indicator (or the first), where work resumes.
    pub fn first_unanswered(&self) -> usize {
        // A colleague's section: among the indicators asked of them.
        let asked = |r: &&crate::assessment::Response| self.team.asks(&r.indicator);
        let rs = || self.data.responses.iter().enumerate().filter(|(_, r)| asked(r));
        rs().find(|(_, r)| !r.answer.is_answered()).or_else(|| rs().next()).map_or(0, |(i, _)| i)
    }
}

/// The content an assessment is shown and scored against: the revision it was signed off under,
/// else (a draft) the one in use.
fn framework_of(a: &Assessment) -> &'static Framework {
    framework::of(a.header.framework_version, a.header.content_revision).unwrap_or_else(framework::current)
}

/// What the review warns about before signing off (each with its count).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// Gaps without a need category (A, B or C): the action plan and the region's demand for
    /// help miss them.
    Unclassified(Vec<String>),
    /// Indicators answered "Insufficient information" (they score 0).
    Insufficient(Vec<String>),
    /// Indicators answered "Not applicable" (outside every score).
    NotApplicable(Vec<String>),
    /// Readiness items answered "Not applicable" without a reason in their comment: sign-off
    /// waits for one (it cannot be acknowledged away), as the verdict is then not rated.
    ReadinessNaWithoutReason(Vec<String>),
    /// Answered indicators whose target is still the framework's suggestion: the officer has not
    /// chosen or confirmed it (issue 25).
    SuggestedTargets(Vec<String>),
    /// Gaps the development plan has no action for (issue 23).
    GapsWithoutAction(Vec<String>),
    /// C needs (a request for assistance) with no action that says what is asked.
    CWithoutRequest(Vec<String>),
    /// Actions carried from last cycle's plan whose status is not said yet.
    StatusAsked(Vec<String>),
    /// Answers given before a framework file changed the indicator's level descriptors.
    Recheck(Vec<String>),
}

impl Warning {
    /// A warning that stops sign-off until it is dealt with (the others are read and accepted).
    pub fn blocks(&self) -> bool {
        matches!(self, Warning::ReadinessNaWithoutReason(_))
    }
}

impl Session {
    /// What the sign-off review warns about, in the order it shows them (the rule, beside the
    /// session; the Finalise page only draws them).
    pub fn signoff_warnings(&self) -> Vec<Warning> {
        let s = self;
        let codes = |a: Answer| -> Vec<String> {
            s.data.responses.iter().filter(|r| r.answer == a).map(|r| r.indicator.clone()).collect()
        };
        let unclassified: Vec<String> = s.gaps.iter().filter(|g| g.need.is_none()).map(|g| g.code.clone()).collect();
        let mut w = Vec::new();
        if !unclassified.is_empty() {
            w.push(Warning::Unclassified(unclassified));
        }
        let insufficient = codes(Answer::Insufficient);
        if !insufficient.is_empty() {
            w.push(Warning::Insufficient(insufficient));
        }
        let na = codes(Answer::NotApplicable);
        if !na.is_empty() {
            w.push(Warning::NotApplicable(na));
        }
        let suggested: Vec<String> = s
            .data
            .responses
            .iter()
            .filter(|r| r.answer.is_answered() && r.answer != Answer::NotApplicable && !r.target_confirmed)
            .map(|r| r.indicator.clone())
            .collect();
        if !suggested.is_empty() {
            w.push(Warning::SuggestedTargets(suggested));
        }
        let no_reason = scoring::readiness_na_without_reason(self.framework(), &self.data.responses);
        if !no_reason.is_empty() {
            w.push(Warning::ReadinessNaWithoutReason(no_reason));
        }
        let plan = self.plan_review();
        for (codes, warning) in [
            (plan.gaps_without_action, Warning::GapsWithoutAction as fn(Vec<String>) -> Warning),
            (plan.c_without_request, Warning::CWithoutRequest),
            (plan.status_asked, Warning::StatusAsked),
        ] {
            if !codes.is_empty() {
                w.push(warning(codes));
            }
        }
        if !s.recheck.is_empty() && !s.read_only() {
            w.push(Warning::Recheck(s.recheck.clone()));
        }
        w
    }

    /// What the plan lacks against the ranked gaps (the rule is `plan::review`).
    pub fn plan_review(&self) -> crate::plan::PlanReview {
        let gaps: Vec<(String, Option<crate::assessment::NeedCategory>)> =
            self.gaps.iter().map(|g| (g.code.clone(), g.need)).collect();
        crate::plan::review(&self.data.plan, &gaps)
    }

    /// The plan's actions (indexes in the order written) in the order of their gaps' priority:
    /// gaps first, most urgent first, then the other indicators chosen, in framework order.
    pub fn plan_order(&self) -> Vec<usize> {
        let fw = self.framework();
        crate::plan::ordered(
            &self.data.plan,
            |code| self.gaps.iter().position(|g| g.code == code),
            |code| fw.indicators.iter().position(|i| i.code == code).unwrap_or(usize::MAX),
        )
    }

    /// An indicator's change in level since last cycle, when both are scored.
    pub fn level_change(&self, indicator: &str) -> Option<i32> {
        let p = self.previous.as_ref()?;
        p.comparison.indicators.iter().find(|(c, _)| c == indicator).and_then(|(_, d)| *d)
    }
}
