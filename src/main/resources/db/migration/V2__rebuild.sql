-- Removing a log source rebuilds every message, recipient, attempt, connection count and rollup from the stored
-- text of the files that stay (their lines may be parts of the same messages). While a rebuild goes on, each
-- remaining file holds how many of its lines have been read again, committed with the rows they produced, so that a
-- stop in the middle continues where it was; NULL when no rebuild is going on.
ALTER TABLE log_file ADD COLUMN replayed BIGINT;
