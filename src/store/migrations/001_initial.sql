-- cdf-assess schema, version 1.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One row per revision of an assessment (local drafts and finalised revisions, and imported returns).
CREATE TABLE assessment (
    id                INTEGER PRIMARY KEY,
    uuid              TEXT    NOT NULL,
    member            TEXT    NOT NULL,
    cycle             INTEGER NOT NULL,
    revision          INTEGER NOT NULL CHECK (revision >= 1),
    framework_version INTEGER NOT NULL,
    status            TEXT    NOT NULL CHECK (status IN ('draft', 'finalised')),
    assessor_name     TEXT    NOT NULL,
    assessor_role     TEXT    NOT NULL,
    language          TEXT    NOT NULL,
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL,
    finalised_at      TEXT,
    approved_by       TEXT,
    imported          INTEGER NOT NULL DEFAULT 0,
    UNIQUE (uuid, revision)
);

CREATE TABLE response (
    assessment_id INTEGER NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,
    indicator     TEXT    NOT NULL,
    position      INTEGER NOT NULL,
    answer        TEXT CHECK (answer IN ('0', '1', '2', '3', '4', 'na', 'insufficient')),
    target        INTEGER NOT NULL CHECK (target BETWEEN 0 AND 4),
    confidence    TEXT CHECK (confidence IN ('low', 'medium', 'high')),
    commitment    TEXT CHECK (commitment IN ('willing', 'partly', 'not_yet')),
    evidence      TEXT NOT NULL DEFAULT '',
    comment       TEXT NOT NULL DEFAULT '',
    need          TEXT CHECK (need IN ('A', 'B', 'C')),
    updated_at    TEXT,
    PRIMARY KEY (assessment_id, indicator)
);

CREATE TABLE profile (
    assessment_id   INTEGER PRIMARY KEY REFERENCES assessment(id) ON DELETE CASCADE,
    hs_version      TEXT NOT NULL,
    rkc             TEXT NOT NULL,
    wto_valuation   TEXT NOT NULL,
    risk_management TEXT NOT NULL,
    automation      TEXT NOT NULL,
    arusha          TEXT NOT NULL,
    pca             TEXT NOT NULL
);

-- A finalised revision is read-only, whatever code path tries to change it.
CREATE TRIGGER response_read_only BEFORE UPDATE ON response
WHEN (SELECT status FROM assessment WHERE id = OLD.assessment_id) = 'finalised'
BEGIN SELECT RAISE(ABORT, 'finalised revision is read-only'); END;

CREATE TRIGGER profile_read_only BEFORE UPDATE ON profile
WHEN (SELECT status FROM assessment WHERE id = OLD.assessment_id) = 'finalised'
BEGIN SELECT RAISE(ABORT, 'finalised revision is read-only'); END;

CREATE TRIGGER assessment_read_only BEFORE UPDATE ON assessment
WHEN OLD.status = 'finalised'
BEGIN SELECT RAISE(ABORT, 'finalised revision is read-only'); END;
