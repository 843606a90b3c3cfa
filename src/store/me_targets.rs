//! The Secretariat's M&E targets (issue 24, migration `013_me_targets.sql`): one per M&E measure
//! and year, a share of members (0-1) for a count, a level for a mean.

use super::{Result, Store, now};
use rusqlite::params;
use std::collections::BTreeMap;

impl Store {
    /// The targets set for `year`, by measure id.
    pub fn me_targets(&self, year: i32) -> Result<BTreeMap<String, f64>> {
        let mut stmt = self.conn.prepare_cached("SELECT measure, target FROM me_target WHERE year = ?1")?;
        let rows = stmt.query_map([year], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Sets (Some) or removes (None) the target of a measure for a year.
    pub fn set_me_target(&mut self, measure: &str, year: i32, target: Option<f64>) -> Result<()> {
        match target {
            Some(t) => self.conn.execute(
                "INSERT INTO me_target (measure, year, target, set_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(measure, year) DO UPDATE SET target = excluded.target, set_at = excluded.set_at",
                params![measure, year, t, now()],
            )?,
            None => {
                self.conn.execute("DELETE FROM me_target WHERE measure = ?1 AND year = ?2", params![measure, year])?
            }
        };
        Ok(())
    }
}

/// One of the Secretariat's own records for an M&E indicator (see `013_me_targets.sql`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeRecord {
    pub id: i64,
    /// The M&E indicator's id (`MeDef::id`).
    pub indicator: String,
    pub year: i32,
    pub member: String,
    pub note: String,
}

impl Store {
    /// The records of every year up to `year`, by indicator, year and member.
    pub fn me_records(&self, up_to: i32) -> Result<Vec<MeRecord>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, indicator, year, member, note FROM me_record WHERE year <= ?1 ORDER BY indicator, year, member",
        )?;
        let rows = stmt.query_map([up_to], |r| {
            Ok(MeRecord { id: r.get(0)?, indicator: r.get(1)?, year: r.get(2)?, member: r.get(3)?, note: r.get(4)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Records (or replaces the note of) a member's line for an M&E indicator and year.
    pub fn record_me(&mut self, indicator: &str, year: i32, member: &str, note: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO me_record (indicator, year, member, note, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(indicator, year, member) DO UPDATE SET note = excluded.note, recorded_at = excluded.recorded_at",
            params![indicator, year, member, note, now()],
        )?;
        Ok(())
    }

    /// Removes a record.
    pub fn remove_me_record(&mut self, id: i64) -> Result<()> {
        self.conn.execute("DELETE FROM me_record WHERE id = ?1", [id])?;
        Ok(())
    }
}
