package com.mailtrail.generate;

import java.util.Arrays;

/**
 * Hands out process ids in time order: {@code pid.thread.seq} for multithreaded programs, {@code pid.seq} for
 * single-threaded ones, pid and thread in hex. A program's pid changes when it is restarted (every few hours).
 */
final class Processes {

    private static final long HOUR = 360_000;
    private static final Session.Kind[] KINDS = Session.Kind.values();

    private final long seed;
    private final Rng rng;
    private final long[] window = new long[KINDS.length * 2];
    private final int[] sequence = new int[KINDS.length * 2];

    Processes(long seed) {
        this.seed = seed;
        this.rng = new Rng(seed ^ 0x5DEECE66DL);
        Arrays.fill(window, -1);
    }

    void assign(Session s, long time) {
        if (s.processId != null) {
            return;
        }
        Session.Kind kind = s.kind;
        if (kind.processes == 0) {
            s.processId = Integer.toHexString(0x1000 + rng.nextInt(0x7f000)) + ".0";
            return;
        }
        int slot = kind.ordinal() * 2 + (kind.processes > 1 ? rng.nextInt(kind.processes) : 0);
        long w = Math.floorDiv(time, kind.lifetimeHours * HOUR);
        if (window[slot] != w) {
            window[slot] = w;
            sequence[slot] = 0;
        }
        int pid = 0x1000 + (int) ((Rng.mix(seed + slot * 0x9E3779B97F4A7C15L + w) >>> 1) % 0x7f000);
        StringBuilder b = new StringBuilder(20).append(Integer.toHexString(pid)).append('.');
        if (kind.threaded) {
            b.append(Integer.toHexString(1 + rng.nextInt(kind == Session.Kind.SMTP_SERVER ? 0x40 : 0x10))).append('.');
        }
        s.processId = b.append(sequence[slot]++).toString();
    }
}
