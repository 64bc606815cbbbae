package com.mailtrail.parse;

/**
 * A queue file name such as {@code /opt/SUNWmsgsr/data/queue/tcp_local/001/ZYf0s690kN_y0.01}.
 *
 * @param path         the name as logged
 * @param channel      the queue directory's channel (tcp_local), null when the path has no directory
 * @param subdirectory the hashed subdirectory (001) when the channel uses {@code subdirs}
 * @param baseName     the file name without suffix, including the two attempt letters (ZYf0s690kN_y0)
 * @param suffix       the part after the last dot (01); null for a held file without one
 * @param held         the name ends in {@code .HELD}
 * @param attempts     earlier delivery attempts decoded from the two leading letters (ZZ = 0, ZY = 1, YZ = 36),
 *                     null when they are not in 0-9A-Z
 */
public record QueueFile(String path, String channel, String subdirectory, String baseName, String suffix,
                        boolean held, Integer attempts) {

    /** The base name without the two attempt letters: stays the same while the MTA retries a file. */
    public String stem() {
        return baseName.length() > 2 ? baseName.substring(2) : baseName;
    }

    public static QueueFile parse(String path) {
        int slash = path.lastIndexOf('/');
        String name = path.substring(slash + 1);
        boolean held = false;
        if (name.endsWith(".HELD")) {
            held = true;
            name = name.substring(0, name.length() - 5);
        }
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String suffix = dot > 0 ? name.substring(dot + 1) : null;
        String channel = null;
        String subdir = null;
        if (slash > 0) {
            int prev = path.lastIndexOf('/', slash - 1);
            String dir = path.substring(prev + 1, slash);
            if (!dir.isEmpty() && allDigits(dir) && prev > 0) {
                subdir = dir;
                int prev2 = path.lastIndexOf('/', prev - 1);
                dir = path.substring(prev2 + 1, prev);
            }
            channel = dir.isEmpty() ? null : dir;
        }
        return new QueueFile(path, channel, subdir, base, suffix, held, attempts(base));
    }

    /** Complemented base 36 over 0-9A-Z, most significant letter first: value = 35 - index. */
    static Integer attempts(String base) {
        if (base.length() < 2) {
            return null;
        }
        int hi = digit36(base.charAt(0));
        int lo = digit36(base.charAt(1));
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

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
