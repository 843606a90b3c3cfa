-- A target is the framework's suggestion until the officer chooses or confirms it (issue 25):
-- gaps, the action plan and the requests for assistance rest on it, so sign-off lists those
-- still at the suggestion. Rows written before this knew no difference: they stay unconfirmed.
ALTER TABLE response ADD COLUMN target_confirmed INTEGER NOT NULL DEFAULT 0;
