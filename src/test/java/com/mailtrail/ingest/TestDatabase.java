package com.mailtrail.ingest;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Fresh migrated databases for tests: H2 in memory, or a new database on one embedded PostgreSQL (a real server,
 * started once per test JVM from the binaries Maven fetched).
 */
public final class TestDatabase {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private TestDatabase() {
    }

    /**
     * A new in-memory H2 database, migrated: the statements of one migrated by Flyway once per JVM, replayed. A full
     * run makes hundreds of these; Flyway took 0.1 to 0.5 s for each (scanning, validating, twelve migrations in
     * transactions of their own), the replay a few milliseconds. TestDatabaseTest holds the copy to what Flyway gives.
     */
    public static DataSource h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:ingest" + COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (String statement : migratedH2()) {
                st.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot copy the migrated H2 test database", e);
        }
        return ds;
    }

    private static List<String> migratedH2;

    /** What H2's SCRIPT says of a database Flyway migrated: its schema, history and rows, as statements. */
    private static synchronized List<String> migratedH2() {
        if (migratedH2 == null) {
            JdbcDataSource template = new JdbcDataSource();
            template.setURL("jdbc:h2:mem:mailtrail_migrated"); // gone with its last connection
            template.setUser("sa");
            try (Connection keeper = template.getConnection()) {
                migrate(template);
                migratedH2 = script(keeper);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot migrate the H2 test database", e);
            }
        }
        return migratedH2;
    }

    /** The statements that make the database of {@code c} again, settings and the user left to the new one's URL. */
    static List<String> script(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SCRIPT NOPASSWORDS NOSETTINGS")) {
            while (rs.next()) {
                String statement = rs.getString(1);
                if (!statement.startsWith("CREATE USER")) {
                    out.add(statement);
                }
            }
        }
        return out;
    }

    /**
     * A new database, migrated: a copy of one migrated once per JVM (a test class makes dozens; copying a template is
     * what CREATE DATABASE does anyway, so the copy is the same schema Flyway gives, without running it each time).
     */
    public static synchronized DataSource postgres() {
        String name = create(MIGRATED);
        return postgres.getDatabase("postgres", name);
    }

    /** The JDBC URL of a new, empty database on the embedded PostgreSQL (user and password: postgres). */
    public static synchronized String emptyPostgresUrl() {
        return server().getJdbcUrl("postgres", create("template1"));
    }

    private static final String MIGRATED = "mailtrail_migrated";

    /**
     * The server, started once per JVM. fsync off: CREATE DATABASE checkpoints, and on a busy disk each took a second
     * or more with fsync on (about 0.15 s off); no test crashes this server's machine, so the writes it skips syncing
     * are never read back from a disk that lost them.
     */
    private static EmbeddedPostgres server() {
        if (postgres == null) {
            Path data;
            try {
                data = Files.createTempDirectory("mailtrail-test-pg");
                postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "off").setDataDirectory(data)
                        .setCleanDataDirectory(false).start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
                try {
                    // Unlinking hundreds of databases' files took over 30 s on a busy disk: left to a process of its
                    // own, so that the fork exits at once.
                    new ProcessBuilder("rm", "-rf", data.toString()).start();
                } catch (IOException noRm) {
                    deleteTree(data);
                }
            }));
            create(MIGRATED, "template1");
            // Flyway's connections are closed when it returns: a template must have none while it is copied.
            migrate(postgres.getDatabase("postgres", MIGRATED));
        }
        return postgres;
    }

    /**
     * Deleted by us rather than by the library, whose deletion sets attributes file by file: with the hundreds of
     * databases of a full run it outlasted the 30 s Surefire gives a fork to exit, and the fork was killed (failing the
     * build at times). Where there is no rm: the server may still be removing its last files, what vanishes meanwhile
     * is skipped, and a second pass takes what a first could not.
     */
    private static void deleteTree(Path root) {
        for (int pass = 0; pass < 3 && Files.exists(root); pass++) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    try {
                        Files.deleteIfExists(f);
                    } catch (IOException next) {
                        // left for the next pass
                    }
                }
            } catch (IOException | UncheckedIOException next) {
                // a file vanished while listed: the next pass lists again
            }
        }
    }

    private static String create(String template) {
        server();
        String name = "mailtrail" + COUNTER.incrementAndGet();
        create(name, template);
        return name;
    }

    private static void create(String name, String template) {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name + " TEMPLATE " + template);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a PostgreSQL test database", e);
        }
    }

    public static DataSource of(String kind) {
        return kind.equals("postgres") ? postgres() : h2();
    }

    private static final Map<HikariDataSource, String> POOLS = new LinkedHashMap<>();

    /**
     * A fresh migrated database of {@code kind}, on PostgreSQL behind a connection pool as the application has: the
     * plain data source of {@link #postgres()} opens a connection (a new server process) for each statement, which
     * made a test of many small rounds spend most of its time connecting. Closed by {@link #closePools()}.
     */
    public static DataSource pooled(String kind) {
        if (!kind.equals("postgres")) {
            return h2();
        }
        return pool(MIGRATED);
    }

    /**
     * As {@link #emptyPostgresUrl()}, behind a pool as {@link #pooled} gives (a migration test writes and reads
     * thousands of rows a statement at a time), closed and dropped by {@link #closePools()}.
     */
    public static DataSource emptyPostgresPool() {
        return pool("template1");
    }

    /**
     * An empty database of that kind ({@code h2}: in memory, a new one at each call; {@code postgres}: as
     * {@link #emptyPostgresPool()}), for the migration tests, which run Flyway up to the version they start from.
     */
    public static DataSource empty(String kind) {
        if (kind.equals("postgres")) {
            return emptyPostgresPool();
        }
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:empty" + COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        return ds;
    }

    private static DataSource pool(String template) {
        HikariDataSource pool = new HikariDataSource();
        synchronized (TestDatabase.class) {
            String name = create(template);
            pool.setJdbcUrl(postgres.getJdbcUrl("postgres", name));
            POOLS.put(pool, name);
        }
        pool.setUsername("postgres");
        pool.setMinimumIdle(0); // connections only as the test asks for them
        return pool;
    }

    /** Closes the pools {@link #pooled} opened (after each test: a test class can make dozens of databases). */
    public static synchronized void closePools() {
        POOLS.forEach((pool, name) -> {
            pool.close();
            // Dropped as well: the server stays small however many tests ran, and its files are few to delete.
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                st.execute("DROP DATABASE " + name + " WITH (FORCE)");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot drop the PostgreSQL test database " + name, e);
            }
        });
        POOLS.clear();
    }

    public static void migrate(DataSource ds) {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    }
}
