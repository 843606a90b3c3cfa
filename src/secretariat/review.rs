//! The Secretariat's answer to each member: review state, queries and notes, the receipts of the
//! returns received, and the cycle's benchmarks, as a signed feedback file
//! (`exchange::feedback`). Benchmarks are computed from the consolidation (the revision that
//! counts per member, the same rule as every report) and never over fewer than
//! `feedback::MIN_MEMBERS` members; the file names no other member.

use crate::exchange::feedback::{self, Bench, Benchmarks, FeedbackBody, Planned, Receipt, Remark};
use crate::exchange::sign::SigningKey;
use crate::framework::{self, Framework};
use crate::secretariat::consolidate::{Consolidation, MemberReturn};
use crate::store::{Result, Store, StoreError};

/// The review states, as the store keeps them.
pub use crate::exchange::feedback::STATES;

/// A feedback file written.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub member: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub sequence: u32,
}

/// The benchmarks of a cycle for one member: per pillar (score 0-100) and per indicator (level
/// 0-4), over the region and the member's sub-region. `None` if no figure reaches the minimum.
pub fn benchmarks(fw: &Framework, c: &Consolidation, member: &str) -> Option<Benchmarks> {
    let subregion = framework::member(member)?.subregion.clone();
    let counted: Vec<&MemberReturn> = c.members.iter().filter(|m| m.scores.is_some()).collect();
    let in_sub = |m: &&&MemberReturn| framework::member(&m.member).is_some_and(|x| x.subregion == subregion);
    let pillar_values = |p: &str, sub: bool| -> Vec<f64> {
        counted
            .iter()
            .filter(|m| !sub || in_sub(m))
            .filter_map(|m| m.scores.as_ref().and_then(|s| s.pillar_score(p)))
            .collect()
    };
    let level_values = |code: &str, sub: bool| -> Vec<f64> {
        counted
            .iter()
            .filter(|m| !sub || in_sub(m))
            .filter_map(|m| m.scores.as_ref()?.indicators.iter().find(|i| i.code == code)?.value.map(f64::from))
            .collect()
    };
    let bench = |code: &str, values: &dyn Fn(&str, bool) -> Vec<f64>| Bench {
        code: code.to_string(),
        region: feedback::stat(&values(code, false)),
        subregion: feedback::stat(&values(code, true)),
    };
    let keep = |b: &Bench| b.region.is_some() || b.subregion.is_some();
    let pillars: Vec<Bench> = fw.meta.pillars.iter().map(|p| bench(&p.code, &pillar_values)).filter(keep).collect();
    let indicators: Vec<Bench> = fw.indicators.iter().map(|i| bench(&i.code, &level_values)).filter(keep).collect();
    if pillars.is_empty() && indicators.is_empty() {
        return None;
    }
    Some(Benchmarks { subregion, pillars, indicators })
}

fn remarks(store: &Store, fw: &Framework, member: &str, cycle: i32, kind: &str) -> Result<Vec<Remark>> {
    let mut list: Vec<Remark> = store
        .review_remarks(member, cycle, kind)?
        .into_iter()
        .filter(|(i, _)| fw.indicator(i).is_some())
        .map(|(indicator, text)| Remark {
            indicator,
            text: text
                .chars()
                .filter(|c| !c.is_control() || *c == '\n')
                .take(feedback::REMARK_MAX)
                .collect::<String>()
                .trim()
                .to_string(),
        })
        .filter(|r| !r.text.is_empty())
        .collect();
    list.sort_by_key(|r| fw.indicators.iter().position(|i| i.code == r.indicator));
    Ok(list)
}

/// The body of the next feedback file for a member (sequence = last written + 1).
pub fn feedback_body(store: &Store, c: &Consolidation, member: &str, issued_at: &str) -> Result<FeedbackBody> {
    let fw = framework::current();
    if framework::member(member).is_none() {
        return Err(StoreError::Invalid(format!("unknown member {}", crate::exchange::clean_text(member))));
    }
    let cycle = c.cycle;
    let receipts = store
        .receipts(member, cycle)?
        .into_iter()
        .filter(|r| feedback::OUTCOMES.contains(&r.outcome.as_str()))
        .map(|r| Receipt {
            assessment_uuid: r.uuid,
            revision: r.revision,
            digest: r.digest,
            received_at: r.received_at,
            outcome: r.outcome,
        })
        .collect();
    Ok(FeedbackBody {
        framework_id: fw.meta.id.clone(),
        framework_version: fw.meta.version,
        member: member.to_string(),
        cycle,
        sequence: store.last_feedback_issued(member, cycle)?.unwrap_or(0) + 1,
        issued_at: issued_at.to_string(),
        receipts,
        review_state: store.review_state(member, cycle)?,
        queries: remarks(store, fw, member, cycle, "query")?,
        notes: remarks(store, fw, member, cycle, "note")?,
        benchmarks: benchmarks(fw, c, member),
        // The newest framework file held goes with every feedback: one e-mail carries both.
        framework: newest_framework_file(store)?,
        interventions: planned_for(store, c, member)?,
    })
}

/// The interventions planned, confirmed or delivered (not retired) that serve `member` and
/// address one of its gaps in the cycle, one entry per such indicator, in framework then
/// programme order; `None` when there are none (the file stays in an older format). Only the
/// activity is named: the other members an intervention serves make it "regional", unnamed.
fn planned_for(store: &Store, c: &Consolidation, member: &str) -> Result<Option<Vec<Planned>>> {
    let Some(scores) = c.members.iter().find(|m| m.member == member).and_then(|m| m.scores.as_ref()) else {
        return Ok(None);
    };
    let fw = framework::current();
    let gaps: Vec<&str> = scores
        .indicators
        .iter()
        .filter(|i| i.gap > 0)
        .filter_map(|i| fw.counting_indicator(&i.code).map(|d| d.code.as_str()))
        .collect();
    let mut out = Vec::new();
    let list = store.interventions()?;
    for ind in fw.indicators.iter().filter(|i| gaps.contains(&i.code.as_str())) {
        for iv in list.iter().filter(|iv| {
            !iv.retired
                && iv.cycle.is_none_or(|cy| cy == c.cycle)
                && feedback::PLANNED_STATES.contains(&iv.status.code())
                && iv.members.iter().any(|m| m == member)
                && iv.indicators.contains(&ind.code)
        }) {
            let delivered = iv.status == crate::store::InterventionStatus::Delivered;
            out.push(Planned {
                indicator: ind.code.clone(),
                title: iv
                    .title
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(feedback::TITLE_MAX)
                    .collect::<String>()
                    .trim()
                    .to_string(),
                kind: iv.kind.clone(),
                mode: iv.mode.clone(),
                year: iv.year,
                quarter: iv.quarter,
                status: iv.status.code().to_string(),
                regional: iv.members.len() > 1,
                started: iv.started.clone().filter(|_| delivered),
                ended: iv.ended.clone().filter(|_| delivered),
            });
        }
    }
    out.retain(|p| !p.title.is_empty());
    out.truncate(feedback::PLANNED_MAX);
    Ok((!out.is_empty()).then_some(out))
}

/// Writes (in memory) and records the next feedback file for a member; the caller saves the
/// bytes. The body is checked by the same rules a member's import applies.
pub fn write_feedback(store: &mut Store, c: &Consolidation, member: &str, key: &SigningKey) -> Result<Written> {
    let issued_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let body = feedback_body(store, c, member, &issued_at)?;
    feedback::validate(&body).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let file_name = feedback::file_name(&body);
    let (sequence, cycle) = (body.sequence, body.cycle);
    let bytes = feedback::write(body, key);
    let digest = feedback::read(&bytes).map_err(|e| StoreError::Invalid(e.to_string()))?.digest;
    store.record_feedback_issued(member, cycle, sequence, &issued_at, &digest)?;
    Ok(Written { member: member.to_string(), file_name, bytes, sequence })
}

/// The text of the newest framework file this installation holds, if any (a member who holds it
/// already leaves it aside).
fn newest_framework_file(store: &Store) -> Result<Option<String>> {
    let Some(row) = store.framework_files()?.into_iter().next() else { return Ok(None) };
    Ok(store.framework_file_bytes(row.revision)?.and_then(|b| String::from_utf8(b).ok()))
}

/// The members to answer for a cycle: every member with a return received.
pub fn members_to_answer(store: &Store, cycle: i32) -> Result<Vec<String>> {
    store.members_received(cycle)
}
