package com.mailtrail.ingest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The first numbers of a file's lines that were longer than 64 KiB (LogReader.MAX_LINE) and are stored cut, so that
 * an admin knows which raw lines shown are not whole. Bounded like the rejected lines an upload lists: the count goes
 * on beyond it. Kept in log_file.cut_lines as numbers separated by spaces.
 */
public record CutLines(List<Long> lines) {

    /** Line numbers kept; the count says how many more there were. */
    public static final int KEEP = 10;
    static final CutLines NONE = new CutLines(List.of());

    public CutLines {
        lines = List.copyOf(lines);
    }

    /** With {@code more}, in line order, up to {@link #KEEP}. */
    CutLines with(List<Long> more) {
        if (more.isEmpty() || lines.size() >= KEEP && more.get(0) > lines.get(lines.size() - 1)) {
            return this;
        }
        List<Long> all = new ArrayList<>(lines);
        all.addAll(more);
        return new CutLines(all.stream().sorted().distinct().limit(KEEP).toList());
    }

    /** As stored: "3 6 10", or null for none. */
    public String column() {
        return lines.isEmpty() ? null : String.join(" ", lines.stream().map(String::valueOf).toList());
    }

    public static CutLines of(String column) {
        if (column == null || column.isBlank()) {
            return NONE;
        }
        return new CutLines(Arrays.stream(column.trim().split(" +")).map(Long::valueOf).toList());
    }

    /**
     * What the web says of a file's cut lines, on the Sources page and on the upload card (the status carries it):
     * "2 lines longer than 64 KiB stored cut to that length: lines 3 and 6", or null for none.
     */
    public static String note(long count, List<Long> first) {
        return count == 0 ? null : count + (count == 1 ? " line" : " lines") + " longer than 64 KiB stored cut to "
                + "that length: " + describe(count, first);
    }

    /**
     * "lines 3, 6 and 10", "line 3", or the first ten "and 2 more": what an admin reads of {@code count} cut lines.
     */
    public static String describe(long count, List<Long> first) {
        StringBuilder b = new StringBuilder(count == 1 ? "line " : "lines ");
        for (int i = 0; i < first.size(); i++) {
            if (i > 0) {
                b.append(i == first.size() - 1 && count == first.size() ? " and " : ", ");
            }
            b.append(first.get(i));
        }
        if (count > first.size()) {
            b.append(" and ").append(count - first.size()).append(" more");
        }
        return b.toString();
    }
}
