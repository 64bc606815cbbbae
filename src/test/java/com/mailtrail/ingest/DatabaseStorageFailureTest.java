package com.mailtrail.ingest;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.parse.LogOptions;
import com.mailtrail.store.FullDisk;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The database cannot write its storage (a full disk, an I/O error) while a file is read: the file and the load say so
 * in the user's terms, not in H2's chain of "General error: IO Exception: ..." or PostgreSQL's own file names, and
 * the database's own words go to the server log.
 */
class DatabaseStorageFailureTest {

    private static final Set<String> RELAYS = Set.of("conversion", "reprocess", "process");
    private static byte[] log;

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeAll
    static void generate() throws IOException {
        StringWriter w = new StringWriter();
        new LogGenerator(GeneratorConfig.of(3000, 17)).generate(w, null);
        log = w.toString().getBytes(StandardCharsets.UTF_8);
    }

    @BeforeEach
    void listen() {
        logged.start();
        ((Logger) LoggerFactory.getLogger(IngestException.class)).addAppender(logged);
    }

    @AfterEach
    void roomAgain() {
        FullDisk.full = false;
        ((Logger) LoggerFactory.getLogger(IngestException.class)).detachAppender(logged);
    }

    /** The log, and the disk filling up once a third of it is read. */
    private static InputStream fillingTheDiskOnTheWay() {
        return new FilterInputStream(new ByteArrayInputStream(log)) {
            private long read;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                read += Math.max(n, 0);
                if (read > log.length / 3) {
                    FullDisk.full = true;
                }
                return n;
            }
        };
    }

    /** What the server log got with the failure: the database's own words. */
    private String technicalDetail() {
        assertThat(logged.list).isNotEmpty();
        return logged.list.stream().filter(e -> e.getThrowableProxy() != null)
                .map(e -> e.getFormattedMessage() + "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy()))
                .reduce("", String::concat);
    }

    @Test
    void aFullDiskUnderH2SaysTheDatabaseCouldNotWriteItsFile() throws Exception {
        FullDisk.register();
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:fulldisk:" + dir.resolve("mailtrail") + ";CACHE_SIZE=8192");
        h2.setUser("sa");
        try (Connection keeper = h2.getConnection()) { // keeps the database open between the engine's sessions
            TestDatabase.migrate(h2);
            IngestEngine engine = new IngestEngine(h2, RELAYS, 1000);
            long source = engine.createSource("upload", "mail.log");
            new JdbcTemplate(h2).execute("CHECKPOINT"); // on the disk: what H2 commits after it may be lost with it

            String said = "cannot store mail.log: the database could not write or read its file "
                    + dir.resolve("mailtrail.mv.db") + ": No space left on device (the lines read since the database "
                    + "last wrote its file are not stored; load the file again once it can write: the lines stored "
                    + "already are not added twice)";
            assertThatThrownBy(() -> engine.ingest(source, "mail.log", fillingTheDiskOnTheWay(), LogOptions.auto(),
                    new Progress())).isInstanceOf(IngestException.class).hasMessage(said);
            assertThat(technicalDetail()).contains("cannot store mail.log", "org.h2.", "No space left on device");

            FullDisk.full = false;
            engine.finishSource(source, said); // as an upload or import does
            // what the Sources page shows, recorded once the disk had room
            assertThat(new JdbcTemplate(h2).queryForObject("SELECT error FROM log_source WHERE id = ?", String.class,
                    source)).isEqualTo(said);
        }
    }

    /**
     * PostgreSQL's own errors, raised by the real server as it raises them when its disk fills or fails (a trigger
     * stands in for the disk: filling the embedded server's disk would fill the machine's).
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "disk_full | could not extend file \"base/16384/16385\": No space left on device "
                    + "| the database server's disk is full: PostgreSQL could not write its files",
            "io_error | could not write block 7 in file \"base/16384/16385\": Input/output error "
                    + "| the database server could not read or write its files (an I/O error on its disk; "
                    + "PostgreSQL's log says more)"})
    void aFullOrFailingDiskUnderPostgresIsToldAsSuch(String condition, String postgresSays, String userReads)
            throws Exception {
        DataSource pg = TestDatabase.postgres();
        JdbcTemplate jdbc = new JdbcTemplate(pg);
        jdbc.execute("CREATE FUNCTION disk() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '"
                + postgresSays.replace("'", "''") + "' USING ERRCODE = '" + condition + "'; END $$");
        jdbc.execute("CREATE TRIGGER disk BEFORE INSERT ON raw_block FOR EACH ROW EXECUTE FUNCTION disk()");
        IngestEngine engine = new IngestEngine(pg, RELAYS, 1000);
        long source = engine.createSource("upload", "mail.log");

        assertThatThrownBy(() -> engine.ingest(source, "mail.log", new ByteArrayInputStream(log), LogOptions.auto(),
                new Progress())).isInstanceOf(IngestException.class).hasMessage("cannot store mail.log: " + userReads);

        assertThat(technicalDetail()).contains(postgresSays);
        assertThat(engine.files(source).get(0).error()).isEqualTo("cannot store mail.log: " + userReads);
    }
}
