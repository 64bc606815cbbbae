package com.mailtrail.system;

import org.h2.mvstore.MVStoreException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The failures of H2's file store as H2 hands them on: under its "General error" (50000), with or without the system's
 * reason under them. A read of what a refused write left out came through as H2's own text ("Reading from file
 * com.mailtrail.store.FullDisk$Channel@32a61721 failed at 86979 (length 40960), read 0, remaining 384"), which an
 * import printed as it was (seen once in CI, ImportCommandTest on a full disk).
 */
class DatabaseFailureTest {

    private static final Path FILE = Path.of("/data/mailtrail.mv.db");

    private static SQLException general(Throwable cause) {
        return new SQLException("General error: \"" + cause + "\"; SQL statement:", "HY000", 50000, cause);
    }

    @Test
    void aReadOfWhatAFailedWriteLeftOutIsSaidInTheUsersTerms() {
        MVStoreException read = new MVStoreException(1, "Reading from file channel failed at 86979 (length 40960), "
                + "read 0, remaining 384 [2.4.240/1]");
        assertThat(DatabaseFailure.describe(general(read), FILE)).isEqualTo("the database could not write or read its "
                + "file /data/mailtrail.mv.db: a part of it that a failed write (a full disk?) left out could not be "
                + "read back");
    }

    @Test
    void theSystemsReasonUnderAStoreFailureIsQuoted() {
        MVStoreException write = new MVStoreException(2, "Writing to channel failed; length 4096 at 8192 [2.4.240/2]");
        write.initCause(new IOException("No space left on device"));
        assertThat(DatabaseFailure.describe(general(write), FILE))
                .isEqualTo("the database could not write or read its file /data/mailtrail.mv.db: No space left on device");
    }

    @Test
    void otherStoreFailuresAndOtherErrorsAreNotTakenForTheDisk() {
        MVStoreException internal = new MVStoreException(3, "Internal error [2.4.240/3]");
        assertThat(DatabaseFailure.describe(general(internal), FILE)).isNull();
        assertThat(DatabaseFailure.describe(new IllegalStateException("Reading [1/1]"), FILE)).isNull();
    }

    /**
     * H2 refuses a new session while the database is being shut down (after a write failed on a full disk, a load
     * asking for a connection met it once in CI: "The database is open in exclusive mode; can not open additional
     * connections [90135-240]" as an upload's error). H2's own refusal, produced here as SET EXCLUSIVE does it.
     */
    @Test
    void aSessionRefusedWhileTheDatabaseIsBeingClosedIsSaidInTheUsersTerms() throws Exception {
        String url = "jdbc:h2:mem:exclusive" + System.nanoTime();
        Throwable refused;
        try (Connection owner = DriverManager.getConnection(url, "sa", "")) {
            owner.createStatement().execute("SET EXCLUSIVE TRUE");
            refused = catchThrowable(() -> DriverManager.getConnection(url, "sa", "").close());
        }
        assertThat(refused).isInstanceOf(SQLException.class);
        assertThat(DatabaseFailure.describe(refused, FILE)).isEqualTo("the database was being closed when it was "
                + "needed (H2 closes it when it cannot write its file /data/mailtrail.mv.db; a full disk?); it opens "
                + "again once the file can be written");
        // with the system's reason of the failed write in the chain (DatabaseFailure also follows suppressed ones)
        refused.addSuppressed(new IOException("No space left on device"));
        assertThat(DatabaseFailure.describe(refused, FILE)).isEqualTo("the database was being closed when it was "
                + "needed (H2 closes it when it cannot write its file /data/mailtrail.mv.db: No space left on device); "
                + "it opens again once the file can be written");
    }
}
