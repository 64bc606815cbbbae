-- The search by remote server (remote=203.0.113.23) read every recipient and attempt row of its time range: 2 s for a
-- day of 1M entries, a minute for a month kept. An address is found through these instead, the last outcome's led by
-- the bucket of the row id as the address indexes are (SearchBuckets: its inserts fall into the newest bucket's few
-- pages rather than all over the index); attempts take 48,000 rows per 1M entries, few enough to index plainly.
-- Host names and domains are still searched by reading the rows: a domain is a suffix, which no B-tree here serves.
CREATE INDEX recipient_remote_ip ON recipient (search_bucket, last_remote_ip);
CREATE INDEX attempt_remote_ip ON attempt (remote_ip);
