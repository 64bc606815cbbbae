package com.mailtrail.bench;

import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.ListMessage;
import com.mailtrail.ingest.Progress;
import com.mailtrail.parse.LogOptions;
import com.mailtrail.store.H2Tuning;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * One list message into a fresh H2 file database: a message to N members (default 20,000), its enqueues and then
 * its deliveries, 2.1N entries in batches of the usual size, so that the message is recomputed at every batch.
 * {@code java -cp ... com.mailtrail.bench.ListMessageBenchmark [members] [bulk|ids|filename|none] [postgres]}:
 * {@code bulk} (the default) gives every member an original recipient of its own; {@code ids}, {@code filename} and
 * {@code none} give a list expansion, every member with the list's address as its original recipient, logged with
 * Message-IDs and queue files, with queue files only, or with neither (see {@link ListMessage}); {@code postgres} an
 * embedded PostgreSQL with the postgres profile's batches.
 */
public final class ListMessageBenchmark {

    private ListMessageBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        H2Tuning.apply();
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        String shape = "bulk";
        boolean postgres = false;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("postgres")) {
                postgres = true;
            } else {
                shape = args[i];
            }
        }
        ListMessage list = shape.equals("bulk") ? ListMessage.of(members, 10)
                : ListMessage.expansion(members, 10, ListMessage.Logging.of(shape));
        byte[] log = (list.enqueues() + list.outcomes()).getBytes(StandardCharsets.UTF_8);
        String what = shape.equals("bulk") ? "a list message" : "a list expansion (" + shape + ")";
        if (postgres) {
            // pooled as in the application: the embedded server's data source starts a backend per connection
            try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
                 HikariDataSource db = BenchData.pooled(pg.getDatabase("postgres", "postgres", Map.of("reWriteBatchedInserts", "true")))) {
                Flyway.configure().dataSource(db).load().migrate();
                run("PostgreSQL", db, IngestEngine.POSTGRES_BATCH, what, members, log);
            }
            return;
        }
        try (HikariDataSource ds = BenchData.pooled(BenchData.freshDatabase(Path.of("target", "bench", "h2-list")))) {
            run("H2", ds, IngestEngine.H2_BATCH, what, members, log);
        }
    }

    private static void run(String database, DataSource ds, int batch, String what, int members, byte[] log) throws Exception {
        IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), batch);
        long t0 = System.nanoTime();
        IngestEngine.FileResult r = engine.ingest(engine.createSource("import", "list"), "list",
                new ByteArrayInputStream(log), LogOptions.auto(), new Progress());
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s: %s to %,d members: %,d entries (%,d message(s)) in %.1f s: %,.0f entries/s%n",
                database, what, members, r.entries(), r.messages(), seconds, r.entries() / seconds);
    }
}
