-- Sections (issue 26): several officers answer one assessment. (Migration 15: after the query
-- replies, 14.)

-- The coordinator's side: each section handed out, with the answers of its indicators as they
-- stood when it was written (`base`, JSON), so that a later change on either side is seen.
CREATE TABLE section_out (
    id            TEXT    PRIMARY KEY,
    assessment_id INTEGER NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,
    colleague     TEXT    NOT NULL,
    unit          TEXT    NOT NULL,
    indicators    TEXT    NOT NULL,
    due           TEXT,
    message       TEXT    NOT NULL,
    written_at    TEXT    NOT NULL,
    digest        TEXT    NOT NULL,
    base          TEXT    NOT NULL,
    -- The `written_at` of the last answer file merged (a replayed older one is refused).
    answered_at   TEXT,
    merged_at     TEXT
);
CREATE INDEX section_out_assessment ON section_out (assessment_id);

-- A colleague's signing key, pinned at their first answer.
CREATE TABLE colleague_key (
    name        TEXT PRIMARY KEY,
    unit        TEXT NOT NULL,
    public_key  TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    first_seen  TEXT NOT NULL
);

-- Who gave each answer, and when: 'local' (this database's current contributor), 'section' (a
-- colleague's answer file merged) or 'return' (as a return received says).
CREATE TABLE attribution (
    assessment_id INTEGER NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,
    indicator     TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    unit          TEXT    NOT NULL,
    given_at      TEXT    NOT NULL,
    source        TEXT    NOT NULL CHECK (source IN ('local', 'section', 'return')),
    PRIMARY KEY (assessment_id, indicator)
);

-- A colleague's answer that met a change made since the section was written: kept beside ours
-- (JSON) until a person chooses.
CREATE TABLE section_conflict (
    assessment_id INTEGER NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,
    indicator     TEXT    NOT NULL,
    section_id    TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    unit          TEXT    NOT NULL,
    theirs        TEXT    NOT NULL,
    PRIMARY KEY (assessment_id, indicator)
);

-- One laptop: who is answering now (each answer saved is theirs).
CREATE TABLE contributor_current (
    assessment_id INTEGER PRIMARY KEY REFERENCES assessment(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    unit          TEXT NOT NULL
);

-- The colleague's side: the section a local draft answers (never signed off; its answer file
-- goes back to the coordinator).
CREATE TABLE section_in (
    assessment_id   INTEGER PRIMARY KEY REFERENCES assessment(id) ON DELETE CASCADE,
    section_id      TEXT    NOT NULL UNIQUE,
    indicators      TEXT    NOT NULL,
    digest          TEXT    NOT NULL,
    coordinator_key TEXT    NOT NULL,
    bytes           BLOB    NOT NULL
);
