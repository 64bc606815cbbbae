package com.mailtrail.ingest;

import java.util.HashMap;
import java.util.Map;

/**
 * One shared copy of strings that log lines repeat (channels, codes, addresses, hosts). The message
 * cache holds hundreds of thousands of facts, and a fresh copy of every field of every line made it most of the
 * live heap. Bounded: when full it starts over, which costs only sharing, never correctness.
 */
final class Strings {

    private static final int LIMIT = 200_000;

    private final Map<String, String> canonical = new HashMap<>(1 << 16);

    String of(String s) {
        if (s == null) {
            return null;
        }
        String c = canonical.putIfAbsent(s, s);
        if (c != null) {
            return c;
        }
        if (canonical.size() > LIMIT) {
            canonical.clear();
        }
        return s;
    }
}
