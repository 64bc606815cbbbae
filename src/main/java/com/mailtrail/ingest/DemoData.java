package com.mailtrail.ingest;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.parse.LogOptions;
import org.springframework.stereotype.Service;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads one generated day of realistic traffic as a source named "demo". */
@Service
class DemoData {

    static final int MESSAGES = 1500;
    static final long SEED = 2026;

    private final IngestEngine engine;

    DemoData(IngestEngine engine) {
        this.engine = engine;
    }

    void load() {
        StringWriter text = new StringWriter();
        try {
            new LogGenerator(GeneratorConfig.of(MESSAGES, SEED)).generate(text, null);
            long source = engine.createSource("demo", "generated day (" + MESSAGES + " messages, seed " + SEED + ")");
            engine.ingest(source, "demo-mail.log", new ByteArrayInputStream(text.toString()
                    .getBytes(StandardCharsets.UTF_8)), LogOptions.auto(), new Progress());
            engine.finishSource(source, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
