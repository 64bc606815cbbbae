-- Lines longer than 64 KiB are stored cut (LogReader.MAX_LINE): how many of a file's, and the numbers of the first
-- ten (separated by spaces), so that the Sources page and an upload's status say which raw lines are not whole.
ALTER TABLE log_file ADD COLUMN cut BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE log_file ADD COLUMN cut_lines VARCHAR(400);
