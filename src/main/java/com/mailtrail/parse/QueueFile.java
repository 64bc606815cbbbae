package com.mailtrail.parse;

/**
 * A queue file name such as {@code /opt/SUNWmsgsr/data/queue/tcp_local/001/ZYf0s690kN_y0.01}. Only the path is
 * kept; its parts are computed when asked for, since most readers of a log need just the path and the attempts.
 */
public record QueueFile(String path) {

    public static QueueFile parse(String path) {
        return new QueueFile(path);
    }

    /** The file name without directories and without {@code .HELD}. */
    private String name() {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return held() ? name.substring(0, name.length() - 5) : name;
    }

    /** The name ends in {@code .HELD}: a held message, not eligible for delivery. */
    public boolean held() {
        return path.endsWith(".HELD");
    }

    /** The file name without suffix, including the two attempt letters (ZYf0s690kN_y0). */
    public String baseName() {
        String name = name();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** The part after the last dot (01); null when there is none. */
    public String suffix() {
        String name = name();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(dot + 1) : null;
    }

    /** The base name without the two attempt letters: it stays the same while the MTA retries a file. */
    public String stem() {
        String base = baseName();
        return base.length() > 2 ? base.substring(2) : base;
    }

    /** The queue directory's channel (tcp_local), skipping a hashed subdirectory; null without a directory. */
    public String channel() {
        int slash = path.lastIndexOf('/');
        if (slash <= 0) {
            return null;
        }
        int prev = path.lastIndexOf('/', slash - 1);
        String dir = path.substring(prev + 1, slash);
        if (isSubdirectory(dir) && prev > 0) {
            int prev2 = path.lastIndexOf('/', prev - 1);
            dir = path.substring(prev2 + 1, prev);
        }
        return dir.isEmpty() ? null : dir;
    }

    /** The hashed subdirectory (001) when the channel uses {@code subdirs}, else null. */
    public String subdirectory() {
        int slash = path.lastIndexOf('/');
        if (slash <= 0) {
            return null;
        }
        int prev = path.lastIndexOf('/', slash - 1);
        String dir = path.substring(prev + 1, slash);
        return isSubdirectory(dir) && prev > 0 ? dir : null;
    }

    /**
     * Earlier delivery attempts, from the two leading letters of the name in complemented base 36 over 0-9A-Z,
     * most significant first (ZZ = 0, ZY = 1, ZA = 25, Z0 = 35, YZ = 36); null when they are not in 0-9A-Z.
     */
    public Integer attempts() {
        int start = path.lastIndexOf('/') + 1;
        if (path.length() - start < 2) {
            return null;
        }
        int hi = digit36(path.charAt(start));
        int lo = digit36(path.charAt(start + 1));
        if (hi < 0 || lo < 0) {
            return null;
        }
        return (35 - hi) * 36 + (35 - lo);
    }

    private static int digit36(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'Z') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static boolean isSubdirectory(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
