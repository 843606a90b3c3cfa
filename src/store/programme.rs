//! The Secretariat's work programme (issue 24, migration `010_programme.sql`): interventions,
//! the indicators each addresses, the members each serves, and the decisions on proposals.

use super::{Result, Store, StoreError, now};
use rusqlite::{OptionalExtension, params};

/// Where an intervention stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum InterventionStatus {
    #[default]
    Proposed,
    Planned,
    Confirmed,
    Delivered,
    Cancelled,
}

impl InterventionStatus {
    pub const ALL: [InterventionStatus; 5] = [
        InterventionStatus::Proposed,
        InterventionStatus::Planned,
        InterventionStatus::Confirmed,
        InterventionStatus::Delivered,
        InterventionStatus::Cancelled,
    ];
    pub fn code(self) -> &'static str {
        match self {
            InterventionStatus::Proposed => "proposed",
            InterventionStatus::Planned => "planned",
            InterventionStatus::Confirmed => "confirmed",
            InterventionStatus::Delivered => "delivered",
            InterventionStatus::Cancelled => "cancelled",
        }
    }
    pub fn from_code(code: &str) -> Option<InterventionStatus> {
        InterventionStatus::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// One intervention of the Secretariat, as stored. Codes (`kind`, `competency`, `mode`, `expert`,
/// `funding`) are checked by `secretariat::programme` before they are kept.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Intervention {
    /// None until it is stored.
    pub id: Option<i64>,
    pub title: String,
    /// One of the framework's four intervention types.
    pub kind: String,
    /// Management, expert or operational competencies.
    pub competency: Option<String>,
    pub mode: String,
    pub expert: Option<String>,
    /// Partner or donor (empty: the Secretariat's own).
    pub partner: String,
    pub funding: String,
    /// The work programme's year, and its quarter.
    pub year: i32,
    pub quarter: Option<u8>,
    pub status: InterventionStatus,
    /// The cycle whose needs it answers.
    pub cycle: Option<i32>,
    /// After delivery: dates (YYYY-MM-DD), participants, a short report.
    pub started: Option<String>,
    pub ended: Option<String>,
    pub participants: Option<u32>,
    pub report: String,
    /// Retired: kept for the record, out of the programme.
    pub retired: bool,
    /// Sorted, unique.
    pub indicators: Vec<String>,
    /// Sorted, unique.
    pub members: Vec<String>,
}

/// What the analyst did with a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Accepted,
    Merged,
    Dismissed,
}

impl Decision {
    pub fn code(self) -> &'static str {
        match self {
            Decision::Accepted => "accepted",
            Decision::Merged => "merged",
            Decision::Dismissed => "dismissed",
        }
    }
    pub fn from_code(code: &str) -> Option<Decision> {
        [Decision::Accepted, Decision::Merged, Decision::Dismissed].into_iter().find(|d| d.code() == code)
    }
}

/// A decision held for a proposal's key.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredDecision {
    pub key: String,
    pub cycle: i32,
    pub decision: Decision,
    pub intervention: Option<i64>,
}

fn write(tx: &rusqlite::Transaction, i: &Intervention) -> Result<i64> {
    let at = now();
    let id = match i.id {
        Some(id) => {
            let n = tx.execute(
                "UPDATE intervention SET title = ?2, type = ?3, competency = ?4, mode = ?5, expert = ?6,
                     partner = ?7, funding = ?8, year = ?9, quarter = ?10, status = ?11, cycle = ?12,
                     started = ?13, ended = ?14, participants = ?15, report = ?16, retired = ?17,
                     updated_at = ?18
                 WHERE id = ?1",
                params![
                    id,
                    i.title,
                    i.kind,
                    i.competency,
                    i.mode,
                    i.expert,
                    i.partner,
                    i.funding,
                    i.year,
                    i.quarter,
                    i.status.code(),
                    i.cycle,
                    i.started,
                    i.ended,
                    i.participants,
                    i.report,
                    i.retired,
                    at
                ],
            )?;
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            tx.execute("DELETE FROM intervention_indicator WHERE intervention = ?1", [id])?;
            tx.execute("DELETE FROM intervention_member WHERE intervention = ?1", [id])?;
            id
        }
        None => {
            tx.execute(
                "INSERT INTO intervention (title, type, competency, mode, expert, partner, funding, year,
                     quarter, status, cycle, started, ended, participants, report, retired, created_at,
                     updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17)",
                params![
                    i.title,
                    i.kind,
                    i.competency,
                    i.mode,
                    i.expert,
                    i.partner,
                    i.funding,
                    i.year,
                    i.quarter,
                    i.status.code(),
                    i.cycle,
                    i.started,
                    i.ended,
                    i.participants,
                    i.report,
                    i.retired,
                    at
                ],
            )?;
            tx.last_insert_rowid()
        }
    };
    for ind in &i.indicators {
        tx.execute(
            "INSERT OR IGNORE INTO intervention_indicator (intervention, indicator) VALUES (?1, ?2)",
            params![id, ind],
        )?;
    }
    for m in &i.members {
        tx.execute("INSERT OR IGNORE INTO intervention_member (intervention, member) VALUES (?1, ?2)", params![id, m])?;
    }
    Ok(id)
}

impl Store {
    /// Every intervention (retired ones too), by year, quarter and id.
    pub fn interventions(&self) -> Result<Vec<Intervention>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, title, type, competency, mode, expert, partner, funding, year, quarter, status, cycle,
                    started, ended, participants, report, retired
             FROM intervention ORDER BY year, quarter IS NULL, quarter, id",
        )?;
        let mut list = stmt
            .query_map([], |r| {
                Ok(Intervention {
                    id: Some(r.get(0)?),
                    title: r.get(1)?,
                    kind: r.get(2)?,
                    competency: r.get(3)?,
                    mode: r.get(4)?,
                    expert: r.get(5)?,
                    partner: r.get(6)?,
                    funding: r.get(7)?,
                    year: r.get(8)?,
                    quarter: r.get(9)?,
                    status: InterventionStatus::from_code(&r.get::<_, String>(10)?).unwrap_or_default(),
                    cycle: r.get(11)?,
                    started: r.get(12)?,
                    ended: r.get(13)?,
                    participants: r.get(14)?,
                    report: r.get(15)?,
                    retired: r.get(16)?,
                    indicators: Vec::new(),
                    members: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let links = |sql: &str| -> Result<Vec<(i64, String)>> {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        };
        let indicators = links("SELECT intervention, indicator FROM intervention_indicator ORDER BY indicator")?;
        let members = links("SELECT intervention, member FROM intervention_member ORDER BY member")?;
        let by_id: std::collections::HashMap<i64, usize> =
            list.iter().enumerate().filter_map(|(n, i)| i.id.map(|id| (id, n))).collect();
        for (id, code) in indicators {
            if let Some(&n) = by_id.get(&id) {
                list[n].indicators.push(code);
            }
        }
        for (id, code) in members {
            if let Some(&n) = by_id.get(&id) {
                list[n].members.push(code);
            }
        }
        Ok(list)
    }

    /// Creates (no id) or replaces an intervention, with its indicators and members, in one
    /// transaction. Returns its id.
    pub fn save_intervention(&mut self, i: &Intervention) -> Result<i64> {
        let tx = self.conn.transaction()?;
        let id = write(&tx, i)?;
        tx.commit()?;
        Ok(id)
    }

    /// Saves an intervention and records the decision on the proposal it came from, together.
    pub fn save_with_decision(&mut self, i: &Intervention, key: &str, cycle: i32, d: Decision) -> Result<i64> {
        let tx = self.conn.transaction()?;
        let id = write(&tx, i)?;
        decide(&tx, key, cycle, d, Some(id))?;
        tx.commit()?;
        Ok(id)
    }

    /// Records a decision on a proposal (a dismissal has no intervention).
    pub fn decide_proposal(&mut self, key: &str, cycle: i32, d: Decision, intervention: Option<i64>) -> Result<()> {
        let tx = self.conn.transaction()?;
        decide(&tx, key, cycle, d, intervention)?;
        tx.commit()?;
        Ok(())
    }

    /// The decisions held on the proposals of a cycle.
    pub fn proposal_decisions(&self, cycle: i32) -> Result<Vec<StoredDecision>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT key, cycle, decision, intervention FROM proposal_decision WHERE cycle = ?1 ORDER BY key",
        )?;
        let rows = stmt.query_map([cycle], |r| {
            Ok(StoredDecision {
                key: r.get(0)?,
                cycle: r.get(1)?,
                decision: Decision::from_code(&r.get::<_, String>(2)?).unwrap_or(Decision::Dismissed),
                intervention: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// One intervention by id.
    pub fn intervention(&self, id: i64) -> Result<Option<Intervention>> {
        let found: Option<i64> =
            self.conn.query_row("SELECT id FROM intervention WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        match found {
            None => Ok(None),
            Some(_) => Ok(self.interventions()?.into_iter().find(|i| i.id == Some(id))),
        }
    }
}

fn decide(tx: &rusqlite::Transaction, key: &str, cycle: i32, d: Decision, intervention: Option<i64>) -> Result<()> {
    tx.execute(
        "INSERT INTO proposal_decision (key, cycle, decision, intervention, decided_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(key) DO UPDATE SET decision = excluded.decision, intervention = excluded.intervention,
             decided_at = excluded.decided_at",
        params![key, cycle, d.code(), intervention, now()],
    )?;
    Ok(())
}
