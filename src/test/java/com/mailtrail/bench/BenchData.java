package com.mailtrail.bench;

import java.io.IOException;
import java.nio.file.Path;

/** The benchmark log: made once by the generator and kept under target/bench. */
final class BenchData {
    private BenchData() {
    }

    static Path generated(int entries) throws IOException {
        String given = System.getProperty("bench.file");
        if (given != null) {
            return Path.of(given);
        }
        throw new IllegalStateException("generator not wired yet");
    }
}
