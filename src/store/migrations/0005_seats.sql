-- Two people at once. Each line of the minutes names the seat (login, host, process)
-- that wrote it, so /undo and s/old/new/ act on the seat's own line, and carries the key
-- the seat gave it when Enter was pressed, so a line waiting for a busy database is
-- written once even if its seat is killed between writing it and forgetting it.
ALTER TABLE minutes ADD COLUMN seat TEXT;
ALTER TABLE minutes ADD COLUMN line_key TEXT;
CREATE UNIQUE INDEX minutes_line_key ON minutes(line_key) WHERE line_key IS NOT NULL;

-- Who has the database open, and for what: a workspace (its case and meeting), or an
-- import holding the database while it writes. Scratch, not records: not audited. A row
-- whose process is gone is ignored and removed by the next seat that looks.
CREATE TABLE seats (
    seat TEXT PRIMARY KEY,
    login TEXT NOT NULL,
    kind TEXT NOT NULL,
    case_id INTEGER,
    meeting_id INTEGER,
    what TEXT NOT NULL DEFAULT '',
    since TEXT NOT NULL
);
