-- Version 11: a search index over the chronology, so the timeline's free-text filter
-- finds entries without reading every row. It holds, for each entry, exactly the text
-- the filter has always matched against: the entry's text fields and its agency's code
-- and name, joined by spaces and lowered by SQLite's lower() (ASCII letters only). The
-- trigram tokenizer keeps letter case as given, so a phrase of three characters or more
-- matches exactly where that text contains it.
--
-- At most 100,000 characters of an entry are indexed; an entry with more has `long` set
-- to 'yes', and the filter checks such entries against their whole text.
--
-- Contentless (the text is not stored twice) with deletes allowed; kept in step by the
-- triggers below. Left out of `dhr check`'s replay by name: it is derived, not a record.

CREATE VIRTUAL TABLE chronology_search USING fts5(
    body, long,
    content = '', contentless_delete = 1,
    tokenize = 'trigram case_sensitive 1'
);

INSERT INTO chronology_search (rowid, body, long)
SELECT id, substr(h, 1, 100000), CASE WHEN length(h) > 100000 THEN 'yes' ELSE '' END
FROM (
    SELECT c.id AS id, lower(c.date_text || ' ' || c.event || ' ' || c.subjects || ' ' || c.source_ref || ' ' ||
        c.action_outcome || ' ' || c.agency_comment || ' ' || c.panel_analysis || ' ' || c.risk_dash || ' ' ||
        c.risk_marac || ' ' || ifnull(a.code, '') || ' ' || ifnull(a.name, '')) AS h
    FROM chronology c LEFT JOIN agencies a ON a.id = c.agency_id
);

CREATE TRIGGER chronology_search_insert AFTER INSERT ON chronology BEGIN
    INSERT INTO chronology_search (rowid, body, long)
    SELECT new.id, substr(h, 1, 100000), CASE WHEN length(h) > 100000 THEN 'yes' ELSE '' END
    FROM (
        SELECT lower(new.date_text || ' ' || new.event || ' ' || new.subjects || ' ' || new.source_ref || ' ' ||
            new.action_outcome || ' ' || new.agency_comment || ' ' || new.panel_analysis || ' ' || new.risk_dash || ' ' ||
            new.risk_marac || ' ' || ifnull(a.code, '') || ' ' || ifnull(a.name, '')) AS h
        FROM (SELECT 1) LEFT JOIN agencies a ON a.id = new.agency_id
    );
END;

CREATE TRIGGER chronology_search_update AFTER UPDATE OF date_text, event, subjects, source_ref,
    action_outcome, agency_comment, panel_analysis, risk_dash, risk_marac, agency_id ON chronology BEGIN
    DELETE FROM chronology_search WHERE rowid = old.id;
    INSERT INTO chronology_search (rowid, body, long)
    SELECT new.id, substr(h, 1, 100000), CASE WHEN length(h) > 100000 THEN 'yes' ELSE '' END
    FROM (
        SELECT lower(new.date_text || ' ' || new.event || ' ' || new.subjects || ' ' || new.source_ref || ' ' ||
            new.action_outcome || ' ' || new.agency_comment || ' ' || new.panel_analysis || ' ' || new.risk_dash || ' ' ||
            new.risk_marac || ' ' || ifnull(a.code, '') || ' ' || ifnull(a.name, '')) AS h
        FROM (SELECT 1) LEFT JOIN agencies a ON a.id = new.agency_id
    );
END;

CREATE TRIGGER chronology_search_delete AFTER DELETE ON chronology BEGIN
    DELETE FROM chronology_search WHERE rowid = old.id;
END;

-- An agency renamed: its entries are indexed again with the new code and name.
CREATE TRIGGER chronology_search_agency AFTER UPDATE OF code, name ON agencies BEGIN
    DELETE FROM chronology_search WHERE rowid IN (SELECT id FROM chronology WHERE agency_id = new.id);
    INSERT INTO chronology_search (rowid, body, long)
    SELECT id, substr(h, 1, 100000), CASE WHEN length(h) > 100000 THEN 'yes' ELSE '' END
    FROM (
        SELECT c.id AS id, lower(c.date_text || ' ' || c.event || ' ' || c.subjects || ' ' || c.source_ref || ' ' ||
            c.action_outcome || ' ' || c.agency_comment || ' ' || c.panel_analysis || ' ' || c.risk_dash || ' ' ||
            c.risk_marac || ' ' || new.code || ' ' || new.name) AS h
        FROM chronology c WHERE c.agency_id = new.id
    );
END;
