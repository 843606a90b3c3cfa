-- Signed returns (format 2): the member keys the Secretariat trusts, assessments set aside by a
-- person, revisions a person accepted although they do not chain, and files held waiting.

-- One row per key ever pinned for a member; at most one active. Older keys stay as history.
CREATE TABLE member_key (
    id          INTEGER PRIMARY KEY,
    member      TEXT    NOT NULL,
    public_key  TEXT    NOT NULL,
    fingerprint TEXT    NOT NULL,
    pinned_at   TEXT    NOT NULL,
    how         TEXT    NOT NULL CHECK (how IN ('first_use', 'by_hand')),
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    retired_at  TEXT
);
CREATE UNIQUE INDEX member_key_one_active ON member_key (member) WHERE active = 1;

-- retired: another assessment of the member and cycle was chosen by a person; this one counts nowhere.
ALTER TABLE assessment ADD COLUMN retired INTEGER NOT NULL DEFAULT 0;
-- confirmed: a person chose this revision although it does not chain to the one before.
ALTER TABLE assessment ADD COLUMN confirmed INTEGER NOT NULL DEFAULT 0;

-- A finalised revision stays read-only, except for these two marks a person sets.
DROP TRIGGER assessment_read_only;

-- Assessment ids in one form (lower case, without urn:uuid:); a clash keeps the old spelling.
UPDATE OR IGNORE assessment SET uuid = replace(lower(uuid), 'urn:uuid:', '') WHERE imported = 1;

CREATE TRIGGER assessment_read_only BEFORE UPDATE OF uuid, member, cycle, revision, framework_version, status,
    assessor_name, assessor_role, language, created_at, updated_at, finalised_at, approved_by, imported,
    app_version, previous_digest, digest ON assessment
WHEN OLD.status = 'finalised'
BEGIN SELECT RAISE(ABORT, 'finalised revision is read-only'); END;

-- return_file gains 'held' (waiting for an earlier revision), the kind of a conflict
-- ('revision', 'key', 'assessment') and the key that signed the file.
CREATE TABLE return_file_new (
    id            INTEGER PRIMARY KEY,
    received_at   TEXT    NOT NULL,
    file_name     TEXT    NOT NULL,
    file_sha256   TEXT    NOT NULL,
    digest        TEXT    NOT NULL,
    uuid          TEXT    NOT NULL,
    member        TEXT    NOT NULL,
    cycle         INTEGER NOT NULL,
    revision      INTEGER NOT NULL,
    outcome       TEXT    NOT NULL CHECK (outcome IN ('accepted', 'supersedes', 'conflict', 'held')),
    reason        TEXT    NOT NULL DEFAULT '',
    assessment_id INTEGER REFERENCES assessment(id) ON DELETE SET NULL,
    resolved      INTEGER NOT NULL DEFAULT 0,
    bytes         BLOB    NOT NULL,
    kind          TEXT    NOT NULL DEFAULT '',
    signer        TEXT    NOT NULL DEFAULT '',
    fingerprint   TEXT    NOT NULL DEFAULT ''
);
INSERT INTO return_file_new (id, received_at, file_name, file_sha256, digest, uuid, member, cycle, revision,
    outcome, reason, assessment_id, resolved, bytes, kind)
SELECT id, received_at, file_name, file_sha256, digest, replace(lower(uuid), 'urn:uuid:', ''), member, cycle,
    revision, outcome, reason, assessment_id, resolved, bytes, CASE outcome WHEN 'conflict' THEN 'revision' ELSE '' END
FROM return_file;
DROP TABLE return_file;
ALTER TABLE return_file_new RENAME TO return_file;
CREATE INDEX return_file_uuid ON return_file (uuid, revision);
