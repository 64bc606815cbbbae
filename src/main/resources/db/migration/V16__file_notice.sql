-- What happened to a followed file that is no fault (a truncation, as a copy-and-truncate rotation does at every
-- rotation), shown apart from its error so that only trouble is shown as trouble; and whether its size is only what
-- was seen at its last look while it was written to after that unwatched (truncated, or gone while Mailtrail was
-- stopped), so that its lag is shown as not known rather than as the bytes counted then, often 0.
ALTER TABLE log_file ADD COLUMN notice VARCHAR(4000);
ALTER TABLE log_file ADD COLUMN size_at_least BOOLEAN DEFAULT FALSE NOT NULL;
-- Rows recorded before: a truncation said in its error, with nothing said missing, is a notice now; a file truncated,
-- or gone while Mailtrail was stopped, was written to unread after its last look.
UPDATE log_file SET notice = error, error = NULL WHERE state = 'truncated' AND error NOT LIKE '%not read%';
UPDATE log_file SET size_at_least = TRUE
    WHERE state = 'truncated' OR error LIKE '%while Mailtrail was stopped were not read%';
