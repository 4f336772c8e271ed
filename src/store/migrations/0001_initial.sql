-- DHR Panel schema, version 1. Never edit after release: add a new numbered file.
-- Every table has an integer id, created_at and updated_at (UTC, RFC 3339) and, where
-- a user can remove a row, deleted_at: removal is a soft delete recorded in the audit.

CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    reference TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('DHR', 'DARDR')),
    title TEXT NOT NULL DEFAULT '',
    partnership TEXT NOT NULL DEFAULT '',
    marking TEXT NOT NULL DEFAULT 'OFFICIAL-SENSITIVE',
    date_of_death TEXT,
    notified_on TEXT,
    decision_on TEXT,
    home_office_notified_on TEXT,
    chair TEXT NOT NULL DEFAULT '',
    overview_author TEXT NOT NULL DEFAULT '',
    period_from TEXT,
    period_to TEXT,
    stage TEXT NOT NULL,
    paused INTEGER NOT NULL DEFAULT 0,
    paused_reason TEXT NOT NULL DEFAULT '',
    paused_on TEXT,
    extended_to TEXT,
    extension_reason TEXT NOT NULL DEFAULT '',
    report_completed_on TEXT,
    ho_submitted_on TEXT,
    qa_outcome TEXT,
    qa_outcome_on TEXT,
    published_on TEXT,
    commissioner_sent_on TEXT
);

CREATE TABLE subjects (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    role TEXT NOT NULL,
    real_names TEXT NOT NULL DEFAULT '',
    pseudonym TEXT NOT NULL,
    relationship TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX subjects_case ON subjects(case_id);

CREATE TABLE agencies (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    name TEXT NOT NULL,
    code TEXT NOT NULL,
    contact_found TEXT NOT NULL DEFAULT 'unknown',
    return_type TEXT NOT NULL,
    author TEXT NOT NULL DEFAULT '',
    author_independent INTEGER,
    requested_on TEXT,
    due_on TEXT,
    received_on TEXT,
    status TEXT NOT NULL,
    scoped_out_reason TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX agencies_case ON agencies(case_id);

CREATE TABLE agency_chasers (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    agency_id INTEGER NOT NULL REFERENCES agencies(id),
    chased_on TEXT NOT NULL
);
CREATE INDEX agency_chasers_agency ON agency_chasers(agency_id);

CREATE TABLE panel_members (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    agency_id INTEGER NOT NULL REFERENCES agencies(id),
    name TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT '',
    deputy TEXT NOT NULL DEFAULT ''
);
CREATE INDEX panel_members_agency ON panel_members(agency_id);

CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    number INTEGER NOT NULL,
    date TEXT NOT NULL,
    start_time TEXT NOT NULL DEFAULT '',
    end_time TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    chair TEXT NOT NULL DEFAULT '',
    minute_taker TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    approved_at_meeting_id INTEGER REFERENCES meetings(id),
    fingerprint TEXT NOT NULL DEFAULT '',
    UNIQUE (case_id, number)
);

CREATE TABLE terms (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    position INTEGER NOT NULL,
    heading TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    meeting_id INTEGER REFERENCES meetings(id)
);
CREATE INDEX terms_case ON terms(case_id, position);

-- The chair's explicit mark that an agency's return addresses an item.
CREATE TABLE term_coverage (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    term_id INTEGER NOT NULL REFERENCES terms(id),
    agency_id INTEGER NOT NULL REFERENCES agencies(id)
);

CREATE TABLE chronology (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    date_text TEXT NOT NULL,
    date_precision TEXT NOT NULL,
    date_approximate INTEGER NOT NULL DEFAULT 0,
    date_earliest TEXT,
    date_latest TEXT,
    -- The day the entry sorts by: its earliest day, or for "before X" its latest.
    date_sort TEXT,
    time TEXT,
    agency_id INTEGER REFERENCES agencies(id),
    source_ref TEXT NOT NULL DEFAULT '',
    subjects TEXT NOT NULL DEFAULT '',
    event TEXT NOT NULL,
    action_outcome TEXT NOT NULL DEFAULT '',
    risk_dash TEXT NOT NULL DEFAULT '',
    risk_marac TEXT NOT NULL DEFAULT '',
    agency_comment TEXT NOT NULL DEFAULT '',
    panel_analysis TEXT NOT NULL DEFAULT '',
    key_event INTEGER NOT NULL DEFAULT 0,
    missed_opportunity INTEGER NOT NULL DEFAULT 0,
    import_file TEXT,
    import_line INTEGER,
    imported_at TEXT,
    fingerprint TEXT,
    extra TEXT NOT NULL DEFAULT '[]'
);
-- The timeline reads a window of rows in this order; undated rows (no sort day) last.
CREATE INDEX chronology_order ON chronology(case_id, date_sort IS NULL, date_sort, date_latest, time, id);
CREATE INDEX chronology_fingerprint ON chronology(case_id, fingerprint);

CREATE TABLE chronology_subjects (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    entry_id INTEGER NOT NULL REFERENCES chronology(id),
    subject_id INTEGER NOT NULL REFERENCES subjects(id)
);
CREATE INDEX chronology_subjects_entry ON chronology_subjects(entry_id);

CREATE TABLE chronology_terms (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    entry_id INTEGER NOT NULL REFERENCES chronology(id),
    term_id INTEGER NOT NULL REFERENCES terms(id)
);
CREATE INDEX chronology_terms_entry ON chronology_terms(entry_id);

CREATE TABLE attendance (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    person TEXT NOT NULL,
    agency_id INTEGER REFERENCES agencies(id),
    role TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    guest INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX attendance_meeting ON attendance(meeting_id);

CREATE TABLE declarations (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    person TEXT NOT NULL,
    body TEXT NOT NULL
);

CREATE TABLE agenda_items (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    position INTEGER NOT NULL,
    title TEXT NOT NULL
);
CREATE INDEX agenda_items_meeting ON agenda_items(meeting_id, position);

CREATE TABLE minutes (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    agenda_item_id INTEGER NOT NULL REFERENCES agenda_items(id),
    position INTEGER NOT NULL,
    minuted_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    record_table TEXT,
    record_id INTEGER
);
CREATE INDEX minutes_meeting ON minutes(meeting_id, position);

-- Corrections to approved minutes: who, when and what, listed after them.
CREATE TABLE amendments (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    made_at_meeting_id INTEGER REFERENCES meetings(id),
    made_by TEXT NOT NULL,
    body TEXT NOT NULL
);

CREATE TABLE challenges (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    agency_id INTEGER REFERENCES agencies(id),
    question TEXT NOT NULL,
    meeting_id INTEGER REFERENCES meetings(id),
    raised_by TEXT NOT NULL DEFAULT '',
    raised_on TEXT,
    response_due TEXT,
    response TEXT NOT NULL DEFAULT '',
    response_on TEXT,
    status TEXT NOT NULL
);
CREATE INDEX challenges_case ON challenges(case_id);

CREATE TABLE challenge_terms (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    challenge_id INTEGER NOT NULL REFERENCES challenges(id),
    term_id INTEGER NOT NULL REFERENCES terms(id)
);

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    meeting_id INTEGER REFERENCES meetings(id),
    body TEXT NOT NULL,
    rationale TEXT NOT NULL DEFAULT '',
    decided_by TEXT NOT NULL DEFAULT '',
    decided_on TEXT
);
CREATE INDEX decisions_case ON decisions(case_id);

CREATE TABLE decision_terms (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    decision_id INTEGER NOT NULL REFERENCES decisions(id),
    term_id INTEGER NOT NULL REFERENCES terms(id)
);

CREATE TABLE actions (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    body TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    agency_id INTEGER REFERENCES agencies(id),
    due_on TEXT,
    status TEXT NOT NULL,
    meeting_id INTEGER REFERENCES meetings(id),
    closed_meeting_id INTEGER REFERENCES meetings(id)
);
CREATE INDEX actions_case ON actions(case_id);

CREATE TABLE recommendations (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    number INTEGER NOT NULL,
    recommendation TEXT NOT NULL,
    scope TEXT NOT NULL,
    agency_id INTEGER REFERENCES agencies(id),
    action_to_take TEXT NOT NULL DEFAULT '',
    lead_officer TEXT NOT NULL DEFAULT '',
    milestones TEXT NOT NULL DEFAULT '',
    target_on TEXT,
    completed_on TEXT,
    outcome TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL
);
CREATE INDEX recommendations_case ON recommendations(case_id);

-- Text being typed, saved every couple of seconds: scratch, not a record, not audited.
CREATE TABLE drafts (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    place TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL
);

-- Append-only, hash-chained record of every change. hash = SHA-256 of prev_hash and
-- the row's own fields in a fixed canonical form (see store/audit.rs).
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    login TEXT NOT NULL,
    table_name TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'withdraw')),
    changes TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
