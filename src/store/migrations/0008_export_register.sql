-- The export register: every document that left the panel (minutes, pre-meeting pack,
-- case pack, action log), written after the file was, with what it carried (the minutes'
-- fingerprint, the audit chain's length and head) and who made it. Rows are only ever
-- added, through the Writer: audited like every other. And the case's handling sentence,
-- the second half of a document's handling note ("" means the default sentence).
CREATE TABLE export_register (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    what TEXT NOT NULL CHECK (what IN ('minutes', 'agenda', 'case', 'actions')),
    meeting_number INTEGER,
    agency_code TEXT NOT NULL DEFAULT '',
    format TEXT NOT NULL CHECK (format IN ('md', 'docx')),
    login TEXT NOT NULL,
    person TEXT NOT NULL DEFAULT '',
    anonymised INTEGER NOT NULL DEFAULT 0,
    publication INTEGER NOT NULL DEFAULT 0,
    fingerprint TEXT NOT NULL DEFAULT '',
    chain_rows INTEGER NOT NULL,
    chain_head TEXT NOT NULL,
    file_name TEXT NOT NULL
);
CREATE INDEX export_register_case ON export_register(case_id, what, meeting_number);
ALTER TABLE cases ADD COLUMN handling TEXT NOT NULL DEFAULT '';
