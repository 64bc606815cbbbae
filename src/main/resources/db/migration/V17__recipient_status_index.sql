-- The Queue page looks for the recipients still deferred or queued: without an index on status it read every recipient
-- row of the history kept (1.9 s for five quarter-size days on H2), where the waiting ones are a few thousand at most.
-- Rows are added in the order of their id, so each status's run of this index takes its inserts at its end: a few
-- insertion points, as with the address indexes led by search_bucket, not pages all over the index.
CREATE INDEX recipient_status ON recipient (status);
