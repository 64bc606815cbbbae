package com.mailtrail.store;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.ingest.TestDatabase;
import com.mailtrail.parse.LogOptions;
import com.zaxxer.hikari.HikariDataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * H2 does not close the database the moment its background writer fails to write the file: it keeps the failure,
 * hands it once to the next commit of any session (as a "General error", not as "the database has been closed"), and
 * closes the store at its next write, up to a write delay later. Meanwhile its sessions go on in memory. When the disk
 * had room again in between, the first load after it met that left-over failure and then the closed database
 * (FullDiskRecoveryTest failed about 1 run in 10 that way, with a 1 s sleep as a workaround), or ran on a database
 * whose commits were lost when it closed. Here the write delay is 2 s, so that the load always falls in that window.
 */
class LeftOverWriteFailureTest {

    private static final Set<String> RELAYS = Set.of("conversion", "reprocess", "process");

    @TempDir
    Path dir;

    @AfterEach
    void roomAgain() {
        FullDisk.full = false;
    }

    private static byte[] generate(int messages, long seed) throws IOException {
        StringWriter w = new StringWriter();
        new LogGenerator(GeneratorConfig.of(messages, seed)).generate(w, null);
        return w.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static long load(IngestEngine engine, String name, long seed) throws IOException {
        return engine.ingest(engine.createSource("upload", name), name, new ByteArrayInputStream(generate(60, seed)),
                LogOptions.auto(), new Progress()).messages();
    }

    @Test
    void aWriteThatFailedWhileTheDiskWasFullDoesNotFailOrLoseTheFirstLoadOnceThereIsRoom() throws Exception {
        FullDisk.register();
        String url = "jdbc:h2:fulldisk:" + dir.resolve("mailtrail") + ";WRITE_DELAY=2000";
        long first;
        long second;
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(url);
            pool.setUsername("sa");
            new ClosedDatabaseEviction().postProcessAfterInitialization(pool, "dataSource"); // as the server's pool
            TestDatabase.migrate(pool);
            JdbcTemplate jdbc = new JdbcTemplate(pool);
            IngestEngine engine = new IngestEngine(pool, RELAYS, 200);
            first = load(engine, "first.log", 1);
            jdbc.execute("CHECKPOINT");

            FullDisk.full = true;
            jdbc.update("UPDATE log_source SET name = name || ''");
            assertThatThrownBy(() -> jdbc.execute("CHECKPOINT")).hasStackTraceContaining("No space left on device");
            assertThatThrownBy(() -> load(engine, "second.log", 2)).hasMessageContaining("No space left on device");
            // a page reads (it may meet the closed database once, and the pool drops its sessions): the file is
            // opened again while the disk is still full
            Long stored = null;
            for (int i = 0; i < 2 && stored == null; i++) {
                try {
                    stored = jdbc.queryForObject("SELECT COUNT(*) FROM message", Long.class);
                } catch (DataAccessException closed) {
                    assertThat(closed).hasStackTraceContaining("has been closed");
                }
            }
            assertThat(stored).isEqualTo(first);

            // H2 writes to the file it opened again within its write delay; on the full disk that fails too
            int refused = FullDisk.refused.get();
            for (int i = 0; i < 300 && FullDisk.refused.get() == refused; i++) {
                Thread.sleep(50);
            }
            assertThat(FullDisk.refused.get()).as("H2's background write on the full disk").isGreaterThan(refused);

            FullDisk.full = false; // an administrator made room: the next load is stored, and stays
            second = load(engine, "second.log", 2);
        }
        // What the file holds, opened anew once the server's pool closed it
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(url);
        h2.setUser("sa");
        JdbcTemplate file = new JdbcTemplate(h2);
        assertThat(file.queryForObject("SELECT COUNT(*) FROM message", Long.class)).isEqualTo(first + second);
        assertThat(file.queryForList("SELECT state FROM log_file ORDER BY id", String.class))
                .containsExactly("done", "done");
    }
}
