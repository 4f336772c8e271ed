-- People on the case. The case records its coordinator beside its chair and overview
-- author, and a person on the case (chair, overview author, coordinator, panel member)
-- may carry the login they use, so "recorded by" and the minute taker show a name.
-- Plain columns written through the Writer: audited like every other.
ALTER TABLE cases ADD COLUMN coordinator TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN chair_login TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN overview_author_login TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN coordinator_login TEXT NOT NULL DEFAULT '';
ALTER TABLE panel_members ADD COLUMN login TEXT NOT NULL DEFAULT '';
