package com.mailtrail.ingest.tail;

/** The tailer tests on H2. */
class TailerOnH2Test extends TailerTest {
    @Override
    String database() {
        return "h2";
    }
}
