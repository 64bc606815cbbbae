-- A search by @domain also finds a recipient whose active address is in that domain when its original address is
-- not (a list member or an alias that leads to another domain). Kept only where it differs from the original's
-- domain and is a mail domain (it has a dot): the active address of most local deliveries is user@ims-ms-daemon, a
-- channel's name rather than a domain, and NULLs keep the index small. MessageStore writes it the same way.
ALTER TABLE recipient ADD COLUMN active_domain VARCHAR(1000);
UPDATE recipient SET active_domain = REGEXP_REPLACE(active_search, '^.*@', '') WHERE active_search LIKE '%@%';
UPDATE recipient SET active_domain = NULL
    WHERE active_domain = '' OR active_domain NOT LIKE '%.%' OR active_domain = domain;
CREATE INDEX recipient_active_domain ON recipient (active_domain);
