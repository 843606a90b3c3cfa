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
