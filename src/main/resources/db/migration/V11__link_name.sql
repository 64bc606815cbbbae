-- The symbolic link a tailed file was read through (mail.log_current), recorded when the link is found pointing
-- elsewhere and the file under its own name (mail.log.20261129): its row then says the link was repointed, not that
-- the file was renamed.
ALTER TABLE log_file ADD COLUMN link_name VARCHAR(1000);
