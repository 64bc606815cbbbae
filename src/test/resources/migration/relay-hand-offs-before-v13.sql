-- A database as a release before V13 left it, written out row by row (not through the write path, so that a change of
-- the write path does not change it): the recipients through a relay channel of RelayHandOffPinTest, and the hourly
-- counts that counted every D as a delivery. Only the columns the migrations read, and those that may not be NULL.

INSERT INTO message (id, message_key, key_hash, approximate, sender, sender_search, sender_code, first_seen, last_seen,
                     status, recipients, search_bucket) VALUES
 (1, '<one@siroe.test>',   0, FALSE, 'amy@siroe.test', 'amy@siroe.test', 0, TIMESTAMP '2026-03-03 09:00:00', TIMESTAMP '2026-03-03 10:00:02', 'delivered', 1, 0),
 (2, '<five@siroe.test>',  0, FALSE, 'amy@siroe.test', 'amy@siroe.test', 0, TIMESTAMP '2026-03-03 10:10:00', TIMESTAMP '2026-03-03 10:10:01', 'delivered', 1, 0),
 (3, '<six@siroe.test>',   0, FALSE, 'amy@siroe.test', 'amy@siroe.test', 0, TIMESTAMP '2026-03-03 10:20:00', TIMESTAMP '2026-03-03 10:20:02', 'delivered', 1, 0),
 (4, '<seven@siroe.test>', 0, FALSE, 'amy@siroe.test', 'amy@siroe.test', 0, TIMESTAMP '2026-03-03 11:00:00', TIMESTAMP '2026-03-03 11:15:02', 'delivered', 1, 0),
 (5, '<eight@siroe.test>', 0, FALSE, 'amy@siroe.test', 'amy@siroe.test', 0, TIMESTAMP '2026-10-25 01:50:00', TIMESTAMP '2026-10-25 02:20:00', 'delivered', 1, 0);

-- bert: conversion's D logged before the enqueue out of it (a hand-off), then delivered by ims-ms (his last outcome).
-- fred: conversion's D with no enqueue out of it (where his trail ends: a delivery on conversion).
-- gus: enqueued into conversion again by conversion (a loop); conversion's D is his last outcome, and that enqueue's
--      hand-off, kept in his recipient row.
-- dora: deferred on process, then handed on to tcp_intranet; a second D on process has no enqueue left to pair with.
-- emil: the hour the clocks went back (02:00 to 03:00 logged twice); conversion's D of the first pass, at 02:50, is the
--      hand-off, the one of the second pass logged 02:10 (shift 3600: after it) is no hand-off, though logged earlier.
INSERT INTO recipient (id, message_ref, recipient, original_recipient, address_search, address_code, status, attempts,
                       deferrals, search_bucket, enqueued, source_channel, destination_channel, enqueue_file,
                       enqueue_line, enqueue_shift, last_time, last_code, last_channel, last_file, last_line,
                       last_shift, last_category) VALUES
 (11, 1, 'bert@ims-ms-daemon', 'bert@sesta.test', 'bert@sesta.test', 0, 'delivered', 2, 0, 0,
      TIMESTAMP '2026-03-03 09:00:00', 'tcp_local', 'conversion', 1, 1, NULL,
      TIMESTAMP '2026-03-03 10:00:02', 'D', 'ims-ms', 1, 4, NULL, NULL),
 (12, 2, 'fred@sesta.test', 'fred@sesta.test', 'fred@sesta.test', 0, 'delivered', 1, 0, 0,
      TIMESTAMP '2026-03-03 10:10:00', 'tcp_local', 'conversion', 1, 5, NULL,
      TIMESTAMP '2026-03-03 10:10:01', 'D', 'conversion', 1, 6, NULL, NULL),
 (13, 3, 'gus@sesta.test', 'gus@sesta.test', 'gus@sesta.test', 0, 'delivered', 1, 0, 0,
      TIMESTAMP '2026-03-03 10:20:00', 'tcp_local', 'conversion', 1, 7, NULL,
      TIMESTAMP '2026-03-03 10:20:02', 'D', 'conversion', 1, 9, NULL, NULL),
 (14, 4, 'dora@sesta.test', 'dora@sesta.test', 'dora@sesta.test', 0, 'delivered', 3, 1, 0,
      TIMESTAMP '2026-03-03 11:00:00', 'tcp_local', 'process', 1, 10, NULL,
      TIMESTAMP '2026-03-03 11:15:02', 'D', 'tcp_intranet', 1, 15, NULL, NULL),
 (15, 5, 'emil@ims-ms-daemon', 'emil@sesta.test', 'emil@sesta.test', 0, 'delivered', 2, 0, 0,
      TIMESTAMP '2026-10-25 01:50:00', 'tcp_local', 'conversion', 2, 1, NULL,
      TIMESTAMP '2026-10-25 02:20:00', 'D', 'ims-ms', 2, 5, 3600, NULL);

INSERT INTO attempt (id, recipient_ref, message_ref, time, code, outcome, channel, destination, recipient, file_id,
                     line, order_shift, category) VALUES
 (101, 11, 1, TIMESTAMP '2026-03-03 09:00:01',    'D', 'delivered', 'conversion', NULL,           'bert@sesta.test',    1, 2, NULL, NULL),
 (102, 11, 1, TIMESTAMP '2026-03-03 09:00:01.10', 'E', 'enqueued',  'conversion', 'ims-ms',       'bert@ims-ms-daemon', 1, 3, NULL, NULL),
 (103, 13, 3, TIMESTAMP '2026-03-03 10:20:01',    'E', 'enqueued',  'conversion', 'conversion',   'gus@sesta.test',     1, 8, NULL, NULL),
 (104, 14, 4, TIMESTAMP '2026-03-03 11:00:01',    'Q', 'deferred',  'process',    NULL,           'dora@sesta.test',    1, 11, NULL, 'other'),
 (105, 14, 4, TIMESTAMP '2026-03-03 11:10:00',    'E', 'enqueued',  'process',    'tcp_intranet', 'dora@sesta.test',    1, 12, NULL, NULL),
 (106, 14, 4, TIMESTAMP '2026-03-03 11:10:01',    'D', 'delivered', 'process',    NULL,           'dora@sesta.test',    1, 13, NULL, NULL),
 (107, 14, 4, TIMESTAMP '2026-03-03 11:15:00',    'D', 'delivered', 'process',    NULL,           'dora@sesta.test',    1, 14, NULL, NULL),
 (108, 15, 5, TIMESTAMP '2026-10-25 02:40:00',    'E', 'enqueued',  'conversion', 'ims-ms',       'emil@ims-ms-daemon', 2, 2, NULL, NULL),
 (109, 15, 5, TIMESTAMP '2026-10-25 02:50:00',    'D', 'delivered', 'conversion', NULL,           'emil@sesta.test',    2, 3, NULL, NULL),
 (110, 15, 5, TIMESTAMP '2026-10-25 02:10:00',    'D', 'delivered', 'conversion', NULL,           'emil@sesta.test',    2, 4, 3600, NULL);

-- Every D counted as a delivery on its channel, as before V13; and a count whose message retention has removed since.
INSERT INTO rollup_hour (bucket, channel, domain, outcome, category, events) VALUES
 (TIMESTAMP '2026-03-03 09:00:00', 'conversion',   '', 'delivered', '',      1),
 (TIMESTAMP '2026-03-03 10:00:00', 'ims-ms',       '', 'delivered', '',      1),
 (TIMESTAMP '2026-03-03 10:00:00', 'conversion',   '', 'delivered', '',      2),
 (TIMESTAMP '2026-03-03 11:00:00', 'process',      '', 'deferred',  'other', 1),
 (TIMESTAMP '2026-03-03 11:00:00', 'process',      '', 'delivered', '',      2),
 (TIMESTAMP '2026-03-03 11:00:00', 'tcp_intranet', '', 'delivered', '',      1),
 (TIMESTAMP '2026-10-25 02:00:00', 'conversion',   '', 'delivered', '',      2),
 (TIMESTAMP '2026-10-25 02:00:00', 'ims-ms',       '', 'delivered', '',      1),
 (TIMESTAMP '2026-02-01 08:00:00', 'conversion',   '', 'delivered', '',      7);
