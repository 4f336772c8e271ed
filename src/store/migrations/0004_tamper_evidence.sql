-- Version 4: tamper evidence. A random id names this database in the witnesses each
-- login keeps outside it (the length and head of the audit chain seen at the end of each
-- session and check); the index lets `dhr check` replay the trail record by record, and
-- lets the audit of one record be read without scanning the whole trail.
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT OR IGNORE INTO meta (key, value) VALUES ('database_id', lower(hex(randomblob(16))));
CREATE INDEX IF NOT EXISTS audit_record ON audit(table_name, row_id, id);
