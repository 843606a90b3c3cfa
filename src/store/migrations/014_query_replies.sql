-- The query loop (issue 25): a member's reply to each query of the Secretariat, kept with the
-- revision that answers it (a draft's, then signed off with it; an imported revision's, as its
-- return carried them).
CREATE TABLE query_reply (
    assessment_id INTEGER NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,
    indicator     TEXT    NOT NULL,
    text          TEXT    NOT NULL,
    PRIMARY KEY (assessment_id, indicator)
);

-- The Secretariat: the newest revision held when the review state was last set. A state of
-- 'queries' with a newer revision received since reads as 'answered'.
ALTER TABLE review ADD COLUMN queried_revision INTEGER;
UPDATE review SET queried_revision = (
    SELECT max(a.revision) FROM assessment a
    WHERE a.imported = 1 AND a.member = review.member AND a.cycle = review.cycle);

-- An administration's outbox: every return file written (exported), when, and when the officer
-- said it was sent. The receipt comes from the Secretariat's feedback.
CREATE TABLE return_export (
    id            INTEGER PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,
    path          TEXT    NOT NULL,
    digest        TEXT    NOT NULL,
    written_at    TEXT    NOT NULL,
    sent_at       TEXT
);
CREATE INDEX return_export_assessment ON return_export (assessment_id);
