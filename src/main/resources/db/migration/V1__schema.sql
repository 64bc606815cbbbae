-- Mailtrail schema. One script for H2 and PostgreSQL: only types and syntax both accept.
-- Ids come from one pooled sequence: the writer reserves blocks of 1000 and numbers rows itself, so inserts are
-- plain JDBC batches in id order (IDENTITY columns would stop batching and random keys would slow H2's B-trees).
CREATE SEQUENCE id_seq START WITH 1 INCREMENT BY 1000;

-- Where log text came from: an upload job, a tailed directory or a command-line import.
CREATE TABLE log_source (
    id          BIGINT PRIMARY KEY,
    kind        VARCHAR(16)   NOT NULL,
    name        VARCHAR(2000) NOT NULL,
    state       VARCHAR(16)   NOT NULL,
    created     TIMESTAMP     NOT NULL,
    finished    TIMESTAMP,
    error       VARCHAR(4000)
);

-- One log file of a source. position/lines are what has been committed, in the same transaction as the rows read
-- up to there. Content is identified by a fingerprint of its first bytes (and device + inode when tailed).
CREATE TABLE log_file (
    id           BIGINT PRIMARY KEY,
    source_id    BIGINT        NOT NULL REFERENCES log_source (id),
    name         VARCHAR(2000) NOT NULL,
    fingerprint  VARCHAR(64),
    head_length  INTEGER       NOT NULL,
    device       BIGINT,
    inode        BIGINT,
    position     BIGINT        NOT NULL,
    lines        BIGINT        NOT NULL,
    size         BIGINT,
    entries      BIGINT        NOT NULL,
    rejected     BIGINT        NOT NULL,
    duplicates   BIGINT        NOT NULL,
    first_time   TIMESTAMP,
    last_time    TIMESTAMP,
    options      VARCHAR(400),
    state        VARCHAR(16)   NOT NULL,
    error        VARCHAR(4000),
    updated      TIMESTAMP     NOT NULL
);
CREATE INDEX log_file_source ON log_file (source_id);

-- The raw lines, deflate-compressed per block of a file, so any entry's line can be shown again from its
-- file and line number without an indexed row per line.
CREATE TABLE raw_block (
    file_id      BIGINT    NOT NULL,
    first_line   BIGINT    NOT NULL,
    line_count   INTEGER   NOT NULL,
    first_offset BIGINT    NOT NULL,
    byte_count   INTEGER   NOT NULL,
    first_time   TIMESTAMP,
    last_time    TIMESTAMP,
    data         BYTEA     NOT NULL,
    PRIMARY KEY (file_id, first_line)
);
CREATE INDEX raw_block_time ON raw_block (last_time);

-- Lines that are not entries, kept with their reason and text.
CREATE TABLE rejected_line (
    id      BIGINT PRIMARY KEY,
    file_id BIGINT        NOT NULL,
    line    BIGINT        NOT NULL,
    reason  VARCHAR(400)  NOT NULL,
    text    VARCHAR(65536) NOT NULL
);
CREATE INDEX rejected_line_file ON rejected_line (file_id, line);

-- The buckets of ids (SearchBuckets) that rows of message and recipient are in: what a search by address probes.
CREATE TABLE search_bucket (
    bucket INTEGER PRIMARY KEY
);

-- A message: everything logged under one Message-ID (or, without LOG_MESSAGE_ID, under one queue file and sender:
-- then approximate is true).
CREATE TABLE message (
    id                  BIGINT PRIMARY KEY,
    message_key         VARCHAR(1000) NOT NULL,
    key_hash            BIGINT        NOT NULL, -- SearchKeys.hash(message_key)
    message_id          VARCHAR(1000),
    approximate         BOOLEAN       NOT NULL,
    original_message_id VARCHAR(1000),
    original_hash       BIGINT,                 -- SearchKeys.hash(original_message_id)
    sender              VARCHAR(1000) NOT NULL,
    sender_search       VARCHAR(1000) NOT NULL,
    sender_code         BIGINT        NOT NULL, -- SearchKeys.code(sender_search)
    sender_domain       VARCHAR(1000),
    sender_domain_hash  BIGINT,                 -- SearchKeys.hash(sender_domain)
    size                BIGINT,
    first_seen          TIMESTAMP     NOT NULL,
    last_seen           TIMESTAMP     NOT NULL,
    status              VARCHAR(16)   NOT NULL,
    recipients          INTEGER       NOT NULL,
    search_bucket       INTEGER       NOT NULL  -- SearchBuckets.of(id)
);
-- Searched columns are indexed by narrow BIGINT keys (SearchKeys) rather than by their strings: B-tree pages of
-- strings that take inserts at random places are most of what H2 spends on an import. Address codes are led by the
-- bucket of the row's id (SearchBuckets), so that their inserts fall into the newest bucket's pages. message_key is
-- unique by construction (the writer looks every key up before inserting it); readers match the hash and then the string.
CREATE INDEX message_key_hash ON message (key_hash);
CREATE INDEX message_first_seen ON message (first_seen);
CREATE INDEX message_sender ON message (search_bucket, sender_code);
CREATE INDEX message_sender_domain ON message (sender_domain_hash);
CREATE INDEX message_original ON message (original_hash);

-- A recipient of a message: its original and active address, the enqueue that started its first leg, its last
-- outcome (for most recipients the delivery: one row holds the whole story), and what its attempts add up to.
CREATE TABLE recipient (
    id                  BIGINT PRIMARY KEY,
    message_ref         BIGINT        NOT NULL,
    recipient           VARCHAR(1000) NOT NULL,
    original_recipient  VARCHAR(1000) NOT NULL,
    address_search      VARCHAR(1000) NOT NULL,
    active_search       VARCHAR(1000),
    address_code        BIGINT        NOT NULL, -- SearchKeys.code(address_search)
    active_code         BIGINT,                 -- SearchKeys.code(active_search)
    domain              VARCHAR(1000),
    domain_hash         BIGINT,                 -- SearchKeys.hash(domain)
    status              VARCHAR(16)   NOT NULL,
    attempts            INTEGER       NOT NULL,
    deferrals           INTEGER       NOT NULL,
    final_time          TIMESTAMP,
    delay_seconds       BIGINT,
    failure_category    VARCHAR(32),
    enqueued            TIMESTAMP,
    source_channel      VARCHAR(100),
    destination_channel VARCHAR(100),
    queue_file          VARCHAR(2000),
    enqueue_code        VARCHAR(16),
    enqueue_recipient   VARCHAR(1000), -- NULL: the same as recipient
    enqueue_size        BIGINT,
    enqueue_process     VARCHAR(100),
    enqueue_source      VARCHAR(2000),
    enqueue_file        BIGINT,
    enqueue_line        BIGINT,
    last_time           TIMESTAMP,
    last_code           VARCHAR(16),
    last_channel        VARCHAR(100),
    last_recipient      VARCHAR(1000), -- NULL: the same as recipient
    last_queue_file     VARCHAR(2000), -- NULL: the same as queue_file; '': none
    last_queue_attempts INTEGER,
    last_size           BIGINT,
    last_process        VARCHAR(100),
    last_diagnostic     VARCHAR(65536),
    last_category       VARCHAR(32),
    last_permanent      BOOLEAN,
    last_remote_host    VARCHAR(1000),
    last_remote_ip      VARCHAR(100),
    last_smtp_code      INTEGER,
    last_file           BIGINT,
    last_line           BIGINT,
    search_bucket       INTEGER       NOT NULL  -- SearchBuckets.of(id)
);
CREATE INDEX recipient_message ON recipient (message_ref);
CREATE INDEX recipient_address ON recipient (search_bucket, address_code);
CREATE INDEX recipient_active ON recipient (search_bucket, active_code);
CREATE INDEX recipient_domain ON recipient (domain_hash);

-- The other outcomes of a recipient (the deferrals Q and Z before its last outcome, a hop's D...) and the enqueues of
-- its later legs (E through a relay channel such as conversion), with the file and line each came from.
CREATE TABLE attempt (
    id              BIGINT PRIMARY KEY,
    recipient_ref   BIGINT        NOT NULL,
    message_ref     BIGINT        NOT NULL,
    time            TIMESTAMP     NOT NULL,
    code            VARCHAR(16)   NOT NULL,
    outcome         VARCHAR(16)   NOT NULL,
    channel         VARCHAR(100)  NOT NULL,
    destination     VARCHAR(100),
    recipient       VARCHAR(1000) NOT NULL,
    queue_file      VARCHAR(2000),
    queue_attempts  INTEGER,
    size            BIGINT,
    process_id      VARCHAR(100),
    diagnostic      VARCHAR(65536),
    category        VARCHAR(32),
    permanent       BOOLEAN,
    remote_host     VARCHAR(1000),
    remote_ip       VARCHAR(100),
    smtp_code       INTEGER,
    file_id         BIGINT        NOT NULL,
    line            BIGINT        NOT NULL
);
-- No index on recipient_ref: attempts are read by message (message_ref), never by recipient.
CREATE INDEX attempt_message ON attempt (message_ref);

-- Connection entries (LOG_CONNECTION bit 1). Opens and closes are counted per hour, channel, direction and remote
-- address (a busy MTA logs hundreds of thousands a day, and their lines stay in raw_block); rejected (X), failed (Y),
-- ETRN (I), authentication (U) and other entries are rows of their own.
CREATE TABLE connection_hour (
    bucket      TIMESTAMP     NOT NULL,
    channel     VARCHAR(100)  NOT NULL,
    inbound     BOOLEAN       NOT NULL,
    remote_ip   VARCHAR(100)  NOT NULL,
    opens       BIGINT        NOT NULL,
    closes      BIGINT        NOT NULL,
    first_time  TIMESTAMP     NOT NULL,
    last_time   TIMESTAMP     NOT NULL,
    PRIMARY KEY (bucket, channel, inbound, remote_ip)
);

CREATE TABLE connection (
    id          BIGINT PRIMARY KEY,
    time        TIMESTAMP     NOT NULL,
    channel     VARCHAR(100)  NOT NULL,
    inbound     BOOLEAN       NOT NULL,
    code        VARCHAR(16)   NOT NULL,
    remote_ip   VARCHAR(100),
    remote_port INTEGER,
    local_ip    VARCHAR(100),
    local_port  INTEGER,
    application VARCHAR(400),
    process_id  VARCHAR(100),
    username    VARCHAR(1000),
    diagnostic  VARCHAR(65536),
    file_id     BIGINT        NOT NULL,
    line        BIGINT        NOT NULL
);
CREATE INDEX connection_time ON connection (time);

-- Hourly rollups for the charts, so that a chart never scans attempts. Keys are '' rather than NULL so that
-- upserts match.
CREATE TABLE rollup_hour (
    bucket      TIMESTAMP    NOT NULL,
    channel     VARCHAR(100) NOT NULL,
    domain      VARCHAR(1000) NOT NULL,
    outcome     VARCHAR(16)  NOT NULL,
    category    VARCHAR(32)  NOT NULL,
    events      BIGINT       NOT NULL,
    PRIMARY KEY (bucket, channel, domain, outcome, category)
);

-- Recipients by the hour they ended in (or were enqueued, while not final), their status, how many outcomes they
-- took (10 = ten or more) and how long delivery took: the charts of attempts per recipient and time to delivery.
CREATE TABLE rollup_recipient_hour (
    bucket      TIMESTAMP    NOT NULL,
    status      VARCHAR(16)  NOT NULL,
    outcomes    INTEGER      NOT NULL,
    delay       VARCHAR(8)   NOT NULL,
    recipients  BIGINT       NOT NULL,
    PRIMARY KEY (bucket, status, outcomes, delay)
);
