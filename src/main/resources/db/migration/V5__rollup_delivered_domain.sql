-- The failing destinations counted a failure under the domain of its recipient's original address; they now count it
-- under the domain it was for (MessageStore.deliveredDomain): its active address's where that is a mail domain (a list
-- member, an alias in another domain). The failures whose domain that changes are moved, one count each, from the old
-- domain to the new: the other counts stay as they are, also those of messages retention removed since (their hours
-- keep counting them, and their rows cannot say where they were delivered). A failure is an outcome with a category:
-- an attempt row, or a recipient row's last outcome. Its old domain was that of the original address, which is the
-- recipient's own (recipient.domain); without an original address both rules take the active one's and nothing moves.
-- Plain DML in one transaction, on H2 as on PostgreSQL: a stop in the middle leaves nothing done, and the next start
-- does it again. The net change of each count is first written beside it, as a row whose category starts with '~',
-- so that each count is then changed by a look-up of its key, and those rows go at the end.
INSERT INTO rollup_hour (bucket, channel, domain, outcome, category, events)
-- The failures whose domain changes: where they are counted now (old_domain) and where they go (new_domain).
WITH moved AS (
    SELECT bucket, channel, outcome, category, old_domain, new_domain FROM (
        SELECT DATE_TRUNC('HOUR', a.time) AS bucket, a.channel, a.outcome, a.category,
               COALESCE(r.domain, '') AS old_domain, LOWER(REGEXP_REPLACE(a.recipient, '^.*@', '')) AS new_domain
        FROM attempt a JOIN recipient r ON r.id = a.recipient_ref
        WHERE a.category IS NOT NULL AND r.original_recipient <> '' AND a.recipient LIKE '%@%'
        UNION ALL
        SELECT DATE_TRUNC('HOUR', r.last_time), r.last_channel,
               CASE LEFT(r.last_code, 1) WHEN 'D' THEN 'delivered' WHEN 'Q' THEN 'deferred' WHEN 'Z' THEN 'deferred'
                   WHEN 'R' THEN 'bounced' WHEN 'K' THEN 'bounced' WHEN 'J' THEN 'rejected' WHEN 'E' THEN 'enqueued'
                   WHEN 'W' THEN 'warned' ELSE LOWER(LEFT(r.last_code, 1)) END,
               r.last_category, COALESCE(r.domain, ''),
               LOWER(REGEXP_REPLACE(COALESCE(r.last_recipient, r.recipient), '^.*@', ''))
        FROM recipient r
        WHERE r.last_category IS NOT NULL AND r.original_recipient <> ''
          AND COALESCE(r.last_recipient, r.recipient) LIKE '%@%'
    ) f WHERE new_domain LIKE '%.%' AND new_domain <> old_domain
)
SELECT bucket, channel, domain, outcome, '~' || category, SUM(delta)
FROM (
    SELECT bucket, channel, old_domain AS domain, outcome, category, -1 AS delta FROM moved
    UNION ALL
    SELECT bucket, channel, new_domain, outcome, category, 1 FROM moved
) d
GROUP BY bucket, channel, domain, outcome, category;

-- A domain that had no count of its own in that hour, channel, outcome and category gets one, from zero.
INSERT INTO rollup_hour (bucket, channel, domain, outcome, category, events)
SELECT s.bucket, s.channel, s.domain, s.outcome, SUBSTRING(s.category, 2), 0
FROM rollup_hour s
WHERE s.category LIKE '~%' AND NOT EXISTS (SELECT 1 FROM rollup_hour h WHERE h.bucket = s.bucket
    AND h.channel = s.channel AND h.domain = s.domain AND h.outcome = s.outcome
    AND h.category = SUBSTRING(s.category, 2));

UPDATE rollup_hour h SET events = events + (SELECT s.events FROM rollup_hour s WHERE s.bucket = h.bucket
    AND s.channel = h.channel AND s.domain = h.domain AND s.outcome = h.outcome AND s.category = '~' || h.category)
WHERE h.category <> '' AND h.category NOT LIKE '~%' AND EXISTS (SELECT 1 FROM rollup_hour s
    WHERE s.bucket = h.bucket AND s.channel = h.channel AND s.domain = h.domain AND s.outcome = h.outcome
    AND s.category = '~' || h.category);

DELETE FROM rollup_hour WHERE category LIKE '~%';

-- The write path keeps no zero counts (a list's domain left with none would be drawn as an empty bar); a count below
-- zero would be a failure whose original address changed between its lines, counted under another domain than its
-- recipient's: there is no count to take it from.
DELETE FROM rollup_hour WHERE category <> '' AND events <= 0;
