-- Version 10: the review from notification to conclusion. The facts that were dates on
-- the case become records of their own: the decision (review or not, criteria, reasons,
-- who and when, the Home Office told), the pauses (each naming the parallel proceeding it
-- waits for), the proceedings with their key dates and disclosure requests, the people
-- approached for the family's involvement with their advocacy and every contact, the
-- Home Office QA rounds with the points each letter raises, the publication checklist,
-- the case characteristics the Home Office DHR library records, and the closure and
-- addressee of a recommendation. Plain tables written through the Writer: audited and
-- replayed by `dhr check` like the rest.
--
-- The case columns decision_on, home_office_notified_on, paused, paused_reason,
-- paused_on, ho_submitted_on, qa_outcome, qa_outcome_on, published_on and
-- commissioner_sent_on stay in the table (released schema) but are no longer written or
-- read: on first open, `store::moved` copies what they held into these records, audited.

CREATE TABLE review_decisions (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    -- 'review' or 'no_review'
    outcome TEXT NOT NULL,
    criteria TEXT NOT NULL DEFAULT '',
    reasons TEXT NOT NULL DEFAULT '',
    decided_by TEXT NOT NULL DEFAULT '',
    decided_on TEXT,
    home_office_notified_on TEXT,
    home_office_reply TEXT NOT NULL DEFAULT ''
);
CREATE INDEX review_decisions_case ON review_decisions(case_id);

CREATE TABLE proceedings (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    -- trial, inquest, iopc, sar, cspr, mhhr, other
    kind TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    contact_role TEXT NOT NULL DEFAULT '',
    charged_on TEXT,
    trial_on TEXT,
    verdict_on TEXT,
    sentenced_on TEXT,
    opened_on TEXT,
    resumed_on TEXT,
    concluded_on TEXT,
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX proceedings_case ON proceedings(case_id);

CREATE TABLE disclosure_requests (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    proceeding_id INTEGER NOT NULL REFERENCES proceedings(id),
    asked_on TEXT,
    asked_by TEXT NOT NULL DEFAULT '',
    request TEXT NOT NULL,
    answered_on TEXT,
    answer TEXT NOT NULL DEFAULT ''
);
CREATE INDEX disclosure_requests_case ON disclosure_requests(case_id);

CREATE TABLE pauses (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    proceeding_id INTEGER REFERENCES proceedings(id),
    since TEXT,
    reason TEXT NOT NULL DEFAULT '',
    resumed_on TEXT,
    resume_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX pauses_case ON pauses(case_id);

CREATE TABLE family_people (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    -- the person in the pseudonym register
    subject_id INTEGER NOT NULL REFERENCES subjects(id),
    -- family, friend, colleague, employer, neighbour, perpetrator, other
    connection TEXT NOT NULL,
    approached_on TEXT,
    approached_by TEXT NOT NULL DEFAULT '',
    advocacy_offered_on TEXT,
    advocacy_offered_by TEXT NOT NULL DEFAULT '',
    -- '', 'accepted', 'declined'
    advocacy_response TEXT NOT NULL DEFAULT '',
    advocate TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX family_people_case ON family_people(case_id);

CREATE TABLE family_contacts (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    person_id INTEGER NOT NULL REFERENCES family_people(id),
    contact_on TEXT,
    -- letter, phone, meeting, email, video, other
    method TEXT NOT NULL,
    by_whom TEXT NOT NULL DEFAULT '',
    shared_tor INTEGER NOT NULL DEFAULT 0,
    shared_draft INTEGER NOT NULL DEFAULT 0,
    shared_publication_date INTEGER NOT NULL DEFAULT 0,
    views TEXT NOT NULL DEFAULT '',
    -- '', 'pseudonym', 'tribute', 'both', 'declined'
    consent TEXT NOT NULL DEFAULT '',
    consent_detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX family_contacts_case ON family_contacts(case_id);

CREATE TABLE qa_rounds (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    number INTEGER NOT NULL,
    submitted_on TEXT,
    report_version TEXT NOT NULL DEFAULT '',
    -- NULL until the panel answers: publish, changes, resubmit
    outcome TEXT,
    letter_on TEXT,
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX qa_rounds_case ON qa_rounds(case_id);

CREATE TABLE qa_points (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    round_id INTEGER NOT NULL REFERENCES qa_rounds(id),
    number INTEGER NOT NULL,
    point TEXT NOT NULL,
    response TEXT NOT NULL DEFAULT '',
    -- open, responded, agreed
    status TEXT NOT NULL DEFAULT 'open'
);
CREATE INDEX qa_points_case ON qa_points(case_id);

CREATE TABLE publication_items (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    -- summary, ho_letter, family_told, published, library, commissioner
    item TEXT NOT NULL,
    done_on TEXT,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX publication_items_case ON publication_items(case_id);

CREATE TABLE case_characteristics (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    -- a code of domain::review::Characteristic
    name TEXT NOT NULL,
    value TEXT NOT NULL
);
CREATE INDEX case_characteristics_case ON case_characteristics(case_id);

-- A recommendation closed other than by completion says why (superseded, not accepted by
-- its addressee, merged); a national or regional one records its addressee, the date it
-- was sent and the response.
ALTER TABLE recommendations ADD COLUMN closed_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE recommendations ADD COLUMN addressee TEXT NOT NULL DEFAULT '';
ALTER TABLE recommendations ADD COLUMN sent_on TEXT;
ALTER TABLE recommendations ADD COLUMN response TEXT NOT NULL DEFAULT '';
ALTER TABLE recommendations ADD COLUMN response_on TEXT;

-- The decision record is a document of its own in the export register: the table is
-- rebuilt (SQLite cannot change a CHECK in place) with the same columns, rows and ids.
CREATE TABLE export_register_10 (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    what TEXT NOT NULL CHECK (what IN ('minutes', 'agenda', 'case', 'actions', 'decision')),
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
INSERT INTO export_register_10 SELECT id, created_at, updated_at, case_id, what,
    meeting_number, agency_code, format, login, person, anonymised, publication,
    fingerprint, chain_rows, chain_head, file_name FROM export_register;
DROP TABLE export_register;
ALTER TABLE export_register_10 RENAME TO export_register;
CREATE INDEX export_register_case ON export_register(case_id, what, meeting_number);
