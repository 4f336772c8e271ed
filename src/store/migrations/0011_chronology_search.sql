-- Version 11: a search index over the chronology, so the timeline's free-text filter
-- finds entries without reading every row. It holds, for each entry, exactly the text
-- the filter has always matched against: the entry's text fields and its agency's code
-- and name, joined by spaces and lowered by SQLite's lower() (ASCII letters only). The
-- trigram tokenizer keeps letter case as given, so a phrase of three characters or more
-- matches exactly where that text contains it.
--
-- At most the first 100,000 characters of an entry's text are indexed (each field is cut
-- to that length before the text is put together, so a field of 50 MB is never copied
-- whole); an entry with more has `long` set to 'yes', and the filter checks such entries
-- against their whole text. (Bytes are counted there, not characters: never fewer, and a
-- character count would stop at a NUL.)
--
-- Contentless (the text is not stored twice) with deletes allowed; kept in step by the
-- triggers below. Left out of `dhr check`'s replay by name: it is derived, not a record.

CREATE VIRTUAL TABLE chronology_search USING fts5(
    body, long,
    content = '', contentless_delete = 1,
    tokenize = 'trigram case_sensitive 1'
);

INSERT INTO chronology_search (rowid, body, long)
SELECT c.id,
    substr(lower(substr(c.date_text, 1, 100000) || ' ' ||
            substr(c.event, 1, 100000) || ' ' ||
            substr(c.subjects, 1, 100000) || ' ' ||
            substr(c.source_ref, 1, 100000) || ' ' ||
            substr(c.action_outcome, 1, 100000) || ' ' ||
            substr(c.agency_comment, 1, 100000) || ' ' ||
            substr(c.panel_analysis, 1, 100000) || ' ' ||
            substr(c.risk_dash, 1, 100000) || ' ' ||
            substr(c.risk_marac, 1, 100000) || ' ' ||
            substr(ifnull(a.code, ''), 1, 100000) || ' ' ||
            substr(ifnull(a.name, ''), 1, 100000)), 1, 100000),
    CASE WHEN octet_length(c.date_text) + octet_length(c.event) + octet_length(c.subjects) + octet_length(c.source_ref) + octet_length(c.action_outcome) + octet_length(c.agency_comment) + octet_length(c.panel_analysis) + octet_length(c.risk_dash) + octet_length(c.risk_marac) + octet_length(ifnull(a.code, '')) + octet_length(ifnull(a.name, '')) + 10 > 100000 THEN 'yes' ELSE '' END
FROM chronology c LEFT JOIN agencies a ON a.id = c.agency_id;

CREATE TRIGGER chronology_search_insert AFTER INSERT ON chronology BEGIN
    INSERT INTO chronology_search (rowid, body, long)
    SELECT new.id,
        substr(lower(substr(new.date_text, 1, 100000) || ' ' ||
            substr(new.event, 1, 100000) || ' ' ||
            substr(new.subjects, 1, 100000) || ' ' ||
            substr(new.source_ref, 1, 100000) || ' ' ||
            substr(new.action_outcome, 1, 100000) || ' ' ||
            substr(new.agency_comment, 1, 100000) || ' ' ||
            substr(new.panel_analysis, 1, 100000) || ' ' ||
            substr(new.risk_dash, 1, 100000) || ' ' ||
            substr(new.risk_marac, 1, 100000) || ' ' ||
            substr(ifnull(a.code, ''), 1, 100000) || ' ' ||
            substr(ifnull(a.name, ''), 1, 100000)), 1, 100000),
        CASE WHEN octet_length(new.date_text) + octet_length(new.event) + octet_length(new.subjects) + octet_length(new.source_ref) + octet_length(new.action_outcome) + octet_length(new.agency_comment) + octet_length(new.panel_analysis) + octet_length(new.risk_dash) + octet_length(new.risk_marac) + octet_length(ifnull(a.code, '')) + octet_length(ifnull(a.name, '')) + 10 > 100000 THEN 'yes' ELSE '' END
    FROM (SELECT 1) LEFT JOIN agencies a ON a.id = new.agency_id;
END;

CREATE TRIGGER chronology_search_update AFTER UPDATE OF date_text, event, subjects, source_ref,
    action_outcome, agency_comment, panel_analysis, risk_dash, risk_marac, agency_id ON chronology BEGIN
    DELETE FROM chronology_search WHERE rowid = old.id;
    INSERT INTO chronology_search (rowid, body, long)
    SELECT new.id,
        substr(lower(substr(new.date_text, 1, 100000) || ' ' ||
            substr(new.event, 1, 100000) || ' ' ||
            substr(new.subjects, 1, 100000) || ' ' ||
            substr(new.source_ref, 1, 100000) || ' ' ||
            substr(new.action_outcome, 1, 100000) || ' ' ||
            substr(new.agency_comment, 1, 100000) || ' ' ||
            substr(new.panel_analysis, 1, 100000) || ' ' ||
            substr(new.risk_dash, 1, 100000) || ' ' ||
            substr(new.risk_marac, 1, 100000) || ' ' ||
            substr(ifnull(a.code, ''), 1, 100000) || ' ' ||
            substr(ifnull(a.name, ''), 1, 100000)), 1, 100000),
        CASE WHEN octet_length(new.date_text) + octet_length(new.event) + octet_length(new.subjects) + octet_length(new.source_ref) + octet_length(new.action_outcome) + octet_length(new.agency_comment) + octet_length(new.panel_analysis) + octet_length(new.risk_dash) + octet_length(new.risk_marac) + octet_length(ifnull(a.code, '')) + octet_length(ifnull(a.name, '')) + 10 > 100000 THEN 'yes' ELSE '' END
    FROM (SELECT 1) LEFT JOIN agencies a ON a.id = new.agency_id;
END;

CREATE TRIGGER chronology_search_delete AFTER DELETE ON chronology BEGIN
    DELETE FROM chronology_search WHERE rowid = old.id;
END;

-- An agency renamed: its entries are indexed again with the new code and name.
CREATE TRIGGER chronology_search_agency AFTER UPDATE OF code, name ON agencies BEGIN
    DELETE FROM chronology_search WHERE rowid IN (SELECT id FROM chronology WHERE agency_id = new.id);
    INSERT INTO chronology_search (rowid, body, long)
    SELECT c.id,
        substr(lower(substr(c.date_text, 1, 100000) || ' ' ||
            substr(c.event, 1, 100000) || ' ' ||
            substr(c.subjects, 1, 100000) || ' ' ||
            substr(c.source_ref, 1, 100000) || ' ' ||
            substr(c.action_outcome, 1, 100000) || ' ' ||
            substr(c.agency_comment, 1, 100000) || ' ' ||
            substr(c.panel_analysis, 1, 100000) || ' ' ||
            substr(c.risk_dash, 1, 100000) || ' ' ||
            substr(c.risk_marac, 1, 100000) || ' ' ||
            substr(new.code, 1, 100000) || ' ' ||
            substr(new.name, 1, 100000)), 1, 100000),
        CASE WHEN octet_length(c.date_text) + octet_length(c.event) + octet_length(c.subjects) + octet_length(c.source_ref) + octet_length(c.action_outcome) + octet_length(c.agency_comment) + octet_length(c.panel_analysis) + octet_length(c.risk_dash) + octet_length(c.risk_marac) + octet_length(new.code) + octet_length(new.name) + 10 > 100000 THEN 'yes' ELSE '' END
    FROM chronology c WHERE c.agency_id = new.id;
END;
