//! The Secretariat's side of the demo (issue 24): interventions and deliveries answering the
//! requests for assistance of a cycle, decided the way an analyst would decide the proposals the
//! app makes (`secretariat::programme::proposals`). Deterministic: no clock, no randomness beyond
//! the order of the proposals.

use crate::lang::Lang;
use crate::secretariat::programme::{self as prog, InterventionStatus, SaveError, Scope};
use crate::store::Store;

/// Partners and donors the demo's interventions name (empty: the Secretariat's own).
const PARTNERS: [&str; 4] = ["", "WCO Mercator Programme", "Pacific Development Fund", "Bilateral partner"];

/// What [`interventions`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoProgramme {
    pub accepted: usize,
    pub dismissed: usize,
    /// The interventions kept, by id.
    pub ids: Vec<i64>,
}

/// How many proposals the demo analyst takes up in a cycle (the most requested first); the rest
/// stay proposals, undecided.
pub const TAKEN: usize = 14;

/// Decides the proposals of `cycle` as an analyst would and saves the interventions, with the
/// work programme year `cycle` (the year whose programme answers the cycle). The [`TAKEN`]
/// proposals with the most members asking are taken up; one in five of them is dismissed, the
/// others accepted, every fourth as national missions rather than a workshop. Of those accepted,
/// in turn: delivered (dates, participants, a report), confirmed, delivered, planned, delivered;
/// the fourth is cancelled. Partners and funding rotate.
pub fn interventions(store: &mut Store, cycle: i32) -> Result<DemoProgramme, SaveError> {
    let (_, mut proposals) = prog::plan(store, cycle, Lang::En)?;
    proposals.sort_by_key(|p| std::cmp::Reverse(p.members.len()));
    let mut out = DemoProgramme::default();
    for (n, p) in proposals.iter().take(TAKEN).enumerate() {
        if n % 5 == 4 {
            prog::dismiss(store, p)?;
            out.dismissed += 1;
            continue;
        }
        let k = out.accepted;
        let mut d = p.draft.clone();
        let regional = p.scope == Scope::Regional && k % 4 != 1;
        if !regional {
            d.mode = "national_mission".into();
        }
        d.year = cycle;
        d.quarter = Some((k % 4) as u8 + 1);
        d.partner = PARTNERS[k % PARTNERS.len()].to_string();
        d.funding = ["secured", "committed", "sought", "secured", "unfunded"][k % 5].to_string();
        d.status = match k % 5 {
            0 | 2 | 4 => InterventionStatus::Delivered,
            1 => InterventionStatus::Confirmed,
            _ => InterventionStatus::Planned,
        };
        if k == 3 {
            d.status = InterventionStatus::Cancelled;
        }
        if d.status == InterventionStatus::Delivered {
            let q = d.quarter.unwrap_or(1) as u32;
            let month = (q - 1) * 3 + 2;
            let days = if regional { 4 } else { 2 };
            d.started = Some(format!("{cycle}-{month:02}-10"));
            d.ended = Some(format!("{cycle}-{month:02}-{:02}", 10 + days));
            let per = if regional { 3 } else { 5 };
            d.participants = Some((p.members.len() * per + k % 4) as u32);
            d.report = match regional {
                true => format!(
                    "Delivered to {} administrations; action plans agreed with each; follow-up by remote advice.",
                    p.members.len()
                ),
                false => "Delivered on site; procedures reviewed with the management team; recommendations accepted."
                    .to_string(),
            };
        }
        out.ids.push(prog::accept(store, p, d)?);
        out.accepted += 1;
    }
    Ok(out)
}

/// The Secretariat's own M&E records and targets for a year (issue 24, items 6 and 7), so that
/// the M&E table has all its lines and its Target and Met columns out of the box: policy reviews
/// submitted by a few members, the Pacific Tariff Framework adopted by two, and a target on each
/// line measured by a count (the plan's share where it sets one, else half the members).
pub fn secretariat_records(store: &mut Store, year: i32) -> crate::store::Result<()> {
    let members = crate::framework::members();
    for (n, m) in members.iter().enumerate().filter(|(n, _)| (*n as i32 + year) % 4 == 0) {
        let note =
            if n % 2 == 0 { "Customs Act review submitted" } else { "Tariff and valuation regulations reviewed" };
        store.record_me("policy_reports", year, &m.code, note)?;
    }
    for m in members.iter().filter(|m| m.code == "FJ" || m.code == "WS") {
        store.record_me("ptf", year, &m.code, "Adopted by Cabinet")?;
    }
    let c = crate::secretariat::consolidate::consolidate_without_trend(store, year)?;
    for line in &c.me {
        if let Some(crate::secretariat::consolidate::MeValue::Count { .. }) = line.latest {
            store.set_me_target(&line.id, year, Some(line.target_share.unwrap_or(0.5)))?;
        }
    }
    Ok(())
}
