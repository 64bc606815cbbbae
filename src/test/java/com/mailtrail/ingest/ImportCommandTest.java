package com.mailtrail.ingest;

import com.mailtrail.MailtrailApplication;
import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.parse.LogOptions;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The command-line import on a database a stop left half rebuilt: it says so, finishes the rebuild, then imports. */
class ImportCommandTest {

    @TempDir
    Path dir;

    private static Path gzip(Path file, byte[] bytes) throws IOException {
        try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(bytes);
        }
        return file;
    }

    private static String log(int messages, long seed) throws IOException {
        StringWriter w = new StringWriter();
        new LogGenerator(GeneratorConfig.of(messages, seed)).generate(w, null);
        return w.toString();
    }

    /**
     * Runs the command in this JVM; its status, what it printed and what it said (on an error stream that, in this
     * JVM, also takes logback's notes on its reconfiguration: the tests look at the command's own "import:" lines).
     */
    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        return run(new ByteArrayOutputStream(), args);
    }

    /** With {@code stdin} as its standard input. */
    private static Run runWithInput(byte[] stdin, String... args) {
        return run(new ByteArrayOutputStream(), new ByteArrayInputStream(stdin), args);
    }

    /** With what it says going to {@code err} as it says it. */
    private static Run run(ByteArrayOutputStream err, String... args) {
        return run(err, new ByteArrayInputStream(new byte[0]), args);
    }

    private static Run run(ByteArrayOutputStream err, java.io.InputStream stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        int status;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            status = ImportCommand.run(MailtrailApplication.class, args, stdin);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void onPostgresAnImportSaysThatItWaitsForTheServersRead() throws Exception {
        String url = TestDatabase.emptyPostgresUrl();
        HikariDataSource server = new HikariDataSource();
        server.setJdbcUrl(url);
        server.setUsername("postgres");
        server.setPassword("postgres");
        TestDatabase.migrate(server);
        // The server in the middle of an upload: its read holds the turn until the file ends.
        PipedOutputStream uploaded = new PipedOutputStream();
        PipedInputStream reading = new PipedInputStream(uploaded);
        IngestEngine engine = new IngestEngine(server, Set.of("conversion", "reprocess", "process"), 1000);
        long source = engine.createSource("upload", "big.log");
        Thread reads = new Thread(() -> {
            try {
                engine.ingest(source, "big.log", reading, LogOptions.auto(), new Progress());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        reads.start();
        Path file = Files.writeString(dir.resolve("mail.log"), log(30, 5));
        Run[] imported = new Run[1];
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        Thread imports = new Thread(() -> imported[0] = run(said, "--spring.profiles.active=postgres",
                "--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
                "--spring.datasource.password=postgres", file.toString()));
        try {
            imports.start();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!said.toString(StandardCharsets.UTF_8).contains("waiting")) {
                assertThat(imports.isAlive()).as("waits for the server's read").isTrue();
                assertThat(System.nanoTime()).as("says so").isLessThan(deadline);
                Thread.sleep(50);
            }
        } finally {
            uploaded.close();
            imports.join(60_000);
            reads.join(60_000);
            server.close();
        }
        assertThat(imported[0].status()).as(imported[0].err()).isZero();
        assertThat(imported[0].err().lines().filter(l -> l.startsWith("import: ")))
                .containsExactly("import: another process (the server?) is reading a file into this database: "
                        + "waiting for it to finish");
        assertThat(imported[0].out()).startsWith("imported ");
    }

    @Test
    void anImportFirstFinishesARebuildAStopInterrupted() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("mailtrail");
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        ds.setUser("sa");
        Flyway.configure().dataSource(ds).load().migrate();
        IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 200);
        for (String name : List.of("mail.log", "wrong.log")) {
            long source = engine.createSource("upload", name);
            engine.ingest(source, name, new ByteArrayInputStream(log(200, name.length()).getBytes(
                    StandardCharsets.UTF_8)), LogOptions.auto(), new Progress());
            engine.finishSource(source, null);
        }
        long wrong = new JdbcTemplate(ds).queryForObject("SELECT id FROM log_source WHERE name = 'wrong.log'",
                Long.class);
        IngestEngine stopping = new IngestEngine(CrashingDataSource.failingBatch(ds, 2),
                Set.of("conversion", "reprocess", "process"), 200);
        assertThatThrownBy(() -> stopping.removeSources(List.of(wrong)));
        Path more = Files.writeString(dir.resolve("more.log"), log(50, 99));

        Run run = run("--spring.datasource.url=" + url, more.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.err().lines().filter(l -> l.startsWith("import: "))).containsExactly("import: first finishing "
                + "the rebuild that removing a log source began: the stored text of the other files is read again");
        assertThat(run.out()).startsWith("imported ");
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM log_file WHERE replayed IS NOT NULL", Long.class))
                .isZero();
        assertThat(jdbc.queryForList("SELECT name FROM log_source ORDER BY id", String.class))
                .containsExactly("mail.log", more.toString());
    }

    @Test
    void aLongImportSaysHowFarItIsAndThatItCompacts() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("mailtrail");
        Path gz = gzip(dir.resolve("mail.log_yesterday.gz"), log(3000, 7).getBytes(StandardCharsets.UTF_8));
        Path plain = Files.writeString(dir.resolve("mail.log_current"), log(3000, 8));

        // every 10 ms: any import of 6,000 messages takes longer than that
        Run run = run("--progress=0.01", "--spring.datasource.url=" + url, gz.toString(), plain.toString());

        assertThat(run.status()).as(run.err()).isZero();
        List<String> said = run.err().lines().filter(l -> l.startsWith("import: ")).toList();
        Pattern line = Pattern.compile("import: (.+) \\((\\d) of 2\\): (\\d+) % read, "
                + "(\\d+) lines, \\d+ entries/s(, about \\d+ s left)?");
        List<Matcher> progress = said.stream().map(line::matcher).filter(Matcher::matches).toList();
        assertThat(progress).as(String.join("\n", said)).isNotEmpty();
        long lastOrder = 0;
        for (Matcher m : progress) {
            int file = Integer.parseInt(m.group(2));
            assertThat(m.group(1)).isEqualTo((file == 1 ? gz : plain).toString());
            // the file's percentage (of the compressed bytes for the gzip) and its lines only go forward
            long order = file * 1_000_000_000L + Long.parseLong(m.group(3)) * 1_000_000L + Long.parseLong(m.group(4));
            assertThat(order).isGreaterThanOrEqualTo(lastOrder);
            lastOrder = order;
        }
        assertThat(said).hasSize(progress.size() + 1);
        assertThat(said.get(said.size() - 1)).isEqualTo("import: compacting the H2 file (it grows while it takes a "
                + "large load)");
        assertThat(run.out()).startsWith("imported ");
    }

    @Test
    void aShortImportPrintsItsSummaryOnlyAndABadProgressIntervalIsRefused() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("mailtrail");
        Path file = Files.writeString(dir.resolve("mail.log"), log(20, 3));

        Run quick = run("--spring.datasource.url=" + url, file.toString());
        Run bad = run("--progress=soon", file.toString());

        assertThat(quick.status()).as(quick.err()).isZero();
        assertThat(quick.err().lines().filter(l -> l.startsWith("import: "))).isEmpty();
        assertThat(quick.out()).startsWith("imported ");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("import: --progress wants the seconds between two progress lines (0 for none), "
                + "not soon");
    }

    @Test
    void anUnknownFlagIsRefusedWhileSpringPropertiesPassThrough() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("mailtrail");
        Path file = Files.writeString(dir.resolve("mail.log"), log(5, 3));

        Run misspelled = run("--option=none", "--spring.datasource.url=" + url, file.toString());
        Run unknown = run("--foo", "--spring.datasource.url=" + url, file.toString());
        Run spring = run("--logging.level.root=WARN", "--mailtrail.ingest.compact-after=0",
                "--spring.datasource.url=" + url, file.toString());

        assertThat(misspelled.status()).isEqualTo(2);
        assertThat(misspelled.err()).contains("import: unknown option --option=none; the options are --options=, "
                + "--progress=, --name= and Spring properties (a name with a dot, as --spring.profiles.active=postgres)");
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).contains("import: unknown option --foo;");
        assertThat(misspelled.out() + unknown.out()).isEmpty();
        assertThat(spring.status()).as(spring.err()).isZero();
        assertThat(spring.out()).contains("imported 20 entries, 5 messages"); // and the WARN of the level given
    }

    @Test
    void aDamagedGzipIsRefusedWithAReasonNotNull() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("mailtrail");
        Path real = gzip(dir.resolve("real.gz"), log(5, 3).getBytes(StandardCharsets.UTF_8));
        Path magic = Files.write(dir.resolve("t2.gz"), new byte[] {0x1f, (byte) 0x8b});
        Path header = Files.write(dir.resolve("t10.gz"), java.util.Arrays.copyOf(Files.readAllBytes(real), 10));
        Path cut = Files.write(dir.resolve("t30.gz"), java.util.Arrays.copyOf(Files.readAllBytes(real), 30));

        for (Path damaged : List.of(magic, header, cut)) {
            Run run = run("--spring.datasource.url=" + url, damaged.toString());
            assertThat(run.status()).as(run.err()).isEqualTo(1);
            assertThat(run.err()).as(run.err()).contains("import: " + damaged + " starts like gzip but ")
                    .doesNotContain("null");
        }
    }

    @Test
    void binaryFilesAreRefusedBeforeAnythingIsStored() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("mailtrail");
        Path good = Files.writeString(dir.resolve("mail.log"), log(5, 3));
        Path zip = dir.resolve("a.zip");
        try (var out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("mail.log"));
            out.write(Files.readAllBytes(good));
        }
        Path once = gzip(dir.resolve("a.log.gz"), Files.readAllBytes(good));
        Path gzgz = gzip(dir.resolve("a.log.gz.gz"), Files.readAllBytes(once));
        byte[] junk = new byte[4096];
        new java.util.Random(1).nextBytes(junk);
        junk[0] = 'x'; // not a gzip's magic
        Path garbage = Files.write(dir.resolve("garbage.bin"), junk);

        for (Path bad : List.of(zip, gzgz, garbage)) {
            Run run = run("--spring.datasource.url=" + url, good.toString(), bad.toString());
            assertThat(run.status()).as(run.err()).isEqualTo(1);
            assertThat(run.err()).contains("import: " + bad + " does not look like a text log (");
            assertThat(run.out()).isEmpty();
        }
        HikariDataSource db = new HikariDataSource();
        db.setJdbcUrl(url);
        db.setUsername("sa");
        try (db) {
            assertThat(new JdbcTemplate(db).queryForObject("SELECT count(*) FROM log_source", Long.class)).isZero();
        } catch (RuntimeException noSchemaYet) {
            // nothing was ever started on it: nothing stored either
            assertThat(noSchemaYet).hasStackTraceContaining("LOG_SOURCE");
        }
    }

    @Test
    void aDirectoryIsRefusedBeforeAnythingIsStored() throws Exception {
        // `import /opt/sun/comms/messaging64/log` (the directory rather than its files): the files named before it
        // were imported, then the directory failed with the system's "Is a directory" and exit status 1
        String url = "jdbc:h2:file:" + dir.resolve("mailtrail");
        Path good = Files.writeString(dir.resolve("mail.log"), log(5, 3));
        Path logs = Files.createDirectory(dir.resolve("log"));

        Run run = run("--spring.datasource.url=" + url, good.toString(), logs.toString());

        assertThat(run.status()).as(run.err()).isEqualTo(1);
        assertThat(run.err()).contains("import: " + logs + " is a directory: name the log files in it (for example "
                + logs.resolve("mail.log_yesterday") + ")");
        assertThat(run.err()).doesNotContain("Is a directory");
        assertThat(run.out()).isEmpty();
        assertThat(Files.exists(dir.resolve("mailtrail.mv.db"))).as("no database opened").isFalse();
    }

    private static long count(String url, String sql, Object... args) {
        HikariDataSource db = new HikariDataSource();
        db.setJdbcUrl(url);
        db.setUsername("sa");
        try (db) {
            return new JdbcTemplate(db).queryForObject(sql, Long.class, args);
        }
    }

    @Test
    void aGzipBombIsRefusedByItsTrailerWhileTheOtherFilesImport() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("mailtrail");
        Path good = Files.writeString(dir.resolve("good.log"), log(20, 3));
        Path bomb = gzip(dir.resolve("bomb.gz"), Bombs.repeatedLine(20 << 20));
        Path after = Files.writeString(dir.resolve("after.log"), log(10, 4));

        Run run = run("--spring.datasource.url=" + url, good.toString(), bomb.toString(), after.toString());

        assertThat(run.status()).as(run.err()).isEqualTo(1);
        assertThat(run.err().lines().filter(l -> l.startsWith("import: "))).containsExactly("import: " + bomb
                + ": decompresses to more than " + DecompressionLimit.limit(Files.size(bomb), 200) + " bytes, over 200 "
                + "times its " + Files.size(bomb) + " bytes (the limit set by mailtrail.ingest.max-ratio): a gzip "
                + "bomb? If it is a real log, import it with a higher limit: --mailtrail.ingest.max-ratio=N.");
        // nothing of the bomb is stored; the files before and after it are
        assertThat(run.out()).startsWith("imported " + count(url, "SELECT SUM(entries) FROM log_file") + " entries");
        assertThat(count(url, "SELECT COUNT(*) FROM log_file WHERE state = 'done' AND name IN (?, ?)",
                good.toString(), after.toString())).isEqualTo(2);
        assertThat(count(url, "SELECT COUNT(*) FROM log_file WHERE name = ?", bomb.toString())).isZero();
        assertThat(count(url, "SELECT COUNT(*) FROM log_source WHERE state = 'failed' AND error LIKE ?",
                bomb + ": decompresses to more than %")).isEqualTo(1);
    }

    @Test
    void aCutOffGzipImportsTheCompleteLinesBeforeItsBreakAndSaysWhereItBroke() throws Exception {
        // `head -c 40000 d2.log.gz > t.gz`: its last four bytes are deflate data and claim far more than the ratio
        String url = "jdbc:h2:file:" + dir.resolve("mailtrail");
        byte[] whole = Files.readAllBytes(gzip(dir.resolve("whole.gz"), log(1500, 13).getBytes(StandardCharsets.UTF_8)));
        Path cut = Files.write(dir.resolve("t.gz"), Bombs.cutWhereTheTrailerClaimsTooMuch(whole, whole.length / 2, 200));
        byte[] before = Bombs.readUpToTheBreak(Files.readAllBytes(cut));
        long lines = new String(before, 0, Bombs.lastLineEnd(before), StandardCharsets.UTF_8).lines().count();
        Path after = Files.writeString(dir.resolve("after.log"), log(10, 4));

        Run run = run("--spring.datasource.url=" + url, cut.toString(), after.toString());

        assertThat(run.status()).as(run.err()).isEqualTo(1);
        assertThat(run.err().lines().filter(l -> l.startsWith("import: "))).containsExactly("import: " + cut
                + ": the input ends early, after line " + lines + " (Unexpected end of ZLIB input stream: a truncated "
                + ".gz file?); the lines before it were stored");
        assertThat(count(url, "SELECT lines FROM log_file WHERE name = ? AND state = 'failed'", cut.toString()))
                .isEqualTo(lines);
        assertThat(count(url, "SELECT entries FROM log_file WHERE name = ?", cut.toString())).isPositive();
        assertThat(run.out()).startsWith("imported " + count(url, "SELECT SUM(entries) FROM log_file") + " entries");
    }

    @Test
    void aCutOffGzipBombIsStillRefusedBeforeAnythingOfItIsStored() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("mailtrail");
        byte[] bomb = Files.readAllBytes(gzip(dir.resolve("whole.gz"), Bombs.repeatedLine(20 << 20)));
        Path cut = Files.write(dir.resolve("bomb.gz"), Bombs.cutWhereTheTrailerClaimsTooMuch(bomb, bomb.length / 2,
                200));
        Path after = Files.writeString(dir.resolve("after.log"), log(10, 4));

        Run run = run("--spring.datasource.url=" + url, cut.toString(), after.toString());

        assertThat(run.status()).as(run.err()).isEqualTo(1);
        assertThat(run.err().lines().filter(l -> l.startsWith("import: "))).singleElement().asString()
                .isEqualTo("import: " + cut + ": decompresses to more than "
                        + DecompressionLimit.limit(Files.size(cut), 200) + " bytes, over 200 times its "
                        + Files.size(cut) + " bytes (the limit set by mailtrail.ingest.max-ratio): a gzip bomb? If it "
                        + "is a real log, import it with a higher limit: --mailtrail.ingest.max-ratio=N.");
        assertThat(count(url, "SELECT COUNT(*) FROM log_file WHERE name = ?", cut.toString())).isZero();
        assertThat(count(url, "SELECT COUNT(*) FROM log_file WHERE name = ? AND state = 'done'", after.toString()))
                .isEqualTo(1);
    }

    @Test
    void emptyFilesImportWithNoEntries() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("mailtrail");
        Path empty = Files.write(dir.resolve("mail.log_current"), new byte[0]);
        Path emptyGzip = gzip(dir.resolve("connection.log_current.gz"), new byte[0]);

        Run run = run("--spring.datasource.url=" + url, empty.toString(), emptyGzip.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("imported 0 entries");
        assertThat(count(url, "SELECT COUNT(*) FROM log_file WHERE state = 'done' AND lines = 0")).isEqualTo(2);
    }

    @Test
    void aGzipBombInAnEarlierMemberIsStoppedWhileItIsReadAndAHigherLimitReadsItAll() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("mailtrail");
        // The trailer tells only the last, small member's size; the limit on the stream stops the first.
        Path hidden = dir.resolve("hidden.gz");
        byte[] bomb = Bombs.repeatedLine(6 << 20);
        gzip(hidden, bomb);
        byte[] first = Files.readAllBytes(hidden);
        gzip(hidden, "just a line\n".getBytes(StandardCharsets.UTF_8));
        Files.write(hidden, concat(first, Files.readAllBytes(hidden)));
        Path after = Files.writeString(dir.resolve("after.log"), log(10, 4));
        long limit = Files.size(hidden) * 200;

        Run run = run("--spring.datasource.url=" + url, hidden.toString(), after.toString());

        assertThat(run.status()).as(run.err()).isEqualTo(1);
        List<String> said = run.err().lines().filter(l -> l.startsWith("import: ")).toList();
        assertThat(said).hasSize(1);
        assertThat(said.get(0)).matches(Pattern.quote("import: " + hidden + ": decompresses to more than " + limit
                + " bytes, over 200 times its " + Files.size(hidden) + " bytes (the limit set by "
                + "mailtrail.ingest.max-ratio): a gzip bomb? Reading stopped after line ") + "\\d+"
                + Pattern.quote("; the lines before it were stored. If it is a real log, import it with a higher "
                + "limit: --mailtrail.ingest.max-ratio=N."));
        assertThat(run.out()).as("the file after it is read").startsWith("imported ");
        long stored = count(url, "SELECT lines FROM log_file WHERE name = ?", hidden.toString());
        assertThat(stored).isPositive().isLessThanOrEqualTo(limit / 80);
        assertThat(count(url, "SELECT COUNT(*) FROM log_file WHERE name = ? AND state = 'done'", after.toString()))
                .isEqualTo(1);

        Run raised = run("--mailtrail.ingest.max-ratio=2000", "--spring.datasource.url=" + url, hidden.toString());

        assertThat(raised.status()).as(raised.err()).isZero();
        assertThat(count(url, "SELECT MAX(lines) FROM log_file WHERE name = ?", hidden.toString()))
                .isEqualTo(new String(bomb, StandardCharsets.US_ASCII).lines().count());
    }

    @Test
    void theSummaryCountsTheLinesAFileStoppedByTheLimitStored() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("mailtrail");
        // A bomb of connection entries (each one stored) hidden in the first member, as above.
        byte[] line = "20-Nov-2026 00:03:30.31 38ee.b.0 tcp_local    +            O TCP|192.0.2.25|25|203.0.113.29|55802 SMTP\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] bomb = new byte[line.length * 80_000];
        for (int i = 0; i < bomb.length; i += line.length) {
            System.arraycopy(line, 0, bomb, i, line.length);
        }
        Path hidden = gzip(dir.resolve("hidden.gz"), bomb);
        byte[] first = Files.readAllBytes(hidden);
        gzip(hidden, "just a line\n".getBytes(StandardCharsets.UTF_8));
        Files.write(hidden, concat(first, Files.readAllBytes(hidden)));
        Path after = Files.writeString(dir.resolve("after.log"), log(10, 4));

        Run run = run("--spring.datasource.url=" + url, hidden.toString(), after.toString());

        assertThat(run.status()).as(run.err()).isEqualTo(1);
        assertThat(count(url, "SELECT entries FROM log_file WHERE name = ?", hidden.toString())).isPositive();
        // what the stopped file stored was imported: the summary counted only the files read whole
        assertThat(run.out()).startsWith("imported " + count(url, "SELECT SUM(entries) FROM log_file") + " entries");
    }

    @Test
    void aRealLogCompressesFarBelowTheLimitAndImportsWhole() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("mailtrail");
        byte[] text = log(3000, 11).getBytes(StandardCharsets.UTF_8);
        Path gz = dir.resolve("mail.log_yesterday.gz");
        try (var out = new GZIPOutputStream(Files.newOutputStream(gz)) {
            {
                def.setLevel(java.util.zip.Deflater.BEST_COMPRESSION);
            }
        }) {
            out.write(text);
        }
        double ratio = (double) text.length / Files.size(gz);
        // MTA logs compress about ten times (the generator's day: 9.8 with gzip -9); the limit leaves room for far more
        assertThat(ratio).isBetween(5.0, 50.0);
        Path plain = Files.write(dir.resolve("plain.log"), text);

        Run fromGzip = run("--spring.datasource.url=" + url + "gz", gz.toString());
        Run fromText = run("--spring.datasource.url=" + url + "plain", plain.toString());

        assertThat(fromGzip.status()).as(fromGzip.err()).isZero();
        assertThat(fromGzip.out().replaceAll(" in .*", ""))
                .isEqualTo(fromText.out().replaceAll(" in .*", "")).startsWith("imported ");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** H2 fails to write its file (FullDisk): the import says so in the user's terms, not in H2's. */
    @Test
    void aFullDiskUnderH2IsSaidInTheUsersTerms() throws Exception {
        com.mailtrail.store.FullDisk.register();
        String url = "jdbc:h2:fulldisk:" + dir.resolve("mailtrail") + ";CACHE_SIZE=8192";
        Path first = Files.writeString(dir.resolve("first.log"), log(20, 3));
        Path big = Files.writeString(dir.resolve("big.log"), log(3000, 4));
        Path after = Files.writeString(dir.resolve("after.log"), log(20, 5));
        assertThat(run("--spring.datasource.url=" + url, first.toString()).status()).isZero();
        com.mailtrail.store.FullDisk.full = true;
        Run run;
        try {
            run = run("--spring.datasource.url=" + url, big.toString(), after.toString());
        } finally {
            com.mailtrail.store.FullDisk.full = false;
        }
        assertThat(run.status()).isEqualTo(1);
        List<String> said = run.err().lines().filter(l -> l.startsWith("import: ")).toList();
        assertThat(said).hasSize(2);
        // H2 fails the write itself, or its background writer failed and closed the database first; now and then
        // (two runs in about twenty here) H2's exception comes without the system's reason under it, or H2 fails a
        // read of what the failed write left out (DatabaseFailureTest): still the user's terms, not H2's
        String file = Pattern.quote(dir.resolve("mailtrail.mv.db").toString());
        assertThat(said.get(0)).matches(Pattern.quote("import: " + big + ": cannot store " + big + ": the database ")
                + "(could not write or read its file " + file + ": (No space left on device|an I/O error"
                + "|a part of it that a failed write \\(a full disk\\?\\) left out could not be read back)"
                + "|is closed: H2 closed it when it could not write its file " + file
                + " \\(No space left on device\\); it opens again once the file can be written)"
                + Pattern.quote(" (the lines read since the database last wrote its file are not stored; load the "
                + "file again once it can write: the lines stored already are not added twice)"));
        assertThat(said.get(1)).isEqualTo("import: not read: " + after);
    }

    /**
     * The server's followed directory is the server's: an import (on PostgreSQL run beside the server, on H2 while
     * it is stopped) neither ends its source, which said "done" on the Sources page while the server still followed
     * it, nor reads the directory itself when mailtrail.tail.paths is set where it runs (the environment the server
     * runs in, as in docker-compose.yml).
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void anImportLeavesTheServersFollowedDirectoryAlone(String kind) throws Exception {
        boolean postgres = kind.equals("postgres");
        String url = postgres ? TestDatabase.emptyPostgresUrl() : "jdbc:h2:file:" + dir.resolve("mailtrail");
        String user = postgres ? "postgres" : "sa";
        String password = postgres ? "postgres" : "";
        Path followed = Files.createDirectories(dir.resolve("mta"));
        Files.writeString(followed.resolve("mail.log_current"), log(200, 4));
        String name = followed.toAbsolutePath().normalize().toString();
        HikariDataSource server = new HikariDataSource();
        server.setJdbcUrl(url);
        server.setUsername(user);
        server.setPassword(password);
        long tail;
        try (server) {
            TestDatabase.migrate(server);
            tail = new IngestEngine(server, Set.of("conversion", "reprocess", "process"), 1000)
                    .createSource("tail", name);
        }
        Path file = Files.writeString(dir.resolve("mail.log"), log(20, 3));
        List<String> database = postgres
                ? List.of("--spring.profiles.active=postgres", "--spring.datasource.url=" + url,
                "--spring.datasource.username=postgres", "--spring.datasource.password=postgres")
                : List.of("--spring.datasource.url=" + url);

        Run plain = run(Stream.concat(database.stream(), Stream.of(file.toString())).toArray(String[]::new));
        String afterPlain = stored(url, user, password, "SELECT state FROM log_source WHERE id = " + tail);
        Run withPaths = run(Stream.concat(database.stream(),
                Stream.of("--mailtrail.tail.paths=" + name, file.toString())).toArray(String[]::new));

        assertThat(plain.status()).as(plain.err()).isZero();
        assertThat(withPaths.status()).as(withPaths.err()).isZero();
        assertThat(afterPlain).isEqualTo("running");
        assertThat(stored(url, user, password, "SELECT state FROM log_source WHERE id = " + tail))
                .isEqualTo("running");
        assertThat(stored(url, user, password, "SELECT COUNT(*) FROM log_file WHERE source_id = " + tail))
                .as("files of the followed directory read by an import").isEqualTo("0");
        assertThat(stored(url, user, password, "SELECT COUNT(*) FROM message")).isEqualTo("20");
    }

    /**
     * {@code zcat mail.log_*.gz | java -jar mailtrail.jar import -}: standard input is read as an upload is, a file
     * without an inode or a name of its own; its lines are known by their text and place as any file's, so the same
     * stream twice, or lines a file brought already, add nothing.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void standardInputImportsLikeAnUploadAndTheSameLinesTwiceAddNothing(String kind) throws Exception {
        boolean postgres = kind.equals("postgres");
        String url = postgres ? TestDatabase.emptyPostgresUrl() : "jdbc:h2:file:" + dir.resolve("mailtrail");
        String user = postgres ? "postgres" : "sa";
        String password = postgres ? "postgres" : "";
        List<String> database = postgres
                ? List.of("--spring.profiles.active=postgres", "--spring.datasource.url=" + url,
                "--spring.datasource.username=postgres", "--spring.datasource.password=postgres")
                : List.of("--spring.datasource.url=" + url);
        byte[] text = log(40, 6).getBytes(StandardCharsets.UTF_8);
        Path file = Files.write(dir.resolve("mail.log_yesterday"), text);
        String[] stdin = Stream.concat(database.stream(), Stream.of("-")).toArray(String[]::new);

        Run first = runWithInput(text, stdin);
        Run again = runWithInput(text, stdin);
        Run named = runWithInput(gzipped(text), Stream.concat(database.stream(),
                Stream.of("--name=mta1:mail.log_yesterday", "-")).toArray(String[]::new));
        Run fromFile = run(Stream.concat(database.stream(), Stream.of(file.toString())).toArray(String[]::new));

        assertThat(first.status()).as(first.err()).isZero();
        long entries = text.length == 0 ? 0 : new String(text, StandardCharsets.UTF_8).lines().count();
        Matcher summary = Pattern.compile("imported (\\d+) entries, (\\d+) messages, 0 rejected, 0 duplicates in .*")
                .matcher(first.out().strip());
        assertThat(summary.matches()).as(first.out()).isTrue();
        assertThat(summary.group(1)).isEqualTo(String.valueOf(entries));
        for (Run run : List.of(again, named, fromFile)) {
            assertThat(run.status()).as(run.err()).isZero();
            assertThat(run.out()).startsWith("imported 0 entries, 0 messages, 0 rejected, " + entries + " duplicates");
        }
        assertThat(stored(url, user, password, "SELECT COUNT(*) FROM message")).isEqualTo(summary.group(2));
        assertThat(stored(url, user, password, "SELECT COUNT(*) FROM log_file WHERE name = 'standard input' "
                + "AND state = 'done'")).isEqualTo("2");
        assertThat(stored(url, user, password, "SELECT COUNT(*) FROM log_source WHERE kind = 'import' "
                + "AND name = 'standard input'")).isEqualTo("2");
        assertThat(stored(url, user, password, "SELECT COUNT(*) FROM log_file WHERE name = "
                + "'mta1:mail.log_yesterday'")).isEqualTo("1");
    }

    private static byte[] gzipped(byte[] text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text);
        }
        return bytes.toByteArray();
    }

    @Test
    void aGzipOnStandardInputImportsAsTheSameFileDoesBesideOtherFiles() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("mailtrail");
        byte[] text = log(30, 12).getBytes(StandardCharsets.UTF_8);
        Path other = Files.writeString(dir.resolve("other.log"), log(10, 13));

        Run fromGzip = runWithInput(gzipped(text), "--spring.datasource.url=" + url + "gz", "-", other.toString());
        Run fromText = runWithInput(text, "--spring.datasource.url=" + url + "plain", other.toString(), "-");

        assertThat(fromGzip.status()).as(fromGzip.err()).isZero();
        assertThat(fromText.status()).as(fromText.err()).isZero();
        assertThat(fromGzip.out().replaceAll(" in .*", "")).isEqualTo(fromText.out().replaceAll(" in .*", ""))
                .startsWith("imported ");
        assertThat(stored(url + "gz", "sa", "", "SELECT name FROM log_source")).isEqualTo("standard input " + other);
    }

    @Test
    void standardInputIsLookedAtBeforeAnythingIsStoredAndHeldToTheRatioLimitWhileItIsRead() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("mailtrail");
        Path good = Files.writeString(dir.resolve("mail.log"), log(5, 3));
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (var out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("mail.log"));
            out.write(Files.readAllBytes(good));
        }

        Run zipped = runWithInput(zip.toByteArray(), "--spring.datasource.url=" + url, good.toString(), "-");
        Run tooShort = runWithInput(new byte[] {0x1f, (byte) 0x8b, 8}, "--spring.datasource.url=" + url, "-");

        assertThat(zipped.status()).isEqualTo(1);
        assertThat(zipped.err()).contains("import: standard input does not look like a text log (it contains NUL "
                + "bytes", "import: nothing imported");
        assertThat(tooShort.status()).isEqualTo(1);
        assertThat(tooShort.err()).contains("import: standard input starts like gzip but is too short (3 bytes) to "
                + "be one");
        assertThat(zipped.out() + tooShort.out()).isEmpty();

        // No size to hold a pipe's gzip to: the limit holds what came out to 200 times what went in so far.
        byte[] bomb = gzipped(Bombs.repeatedLine(8 << 20));
        Run stopped = runWithInput(bomb, "--spring.datasource.url=" + url, "-", good.toString());

        assertThat(stopped.status()).as(stopped.err()).isEqualTo(1);
        // progress lines ("standard input (1 of 2): ...") and the compaction notice come on a slow machine
        List<String> said = stopped.err().lines().filter(l -> l.startsWith("import: standard input: ")).toList();
        assertThat(said).hasSize(1);
        assertThat(said.get(0)).startsWith("import: standard input: decompresses to more than ")
                .contains("bytes of it read so far (the limit set by mailtrail.ingest.max-ratio): a gzip bomb? "
                        + "Reading stopped after line ")
                .endsWith("; the lines before it were stored. If it is a real log, import it with a higher limit: "
                        + "--mailtrail.ingest.max-ratio=N.");
        assertThat(stopped.out()).as("the file after it is read").startsWith("imported ");
        assertThat(count(url, "SELECT COUNT(*) FROM log_file WHERE name = ? AND state = 'failed'", "standard input"))
                .isEqualTo(1);
    }

    @Test
    void standardInputIsNamedOnceAndANameNeedsIt() throws Exception {
        Path file = Files.writeString(dir.resolve("mail.log"), log(5, 3));

        Run twice = runWithInput(new byte[0], "-", file.toString(), "-");
        Run nameAlone = runWithInput(new byte[0], "--name=mta1", file.toString());
        Run emptyName = runWithInput(new byte[0], "--name=", "-");

        assertThat(twice.status()).isEqualTo(2);
        assertThat(twice.err()).contains("import: - (standard input) can be read only once in an import");
        assertThat(nameAlone.status()).isEqualTo(2);
        assertThat(nameAlone.err()).contains("import: --name= names standard input (-), which is not among the "
                + "files");
        assertThat(emptyName.status()).isEqualTo(2);
        assertThat(emptyName.err()).contains("import: --name= wants the name to show for standard input");
    }

    /**
     * Lines over 64 KiB are stored cut: the import says so on standard error, a line per file with the first line
     * numbers, and its summary and status stay those of a good import.
     */
    @Test
    void linesStoredCutAreSaidPerFileOnStandardError() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("mailtrail");
        List<String> lines = new java.util.ArrayList<>(log(20, 8).lines().toList());
        for (int at : new int[] {2, 5, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36}) {
            lines.add(at, "20-Nov-2026 00:03:30.31 38ee.b.0 tcp_local    +            O TCP|192.0.2.25|25|"
                    + "203.0.113.29|" + (50000 + at) + " SMTP " + "x".repeat(70_000));
        }
        Path file = Files.write(dir.resolve("long.log"), lines);
        Path clean = Files.writeString(dir.resolve("clean.log"), log(5, 3));

        Run run = run("--spring.datasource.url=" + url, file.toString(), clean.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("imported ").doesNotContain("cut").hasLineCount(1);
        assertThat(run.err().lines().filter(l -> l.startsWith("import: "))).containsExactly("import: " + file
                + ": 12 lines longer than 65536 bytes were stored cut to that length: lines 3, 6, 10, 13, 16, 19, "
                + "22, 25, 28, 31 and 2 more");
        assertThat(count(url, "SELECT cut FROM log_file WHERE name = ?", file.toString())).isEqualTo(12);
    }

    /** One value read from the database, through a connection opened and closed for it (H2: one process at a time). */
    private static String stored(String url, String user, String password, String sql) {
        HikariDataSource db = new HikariDataSource();
        db.setJdbcUrl(url);
        db.setUsername(user);
        db.setPassword(password);
        try (db) {
            return new JdbcTemplate(db).queryForObject(sql, String.class);
        }
    }
}
