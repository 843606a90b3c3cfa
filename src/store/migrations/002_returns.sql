-- Return files: what an imported revision was written by, and the files received.
ALTER TABLE assessment ADD COLUMN app_version TEXT;
ALTER TABLE assessment ADD COLUMN previous_digest TEXT;
ALTER TABLE assessment ADD COLUMN digest TEXT;

CREATE INDEX assessment_member_cycle ON assessment (member, cycle);

-- Every accepted or conflicting file, with its original bytes. Rejected files change nothing.
CREATE TABLE return_file (
    id            INTEGER PRIMARY KEY,
    received_at   TEXT    NOT NULL,
    file_name     TEXT    NOT NULL,
    file_sha256   TEXT    NOT NULL,
    digest        TEXT    NOT NULL,
    uuid          TEXT    NOT NULL,
    member        TEXT    NOT NULL,
    cycle         INTEGER NOT NULL,
    revision      INTEGER NOT NULL,
    outcome       TEXT    NOT NULL CHECK (outcome IN ('accepted', 'supersedes', 'conflict')),
    reason        TEXT    NOT NULL DEFAULT '',
    assessment_id INTEGER REFERENCES assessment(id) ON DELETE SET NULL,
    resolved      INTEGER NOT NULL DEFAULT 0,
    bytes         BLOB    NOT NULL
);

CREATE INDEX return_file_uuid ON return_file (uuid, revision);
