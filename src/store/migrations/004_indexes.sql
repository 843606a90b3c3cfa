-- The first receipt of each assessment is looked up per assessment (consolidation, trends):
-- without this index every lookup read the whole return_file table, blobs included.
CREATE INDEX return_file_assessment ON return_file (assessment_id);
