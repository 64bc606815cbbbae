package com.mailtrail.ingest.tail;

/** The tailer tests on a real PostgreSQL. */
class TailerOnPostgresTest extends TailerTest {
    @Override
    String database() {
        return "postgres";
    }
}
