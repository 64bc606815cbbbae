package com.mailtrail.parse;

/**
 * The other end of a message event, put together from what the line offers: the {@code dns;} host and
 * {@code (TCP|...)} part of the diagnostic, the transport field, and the source system {@code helo (rdns [ip])}.
 * Any part may be null.
 */
public record Remote(String host, String ip, Integer port, String localIp, Integer localPort) {

    static Remote of(Diagnostic parts, Transport transport, String sourceSystem) {
        Transport t = transport != null ? transport : parts == null ? null : parts.transport();
        String host = parts != null && parts.remoteHost() != null ? parts.remoteHost() : sourceHost(sourceSystem);
        String ip = t != null && t.remoteIp() != null ? t.remoteIp() : sourceIp(sourceSystem);
        if (host == null && ip == null && t == null) {
            return null;
        }
        return new Remote(host, ip, t == null ? null : t.remotePort(), t == null ? null : t.localIp(),
                t == null ? null : t.localPort());
    }

    /**
     * The client an enqueue came from, read from its stored source system alone ({@code helo (rdns [ip])}): the
     * message page names it by the same rules as the search by client, which looks in the same text. Null for none.
     */
    public static Remote ofSource(String sourceSystem) {
        return of(null, null, sourceSystem);
    }

    /** The reverse-DNS name in {@code helo (rdns [ip])}, else the HELO name; a bare {@code [ip]} is no name. */
    private static String sourceHost(String ss) {
        if (ss == null) {
            return null;
        }
        int open = ss.indexOf(" (");
        if (open < 0) {
            return ss.startsWith("[") ? null : ss;
        }
        int bracket = ss.indexOf(" [", open);
        if (bracket > open + 2) {
            return ss.substring(open + 2, bracket);
        }
        String helo = ss.substring(0, open);
        return helo.startsWith("[") ? null : helo;
    }

    private static String sourceIp(String ss) {
        if (ss == null) {
            return null;
        }
        int close = ss.lastIndexOf(']');
        int open = close < 0 ? -1 : ss.lastIndexOf('[', close);
        return open < 0 ? null : ss.substring(open + 1, close);
    }
}
