//! Import batches: many received files in one transaction (one commit, one fsync), each file
//! under its own SAVEPOINT so that a file that fails changes nothing and the others are kept.
//!
//! A crash mid-batch loses the files of the current batch only (importing them again is
//! idempotent: a file already held is "already imported"). While a batch is open, only the
//! import path may write ([`Store::import_return`], [`Store::release_held`], [`Store::unit`]);
//! other changes that open their own transaction are refused by SQLite until it is committed.

use super::{Result, Store, StoreError};
use std::time::Instant;

/// The open batch.
pub(crate) struct Batch {
    pub(crate) started: Instant,
    /// Units (files) run in it.
    pub(crate) units: usize,
    /// SQLite rolled the whole transaction back (disk full, I/O error): its files are lost.
    pub(crate) lost: bool,
}

impl Store {
    /// Starts an import batch (nothing if one is open): one write transaction until
    /// [`Store::commit_batch`].
    pub fn begin_batch(&mut self) -> Result<()> {
        if self.batch.is_none() {
            self.conn.execute_batch("BEGIN IMMEDIATE")?;
            self.batch = Some(Batch { started: Instant::now(), units: 0, lost: false });
        }
        Ok(())
    }

    /// Commits the open batch (nothing if none): on disk when it returns. An error means the
    /// batch's files are not kept.
    pub fn commit_batch(&mut self) -> Result<()> {
        let Some(b) = self.batch.take() else { return Ok(()) };
        if b.lost || self.conn.is_autocommit() {
            return Err(StoreError::Invalid("the import batch was rolled back".into()));
        }
        if let Err(e) = self.conn.execute_batch("COMMIT") {
            if !self.conn.is_autocommit() {
                let _ = self.conn.execute_batch("ROLLBACK");
            }
            return Err(e.into());
        }
        Ok(())
    }

    /// Abandons the open batch: none of its files are kept.
    pub fn rollback_batch(&mut self) {
        if self.batch.take().is_some() && !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }

    /// The open batch, if any: (units run in it, when it started).
    pub fn batch_size(&self) -> Option<(usize, Instant)> {
        self.batch.as_ref().map(|b| (b.units, b.started))
    }

    /// Runs `f` as one unit: inside a batch, under its own SAVEPOINT, rolled back if `f` fails
    /// (what it wrote is undone, the batch carries on); outside a batch, `f` as it is.
    pub fn unit<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&mut Store) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        if self.batch.is_none() {
            return f(self);
        }
        self.conn.execute_batch("SAVEPOINT unit").map_err(StoreError::from)?;
        if let Some(b) = &mut self.batch {
            b.units += 1;
        }
        let r = f(self);
        let end = if r.is_ok() { "RELEASE unit" } else { "ROLLBACK TO unit; RELEASE unit" };
        if self.conn.is_autocommit() {
            // SQLite rolled the whole transaction back.
            if let Some(b) = &mut self.batch {
                b.lost = true;
            }
            return match r {
                Ok(_) => Err(StoreError::Invalid("the import batch was rolled back".into()).into()),
                e => e,
            };
        }
        self.conn.execute_batch(end).map_err(StoreError::from)?;
        r
    }
}
