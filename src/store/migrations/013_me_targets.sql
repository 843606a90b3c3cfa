-- The Secretariat's M&E targets (issue 24, item 7): one target per M&E measure (the line of the
-- M&E table, `MeIndicator::id`) and year. For a count, the share of members (0-1); for a mean,
-- the mean level. (Migration 11: after the work programme, 10.)

CREATE TABLE me_target (
    measure TEXT    NOT NULL,
    year    INTEGER NOT NULL,
    target  REAL    NOT NULL CHECK (target >= 0),
    set_at  TEXT    NOT NULL,
    PRIMARY KEY (measure, year)
);

-- The Secretariat's own records for the M&E indicators the self-assessment cannot measure
-- (issue 24, item 6): one line per M&E indicator (`MeDef::id`, e.g. `policy_reports` for 3.4.1,
-- `ptf` for 4.1.1), year and member: that member's review submitted, or framework adopted.
CREATE TABLE me_record (
    id          INTEGER PRIMARY KEY,
    indicator   TEXT    NOT NULL,
    year        INTEGER NOT NULL,
    member      TEXT    NOT NULL,
    note        TEXT    NOT NULL DEFAULT '',
    recorded_at TEXT    NOT NULL,
    UNIQUE (indicator, year, member)
);
