-- The remote systems of the stored outcomes, each (host name, address) pair once, '' for a part the line did not give:
-- a few hundred to a few thousand rows (the servers mail goes to), against hundreds of thousands of outcome rows.
-- A search by host name or domain (remote=mx1.example.com, remote=.example.com) finds the matching hosts' addresses
-- here and reads only the outcomes at those addresses through the indexes of V14, where it read every row of the
-- range searched; a host with outcomes without an address ('' here) is still searched by reading the rows. The write
-- path adds a pair in the transaction of its rows (MessageStore.Plan); pairs whose rows are gone (retention) stay,
-- which costs a search a few index seeks and changes no result. Later legs' enqueues (attempt rows with outcome
-- 'enqueued') are no outcome the search matches, so their source systems are not listed.
CREATE TABLE remote_system (
    host VARCHAR(1000) NOT NULL,
    ip   VARCHAR(100)  NOT NULL
);
CREATE INDEX remote_system_pair ON remote_system (host, ip);

INSERT INTO remote_system (host, ip)
SELECT COALESCE(last_remote_host, ''), COALESCE(last_remote_ip, '') FROM recipient
WHERE last_remote_host IS NOT NULL OR last_remote_ip IS NOT NULL
UNION
SELECT COALESCE(remote_host, ''), COALESCE(remote_ip, '') FROM attempt
WHERE outcome <> 'enqueued' AND (remote_host IS NOT NULL OR remote_ip IS NOT NULL);
