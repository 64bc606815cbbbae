package com.mailtrail.ingest;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.parse.LogOptions;
import com.mailtrail.parse.LogReader;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class H2CompactionTest {

    @Test
    void findsTheFileOfAnEmbeddedH2FileDatabaseOnly() {
        assertThat(H2Compaction.h2File("jdbc:h2:file:./data/mailtrail;AUTO_SERVER=FALSE;CACHE_SIZE=8192"))
                .isEqualTo(Path.of("./data/mailtrail.mv.db"));
        assertThat(H2Compaction.h2File("jdbc:h2:/var/lib/mailtrail/db")).isEqualTo(Path.of("/var/lib/mailtrail/db.mv.db"));
        assertThat(H2Compaction.h2File("jdbc:h2:~/mt")).isEqualTo(Path.of(System.getProperty("user.home") + "/mt.mv.db"));
        assertThat(H2Compaction.h2File("jdbc:h2:mem:test;DB_CLOSE_DELAY=-1")).isNull();
        assertThat(H2Compaction.h2File("jdbc:h2:tcp://db:9092/mailtrail")).isNull();
        assertThat(H2Compaction.h2File("jdbc:postgresql://localhost:5432/mailtrail")).isNull();
        assertThat(H2Compaction.h2File(null)).isNull();
    }

    @Test
    void compactsOnceEnoughEntriesCameInAndTheFileGrewByHalf(@TempDir Path dir) throws IOException {
        try (HikariDataSource ds = pool(dir, "")) {
            IngestEngine engine = new IngestEngine(ds, Set.of("conversion"), IngestEngine.H2_BATCH);
            H2Compaction compaction = compaction(ds, engine, dir, Duration.ofSeconds(10));

            importLog(engine, 3000, 1); // about 20,000 entries into an empty database: compacted
            compaction.afterImport();
            H2Compaction.Result first = compaction.last().orElseThrow();
            assertThat(first.bytesAfter()).isEqualTo(Files.size(dir.resolve("mailtrail.mv.db")));

            long entries = importLog(engine, 200, 2); // over 1,000 entries, but the file grows far less than half
            assertThat(entries).isGreaterThan(1000);
            compaction.afterImport();
            assertThat(compaction.last()).containsSame(first);

            importLog(engine, 3000, 3); // doubles it
            compaction.afterImport();
            assertThat(compaction.last().orElseThrow()).isNotSameAs(first);
            // the pool works again after each compaction
            assertThat(engine.files(engine.createSource("test", "check"))).isEmpty();
        }
    }

    @Test
    void removingMostOfTheDataCompactsAndRemovingLittleDoesNot(@TempDir Path dir) throws IOException {
        try (HikariDataSource ds = pool(dir, "")) {
            IngestEngine engine = new IngestEngine(ds, Set.of("conversion"), IngestEngine.H2_BATCH);
            H2Compaction compaction = compaction(ds, engine, dir, Duration.ofSeconds(10));
            importLog(engine, 3000, 1);
            compaction.compact();
            long compacted = Files.size(dir.resolve("mailtrail.mv.db"));

            engine.purge(java.time.LocalDateTime.of(2026, 3, 2, 0, 30)); // a few messages
            compaction.afterPurge();
            assertThat(compaction.last().orElseThrow().bytesAfter()).isEqualTo(compacted);

            engine.purge(java.time.LocalDateTime.of(2026, 3, 2, 20, 0)); // most of the day
            compaction.afterPurge();
            H2Compaction.Result after = compaction.last().orElseThrow();
            assertThat(after.bytesBefore()).isGreaterThan(compacted); // deleting made the file grow
            assertThat(after.bytesAfter()).isLessThan(compacted / 2);
            assertThat(engine.files(engine.createSource("test", "check"))).isEmpty(); // the pool works again
        }
    }

    @Test
    void whatWasCommittedButNotYetWrittenCountsAsGrowth(@TempDir Path dir) throws IOException {
        // H2's background writer held back for the test: committed pages stay in memory until a CHECKPOINT. A tail
        // round leaves them so (a whole file's load has them written before it is done: see IngestEngine.writeOut).
        try (HikariDataSource ds = pool(dir, ";WRITE_DELAY=600000")) {
            IngestEngine engine = new IngestEngine(ds, Set.of("conversion"), IngestEngine.H2_BATCH);
            H2Compaction compaction = compaction(ds, engine, dir, Duration.ofSeconds(10));
            long before = Files.size(dir.resolve("mailtrail.mv.db"));
            assertThat(tailLog(engine, 300, 1)).isGreaterThan(1000);
            assertThat(Files.size(dir.resolve("mailtrail.mv.db"))).isEqualTo(before); // nothing written yet
            compaction.afterImport();
            assertThat(compaction.failure()).isEmpty();
            assertThat(compaction.last()).isPresent();
        }
    }

    @Test
    void aConnectionHeldTooLongPostponesTheCompactionAndSaysWhyAndThePoolGoesOn(@TempDir Path dir) throws Exception {
        try (HikariDataSource ds = pool(dir, "")) {
            IngestEngine engine = new IngestEngine(ds, Set.of("conversion"), IngestEngine.H2_BATCH);
            H2Compaction compaction = compaction(ds, engine, dir, Duration.ofMillis(300));
            importLog(engine, 3000, 1);

            try (Connection held = ds.getConnection()) {
                assertPostponed(ds, compaction, "connections still in use after 0.3 s");
                assertThat(held.isValid(1)).isTrue();
            }
            compaction.afterImport(); // not yet: no new entries since the try
            assertThat(compaction.last()).isEmpty();
            importLog(engine, 200, 2);
            compaction.afterImport();
            assertThat(compaction.last()).isPresent();
            assertThat(compaction.failure()).isEmpty();
            assertThat(dir.resolve("mailtrail.trace.db")).doesNotExist();
        }
    }

    @Test
    void aSessionOutsideThePoolPostponesTheCompactionAndSaysSo(@TempDir Path dir) throws Exception {
        try (HikariDataSource ds = pool(dir, "")) {
            IngestEngine engine = new IngestEngine(ds, Set.of("conversion"), IngestEngine.H2_BATCH);
            H2Compaction compaction = compaction(ds, engine, dir, Duration.ofMillis(300));
            importLog(engine, 3000, 1);
            // an administrator's H2 console, say: SHUTDOWN would close it under them, so the compaction waits for it
            try (Connection console = DriverManager.getConnection(ds.getJdbcUrl(), "sa", "")) {
                assertPostponed(ds, compaction, "other sessions still open after 0.3 s: 1");
                assertThat(console.isValid(1)).isTrue();
            }
            assertThat(dir.resolve("mailtrail.trace.db")).doesNotExist();
        }
    }

    /** The compaction due now does not happen and says why; the pool, resumed, hands out connections again. */
    private static void assertPostponed(HikariDataSource ds, H2Compaction compaction, String reason)
            throws SQLException {
        compaction.afterImport();
        assertThat(compaction.last()).isEmpty();
        assertThat(compaction.failure().orElseThrow().reason()).isEqualTo(reason);
        try (Connection other = ds.getConnection(); Statement st = other.createStatement()) {
            assertThat(st.executeQuery("SELECT COUNT(*) FROM message").next()).isTrue();
        }
    }

    /** A suspendable pool on a new migrated H2 file database in {@code dir}, as the server configures it. */
    private static HikariDataSource pool(Path dir, String urlOptions) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:file:" + dir.resolve("mailtrail") + ";AUTO_SERVER=FALSE" + urlOptions);
        config.setUsername("sa");
        config.setAllowPoolSuspension(true);
        HikariDataSource ds = new HikariDataSource(config);
        Flyway.configure().dataSource(ds).load().migrate();
        return ds;
    }

    /** Compaction after 1,000 entries, waiting {@code wait} for connections in use. */
    private static H2Compaction compaction(HikariDataSource ds, IngestEngine engine, Path dir, Duration wait) {
        return new H2Compaction(ds, engine, new IngestProperties(Set.of("conversion"), IngestEngine.H2_BATCH, dir,
                DataSize.ofMegabytes(1), 200, 1000, wait), Optional.empty());
    }

    /** Reads a generated day as one round of a followed file. */
    private static long tailLog(IngestEngine engine, int messages, long seed) throws IOException {
        StringWriter out = new StringWriter();
        new LogGenerator(GeneratorConfig.of(messages, seed)).generate(out, null);
        byte[] text = out.toString().getBytes(StandardCharsets.UTF_8);
        long source = engine.createSource("tail", "/var/log/mta-" + seed);
        IngestEngine.FileState state = engine.openFile(source, "mail.log_current", "", 0, null, null);
        return engine.resume(state, "mail.log_current", new ByteArrayInputStream(text), LogOptions.auto(),
                Arrays.copyOf(text, Math.min(text.length, LogReader.LEARN_BYTES)), (long) text.length, "tailing",
                new Progress()).entries();
    }

    private static long importLog(IngestEngine engine, int messages, long seed) throws IOException {
        StringWriter out = new StringWriter();
        new LogGenerator(GeneratorConfig.of(messages, seed)).generate(out, null);
        byte[] text = out.toString().getBytes(StandardCharsets.UTF_8);
        return engine.ingest(engine.createSource("test", "day-" + seed), "day-" + seed + ".log",
                new ByteArrayInputStream(text), LogOptions.auto(), new Progress()).entries();
    }
}
