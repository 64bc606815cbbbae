package com.mailtrail.parse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which physical lines of a file an entry was read from, for showing it again as logged. An entry of the
 * documentation's folded form spans several lines; only the reader, run over the file's lines before it, knows which
 * (whether the file is in that form, where prose starts), so this reads them again the same way.
 */
public final class EntryLines {

    private EntryLines() {
    }

    /**
     * Whether {@code next}, the line after an entry's first line, may be part of that entry. A line that starts with
     * a time stamp never is, nor is there anything after the file's last line: then the entry is its first line
     * alone, in any file, and nothing needs to be read again.
     */
    public static boolean mayContinue(String next) {
        if (next == null) {
            return false;
        }
        byte[] b = next.getBytes(StandardCharsets.UTF_8);
        int p = Text.skipBlanks(b, 0, b.length);
        return p >= b.length || !Timestamps.looksLikeTimestamp(b, p, b.length);
    }

    /**
     * The last line of each entry whose first line is one of {@code lines}, read from {@code text}: the file's lines
     * from line {@code firstLine + 1} on, up to some lines past the last of {@code lines}, read with the file's
     * {@code options} as when it was loaded. A line where no entry starts is left out.
     */
    public static Map<Long, Long> lastLines(InputStream text, long firstLine, LogOptions options, Set<Long> lines)
            throws IOException {
        Map<Long, Long> last = new HashMap<>();
        new LogReader(options).read(text, new LogReader.Sink() {
            @Override
            public void entry(Entry entry) {
            }

            @Override
            public void entry(Entry entry, long lastLine) {
                if (lines.contains(entry.line())) {
                    last.put(entry.line(), lastLine);
                }
            }

            @Override
            public void rejected(LogReader.Rejection rejection) {
            }
        }, firstLine, 0, false);
        return last;
    }
}
