package com.mailtrail.ingest;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** What a failed read says: the words a file's row and an upload's job show. */
class IngestExceptionTest {

    @Test
    void runningOutOfMemoryInAStageSaysWhatToDo() {
        assertThat(IngestException.of("cannot store mail.log", new OutOfMemoryError("Java heap space")).getMessage())
                .isEqualTo("cannot store mail.log: reading stopped: the server ran out of memory (Java heap space); "
                        + "give it a larger heap (-Xmx) and load the file again: what was stored before stays, and is "
                        + "not added twice");
    }

    @Test
    void aDatabaseErrorLeadsWithTheOperatingSystemsReason() {
        SQLException h2 = new SQLException("IO Exception: \"Writing to sun.nio.ch.FileChannelImpl@1 failed\"\nmore",
                new IOException("No space left on device"));
        assertThat(IngestException.of("cannot store fill.log", h2).getMessage())
                .isEqualTo("cannot store fill.log: No space left on device (IO Exception: \"Writing to "
                        + "sun.nio.ch.FileChannelImpl@1 failed\")");
    }
}
