-- The Secretariat at scale (issue 12).
--
-- Scores of each imported revision, stored when it is imported, so that trends and the
-- dashboard read numbers instead of scoring every revision of every cycle again. `scoring` is
-- the version of the scoring rules that computed the row (`secretariat::consolidate::SCORING`):
-- rows of another version, and revisions imported before this migration, are computed again in
-- Rust after it (`secretariat::consolidate::fill_scores`, in committed steps: safe to interrupt).
CREATE TABLE revision_score (
    assessment_id INTEGER PRIMARY KEY REFERENCES assessment(id) ON DELETE CASCADE,
    scoring       INTEGER NOT NULL,
    overall       REAL,
    ability       REAL,
    willingness   REAL,
    quadrant      TEXT
);

-- One row per pillar of a scored revision (0-100 score and 0-4 level; NULL when not scored).
CREATE TABLE pillar_score (
    assessment_id INTEGER NOT NULL REFERENCES revision_score(assessment_id) ON DELETE CASCADE,
    pillar        TEXT    NOT NULL,
    level         REAL,
    score         REAL,
    PRIMARY KEY (assessment_id, pillar)
) WITHOUT ROWID;

-- Cycles held, without reading every revision.
CREATE INDEX assessment_imported_cycle ON assessment (cycle) WHERE imported = 1;

-- Open conflicts and files waiting, per cycle, without reading return_file (which holds the files).
CREATE INDEX return_file_open ON return_file (cycle, outcome, member) WHERE resolved = 0;

-- A file received again, byte for byte, is found without reading it again.
CREATE INDEX return_file_sha256 ON return_file (file_sha256);

-- The list of received files (the import page, at start-up) without reading the files.
CREATE INDEX return_file_list ON return_file (id, received_at, file_name, member, cycle, revision, outcome, reason,
    resolved);
