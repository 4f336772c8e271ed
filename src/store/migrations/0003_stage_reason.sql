-- Version 3: a stage move records why, so the audit trail keeps each move with its reason.
ALTER TABLE cases ADD COLUMN stage_reason TEXT NOT NULL DEFAULT '';
