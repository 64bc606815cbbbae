package com.mailtrail.ingest.tail;

import com.mailtrail.ingest.TestDatabase;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The tailer tests on a real PostgreSQL. */
class TailerOnPostgresTest extends TailerTest {
    @Override
    String database() {
        return "postgres";
    }

    private static EmbeddedPostgres start(Path data, int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }

    /**
     * PostgreSQL restarted under a running Mailtrail (maintenance, a failover): the rounds while it is down fail and
     * are logged, nothing is lost, and the first round once it is back catches up, through the same pool.
     */
    @Test
    void aRestartOfPostgresLosesNothingAndTheNextRoundCatchesUp(@TempDir Path data) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        EmbeddedPostgres postgres = start(data, port);
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
            pool.setUsername("postgres");
            pool.setConnectionTimeout(1000); // a round while it is down fails within a second or two
            TestDatabase.migrate(pool);
            TailDatabase db = new TailDatabase(pool);
            LogText text = LogText.generate(300, 53);
            List<byte[]> p = text.pieces(3);
            TailPoller tailer = poller(db.engine(), pool);

            append("mail.log_current", p.get(0));
            tailer.pollOnce();
            long before = db.count("SELECT lines FROM log_file");
            assertThat(before).isPositive();

            postgres.close();
            append("mail.log_current", p.get(1));
            tailer.pollOnce(); // fails inside: logged, not thrown

            postgres = start(data, port);
            // The pool meets its dead connections one at a time, each failing a round (every 2 s in a server), until
            // it opens new ones. Checked on connections of their own.
            TailDatabase check = new TailDatabase(postgres.getPostgresDatabase());
            long all = LogText.read(text.bytes()).lines();
            append("mail.log_current", p.get(2));
            int rounds = 0;
            while (check.count("SELECT lines FROM log_file") < all) {
                assertThat(++rounds).as("rounds until it reads again: one per dead connection at most")
                        .isLessThanOrEqualTo(pool.getMaximumPoolSize() + 1);
                tailer.pollOnce();
            }
            assertReadExactlyOnce(check, database(), text.bytes());
        } finally {
            postgres.close();
        }
    }

    /**
     * PostgreSQL's disk fills while a followed file is read: the file's error, which the Sources page and
     * GET /api/sources show, says so in the user's terms. The real server raises its disk_full error (a trigger stands
     * in for the disk).
     */
    @Test
    void aFullDiskOfPostgresIsShownOnTheFollowedFileInTheUsersTerms() throws Exception {
        TailDatabase db = new TailDatabase(TestDatabase.postgres());
        TailPoller tailer = poller(db.engine(), db.dataSource);
        List<byte[]> p = LogText.generate(100, 29).pieces(2);
        append("mail.log_current", p.get(0));
        tailer.pollOnce();

        db.jdbc.execute("CREATE FUNCTION disk() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION "
                + "'could not extend file \"base/16384/16385\": No space left on device' USING ERRCODE = 'disk_full'; "
                + "END $$");
        db.jdbc.execute("CREATE TRIGGER disk BEFORE INSERT ON raw_block FOR EACH ROW EXECUTE FUNCTION disk()");
        append("mail.log_current", p.get(1));
        tailer.pollOnce();

        assertThat(db.jdbc.queryForObject("SELECT error FROM log_file", String.class)).isEqualTo(
                dir.resolve("mail.log_current") + ": cannot store mail.log_current: the database server's disk is "
                        + "full: PostgreSQL could not write its files");
    }
}
