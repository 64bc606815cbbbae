package com.mailtrail.message;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.parse.LogOptions;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/** Test data through the real write path: the seed document and generated days of traffic. */
final class TestLogs {

    static final String SEED = "/logs/seed-multiple-delivery-attempts.txt";

    private TestLogs() {
    }

    static IngestEngine.FileResult importResource(DataSource ds, String resource) {
        try (InputStream in = TestLogs.class.getResourceAsStream(resource)) {
            return importStream(ds, resource.substring(resource.lastIndexOf('/') + 1), in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static IngestEngine.FileResult importGenerated(DataSource ds, int messages, long seed) {
        return importGenerated(ds, GeneratorConfig.of(messages, seed));
    }

    static IngestEngine.FileResult importGenerated(DataSource ds, GeneratorConfig config) {
        return importText(ds, "generated-" + config.messages() + "-" + config.seed() + ".log", generated(config));
    }

    /** The generator's log for {@code config}. */
    static String generated(GeneratorConfig config) {
        StringWriter out = new StringWriter();
        try {
            new LogGenerator(config).generate(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Imports {@code text} as a file called {@code name}, with an engine of its own (an empty message cache). */
    static IngestEngine.FileResult importText(DataSource ds, String name, String text) {
        return importStream(ds, name, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static IngestEngine.FileResult importStream(DataSource ds, String name, InputStream in) {
        IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 1000);
        long source = engine.createSource("test", "x");
        try {
            return engine.ingest(source, name, in, LogOptions.auto(), new Progress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
