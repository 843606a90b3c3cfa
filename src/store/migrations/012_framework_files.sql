-- Framework files (issue 22): each content revision imported from a signed `.ocoframework` file,
-- with its bytes (re-verified whenever it is read). The newest is used for new assessments; the
-- content built into the program (revision 2) is the fallback.
CREATE TABLE framework_file (
    revision          INTEGER PRIMARY KEY,
    framework_version INTEGER NOT NULL,
    replaces          INTEGER NOT NULL,
    issued_at         TEXT    NOT NULL,
    content_digest    TEXT    NOT NULL,
    digest            TEXT    NOT NULL,
    signer            TEXT    NOT NULL,
    imported_at       TEXT    NOT NULL,
    bytes             BLOB    NOT NULL
);

-- A draft's answer on an indicator whose level descriptors a framework file changed: kept, and
-- marked "the descriptors changed: check your answer" until the answer is given again.
CREATE TABLE response_recheck (
    assessment_id INTEGER NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,
    indicator     TEXT    NOT NULL,
    revision      INTEGER NOT NULL,
    PRIMARY KEY (assessment_id, indicator)
);

-- The content revision a revision was signed off under (NULL: a draft, or signed off before
-- framework files): its return is written, and it is scored, against that revision for ever.
ALTER TABLE assessment ADD COLUMN content_revision INTEGER;

-- The Secretariat: returns written under a content revision it does not hold yet, kept as they
-- came and imported by themselves when that revision's framework file is imported.
CREATE TABLE return_waiting_content (
    id               INTEGER PRIMARY KEY,
    file_name        TEXT    NOT NULL,
    file_sha256      TEXT    NOT NULL UNIQUE,
    content_revision INTEGER NOT NULL,
    received_at      TEXT    NOT NULL,
    bytes            BLOB    NOT NULL
);
