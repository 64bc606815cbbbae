package com.mailtrail.ingest;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.parse.LogOptions;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Logs written without LOG_MESSAGE_ID (with LOG_FILENAME or without) against the same traffic logged with message ids:
 * the generator writes the same lines, only the optional fields differ, so each recipient is known in both by the
 * line of its enqueue.
 */
class ApproximateGroupingTest {

    /** The generated days, by seed, size and options: several tests load the same one. */
    private static final Map<String, String> GENERATED = new HashMap<>();

    /**
     * The databases of the test running, each behind a pool of its own (see {@link PooledDatabase}: an import opens
     * connections by the hundred), closed after the test.
     */
    private static final List<HikariDataSource> OF_THE_TEST = new ArrayList<>();

    /**
     * The databases that tests only read, by database, options and files (names and text) in the order loaded: the
     * orders of the days that the tests of either order load are the clean results the tests of a failed commit
     * compare with. Loaded once for the class, closed after it.
     */
    private static final Map<List<Object>, HikariDataSource> LOADED_ONCE = new HashMap<>();

    @AfterEach
    void closeTheTestsDatabases() {
        OF_THE_TEST.forEach(HikariDataSource::close);
        OF_THE_TEST.clear();
    }

    @AfterAll
    static void closeTheClassDatabases() {
        LOADED_ONCE.values().forEach(HikariDataSource::close);
        LOADED_ONCE.clear();
    }

    static String generate(long seed, int messages, String options) throws IOException {
        String key = seed + " " + messages + " " + options;
        String log = GENERATED.get(key);
        if (log == null) {
            StringWriter w = new StringWriter();
            new LogGenerator(GeneratorConfig.of(messages, seed).withOptions(LogOptions.parse(options)))
                    .generate(w, null);
            log = w.toString();
            GENERATED.put(key, log);
        }
        return log;
    }

    private static DataSource database(String kind) {
        HikariDataSource ds = PooledDatabase.of(kind);
        OF_THE_TEST.add(ds);
        return ds;
    }

    static DataSource load(String database, String options, String... files) throws IOException {
        DataSource ds = database(database);
        IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 500);
        int n = 0;
        for (String text : files) {
            String name = "mail.log." + n++;
            long source = engine.createSource("test", name);
            engine.ingest(source, name, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                    LogOptions.parse(options), new Progress());
        }
        return ds;
    }

    /** Each recipient by the line of its enqueue (else of its last outcome): what the message page shows of it. */
    static Map<Long, String> recipients(DataSource ds) {
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        Map<Long, List<Long>> attemptLines = new HashMap<>();
        jdbc.query("SELECT recipient_ref, line FROM attempt", rs -> {
            attemptLines.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getLong(2));
        });
        Map<Long, String> out = new TreeMap<>();
        jdbc.query("SELECT id, COALESCE(enqueue_line, last_line) AS at, recipient, original_recipient, status, "
                + "attempts, deferrals, enqueued, final_time, last_line FROM recipient", rs -> {
            List<Long> lines = new ArrayList<>(attemptLines.getOrDefault(rs.getLong("id"), List.of()));
            lines.sort(null);
            String was = out.put(rs.getLong("at"), rs.getString("recipient") + " | "
                    + rs.getString("original_recipient") + " | " + rs.getString("status") + " | " + rs.getInt("attempts") + " attempts | "
                    + rs.getInt("deferrals") + " deferrals | " + rs.getTimestamp("enqueued") + " | "
                    + rs.getTimestamp("final_time") + " | last line " + rs.getObject("last_line") + " | " + lines);
            assertThat(was).as("two recipients begin at line %d", rs.getLong("at")).isNull();
        });
        return out;
    }

    static List<String> differences(Map<Long, String> expected, Map<Long, String> actual) {
        List<String> out = new ArrayList<>();
        Set<Long> lines = new TreeSet<>(expected.keySet());
        lines.addAll(actual.keySet());
        for (Long line : lines) {
            if (!String.valueOf(expected.get(line)).equals(String.valueOf(actual.get(line)))) {
                out.add(line + ": " + expected.get(line) + "\n    got " + actual.get(line));
            }
        }
        return out;
    }

    /** The lines of the first day: the generator's retries that run past midnight left out. */
    static String firstDay(String log) {
        StringBuilder sb = new StringBuilder();
        log.lines().filter(l -> l.startsWith("02-Mar-2026")).forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }

    /** The lines a recipient begins at that also have a Z outcome, or a leg into or out of a relay channel. */
    static Set<Long> throughZOrRelay(DataSource ds) {
        Set<Long> out = new TreeSet<>();
        String relay = "('conversion', 'reprocess', 'process')";
        new JdbcTemplate(ds).query("SELECT COALESCE(r.enqueue_line, r.last_line) FROM recipient r WHERE "
                + "r.last_code LIKE 'Z%' OR r.source_channel IN " + relay + " OR r.destination_channel IN " + relay
                + " OR EXISTS (SELECT 1 FROM attempt a WHERE a.recipient_ref = r.id AND (a.code LIKE 'Z%' "
                + "OR a.channel IN " + relay + " OR a.destination IN " + relay + "))", rs -> {
                    out.add(rs.getLong(1));
                });
        return out;
    }

    /** Every line of a recipient (enqueue, outcomes) to the line it is named by (see {@link #recipients}). */
    static Map<Long, Long> owners(DataSource ds) {
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        Map<Long, Long> named = new HashMap<>();
        Map<Long, Long> out = new HashMap<>();
        jdbc.query("SELECT id, COALESCE(enqueue_line, last_line), enqueue_line, last_line FROM recipient", rs -> {
            long at = rs.getLong(2);
            named.put(rs.getLong(1), at);
            out.put(at, at);
            if (rs.getObject(4) != null) {
                out.put(rs.getLong(4), at);
            }
        });
        jdbc.query("SELECT recipient_ref, line FROM attempt", rs -> {
            out.put(rs.getLong(2), named.get(rs.getLong(1)));
        });
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void withNeitherMessageIdsNorQueueFilesEveryRecipientIsAsWithMessageIds(String database) throws IOException {
        // A deferral logs how much was sent (0 when the connection failed): grouped by size, 294 outcomes of
        // generate --messages 3000 --seed 11 --options none made recipients without an enqueue, 177 "deferred".
        DataSource exact = load(database, "message_id", firstDay(generate(11, 3000, "message_id")));
        DataSource approx = load(database, "none", firstDay(generate(11, 3000, "none")));
        Map<Long, String> expected = recipients(exact);
        assertThat(expected).hasSizeGreaterThan(3000);
        assertThat(differences(expected, recipients(approx))).isEmpty();
        String withoutEnqueue = "SELECT COUNT(*) FROM recipient WHERE enqueued IS NULL AND status <> 'rejected'";
        assertThat(new JdbcTemplate(approx).queryForObject(withoutEnqueue, Long.class)).isZero();
    }

    /** The lines after the first day: the generator's retries that run past midnight, and their outcomes. */
    static String afterFirstDay(String log) {
        StringBuilder sb = new StringBuilder();
        log.lines().filter(l -> !l.startsWith("02-Mar-2026")).forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }

    /** Loads {name, text} pairs in the order given. */
    static DataSource loadNamed(String database, String options, String[]... files) throws IOException {
        return loadNamed(database(database), options, files);
    }

    /** As {@link #loadNamed}, for a test that only reads the database: loaded once for the class. */
    static DataSource loadedOnce(String database, String options, String[]... files) throws IOException {
        List<Object> key = new ArrayList<>(List.of(database, options));
        for (String[] file : files) {
            key.addAll(List.of(file));
        }
        HikariDataSource ds = LOADED_ONCE.get(key);
        if (ds == null) {
            ds = PooledDatabase.of(database);
            LOADED_ONCE.put(key, ds);
            loadNamed(ds, options, files);
            // a connection held by each would add up, on the one PostgreSQL server
            ds.getHikariPoolMXBean().softEvictConnections();
        }
        return ds;
    }

    private static DataSource loadNamed(DataSource ds, String options, String[]... files) throws IOException {
        IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 500);
        for (String[] file : files) {
            long source = engine.createSource("test", file[0]);
            engine.ingest(source, file[0], new ByteArrayInputStream(file[1].getBytes(StandardCharsets.UTF_8)),
                    LogOptions.parse(options), new Progress());
        }
        return ds;
    }

    /**
     * As {@link #recipients}, for files named {@code day1} and {@code day2}: a line is named by its file's day and
     * its number there ({@code 2_000_000_123}), whatever order the files were loaded in.
     */
    static Map<Long, String> recipientsOfDays(DataSource ds) {
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        Map<Long, Long> day = new HashMap<>();
        jdbc.query("SELECT id, name FROM log_file", rs -> {
            day.put(rs.getLong(1), Long.parseLong(rs.getString(2).substring("day".length())));
        });
        Map<Long, List<Long>> attemptLines = new HashMap<>();
        jdbc.query("SELECT recipient_ref, file_id, line FROM attempt", rs -> {
            attemptLines.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                    .add(day.get(rs.getLong(2)) * 1_000_000_000L + rs.getLong(3));
        });
        Map<Long, String> out = new TreeMap<>();
        jdbc.query("SELECT id, enqueue_file, enqueue_line, last_file, last_line, recipient, original_recipient, "
                + "status, attempts, deferrals, enqueued, final_time FROM recipient", rs -> {
            Long last = rs.getObject("last_line") == null ? null
                    : day.get(rs.getLong("last_file")) * 1_000_000_000L + rs.getLong("last_line");
            long at = rs.getObject("enqueue_line") == null ? last
                    : day.get(rs.getLong("enqueue_file")) * 1_000_000_000L + rs.getLong("enqueue_line");
            List<Long> lines = new ArrayList<>(attemptLines.getOrDefault(rs.getLong("id"), List.of()));
            lines.sort(null);
            String was = out.put(at, rs.getString("recipient") + " | " + rs.getString("original_recipient") + " | "
                    + rs.getString("status") + " | " + rs.getInt("attempts") + " attempts | "
                    + rs.getInt("deferrals") + " deferrals | " + rs.getTimestamp("enqueued") + " | "
                    + rs.getTimestamp("final_time") + " | last line " + last + " | " + lines);
            assertThat(was).as("two recipients begin at line %d", at).isNull();
        });
        return out;
    }

    /** Message rows that no recipient is in (a day's group emptied by a day loaded later), and wrong counts. */
    static long messagesWithoutTheirRecipients(DataSource ds) {
        return new JdbcTemplate(ds).queryForObject("SELECT COUNT(*) FROM message m WHERE m.recipients <> "
                + "(SELECT COUNT(*) FROM recipient r WHERE r.message_ref = m.id)", Long.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void withNeitherMailWaitingAtMidnightIsAsWithMessageIdsInEitherOrderOfTheDays(String database)
            throws IOException {
        // What a recipient logs after midnight (its retries, its delivery or bounce) was a recipient without an
        // enqueue in the next day's group, and the enqueue before midnight stayed "deferred" (14 of the 5,933).
        String exactLog = generate(11, 3000, "message_id");
        String approxLog = generate(11, 3000, "none");
        Map<Long, String> expected = recipientsOfDays(loadNamed(database, "message_id",
                new String[]{"day1", firstDay(exactLog)}, new String[]{"day2", afterFirstDay(exactLog)}));
        assertThat(expected).hasSizeGreaterThan(5900);
        String[] day1 = {"day1", firstDay(approxLog)};
        String[] day2 = {"day2", afterFirstDay(approxLog)};
        String withoutEnqueue = "SELECT COUNT(*) FROM recipient WHERE enqueued IS NULL AND status <> 'rejected'";
        List<String> messagesAndCharts = null;
        for (String[][] order : new String[][][]{{day1, day2}, {day2, day1}, {day1, day2, day1, day2}}) {
            DataSource approx = loadedOnce(database, "none", order);
            assertThat(differences(expected, recipientsOfDays(approx))).as(order[0][0] + " first").isEmpty();
            assertThat(new JdbcTemplate(approx).queryForObject(withoutEnqueue, Long.class)).isZero();
            assertThat(messagesWithoutTheirRecipients(approx)).isZero();
            // The messages (days, first and last lines, statuses) and the charts' hourly counts, however loaded.
            List<String> now = messagesAndCharts(approx);
            if (messagesAndCharts == null) {
                messagesAndCharts = now;
            }
            assertThat(now).as(order[0][0] + " first").isEqualTo(messagesAndCharts);
        }
    }

    @ParameterizedTest(name = "{0}, {1} failing, {2}")
    @org.junit.jupiter.params.provider.CsvSource({"h2, day2, none", "postgres, day2, none", "h2, day1, none",
            "postgres, day1, none", "h2, day2, filename", "postgres, day1, filename"})
    void withoutMessageIdsAFailedCommitWhileEntriesMoveAcrossMidnightLosesAndDoublesNothing(String database,
                                                                                             String failingDay,
                                                                                             String options)
            throws IOException {
        // One day loaded, then the other, one of whose batches fails at its commit: the second day's first batch
        // (the retries after midnight, going to the enqueues of the day before), or the first day's last but one
        // (the evening's enqueues, taking the next day's entries out of its message). Loading that file again gives
        // the clean result.
        String log = generate(11, 3000, options);
        String[] day1 = {"day1", firstDay(log)};
        String[] day2 = {"day2", afterFirstDay(log)};
        String[] failing = failingDay.equals("day1") ? day1 : day2;
        String[] loaded = failing == day1 ? day2 : day1;
        int batch = failing == day1 ? (int) (failing[1].lines().count() / 500) - 1 : 1;
        DataSource clean = loadedOnce(database, options, loaded, failing);
        DataSource ds = loadNamed(database, options, loaded);
        IngestEngine crashing = new IngestEngine(CrashingDataSource.failingBatch(ds, batch),
                Set.of("conversion", "reprocess", "process"), 500);
        long source = crashing.createSource("test", failing[0]);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> crashing.ingest(source, failing[0],
                new ByteArrayInputStream(failing[1].getBytes(StandardCharsets.UTF_8)), LogOptions.parse(options),
                new Progress())).isInstanceOf(IngestException.class);
        IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 500);
        engine.ingest(engine.createSource("test", failing[0]), failing[0],
                new ByteArrayInputStream(failing[1].getBytes(StandardCharsets.UTF_8)), LogOptions.parse(options),
                new Progress());
        assertThat(differences(recipientsOfDays(clean), recipientsOfDays(ds))).isEmpty();
        assertThat(messagesWithoutTheirRecipients(ds)).isZero();
        assertThat(messagesAndCharts(ds)).isEqualTo(messagesAndCharts(clean));
    }

    static List<String> messagesAndCharts(DataSource ds) {
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        List<String> out = new ArrayList<>(jdbc.queryForList("SELECT message_key || '|' || CAST(first_seen AS "
                + "VARCHAR) || '|' || CAST(last_seen AS VARCHAR) || '|' || status || '|' || recipients || '|' || "
                + "COALESCE(CAST(size AS VARCHAR), '-') FROM message", String.class));
        out.addAll(jdbc.queryForList("SELECT 'recipients ' || CAST(bucket AS VARCHAR) || '|' || status || '|' || "
                + "outcomes || '|' || delay || '|' || recipients FROM rollup_recipient_hour WHERE recipients <> 0",
                String.class));
        out.addAll(jdbc.queryForList("SELECT 'events ' || CAST(bucket AS VARCHAR) || '|' || channel || '|' || "
                + "domain || '|' || outcome || '|' || category || '|' || events FROM rollup_hour WHERE events <> 0",
                String.class));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM rollup_recipient_hour WHERE recipients < 0",
                Long.class)).isZero();
        out.sort(null);
        return out;
    }

    private static final String WAITING_AT_MIDNIGHT_DAY1 = """
            02-Mar-2026 23:50:00.00 tcp_intranet tcp_local    E 5 cy@example.com rfc822;dee@example.net dee@example.net
            02-Mar-2026 23:50:04.00 tcp_local                 Q 0 cy@example.com rfc822;dee@example.net dee@example.net TCP active open: Failed connect()    Error: no route to host
            """;
    private static final String WAITING_AT_MIDNIGHT_DAY2 = """
            03-Mar-2026 00:20:00.00 tcp_local                 Q 0 cy@example.com rfc822;dee@example.net dee@example.net TCP active open: Failed connect()    Error: no route to host
            03-Mar-2026 00:30:00.00 tcp_intranet tcp_local    E 9 cy@example.com rfc822;dee@example.net dee@example.net
            03-Mar-2026 00:30:02.00 tcp_local                 D 9 cy@example.com rfc822;dee@example.net dee@example.net smtp;250 Ok
            03-Mar-2026 01:00:00.00 tcp_local                 D 5 cy@example.com rfc822;dee@example.net dee@example.net smtp;250 Ok
            """;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void withNeitherAnEnqueueBeforeMidnightGetsItsRetriesAndDeliveryAfterIt(String database) throws IOException {
        // The deferral after midnight goes to the enqueue still waiting since the day before, not to the one of
        // 00:30, which is delivered at once. The day before's message holds it all; the next day's only its own.
        List<String> expected = List.of(
                "2026-03-02 dee@example.net 2026-03-02 23:50:00 delivered 3 2 2026-03-03 01:00:00",
                "2026-03-03 dee@example.net 2026-03-03 00:30:00 delivered 1 0 2026-03-03 00:30:02");
        String[] day1 = {"day1", WAITING_AT_MIDNIGHT_DAY1};
        String[] day2 = {"day2", WAITING_AT_MIDNIGHT_DAY2};
        for (String[][] order : new String[][][]{{day1, day2}, {day2, day1}, {day2, day1, day2, day1}}) {
            DataSource ds = loadNamed(database, "none", order);
            assertThat(byDay(ds)).as(order[0][0] + " first").isEqualTo(expected);
            assertThat(messagesWithoutTheirRecipients(ds)).isZero();
            assertThat(new JdbcTemplate(ds).queryForList("SELECT CAST(CAST(last_seen AS TIMESTAMP(0)) AS VARCHAR) "
                    + "FROM message ORDER BY first_seen", String.class))
                    .containsExactly("2026-03-03 01:00:00", "2026-03-03 00:30:02");
            assertThat(new JdbcTemplate(ds).queryForObject("SELECT COUNT(*) FROM attempt a JOIN recipient r ON "
                    + "r.id = a.recipient_ref WHERE a.message_ref <> r.message_ref", Long.class)).isZero();
        }
        // Each line on its own, backwards: the same.
        List<String> lines = new ArrayList<>((WAITING_AT_MIDNIGHT_DAY1 + WAITING_AT_MIDNIGHT_DAY2).lines().toList());
        java.util.Collections.reverse(lines);
        String[][] single = new String[lines.size()][];
        for (int i = 0; i < lines.size(); i++) {
            single[i] = new String[]{"day" + i, lines.get(i) + "\n"};
        }
        assertThat(byDay(loadNamed(database, "none", single))).isEqualTo(expected);
    }

    private static List<String> byDay(DataSource ds) {
        return new JdbcTemplate(ds).queryForList("SELECT CAST(CAST(m.first_seen AS DATE) AS VARCHAR) || ' ' || "
                + "r.recipient || ' ' || COALESCE(CAST(CAST(r.enqueued AS TIMESTAMP(0)) AS VARCHAR), '-') || ' ' || "
                + "r.status || ' ' || r.attempts || ' ' || r.deferrals || ' ' || "
                + "COALESCE(CAST(CAST(r.final_time AS TIMESTAMP(0)) AS VARCHAR), '-') FROM recipient r "
                + "JOIN message m ON m.id = r.message_ref", String.class).stream().sorted().toList();
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @org.junit.jupiter.params.provider.CsvSource({"h2, 7, 300", "postgres, 7, 300", "h2, 11, 3000",
            "postgres, 11, 3000"})
    void withQueueFilesEveryRecipientIsAsWithMessageIds(String database, long seed, int messages)
            throws IOException {
        // Grouped by queue file and sender, a recipient deferred with Z went on in a new queue file, a message of its
        // own, and each leg through a relay channel too: 8 of the 434 messages of seed 7 stayed "deferred", and 734
        // recipient rows of seed 11's day differed from the message-id import.
        DataSource exact = load(database, "filename,message_id",
                firstDay(generate(seed, messages, "filename,message_id")));
        DataSource approx = load(database, "filename", firstDay(generate(seed, messages, "filename")));
        assertThat(differences(recipients(exact), recipients(approx))).isEmpty();
        String withoutEnqueue = "SELECT COUNT(*) FROM recipient WHERE enqueued IS NULL AND status <> 'rejected'";
        assertThat(new JdbcTemplate(approx).queryForObject(withoutEnqueue, Long.class)).isZero();
        // Every recipient still shows the queue files of its legs and attempts.
        assertThat(queueFiles(approx)).isEqualTo(queueFiles(exact));
    }

    /** Each recipient's queue files, enqueue and outcomes, by the line it is named by (see {@link #recipients}). */
    static Map<Long, String> queueFiles(DataSource ds) {
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        Map<Long, List<String>> attempts = new HashMap<>();
        jdbc.query("SELECT recipient_ref, queue_file FROM attempt ORDER BY time, line", rs -> {
            attempts.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2));
        });
        Map<Long, String> out = new TreeMap<>();
        jdbc.query("SELECT id, COALESCE(enqueue_line, last_line), queue_file, last_queue_file "
                + "FROM recipient", rs -> {
            out.put(rs.getLong(2), rs.getString(3) + " " + attempts.getOrDefault(rs.getLong(1), List.of()) + " "
                    + rs.getString(4));
        });
        return out;
    }

    @ParameterizedTest(name = "{0}, seed {1}")
    @org.junit.jupiter.params.provider.CsvSource({"h2, 7, 300", "postgres, 7, 300", "h2, 11, 3000",
            "postgres, 11, 3000"})
    void withQueueFilesMailWaitingAtMidnightIsAsWithMessageIdsInEitherOrderOfTheDays(String database, long seed,
                                                                                     int messages)
            throws IOException {
        String exactLog = generate(seed, messages, "filename,message_id");
        String approxLog = generate(seed, messages, "filename");
        Map<Long, String> expected = recipientsOfDays(loadNamed(database, "filename,message_id",
                new String[]{"day1", firstDay(exactLog)}, new String[]{"day2", afterFirstDay(exactLog)}));
        String[] day1 = {"day1", firstDay(approxLog)};
        String[] day2 = {"day2", afterFirstDay(approxLog)};
        String withoutEnqueue = "SELECT COUNT(*) FROM recipient WHERE enqueued IS NULL AND status <> 'rejected'";
        List<String> messagesAndCharts = null;
        List<Integer> counts = new ArrayList<>();
        for (String[][] order : new String[][][]{{day1, day2}, {day2, day1}, {day1, day2, day1, day2}}) {
            DataSource approx = loadedOnce(database, "filename", order);
            List<String> differences = differences(expected, recipientsOfDays(approx));
            counts.add(differences.size());
            if (!differences.isEmpty()) {
                continue;
            }
            assertThat(new JdbcTemplate(approx).queryForObject(withoutEnqueue, Long.class)).isZero();
            assertThat(messagesWithoutTheirRecipients(approx)).isZero();
            List<String> now = messagesAndCharts(approx);
            if (messagesAndCharts == null) {
                messagesAndCharts = now;
            }
            assertThat(now).as(order[0][0] + " first").isEqualTo(messagesAndCharts);
        }
        assertThat(counts).as("recipient rows that differ, day1 first, day2 first, loaded twice")
                .containsOnly(0);
    }

    @ParameterizedTest(name = "{0}, {1}")
    @org.junit.jupiter.params.provider.CsvSource({"h2, none", "postgres, none", "h2, filename", "postgres, filename"})
    void withoutMessageIdsReverseOrderAndInterleavedFilesGiveTheSameRecipients(String database, String options)
            throws IOException {
        List<String> lines = generate(11, 600, options).lines().toList();
        int cut = lines.size() / 2;
        String first = String.join("\n", lines.subList(0, cut)) + "\n";
        String second = String.join("\n", lines.subList(cut, lines.size())) + "\n";
        StringBuilder even = new StringBuilder();
        StringBuilder odd = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            (i % 2 == 0 ? even : odd).append(lines.get(i)).append('\n');
        }
        DataSource forward = load(database, options, first, second);
        Map<Long, String> expected = byTime(forward);
        // Loading a file again adds nothing: its lines are known, whatever message they were grouped into.
        assertThat(byTime(load(database, options, first, second, first + second))).isEqualTo(expected);
        DataSource backwards = load(database, options, second, first);
        assertThat(byTime(backwards)).isEqualTo(expected);
        assertThat(byTime(load(database, options, odd.toString(), even.toString()))).isEqualTo(expected);
        assertThat(IngestInvariantsTest.count(forward, "message"))
                .isEqualTo(IngestInvariantsTest.count(backwards, "message"));
    }

    private static final String TWO_MESSAGES_ONE_RECIPIENT = """
            02-Mar-2026 10:00:00.00 tcp_intranet tcp_local    E 5 cy@example.com rfc822;dee@example.net dee@example.net
            02-Mar-2026 10:00:04.00 tcp_local                 Q 0 cy@example.com rfc822;dee@example.net dee@example.net TCP active open: Failed connect()    Error: no route to host
            02-Mar-2026 10:10:00.00 tcp_intranet tcp_local    E 9 cy@example.com rfc822;dee@example.net dee@example.net
            02-Mar-2026 10:10:04.00 tcp_local                 Q 0 cy@example.com rfc822;dee@example.net dee@example.net TCP active open: Failed connect()    Error: no route to host
            02-Mar-2026 10:20:00.00 tcp_local                 Z 9 cy@example.com rfc822;dee@example.net dee@example.net Mailbox is busy
            02-Mar-2026 10:40:00.00 tcp_local                 D 9 cy@example.com rfc822;dee@example.net dee@example.net smtp;250 Ok
            02-Mar-2026 10:41:00.00 tcp_local                 D 5 cy@example.com rfc822;dee@example.net dee@example.net smtp;250 Ok
            02-Mar-2026 11:00:00.00 tcp_intranet              J 0 cy@example.com rfc822;dee@example.net dee@example.net 550 5.7.1 Relaying not allowed
            02-Mar-2026 12:00:00.00 tcp_intranet tcp_local    E 2 cy@example.com rfc822;dee@example.net dee@example.net
            """;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void withNeitherEachEnqueueIsARecipientAndEachOutcomeGoesToTheOneWaitingOnItsChannel(String database)
            throws IOException {
        // Both deferrals logged 0: the log does not say whose the second one was, and it goes to the earlier
        // enqueue; the Z and the deliveries logged their message's size. The refusal (J) queued nothing.
        List<String> expected = List.of(
                "dee@example.net - rejected 1 0 2026-03-02 11:00:00",
                "dee@example.net 2026-03-02 10:00:00 delivered 3 2 2026-03-02 10:41:00",
                "dee@example.net 2026-03-02 10:10:00 delivered 2 0 2026-03-02 10:40:00",
                "dee@example.net 2026-03-02 12:00:00 queued 0 0 -");
        assertThat(handWritten(load(database, "none", TWO_MESSAGES_ONE_RECIPIENT))).isEqualTo(expected);
        // The same lines backwards, one file each: the same recipients.
        List<String> lines = new ArrayList<>(TWO_MESSAGES_ONE_RECIPIENT.lines().toList());
        java.util.Collections.reverse(lines);
        assertThat(handWritten(load(database, "none", lines.stream().map(l -> l + "\n").toArray(String[]::new))))
                .isEqualTo(expected);
    }

    private static final String TWO_QUEUE_FILES_ONE_RECIPIENT = """
            02-Mar-2026 10:00:00.00 tcp_intranet tcp_local    E 5 cy@example.com rfc822;dee@example.net dee@example.net /q/tcp_local/ZZf0001.00
            02-Mar-2026 10:00:04.00 tcp_local                 Q 0 cy@example.com rfc822;dee@example.net dee@example.net /q/tcp_local/ZZf0001.00 TCP active open: Failed connect()    Error: no route to host
            02-Mar-2026 10:10:00.00 tcp_intranet tcp_local    E 9 cy@example.com rfc822;dee@example.net dee@example.net /q/tcp_local/ZZf0002.00
            02-Mar-2026 10:10:04.00 tcp_local                 Q 0 cy@example.com rfc822;dee@example.net dee@example.net /q/tcp_local/ZZf0002.00 TCP active open: Failed connect()    Error: no route to host
            02-Mar-2026 10:20:00.00 tcp_local                 Z 9 cy@example.com rfc822;dee@example.net dee@example.net /q/tcp_local/ZYf0002.00 Mailbox is busy
            02-Mar-2026 10:30:00.00 tcp_local                 Q 0 cy@example.com rfc822;dee@example.net dee@example.net /q/tcp_local/ZZf0003.00 TCP active open: Failed connect()    Error: no route to host
            02-Mar-2026 10:40:00.00 tcp_local                 D 9 cy@example.com rfc822;dee@example.net dee@example.net /q/tcp_local/ZYf0003.00 smtp;250 Ok
            02-Mar-2026 10:41:00.00 tcp_local                 D 5 cy@example.com rfc822;dee@example.net dee@example.net /q/tcp_local/ZYf0001.00 smtp;250 Ok
            """;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void withQueueFilesAnOutcomeGoesToTheEnqueueOfItsQueueFile(String database) throws IOException {
        // Both enqueues wait for one address and every deferral logs 0: without queue file names the deferrals of
        // 10:10 and 10:30 went to the earlier enqueue. The file names say whose they are, also the one after the
        // Z, logged from the new queue file that the Z moved the second message's recipient to.
        List<String> expected = List.of(
                "dee@example.net 2026-03-02 10:00:00 delivered 2 1 2026-03-02 10:41:00",
                "dee@example.net 2026-03-02 10:10:00 delivered 4 2 2026-03-02 10:40:00");
        assertThat(handWritten(load(database, "filename", TWO_QUEUE_FILES_ONE_RECIPIENT))).isEqualTo(expected);
        List<String> lines = new ArrayList<>(TWO_QUEUE_FILES_ONE_RECIPIENT.lines().toList());
        java.util.Collections.reverse(lines);
        DataSource backwards = load(database, "filename", lines.stream().map(l -> l + "\n").toArray(String[]::new));
        assertThat(handWritten(backwards)).isEqualTo(expected);
        // Each recipient shows the queue files it was in.
        assertThat(new JdbcTemplate(backwards).queryForList("SELECT queue_file || ' ' || COALESCE(last_queue_file, "
                + "queue_file) FROM recipient ORDER BY enqueued", String.class)).containsExactly(
                "/q/tcp_local/ZZf0001.00 /q/tcp_local/ZYf0001.00", "/q/tcp_local/ZZf0002.00 /q/tcp_local/ZYf0003.00");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void withNeitherOutcomesWithoutAnEnqueueAfterADeliveryAreAnotherRecipient(String database) throws IOException {
        // A log that starts mid-stream: the enqueues are in no file loaded. The delivery of 08:00 ends a message; the
        // deferral of 09:00 and the delivery of 10:00 are another's (they were all one recipient, "delivered" with
        // three attempts, or "deferred" holding a delivery before the 10:00 line came).
        String log = """
                02-Mar-2026 08:00:00.00 tcp_local                 DE 5 pat@example.com rfc822;quinn@remote.test quinn@remote.test smtp;250 Ok
                02-Mar-2026 09:00:00.00 tcp_local                 Q 0 pat@example.com rfc822;quinn@remote.test quinn@remote.test TCP active open: Failed connect()    Error: no route to host
                02-Mar-2026 10:00:00.00 tcp_local                 DE 7 pat@example.com rfc822;quinn@remote.test quinn@remote.test smtp;250 Ok
                """;
        List<String> lines = log.lines().toList();
        assertThat(handWritten(load(database, "none", lines.get(0) + "\n" + lines.get(1) + "\n")))
                .containsExactly("quinn@remote.test - deferred 1 1 -", "quinn@remote.test - delivered 1 0 2026-03-02 08:00:00");
        List<String> expected = List.of("quinn@remote.test - delivered 1 0 2026-03-02 08:00:00",
                "quinn@remote.test - delivered 2 1 2026-03-02 10:00:00");
        assertThat(handWritten(load(database, "none", log))).isEqualTo(expected);
        List<String> backwards = new ArrayList<>(lines);
        java.util.Collections.reverse(backwards);
        assertThat(handWritten(load(database, "none", backwards.stream().map(l -> l + "\n").toArray(String[]::new))))
                .isEqualTo(expected);
        // A refusal queued nothing: a deferral after it, its enqueue not loaded, is another recipient's
        String refusedThenDeferred = """
                02-Mar-2026 07:00:00.00 tcp_intranet              J 0 pat@example.com rfc822;quinn@remote.test quinn@remote.test 550 5.7.1 Relaying not allowed
                02-Mar-2026 09:00:00.00 tcp_local                 Q 0 pat@example.com rfc822;quinn@remote.test quinn@remote.test TCP active open: Failed connect()    Error: no route to host
                """;
        assertThat(handWritten(load(database, "none", refusedThenDeferred)))
                .containsExactly("quinn@remote.test - deferred 1 1 -", "quinn@remote.test - rejected 1 0 2026-03-02 07:00:00");
    }

    /**
     * Refusals whose original recipient is empty ({@code rfc822;}, as the MTA logs a J of an address it did not take):
     * grouped by sender and the empty original, one sender's refusals of a day to different addresses were one
     * message (QA: {@code generate --messages 200 --seed 7 --options none}, lines 876-877). The address refused
     * stands in for the original there.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void refusalsWithoutAnOriginalRecipientAreGroupedByTheAddressRefused(String database) throws IOException {
        String log = """
                02-Mar-2026 11:00:00.00 tcp_intranet              J 0 cy@example.com rfc822; ann@a.test 550 5.7.1 Relaying not allowed
                02-Mar-2026 11:05:00.00 tcp_intranet              J 0 cy@example.com rfc822; bob@b.test 550 5.7.1 Relaying not allowed
                02-Mar-2026 11:09:00.00 tcp_intranet              J 0 cy@example.com rfc822; ann@a.test 550 5.7.1 Relaying not allowed
                """;
        DataSource ds = load(database, "none", log);
        assertThat(new JdbcTemplate(ds).queryForList("SELECT COUNT(*) || ' ' || MIN(r.recipient) FROM recipient r "
                + "GROUP BY r.message_ref ORDER BY 1", String.class))
                .containsExactly("1 bob@b.test", "2 ann@a.test");
    }

    private static List<String> handWritten(DataSource ds) {
        assertThat(IngestInvariantsTest.count(ds, "message")).isOne();
        return new JdbcTemplate(ds).queryForList("SELECT recipient || ' ' || COALESCE(CAST(CAST(enqueued AS "
                + "TIMESTAMP(0)) AS VARCHAR), '-') || ' ' || status || ' ' || attempts || ' ' || deferrals || ' ' || "
                + "COALESCE(CAST(CAST(final_time AS TIMESTAMP(0)) AS VARCHAR), '-') FROM recipient",
                String.class).stream().sorted().toList();
    }

    /**
     * Recipients by the time of their enqueue and of their last outcome, which do not depend on how the lines were
     * split into files (line numbers do).
     */
    static Map<Long, String> byTime(DataSource ds) {
        Map<Long, String> out = new TreeMap<>();
        List<String> rows = new JdbcTemplate(ds).queryForList("SELECT m.message_key || '|' || r.recipient || '|' "
                + "|| r.original_recipient || '|' || r.status || '|' || r.attempts || '|' || r.deferrals || '|' || "
                + "COALESCE(CAST(r.enqueued AS VARCHAR), '-') || '|' || COALESCE(CAST(r.last_time AS VARCHAR), '-') "
                + "|| '|' || COALESCE(CAST(r.final_time AS VARCHAR), '-') FROM recipient r "
                + "JOIN message m ON m.id = r.message_ref ORDER BY 1", String.class);
        long i = 0;
        for (String row : rows) {
            out.put(i++, row);
        }
        return out;
    }
}
