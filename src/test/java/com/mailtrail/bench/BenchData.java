package com.mailtrail.bench;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

/** The benchmark log: made by the generator with a fixed seed and kept under target/bench between runs. */
final class BenchData {

    static final long SEED = 20261129L;

    private BenchData() {
    }

    /**
     * The settings of the application's own H2 URL (spring.datasource.url in application.properties, from the first
     * ';'), so that the benchmarks measure the database as Mailtrail opens it.
     */
    static String h2Settings() throws IOException {
        Properties p = new Properties();
        try (InputStream in = BenchData.class.getResourceAsStream("/application.properties")) {
            p.load(in);
        }
        String url = p.getProperty("spring.datasource.url");
        int semicolon = url.indexOf(';');
        return semicolon < 0 ? "" : url.substring(semicolon);
    }

    /**
     * Behind a connection pool, as in the server and the command-line import: H2 keeps its cache of parsed statements
     * (QUERY_CACHE_SIZE) per session, so a new session for every transaction would parse every statement again.
     */
    static HikariDataSource pooled(DataSource ds) {
        HikariDataSource pool = new HikariDataSource();
        pool.setDataSource(ds);
        return pool;
    }

    /** The H2 file database in dir, as it is, opened with the application's settings. */
    static JdbcDataSource database(Path dir) throws IOException {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.toAbsolutePath().resolve("mailtrail") + h2Settings()
                + System.getProperty("h2.options", ""));
        ds.setUser("sa");
        return ds;
    }

    /** An empty H2 file database in dir (deleted first), opened with the application's settings and migrated. */
    static JdbcDataSource freshDatabase(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        JdbcDataSource ds = database(dir);
        Flyway.configure().dataSource(ds).load().migrate();
        return ds;
    }

    static Path generated(int entries) throws IOException {
        return generated(entries, SEED);
    }

    static Path generated(int entries, long seed) throws IOException {
        Path file = Path.of("target", "bench", "mail-" + entries + (seed == SEED ? "" : "-" + seed) + ".log");
        if (Files.exists(file)) {
            return file;
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            new LogGenerator(GeneratorConfig.of(0, seed).withMaxEntries(entries)).generate(out, null);
        }
        Files.move(tmp, file);
        return file;
    }
}
