package com.mailtrail.bench;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

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
