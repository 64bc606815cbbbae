package com.mailtrail.message;

import java.util.List;
import java.util.Locale;

/**
 * How a remote system search term matches: an IP address exactly ({@code 192.0.2.7}, {@code [192.0.2.7]} as a log
 * writes it, {@code 2001:db8::7}), a host name exactly ({@code mx1.bigisp.example}), or a host name by domain
 * suffix ({@code .bigisp.example} or {@code *.bigisp.example}: the domain itself and every name under it). In lower
 * case: host names are compared in any case.
 */
public record RemoteMatch(Kind kind, String value) {

    public enum Kind { IP, HOST, DOMAIN }

    /** The longest host name DNS allows. */
    private static final int MAX_HOST = 253;
    /** The longest written IPv6 address (with an IPv4 tail). */
    private static final int MAX_IP = 45;

    /** Reads a search term; {@code what} names the parameter in error messages. */
    static RemoteMatch parse(String what, String term) {
        String t = term.strip().toLowerCase(Locale.ROOT);
        // as the message page and the log write an address: 203.0.113.5 in brackets
        if (t.length() > 2 && t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1).strip();
        }
        if (t.indexOf(':') >= 0) {
            if (!ipv6(t)) {
                throw new InvalidParameterException(what + ": '" + SearchForm.shown(term.strip())
                        + "' is not an IPv6 address (such as 2001:db8::7)");
            }
            return new RemoteMatch(Kind.IP, t);
        }
        if (!t.isEmpty() && t.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9')) {
            if (!ipv4(t)) {
                throw new InvalidParameterException(what + ": '" + SearchForm.shown(term.strip())
                        + "' is not an IPv4 address (four numbers 0 to 255, such as 192.0.2.7); a partial address is "
                        + "not searched");
            }
            return new RemoteMatch(Kind.IP, t);
        }
        boolean suffix = t.startsWith("*.") || t.startsWith(".");
        String host = suffix ? t.substring(t.indexOf('.') + 1) : t;
        if (!hostName(host)) {
            throw new InvalidParameterException(what + " must be an IP address (192.0.2.7), a host name "
                    + "(mx1.example.com) or a domain with a leading dot for every host in it (.example.com); got '"
                    + SearchForm.shown(term.strip()) + "'");
        }
        return new RemoteMatch(suffix ? Kind.DOMAIN : Kind.HOST, host);
    }

    /**
     * Letters, digits, '-' and '_' (seen in real host names though DNS hostnames forbid it) in dot-separated labels;
     * also what keeps a term from holding LIKE's wildcards other than '_', which {@link #escaped} takes literally.
     */
    private static boolean hostName(String h) {
        if (h.isEmpty() || h.length() > MAX_HOST || h.startsWith(".") || h.endsWith(".") || h.contains("..")) {
            return false;
        }
        return h.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                || c == '.');
    }

    private static boolean ipv4(String t) {
        String[] parts = t.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /** Hex groups separated by ':', at most one '::', optionally ending in an IPv4 address. */
    private static boolean ipv6(String t) {
        if (t.length() > MAX_IP || t.indexOf("::") != t.lastIndexOf("::") || t.contains(":::")) {
            return false;
        }
        int lastColon = t.lastIndexOf(':');
        String tail = t.substring(lastColon + 1);
        String head = t.substring(0, lastColon + 1);
        int groups = 0;
        if (tail.indexOf('.') >= 0) {
            if (!ipv4(tail)) {
                return false;
            }
            groups += 2;
        } else if (!tail.isEmpty() && !hex(tail)) {
            return false;
        } else if (!tail.isEmpty()) {
            groups++;
        }
        for (String g : head.split(":", -1)) {
            if (!g.isEmpty()) {
                if (!hex(g)) {
                    return false;
                }
                groups++;
            }
        }
        return t.contains("::") ? groups < 8 : groups == 8 && !t.startsWith(":") && !t.endsWith(":");
    }

    private static boolean hex(String g) {
        return g.length() <= 4 && g.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f');
    }

    /** The value for a LIKE pattern with escape character '!': its '_' taken literally. */
    String escaped() {
        return value.replace("!", "!!").replace("_", "!_").replace("%", "!%");
    }

    /**
     * The LIKE patterns (escape '!') an enqueue's source system (the E line's connection information, stored in
     * recipient.enqueue_source) matches: {@code helo (rdns [ip])}, {@code helo ([ip])} where the address has no
     * reverse name, or a bare name. An IP is the one in the last brackets, the address the connection came from (a
     * HELO may be an address literal of its own); a host is the reverse-DNS name, or the HELO name where there is no
     * reverse name, as the message page's remote host is read (parse.Remote).
     */
    List<String> sourcePatterns() {
        String v = escaped();
        return switch (kind) {
            case IP -> List.of("%[" + v + "])", "[" + v + "]");
            case HOST -> List.of("%(" + v + " [%", v + " ([%", v);
            case DOMAIN -> List.of("%(" + v + " [%", "%(%." + v + " [%", v + " ([%", "%." + v + " ([%", v,
                    "%." + v);
        };
    }
}
