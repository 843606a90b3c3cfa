-- Issue 23: the administration's own development plan, one row per action of a revision (a
-- draft's, a finalised revision's, or an imported return's). Copied into a revision started from
-- a finalised one; carried into next cycle's draft with its status asked (status NULL).
CREATE TABLE plan_action (
    assessment_id INTEGER NOT NULL REFERENCES assessment(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL CHECK (position >= 0),
    indicator     TEXT    NOT NULL,
    what          TEXT    NOT NULL,
    owner         TEXT    NOT NULL,
    start_quarter TEXT    NOT NULL,
    end_quarter   TEXT    NOT NULL,
    resources     TEXT    NOT NULL CHECK (resources IN ('own', 'partner', 'oco')),
    request       TEXT    NOT NULL DEFAULT '',
    status        TEXT CHECK (status IN ('not_started', 'under_way', 'done', 'stopped')),
    reason        TEXT    NOT NULL DEFAULT '',
    progress      TEXT    NOT NULL DEFAULT '',
    from_cycle    INTEGER,
    PRIMARY KEY (assessment_id, position)
);

-- A finalised revision's plan is read-only, as its responses are.
CREATE TRIGGER plan_action_read_only BEFORE UPDATE ON plan_action
WHEN (SELECT status FROM assessment WHERE id = OLD.assessment_id) = 'finalised'
BEGIN SELECT RAISE(ABORT, 'finalised revision is read-only'); END;
