-- Every open looks for drafts that lack a row for an indicator added since (`complete_drafts`).
-- Without this index that read the whole assessment table (945 pages, a third of a second from a
-- cold disk at 10,005 returns) though a Secretariat's database holds no draft at all.
CREATE INDEX assessment_draft ON assessment (id) WHERE status = 'draft';
