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
