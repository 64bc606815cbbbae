package com.mailtrail.bench;

import org.h2.jdbcx.JdbcDataSource;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * H2's own floor for the import, as the plain COPY is on PostgreSQL: the very rows an import stored, inserted by plain
 * JDBC batches into a fresh H2 file database opened with the application's settings, once with the schema as
 * migrated and once with its primary keys only. The rows are first dumped to local files ({@link RowDump}); only the
 * inserts, the commits and a final CHECKPOINT (the import ends with one too) are timed, not reading the dump back.
 * Every table's rows are shared out evenly over as many transactions as the import committed batches, so that each
 * transaction is about the rows of one batch of the import. Final rows only: the import also updates and deletes
 * rows it stored in earlier batches, which the floor does not.
 */
final class H2InsertBaseline {

    /** The import's writing order, roughly: a table found that is not listed comes after these. */
    private static final List<String> ORDER = List.of("LOG_SOURCE", "LOG_FILE", "SEARCH_BUCKET", "MESSAGE",
            "RECIPIENT", "ATTEMPT", "RAW_BLOCK", "REJECTED_LINE", "CONNECTION", "CONNECTION_HOUR", "ROLLUP_HOUR",
            "ROLLUP_RECIPIENT_HOUR");

    /** One table's dumped rows. */
    record Table(String name, Path file, long rows) {
    }

    /** Which secondary indexes the target keeps while the rows go in. */
    enum Variant {
        AS_MIGRATED("schema as migrated"),
        /**
         * Only the indexes that what issue 3 itself asks for needs: the searches by Message-ID, by recipient (original
         * or active) and sender, exact, prefix or domain, and by time; a message's recipients and outcomes and its
         * notifications; the look-up of another file's lines that keeps an overlapping file from doubling anything.
         * The searches added since (by status for the Queue page, by remote address, by remote host, by client) lose theirs.
         */
        ISSUE_SEARCHES("the issue's searches only"),
        KEYS_ONLY("primary keys only");

        /** The indexes {@link #ISSUE_SEARCHES} drops: each serves a search issue 3 does not ask for. */
        static final Set<String> BEYOND_THE_ISSUE = Set.of("RECIPIENT_STATUS", "RECIPIENT_REMOTE_IP",
                "ATTEMPT_REMOTE_IP", "REMOTE_SYSTEM_PAIR", "RECIPIENT_CLIENT_IP", "CLIENT_SYSTEM_PAIR");

        final String label;

        Variant(String label) {
            this.label = label;
        }

        /** Drops what this variant leaves out; returns the secondary indexes left. */
        List<String> prepare(Connection c) throws SQLException {
            return switch (this) {
                case AS_MIGRATED -> secondaryIndexes(c);
                case ISSUE_SEARCHES -> dropSecondaryIndexes(c, BEYOND_THE_ISSUE::contains);
                case KEYS_ONLY -> dropSecondaryIndexes(c, index -> true);
            };
        }
    }

    /** What one variant took: seconds are of inserting and committing, CHECKPOINT included. */
    record Result(Variant variant, long rows, int transactions, double seconds, double checkpointSeconds,
                  double wallSeconds, Map<String, Double> secondsPerTable, double commitSeconds,
                  List<String> secondaryIndexes, double threadCpuSeconds) {
    }

    private H2InsertBaseline() {
    }

    /**
     * Dumps every table of the database in {@code imported} that a freshly migrated database holds no rows of
     * (Flyway's history and rows a migration itself inserts are no rows of the import) into {@code dumpDir}.
     */
    static List<Table> dump(JdbcDataSource imported, JdbcDataSource freshlyMigrated, Path dumpDir) throws SQLException, IOException {
        Files.createDirectories(dumpDir);
        List<String> names = new ArrayList<>();
        try (Connection fresh = freshlyMigrated.getConnection(); Statement st = fresh.createStatement();
             ResultSet rs = st.executeQuery("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES "
                     + "WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_TYPE = 'BASE TABLE'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            names.removeIf(n -> n.equalsIgnoreCase("flyway_schema_history") || count(fresh, n) > 0);
        }
        names.sort(Comparator.comparingInt((String n) -> ORDER.contains(n) ? ORDER.indexOf(n) : ORDER.size())
                .thenComparing(Comparator.naturalOrder()));
        List<Table> tables = new ArrayList<>();
        try (Connection c = imported.getConnection(); Statement st = c.createStatement()) {
            // streamed from H2 instead of buffered whole, so that -Xmx512m holds any table
            st.execute("SET LAZY_QUERY_EXECUTION TRUE");
            for (String name : names) {
                Path file = dumpDir.resolve(name.toLowerCase() + ".rows");
                // by _ROWID_: the order the import inserted the rows in (a table keyed by a BIGINT id: that id)
                try (ResultSet rs = st.executeQuery("SELECT * FROM \"" + name + "\" ORDER BY _ROWID_")) {
                    tables.add(new Table(name, file, RowDump.write(rs, file)));
                }
            }
        }
        return tables;
    }

    private static long count(Connection c, String table) {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM \"" + table + "\"")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Drops the secondary indexes {@code drop} names that no constraint owns; returns the names of those left besides
     * primary keys.
     */
    static List<String> dropSecondaryIndexes(Connection c, Predicate<String> drop) throws SQLException {
        for (String index : secondaryIndexes(c)) {
            if (!drop.test(index)) {
                continue;
            }
            try (Statement st = c.createStatement()) {
                st.execute("DROP INDEX \"PUBLIC\".\"" + index + "\"");
            } catch (SQLException ownedByConstraint) {
                // an index a foreign key needs (log_file's to log_source): H2 refuses, and it stays
            }
        }
        return secondaryIndexes(c);
    }

    static List<String> secondaryIndexes(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES "
                + "WHERE INDEX_SCHEMA = 'PUBLIC' AND INDEX_TYPE_NAME <> 'PRIMARY KEY' AND TABLE_NAME <> 'flyway_schema_history' "
                + "ORDER BY TABLE_NAME, INDEX_NAME")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /**
     * Inserts the dumped rows into the empty tables of {@code target} in {@code transactions} transactions of plain
     * JDBC batches (one batch per table per transaction), then a CHECKPOINT.
     */
    static Result insert(Variant variant, List<Table> tables, JdbcDataSource target, int transactions)
            throws SQLException, IOException {
        List<RowDump.Reader> readers = new ArrayList<>();
        List<PreparedStatement> inserts = new ArrayList<>();
        long[] nanosPerTable = new long[tables.size()];
        long timed = 0;
        // the inserting thread's own CPU in the timed parts: a machine shared with other builds stretches the wall
        // time, much less this
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        long cpu = 0;
        long commitNanos = 0;
        long checkpoint;
        long wallStart;
        List<String> indexes;
        try (Connection c = target.getConnection()) {
            indexes = variant.prepare(c);
            c.setAutoCommit(false);
            try {
                for (Table t : tables) {
                    RowDump.Reader r = new RowDump.Reader(t.file());
                    readers.add(r);
                    inserts.add(c.prepareStatement("INSERT INTO \"" + t.name() + "\" (" + r.columns().stream()
                            .map(col -> "\"" + col.name() + "\"").collect(Collectors.joining(", ")) + ") VALUES ("
                            + r.columns().stream().map(col -> "?").collect(Collectors.joining(", ")) + ")"));
                }
                List<List<Object[]>> chunk = new ArrayList<>();
                tables.forEach(t -> chunk.add(new ArrayList<>()));
                wallStart = System.nanoTime();
                for (int k = 0; k < transactions; k++) {
                    for (int i = 0; i < tables.size(); i++) { // read back first, outside the time
                        long n = RowDump.share(tables.get(i).rows(), k + 1, transactions)
                                - RowDump.share(tables.get(i).rows(), k, transactions);
                        List<Object[]> rows = chunk.get(i);
                        rows.clear();
                        for (long j = 0; j < n; j++) {
                            rows.add(readers.get(i).next());
                        }
                    }
                    long cpu0 = bean.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    for (int i = 0; i < tables.size(); i++) {
                        List<Object[]> rows = chunk.get(i);
                        if (rows.isEmpty()) {
                            continue;
                        }
                        long ti = System.nanoTime();
                        PreparedStatement ps = inserts.get(i);
                        List<RowDump.Column> columns = readers.get(i).columns();
                        for (Object[] row : rows) {
                            RowDump.bind(ps, columns, row);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                        nanosPerTable[i] += System.nanoTime() - ti;
                    }
                    long tc = System.nanoTime();
                    c.commit();
                    long end = System.nanoTime();
                    commitNanos += end - tc;
                    timed += end - t0;
                    cpu += bean.getCurrentThreadCpuTime() - cpu0;
                }
                c.setAutoCommit(true);
                long cpu0 = bean.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                try (Statement st = c.createStatement()) {
                    st.execute("CHECKPOINT");
                }
                checkpoint = System.nanoTime() - t0;
                timed += checkpoint;
                cpu += bean.getCurrentThreadCpuTime() - cpu0;
            } finally {
                for (PreparedStatement ps : inserts) {
                    ps.close();
                }
                for (RowDump.Reader r : readers) {
                    r.close();
                }
            }
        }
        double wall = (System.nanoTime() - wallStart) / 1e9;
        Map<String, Double> perTable = new LinkedHashMap<>();
        long rows = 0;
        for (int i = 0; i < tables.size(); i++) {
            perTable.put(tables.get(i).name().toLowerCase(), nanosPerTable[i] / 1e9);
            rows += tables.get(i).rows();
        }
        return new Result(variant, rows, transactions, timed / 1e9, checkpoint / 1e9, wall, perTable,
                commitNanos / 1e9, indexes, cpu / 1e9);
    }

    /**
     * After {@code ImportBenchmark}'s H2 import into {@code importedDir}: dumps its rows, times both variants, prints
     * each in the style of the PostgreSQL COPY line. The databases go under target/bench beside it.
     */
    static void run(Path importedDir, long entries, int batchEntries, double importSeconds) throws Exception {
        Path base = importedDir.resolveSibling(importedDir.getFileName() + "-floor");
        Path dumpDir = base.resolve("rows");
        long t0 = System.nanoTime();
        List<Table> tables = dump(BenchData.database(importedDir), BenchData.freshDatabase(base.resolve("empty")), dumpDir);
        long bytes;
        try (Stream<Path> files = Files.list(dumpDir)) {
            bytes = files.mapToLong(p -> p.toFile().length()).sum();
        }
        System.out.printf("rows the import stored, dumped to %s (%.1f MB) in %.1f s (not timed below): %s%n", dumpDir,
                bytes / 1e6, (System.nanoTime() - t0) / 1e9, tables.stream()
                        .map(t -> String.format("%s %,d", t.name().toLowerCase(), t.rows())).collect(Collectors.joining(", ")));
        int transactions = (int) Math.max(1, (entries + batchEntries - 1) / batchEntries);
        for (Variant v : Variant.values()) {
            System.gc(); // the import's garbage is not collected on the floor's time
            Result r;
            try (ThreadCpu cpu = new ThreadCpu()) {
                r = insert(v, tables, BenchData.freshDatabase(base.resolve(v.name().toLowerCase())), transactions);
            }
            print(r, tables, entries, importSeconds);
        }
        if (Boolean.getBoolean("baseline.keep")) {
            writeManifest(dumpDir, tables, entries, transactions, importSeconds);
            System.out.println("dump kept for H2FloorBenchmark: " + dumpDir);
            return;
        }
        try (Stream<Path> files = Files.list(dumpDir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
    }

    private static final String MANIFEST = "tables.txt";

    /** What a later JVM needs to insert the dump again: each table's name and row count, and the import's figures. */
    static void writeManifest(Path dumpDir, List<Table> tables, long entries, int transactions, double importSeconds)
            throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(entries + " " + transactions + " " + importSeconds);
        for (Table t : tables) {
            lines.add(t.name() + " " + t.file().getFileName() + " " + t.rows());
        }
        Files.write(dumpDir.resolve(MANIFEST), lines);
    }

    /** The dump a run with -Dbaseline.keep=true left, as written by {@link #writeManifest}. */
    record Kept(List<Table> tables, long entries, int transactions, double importSeconds) {
        static Kept read(Path dumpDir) throws IOException {
            List<String> lines = Files.readAllLines(dumpDir.resolve(MANIFEST));
            String[] head = lines.get(0).split(" ");
            List<Table> tables = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(" ");
                tables.add(new Table(f[0], dumpDir.resolve(f[1]), Long.parseLong(f[2])));
            }
            return new Kept(tables, Long.parseLong(head[0]), Integer.parseInt(head[1]), Double.parseDouble(head[2]));
        }
    }

    static void print(Result r, List<Table> tables, long entries, double importSeconds) {
        System.out.printf("H2 plain batches, %s (%d secondary indexes%s): %,d rows in %,d transactions: %.1f s "
                        + "inserting and committing (the commits %.1f s of it, the final CHECKPOINT %.1f s; the inserting "
                        + "thread's CPU %.1f s; %.1f s with reading the dump back): %,.0f rows/s, %,.0f entries/s "
                        + "equivalent%n",
                r.variant().label, r.secondaryIndexes().size(), r.variant() != Variant.KEYS_ONLY || r.secondaryIndexes().isEmpty() ? ""
                        : ", left because a constraint owns them: " + String.join(" ", r.secondaryIndexes()).toLowerCase(),
                r.rows(), r.transactions(), r.seconds(), r.commitSeconds(), r.checkpointSeconds(), r.threadCpuSeconds(),
                r.wallSeconds(),
                r.rows() / r.seconds(), entries / r.seconds());
        System.out.println("  rows and batch time per table: " + tables.stream().map(t -> String.format("%s %,d %.1f s",
                t.name().toLowerCase(), t.rows(), r.secondsPerTable().get(t.name().toLowerCase())))
                .collect(Collectors.joining(", ")));
        System.out.printf("import / plain batches (%s): %.0f %% of their rate (the import took %.0f %% of their time)%n",
                r.variant().label, 100 * r.seconds() / importSeconds, 100 * importSeconds / r.seconds());
    }
}
