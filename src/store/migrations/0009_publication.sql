-- The publication check. The pseudonym register gains places (schools, employers,
-- addresses) that anonymised output hides like names, and a case records decisions on
-- what the publication check finds: for one text, or (text empty) for every finding of
-- one kind. Plain tables written through the Writer: audited and replayed like the rest.
CREATE TABLE places (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    replacement TEXT NOT NULL DEFAULT ''
);
CREATE INDEX places_case ON places(case_id);

CREATE TABLE publication_decisions (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',
    decision TEXT NOT NULL,
    replacement TEXT NOT NULL DEFAULT ''
);
CREATE INDEX publication_decisions_case ON publication_decisions(case_id);
