package com.mailtrail.parse;

/**
 * {@code TCP|local-ip|local-port|remote-ip|remote-port}: the local end comes first in both directions.
 * Ports are null when the text had none or they were not numbers.
 */
public record Transport(String protocol, String localIp, Integer localPort, String remoteIp, Integer remotePort) {

    /** Parses {@code TCP|a|b|c|d}; null when the text is not of that shape. */
    public static Transport parse(String text) {
        if (text == null) {
            return null;
        }
        int p1 = text.indexOf('|');
        if (p1 <= 0) {
            return null;
        }
        int p2 = text.indexOf('|', p1 + 1);
        int p3 = p2 < 0 ? -1 : text.indexOf('|', p2 + 1);
        int p4 = p3 < 0 ? -1 : text.indexOf('|', p3 + 1);
        if (p4 < 0 || text.indexOf('|', p4 + 1) >= 0) {
            return null;
        }
        return new Transport(text.substring(0, p1), emptyToNull(text.substring(p1 + 1, p2)),
                port(text.substring(p2 + 1, p3)), emptyToNull(text.substring(p3 + 1, p4)),
                port(text.substring(p4 + 1)));
    }

    private static Integer port(String s) {
        if (s.isEmpty() || s.length() > 5) {
            return null;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
