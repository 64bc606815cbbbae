package com.mailtrail.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * H2's floor in a JVM of its own ({@code java -Xmx512m -cp ... com.mailtrail.bench.H2FloorBenchmark DUMP VARIANT}):
 * the rows an import stored, kept by {@code ImportBenchmark -Dbaseline=true -Dbaseline.keep=true}, inserted by plain
 * JDBC batches into a fresh H2 file database, as {@link H2InsertBaseline} does after the import, but in a JVM that
 * has compiled nothing yet, as {@code java -jar mailtrail.jar import} is. Whatever an import of the same file does
 * besides, it stores at least these rows, in a JVM that compiles H2 first: so the time printed, with the machine's CPU,
 * is less than any fresh import into the same schema can take on this machine. VARIANT is AS_MIGRATED,
 * ISSUE_SEARCHES or KEYS_ONLY.
 */
public final class H2FloorBenchmark {

    private H2FloorBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: H2FloorBenchmark DUMP_DIR AS_MIGRATED|ISSUE_SEARCHES|KEYS_ONLY");
            System.exit(2);
        }
        Path dumpDir = Path.of(args[0]);
        H2InsertBaseline.Variant variant = H2InsertBaseline.Variant.valueOf(args[1]);
        H2InsertBaseline.Kept kept = H2InsertBaseline.Kept.read(dumpDir);
        System.out.println("JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        long sinceStart = ManagementFactory.getRuntimeMXBean().getUptime();
        H2InsertBaseline.Result r;
        try (ThreadCpu cpu = new ThreadCpu()) {
            r = H2InsertBaseline.insert(variant, kept.tables(),
                    BenchData.freshDatabase(dumpDir.resolveSibling("fresh-jvm-" + variant.name().toLowerCase())),
                    kept.transactions());
        }
        System.out.printf("fresh JVM (started %d ms before the database was created):%n", sinceStart);
        H2InsertBaseline.print(r, kept.tables(), kept.entries(), kept.importSeconds());
    }
}
