package com.mailtrail.message;

import java.util.Locale;

/**
 * How a recipient or sender search term matches addresses: exactly, by prefix ({@code bob*}) or by domain
 * ({@code @example.com}). The value is lower-cased, like the search columns it is compared with.
 */
public record AddressMatch(Kind kind, String value) {

    public enum Kind { EXACT, PREFIX, DOMAIN }

    /** The address type before an original recipient in a log line, as the MTA writes it (RFC 3461's ORCPT). */
    private static final String ORIGINAL_TYPE = "rfc822;";

    /** Reads a search term; {@code what} names the parameter in error messages. */
    static AddressMatch parse(String what, String term) {
        String t = term.strip().toLowerCase(Locale.ROOT);
        // Copied from where an administrator finds addresses: a log line's original recipient field
        // (rfc822;user@example.com), an SMTP reply or a header (<user@example.com>)
        if (t.startsWith(ORIGINAL_TYPE)) {
            t = t.substring(ORIGINAL_TYPE.length()).strip();
        }
        if (t.equals("<>")) {
            // the null sender (a bounce's, a notification's) as the pages and SMTP write it: stored empty
            return new AddressMatch(Kind.EXACT, "");
        }
        if (t.length() > 2 && t.startsWith("<") && t.endsWith(">")) {
            t = t.substring(1, t.length() - 1).strip();
        }
        int star = t.indexOf('*');
        if (star >= 0 && star != t.length() - 1) {
            throw new InvalidParameterException(what + ": '*' is only allowed at the end, as in bob*");
        }
        if (t.startsWith("@")) {
            String domain = t.substring(1);
            if (domain.isEmpty() || star >= 0 || domain.indexOf('@') >= 0) {
                throw new InvalidParameterException(what + ": give a domain after '@', as in @example.com");
            }
            return new AddressMatch(Kind.DOMAIN, domain);
        }
        if (star >= 0) {
            if (t.length() == 1) {
                throw new InvalidParameterException(what + ": a prefix needs at least one character before '*'");
            }
            return new AddressMatch(Kind.PREFIX, t.substring(0, t.length() - 1));
        }
        return new AddressMatch(Kind.EXACT, t);
    }

    /** The term as typed in its plain form (bob@example.com, bob*, @example.com): what a link carries and a page shows. */
    public String term() {
        return switch (kind) {
            case EXACT -> value;
            case PREFIX -> value + "*";
            case DOMAIN -> "@" + value;
        };
    }

    /** The LIKE pattern of a prefix, with the user's own % and _ taken literally (escape character '!'). */
    String likePattern() {
        StringBuilder sb = new StringBuilder(value.length() + 2);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%' || c == '_' || c == '!') {
                sb.append('!');
            }
            sb.append(c);
        }
        return sb.append('%').toString();
    }
}
