package com.mailtrail.ingest.tail;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.NoCompaction;
import com.mailtrail.ingest.Progress;
import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A removal that is done still says what it removed: the rebuild's counts of files and lines to read are zero once it
 * is over, and were all a finished removal showed.
 */
class FinishedRemovalTest {

    private static long load(IngestEngine engine, String kind, String name, String... texts) throws IOException {
        long source = engine.createSource(kind, name);
        for (int i = 0; i < texts.length; i++) {
            engine.ingest(source, name + "." + i, new ByteArrayInputStream(texts[i].getBytes(StandardCharsets.UTF_8)),
                    LogOptions.auto(), new Progress());
        }
        engine.finishSource(source, null);
        return source;
    }

    private static String generated(int messages, long seed) throws IOException {
        StringWriter w = new StringWriter();
        new LogGenerator(GeneratorConfig.of(messages, seed)).generate(w, null);
        return w.toString();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void aFinishedRemovalSaysHowManyFilesLinesAndEntriesItRemoved(String database) throws Exception {
        TailDatabase db = new TailDatabase(database);
        IngestEngine engine = db.engine();
        load(engine, "upload", "mail.log", generated(120, 31));
        String first = generated(40, 32);
        String second = generated(30, 33) + "this line is not a log entry\n";
        long wrong = load(engine, "upload", "other-host.log", first, second);
        long lines = first.lines().count() + second.lines().count();
        long entries = db.count("SELECT SUM(entries) FROM log_file WHERE source_id = " + wrong);
        assertThat(entries).isEqualTo(lines - 1);

        SourceRemoval removal = new SourceRemoval(engine, NoCompaction.of(db.dataSource, engine),
                new TailProperties(List.of(), List.of("mail.log_current"), Duration.ofSeconds(2)), db.dataSource);
        SourceRemoval.View asked = removal.remove(wrong);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        SourceRemoval.View done = asked;
        while (!done.state().matches("done|failed") && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
            done = removal.last().orElseThrow();
        }

        assertThat(done.state()).as(done.error()).isEqualTo("done");
        assertThat(done.filesToRead()).isZero(); // the rebuild's progress: over
        assertThat(done.removedFiles()).isEqualTo(2);
        assertThat(done.removedLines()).isEqualTo(lines);
        assertThat(done.removedEntries()).isEqualTo(entries);
        assertThat(asked.removedFiles()).isEqualTo(2); // known from the start
        assertThat(db.count("SELECT COUNT(*) FROM log_file WHERE source_id = " + wrong)).isZero();
        removal.destroy();
    }
}
