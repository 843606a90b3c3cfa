-- The Secretariat's work programme (issue 24): its interventions, the indicators each addresses
-- and the members each serves, and its decisions on the interventions the app proposed.
-- (Migration 10: after the draft index, 8, and the confirmed targets, 9.)

CREATE TABLE intervention (
    id           INTEGER PRIMARY KEY,
    title        TEXT    NOT NULL,
    type         TEXT    NOT NULL,
    competency   TEXT,
    mode         TEXT    NOT NULL,
    expert       TEXT,
    partner      TEXT    NOT NULL DEFAULT '',
    funding      TEXT    NOT NULL,
    year         INTEGER NOT NULL,
    quarter      INTEGER CHECK (quarter BETWEEN 1 AND 4),
    status       TEXT    NOT NULL CHECK (status IN ('proposed', 'planned', 'confirmed', 'delivered', 'cancelled')),
    cycle        INTEGER,
    started      TEXT,
    ended        TEXT,
    participants INTEGER,
    report       TEXT    NOT NULL DEFAULT '',
    retired      INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);

CREATE TABLE intervention_indicator (
    intervention INTEGER NOT NULL REFERENCES intervention (id),
    indicator    TEXT    NOT NULL,
    PRIMARY KEY (intervention, indicator)
);

CREATE TABLE intervention_member (
    intervention INTEGER NOT NULL REFERENCES intervention (id),
    member       TEXT    NOT NULL,
    PRIMARY KEY (intervention, member)
);

-- A proposal decided: `key` names the needs it answered (cycle, indicator, members), so a
-- dismissed proposal does not come back for the same needs.
CREATE TABLE proposal_decision (
    key          TEXT    PRIMARY KEY,
    cycle        INTEGER NOT NULL,
    decision     TEXT    NOT NULL CHECK (decision IN ('accepted', 'merged', 'dismissed')),
    intervention INTEGER REFERENCES intervention (id),
    decided_at   TEXT    NOT NULL
);
