-- Version 2: the timeline reads windows of rows deep into a long chronology. A partial
-- index over the rows not withdrawn, in timeline order, lets SQLite skip to a window
-- from the index alone instead of visiting every skipped row in the table.
DROP INDEX chronology_order;
CREATE INDEX chronology_timeline ON chronology(case_id, date_sort IS NULL, date_sort, date_latest, time, id)
    WHERE deleted_at IS NULL;
