package com.mailtrail.ingest;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The lines a long import prints while it reads (the thread that prints them is tried in ImportCommandTest). */
class ImportProgressTest {

    private static Progress stored(long lines) {
        Progress p = new Progress();
        LogFileRow row = new LogFileRow(1, 1, "mail.log");
        row.lines = lines;
        row.entries = lines;
        p.stored(row, 0, List.of());
        return p;
    }

    private static ImportProgress quiet(List<String> names, long... sizes) {
        return new ImportProgress(names, sizes, 0, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
    }

    @Test
    void oneFileSaysHowFarItIsReadItsLinesRateAndTimeLeft() {
        try (ImportProgress progress = quiet(List.of("mail.log"), 1000)) {
            String line = progress.line(0, 250, stored(4000), 250);

            assertThat(line).matches("import: mail\\.log: 25 % read, 4000 lines, \\d+ entries/s, about \\d+ s left");
        }
    }

    @Test
    void severalFilesNameWhichOneAndCountTheTimeLeftForAll() {
        try (ImportProgress progress = quiet(List.of("mail.log_yesterday.gz", "mail.log_current"), 100, 300)) {
            // the first file read whole, the second a third: the whole import is half read
            String line = progress.line(1, 100, stored(7), 200);

            assertThat(line).matches("import: mail\\.log_current \\(2 of 2\\): 33 % read, 7 lines, \\d+ entries/s, "
                    + "about \\d+ s left");
        }
    }

    @Test
    void aFileOfUnknownSizeGetsNoPercentageAndTheLastBytesNoTimeLeft() {
        try (ImportProgress progress = quiet(List.of("a.log", "b.log"), 0, 50)) {
            assertThat(progress.line(0, 10, stored(3), 10)).matches("import: a\\.log \\(1 of 2\\): 3 lines, \\d+ "
                    + "entries/s, about \\d+ s left");
            // a file that grew since its size was taken: never more than 100 %, and nothing left to say
            assertThat(progress.line(1, 80, stored(9), 80)).matches("import: b\\.log \\(2 of 2\\): 100 % read, 9 "
                    + "lines, \\d+ entries/s");
        }
    }
}
