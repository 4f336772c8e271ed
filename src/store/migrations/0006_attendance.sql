-- Attendance as people are named. A guest may come from an organisation that is not an
-- agency of the case ("Northgate CSP"): kept as their organisation, beside the agency.
-- An early departure (/left NAME) keeps the person present and records when they left
-- (local HH:MM); empty while they stay.
ALTER TABLE attendance ADD COLUMN organisation TEXT NOT NULL DEFAULT '';
ALTER TABLE attendance ADD COLUMN left_at TEXT NOT NULL DEFAULT '';
