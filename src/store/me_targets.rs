//! The Secretariat's M&E targets (issue 24, migration `011_me_targets.sql`): one per M&E measure
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
