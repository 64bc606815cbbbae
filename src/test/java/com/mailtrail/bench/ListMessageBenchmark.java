package com.mailtrail.bench;

import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.ListMessage;
import com.mailtrail.ingest.Progress;
import com.mailtrail.parse.LogOptions;
import com.mailtrail.store.H2Tuning;
import com.zaxxer.hikari.HikariDataSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;

/**
 * One list expansion into a fresh H2 file database: a message to N members (default 20,000), its enqueues and then
 * its deliveries, 2N entries in batches of the usual size, so that the message is recomputed at every batch.
 * {@code java -cp ... com.mailtrail.bench.ListMessageBenchmark [members]}.
 */
public final class ListMessageBenchmark {

    private ListMessageBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        H2Tuning.apply();
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        ListMessage list = ListMessage.of(members, 10);
        byte[] log = (list.enqueues() + list.outcomes()).getBytes(StandardCharsets.UTF_8);
        try (HikariDataSource ds = BenchData.pooled(BenchData.freshDatabase(Path.of("target", "bench", "h2-list")))) {
            IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"),
                    IngestEngine.H2_BATCH);
            long t0 = System.nanoTime();
            IngestEngine.FileResult r = engine.ingest(engine.createSource("import", "list"), "list",
                    new ByteArrayInputStream(log), LogOptions.auto(), new Progress());
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("a list message to %,d members: %,d entries (%,d message) in %.1f s: %,.0f entries/s%n",
                    members, r.entries(), r.messages(), seconds, r.entries() / seconds);
        }
    }
}
