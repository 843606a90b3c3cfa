-- Feedback (issue 10): the Secretariat's review of each member's return for a cycle, its queries
-- and notes, the feedback files it wrote, and on a member's side the feedback files imported.

-- One review state per member and cycle (absent: 'received').
CREATE TABLE review (
    member     TEXT    NOT NULL,
    cycle      INTEGER NOT NULL,
    state      TEXT    NOT NULL CHECK (state IN ('received', 'under_review', 'queries', 'accepted')),
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (member, cycle)
);

-- A query on an indicator, or a note on a request for assistance: one of each per indicator.
CREATE TABLE review_remark (
    member     TEXT    NOT NULL,
    cycle      INTEGER NOT NULL,
    indicator  TEXT    NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('query', 'note')),
    text       TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (member, cycle, indicator, kind)
);

-- Every feedback file the Secretariat wrote (sequence 1, 2, ... per member and cycle).
CREATE TABLE feedback_issued (
    id        INTEGER PRIMARY KEY,
    member    TEXT    NOT NULL,
    cycle     INTEGER NOT NULL,
    sequence  INTEGER NOT NULL,
    issued_at TEXT    NOT NULL,
    digest    TEXT    NOT NULL,
    UNIQUE (member, cycle, sequence)
);

-- Every feedback file a member imported, with its bytes (the latest per cycle is shown).
CREATE TABLE feedback_received (
    id          INTEGER PRIMARY KEY,
    member      TEXT    NOT NULL,
    cycle       INTEGER NOT NULL,
    sequence    INTEGER NOT NULL,
    issued_at   TEXT    NOT NULL,
    digest      TEXT    NOT NULL,
    signer      TEXT    NOT NULL,
    imported_at TEXT    NOT NULL,
    bytes       BLOB    NOT NULL,
    UNIQUE (member, cycle, sequence)
);
