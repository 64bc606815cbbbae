package com.mailtrail.parse;

/**
 * An enqueue's client as listed in client_system (V22), read from its source system ({@code helo (rdns [ip])}, the
 * text stored in recipient.enqueue_source), so that the search by client (which matches that text with LIKE patterns,
 * message.RemoteMatch.sourcePatterns) can find the addresses of the matching clients in a small table and seek them.
 *
 * <p>{@code ip} is the address in the text's last brackets, as {@link Remote#ofSource} reads it and recipient.client_ip
 * holds it ('' for none, or longer than the column): every text the search by an address matches has that address
 * there. {@code host} is the reverse-DNS name, else the HELO name ('' for none), when the text has one of the forms
 * the log writes ({@code name}, {@code [ip]}, {@code helo ([ip])}, {@code helo (rdns [ip])}, printable ASCII, no spaces
 * or parentheses within a part): for those, a search by host name or domain matches the text exactly when it matches
 * that host, and {@code text} is ''. Any other text is kept whole in {@code text} (host ''), for the search to match
 * with its own patterns, since no host read from it is sure to match as the text does.
 */
public record ClientSystem(String host, String ip, String text) {

    /** The length of recipient.client_ip and client_system.ip. */
    public static final int MAX_IP = 100;

    /** The client of a stored source system, or null for none (null or empty: no search by client matches it). */
    public static ClientSystem of(String source) {
        if (source == null || source.isEmpty()) {
            return null;
        }
        String ip = ipOf(source);
        String host = host(source);
        return host == null ? new ClientSystem("", ip == null ? "" : ip, source)
                : new ClientSystem(host, ip == null ? "" : ip, "");
    }

    /** The address recipient.client_ip holds for a source system: its last brackets', null for none or too long. */
    public static String ipOf(String source) {
        Remote r = source == null ? null : Remote.ofSource(source);
        String ip = r == null ? null : r.ip();
        return ip == null || ip.isEmpty() || ip.length() > MAX_IP ? null : ip;
    }

    /** The host of a text of one of the log's forms ('' for none), null for any other text. */
    private static String host(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch > 0x7e) {
                return null;
            }
        }
        int open = s.indexOf(" (");
        if (open < 0) {
            if (s.startsWith("[") && s.endsWith("]")) {
                return part(s.substring(1, s.length() - 1), true) ? "" : null; // [ip]
            }
            return part(s, true) ? s : null; // a bare name
        }
        String helo = s.substring(0, open);
        if (!part(helo, false) || !s.endsWith("])")) {
            return null;
        }
        String inner = s.substring(open + 2, s.length() - 2); // "[ip" or "rdns [ip"
        if (inner.startsWith("[")) {
            // a HELO address literal is no name; one that does not close could end like a domain, so is no form
            boolean literal = helo.startsWith("[");
            return !part(inner.substring(1), true) || literal && !helo.endsWith("]") ? null : literal ? "" : helo;
        }
        int bracket = inner.indexOf(" [");
        if (bracket < 0) {
            return null;
        }
        String rdns = inner.substring(0, bracket);
        return part(rdns, true) && part(inner.substring(bracket + 2), true) ? rdns : null;
    }

    /** Not empty, no space or parenthesis, and, when {@code noBrackets}, no bracket. */
    private static boolean part(String p, boolean noBrackets) {
        if (p.isEmpty()) {
            return false;
        }
        for (int i = 0; i < p.length(); i++) {
            char ch = p.charAt(i);
            if (ch == ' ' || ch == '(' || ch == ')' || noBrackets && (ch == '[' || ch == ']')) {
                return false;
            }
        }
        return true;
    }
}
