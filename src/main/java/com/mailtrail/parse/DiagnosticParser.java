package com.mailtrail.parse;

import java.util.Locale;

/**
 * Takes the diagnostic ("delivery status") field of an entry apart and says why a delivery failed.
 *
 * <p>Shapes handled (see the format reference, section 1.5):
 * <pre>
 *   [conn-host ]dns;remote-host [(TCP|l-ip|l-port|r-ip|r-port)] [(banner)] smtp;[ ]reply
 *   NNN [x.y.z] text                                  J, B, U: the reply without smtp;
 *   TCP active open: Failed connect() [ip:port]  Error: errno text
 *   anything else: free text (store errors, host skipped, DNS errors)
 * </pre>
 * Runs once per log line, so the scan is by index, with no regex and no lower-casing unless a category is
 * needed. The category rules, in the order applied, are written up for administrators in docs/diagnostics.md;
 * keep the two in step.
 */
public final class DiagnosticParser {

    private DiagnosticParser() {
    }

    /**
     * @param text   the diagnostic field, already trimmed
     * @param action the entry's action letter (E D Q R J K W Z B V, or O C X Y I U for connection entries)
     * @return the parts, or null when {@code text} is null or empty
     */
    public static Diagnostic parse(String text, char action) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Scan s = new Scan(text);
        s.read();

        Category category = null;
        Boolean permanent = null;
        Integer code = s.code;
        switch (action) {
            case 'Q', 'Z', 'W' -> {
                category = classify(s);
                permanent = Boolean.FALSE;
            }
            case 'R', 'K' -> {
                category = classify(s);
                permanent = Boolean.TRUE;
            }
            case 'J', 'B', 'V', 'X', 'Y', 'U' -> {
                if (code != null) {
                    if (code >= 400) {
                        category = classify(s);
                        permanent = code >= 500;
                    }
                } else if (action == 'U') {
                    // An authentication result without a code may be a success note ("Authentication
                    // successful - switched to channel tcp_submit"): only a recognised failure counts.
                    Category c = classify(s);
                    if (c != Category.OTHER) {
                        category = c;
                        permanent = Boolean.TRUE;
                    }
                } else {
                    category = classify(s);
                    permanent = action != 'Y';
                }
            }
            default -> {
                if (code != null && code >= 400) {
                    category = classify(s);
                    permanent = code >= 500;
                }
            }
        }
        return new Diagnostic(text, s.remoteHost, s.transport, s.banner, code, s.enhanced, s.reply, category,
                permanent);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Taking the text apart

    /** One pass over the text; fields stay null when the part is absent. */
    private static final class Scan {
        final String t;
        final int n;
        String remoteHost;
        Transport transport;
        String banner;
        Integer code;
        String enhanced;
        String reply;
        /** Start of the dns; marker, or -1. */
        int dnsAt = -1;
        /** First index after the dns host and its parenthesised groups. */
        int afterGroups = -1;
        /** Start of the smtp; marker, or -1. */
        int smtpAt = -1;

        Scan(String t) {
            this.t = t;
            this.n = t.length();
        }

        void read() {
            if (codeAt(t, 0) > 0) {
                readReply(0);
                return;
            }
            dnsAt = findMarker("dns;", 0);
            int from = 0;
            if (dnsAt >= 0) {
                from = readRemote(dnsAt + 4);
                afterGroups = from;
            }
            smtpAt = findMarker("smtp;", from);
            if (smtpAt >= 0) {
                readReply(skipSpaces(smtpAt + 5));
            } else if (dnsAt < 0) {
                readFailedConnect();
            }
        }

        /** {@code marker} (case-insensitive) at the start, after white space or after ')', from {@code from}. */
        int findMarker(String marker, int from) {
            int m = marker.length();
            for (int i = t.indexOf(';', from + m - 1); i >= 0; i = t.indexOf(';', i + 1)) {
                int start = i - m + 1;
                if (start >= from && t.regionMatches(true, start, marker, 0, m)
                        && (start == 0 || isSpace(t.charAt(start - 1)) || t.charAt(start - 1) == ')')) {
                    return start;
                }
            }
            return -1;
        }

        /** {@code host [(transport)] [(banner)]}; returns the index after the last group. */
        int readRemote(int i) {
            int start = i;
            while (i < n && !isSpace(t.charAt(i)) && t.charAt(i) != '(') {
                i++;
            }
            if (i > start) {
                remoteHost = t.substring(start, i);
            }
            boolean first = true;
            while (true) {
                int j = skipSpaces(i);
                if (j >= n || t.charAt(j) != '(') {
                    return i;
                }
                int close = closingParen(j);
                if (close < 0) {
                    // Unbalanced: the banner runs up to smtp; (or the end); nothing after it can be trusted.
                    int smtp = findMarker("smtp;", j + 1);
                    int end = smtp < 0 ? n : smtp;
                    String rest = t.substring(j + 1, end).trim();
                    if (first && looksLikeTransport(rest)) {
                        transport = Transport.parse(rest);
                    } else if (banner == null) {
                        banner = emptyToNull(rest);
                    }
                    return end;
                }
                String inner = t.substring(j + 1, close);
                if (first && looksLikeTransport(inner)) {
                    transport = Transport.parse(inner);
                } else if (banner == null) {
                    banner = inner;
                }
                first = false;
                i = close + 1;
            }
        }

        /** Index of the ')' that balances the '(' at {@code open}, or -1. */
        int closingParen(int open) {
            int depth = 0;
            for (int i = open; i < n; i++) {
                char c = t.charAt(i);
                if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth == 0) {
                    return i;
                }
            }
            return -1;
        }

        /** The reply starts at {@code i}: {@code [NNN[ |-]][#x.y.z ]text}. */
        void readReply(int i) {
            if (i >= n) {
                return;
            }
            reply = t.substring(i);
            int c = codeAt(t, i);
            int k = i;
            if (c > 0) {
                code = c;
                k = skipSpaces(i + 4);
            }
            if (k < n && t.charAt(k) == '#') {
                k++;
            }
            int end = enhancedEnd(t, k);
            if (end > 0) {
                enhanced = t.substring(k, end);
            }
        }

        /** {@code TCP active open: Failed connect() [ip:port]  Error: ...}: the 6.3 form names the remote end. */
        void readFailedConnect() {
            int at = t.indexOf("Failed connect()");
            if (at < 0) {
                return;
            }
            int s = skipSpaces(at + "Failed connect()".length());
            int e = s;
            while (e < n && !isSpace(t.charAt(e))) {
                e++;
            }
            if (e == s || t.startsWith("Error:", s)) {
                return;
            }
            for (int i = s; i < e; i++) {
                char ch = t.charAt(i);
                if (!(isHexDigit(ch) || ch == '.' || ch == ':' || ch == '[' || ch == ']')) {
                    return;
                }
            }
            String token = t.substring(s, e);
            String ip = token;
            Integer port = null;
            int colon = token.lastIndexOf(':');
            if (token.startsWith("[")) {
                int rb = token.indexOf(']');
                if (rb < 0) {
                    return;
                }
                ip = token.substring(1, rb);
                if (colon > rb) {
                    port = port(token, colon + 1);
                }
            } else if (colon > 0 && colon == token.indexOf(':')) {
                // Exactly one colon: ip:port. Bare IPv6 (several colons) has no port we can trust.
                ip = token.substring(0, colon);
                port = port(token, colon + 1);
            }
            if (!ip.isEmpty()) {
                transport = new Transport("TCP", null, null, ip, port);
            }
        }

        int skipSpaces(int i) {
            while (i < n && isSpace(t.charAt(i))) {
                i++;
            }
            return i;
        }

        /** The text to classify when there is no reply: without the dns;, transport and banner parts. */
        String residual() {
            if (dnsAt < 0) {
                return smtpAt < 0 ? t : t.substring(0, smtpAt).trim();
            }
            String prefix = t.substring(0, dnsAt).trim();
            if (prefix.indexOf(' ') < 0) {
                prefix = ""; // a single word before dns; is the connection-information host (6.3 form)
            }
            int end = smtpAt < 0 ? n : smtpAt;
            String tail = afterGroups < end ? t.substring(afterGroups, end).trim() : "";
            if (prefix.isEmpty()) {
                return tail;
            }
            return tail.isEmpty() ? prefix : prefix + " " + tail;
        }
    }

    /** The SMTP code at {@code i}: three digits, the first 2-5, then end, space or '-'; else -1. */
    static int codeAt(String t, int i) {
        if (i + 3 > t.length()) {
            return -1;
        }
        char a = t.charAt(i);
        char b = t.charAt(i + 1);
        char c = t.charAt(i + 2);
        if (a < '2' || a > '5' || !isDigit(b) || !isDigit(c)) {
            return -1;
        }
        if (i + 3 < t.length()) {
            char next = t.charAt(i + 3);
            if (!isSpace(next) && next != '-') {
                return -1;
            }
        }
        return (a - '0') * 100 + (b - '0') * 10 + (c - '0');
    }

    /** End of an enhanced status code {@code [245].d{1,3}.d{1,3}} starting at {@code i}, or -1. */
    static int enhancedEnd(String t, int i) {
        int n = t.length();
        if (i + 5 > n) {
            return -1;
        }
        char cls = t.charAt(i);
        if ((cls != '2' && cls != '4' && cls != '5') || t.charAt(i + 1) != '.') {
            return -1;
        }
        int j = digits(t, i + 2);
        if (j < 0 || j >= n || t.charAt(j) != '.') {
            return -1;
        }
        int end = digits(t, j + 1);
        if (end < 0) {
            return -1;
        }
        if (end < n) {
            char next = t.charAt(end);
            // "5.1.1.1" is an address, not a status; a full stop ending a sentence is fine.
            if (next == '.' ? end + 1 < n && isDigit(t.charAt(end + 1)) : !isSpace(next) && next != ':'
                    && next != ';' && next != ',' && next != ')') {
                return -1;
            }
        }
        return end;
    }

    /** After one to three digits at {@code i}, the next index; -1 if there are none or more than three. */
    private static int digits(String t, int i) {
        int j = i;
        while (j < t.length() && isDigit(t.charAt(j))) {
            j++;
        }
        return j == i || j - i > 3 ? -1 : j;
    }

    private static Integer port(String s, int from) {
        int len = s.length() - from;
        if (len < 1 || len > 5) {
            return null;
        }
        int v = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return null;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean looksLikeTransport(String inner) {
        if (inner.indexOf('|') < 0) {
            return false;
        }
        for (int i = 0; i < inner.length(); i++) {
            if (isSpace(inner.charAt(i))) {
                return false;
            }
        }
        return Transport.parse(inner) != null;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHexDigit(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Classification. Each list is matched with String.contains on the lower-cased text; order matters and is
    // the order of the rules in classify().

    private static final String[] HOST_SKIPPED = {
        "too many failures to this host", "skipping this host", "dead (unresponsive) host", "unresponsive host",
    };
    private static final String[] GREYLISTED = {
        "greylist", "graylist", "grey list", "gray list", "grey-list", "gray-list", "postgrey",
    };
    private static final String[] TLS = {
        "starttls", "certificate", "handshake", "encryption required", "encryption needed", "requires encryption",
        "cipher",
    };
    private static final String[] NETWORK = {
        "no route to host", "network is unreachable", "network unreachable", "host is unreachable",
        "host unreachable", "network is down", "connection reset", "broken pipe",
    };
    private static final String[] REFUSED = {
        "connection refused", "connect refused", "econnrefused",
    };
    private static final String[] TIMEOUT = {
        "timed out", "timeout", "time out", "time-out", "timedout",
    };
    private static final String[] DNS = {
        "illegal host/domain", "host not found", "host or domain name not found", "no such domain",
        "domain not found", "domain does not exist", "domain name not found", "unknown domain", "unknown host",
        "host unknown", "name lookup", "lookup fail", "name service error", "name server", "nameserver", "no mx",
        "mx lookup", "mx record", "nxdomain", "non-existent domain", "nonexistent domain", "unrouteable",
        "unroutable", "cannot resolve", "could not resolve", "unable to resolve", "can't resolve",
        "name or service not known", "name resolution", "dns lookup", "dns error", "dns failure", "dns query",
        "dns problem", "dns server", "null mx",
    };
    private static final String[] RELAY_DENIAL = {
        "denied", "not permitted", "not allowed", "prohibited", "disallowed", "refused", "rejected", "unable to",
        "cannot", "can't", "do not", "don't", "not authorized", "no relay",
    };
    private static final String[] AUTH = {
        "authentication failed", "authentication failure", "authentication unsuccessful", "auth failed",
        "auth failure", "bad username or password", "invalid username or password",
        "username and password not accepted", "bad password", "invalid password", "incorrect password",
        "password incorrect", "invalid credentials", "credentials invalid", "authentication required",
        "authentication is required", "auth required", "must authenticate", "not authenticated",
        "authenticate first",
    };
    private static final String[] MAILBOX_FULL = {
        "quota", "mailbox full", "mailbox is full", "mailbox size limit", "mailbox has exceeded",
        "mailbox exceeds", "mailbox would exceed", "full mailbox", "mailfolder is full", "mailbox storage",
        "storage allocation",
    };
    private static final String[] NOT_MAILBOX_QUOTA = {
        "sending quota", "send quota", "sending limit",
    };
    private static final String[] TOO_LARGE = {
        "too large", "too big", "message size", "size exceeds", "exceeds size", "size limit", "maximum size",
        "max size", "message length exceeds", "message is larger",
    };
    private static final String[] MAILBOX_BUSY = {
        "mailbox is busy", "mailbox busy", "mailbox is locked", "mailbox locked", "mailbox in use",
        "mailbox is in use", "locked by pop", "temporarily locked",
    };
    private static final String[] STORE_ERROR = {
        "system i/o error", "i/o error", "message store", "mail store", "mailstore", "msgstore", "store error",
        "store is unavailable", "store unavailable", "store not available", "mailbox has an invalid format",
        "invalid mailbox format",
        "mailbox is corrupt", "corrupted mailbox", "database error", "unable to open mailbox",
        "cannot open mailbox",
    };
    private static final String[] POLICY = {
        "spam", "blocked", "block list", "blocklist", "blacklist", "black list", "denylist", "dnsbl",
        "spamhaus", "spamcop", "reputation", "policy", "policies", "access denied", "not authorized",
        "unauthorized", "prohibited", "administratively", "client host rejected", "sender address rejected",
        "helo command rejected", "virus", "malware", "phishing", "banned", "content rejected", "rate limit",
        "rate-limit", "ratelimit", "unsolicited", "junk", "suspicious", "sending quota", "sending limit",
    };
    private static final String[] POLICY_WORDS = {
        "rbl", "spf", "dkim", "dmarc",
    };
    private static final String[] USER_UNKNOWN = {
        "user unknown", "unknown user", "no such user", "illegal user", "unknown or illegal", "recipient unknown",
        "unknown recipient", "recipient rejected", "recipient address rejected", "recipient not found",
        "recipient does not exist", "invalid recipient", "no such recipient", "not a valid recipient",
        "mailbox unavailable", "mailbox is unavailable", "mailbox does not exist", "mailbox not found",
        "no such mailbox", "unknown mailbox", "invalid mailbox", "mailbox not present", "address does not exist",
        "address unknown", "user does not exist", "user doesn't exist", "user not found", "account does not exist",
        "account disabled", "account is disabled", "mailbox disabled", "no mailbox", "no longer",
        "invalid address", "address rejected", "unknown alias", "illegal alias",
    };
    private static final String[] DEFERRED = {
        "try again later", "try later", "please try again", "retry later", "temporarily", "temporary failure",
        "service not available", "service unavailable",
    };

    private static Category classify(Scan s) {
        String source = s.reply != null ? s.reply : s.residual();
        String t = source.toLowerCase(Locale.ROOT);
        Integer code = s.code;
        // subject.detail of the enhanced status ("1.1" of "5.1.1"); "" when there is none.
        String sd = s.enhanced == null ? "" : s.enhanced.substring(2);
        char cls = s.enhanced == null ? 0 : s.enhanced.charAt(0);
        boolean policyStatus = sd.startsWith("7.");

        if (containsAny(t, HOST_SKIPPED)) {
            return Category.HOST_SKIPPED;
        }
        if (containsAny(t, GREYLISTED)) {
            return Category.GREYLISTED;
        }
        if (sd.equals("7.10") || sd.equals("7.11") || containsAny(t, TLS) || containsWord(t, "tls")
                || containsWord(t, "ssl")) {
            return Category.TLS;
        }
        if (containsAny(t, NETWORK)) {
            return Category.NETWORK;
        }
        if (containsAny(t, REFUSED)) {
            return Category.REFUSED;
        }
        if (containsAny(t, TIMEOUT)) {
            return Category.TIMEOUT;
        }
        // A x.7.x status with "host not found" is the remote's policy about *our* name (HELO/sender checks).
        if (!policyStatus && (sd.equals("1.2") || sd.equals("4.4") || sd.equals("4.3") || containsAny(t, DNS))) {
            return Category.DNS;
        }
        if (containsWordPrefix(t, "relay") && (policyStatus || containsAny(t, RELAY_DENIAL))) {
            return Category.RELAY_DENIED;
        }
        if (isCode(code, 535) || isCode(code, 530) || sd.equals("7.8") || sd.equals("7.9")
                || (sd.equals("7.0") && t.contains("auth")) || containsAny(t, AUTH)) {
            return Category.AUTH_FAILED;
        }
        if (sd.equals("2.2") || (isCode(code, 552) && t.contains("storage"))
                || (containsAny(t, MAILBOX_FULL) && !containsAny(t, NOT_MAILBOX_QUOTA))) {
            return Category.MAILBOX_FULL;
        }
        if (sd.equals("3.4") || sd.equals("2.3") || containsAny(t, TOO_LARGE)) {
            return Category.TOO_LARGE;
        }
        if (containsAny(t, MAILBOX_BUSY)) {
            return Category.MAILBOX_BUSY;
        }
        if (containsAny(t, STORE_ERROR)) {
            return Category.STORE_ERROR;
        }
        if (sd.equals("1.1") || sd.equals("1.6")) {
            return Category.USER_UNKNOWN;
        }
        if (policyStatus || containsAny(t, POLICY) || containsAnyWord(t, POLICY_WORDS)) {
            return Category.POLICY;
        }
        if (containsAny(t, USER_UNKNOWN)) {
            return Category.USER_UNKNOWN;
        }
        if (code != null ? code >= 400 && code < 500 : cls == '4' || containsAny(t, DEFERRED)) {
            return Category.DEFERRED_BY_REMOTE;
        }
        return Category.OTHER;
    }

    private static boolean isCode(Integer code, int value) {
        return code != null && code == value;
    }

    private static boolean containsAny(String t, String[] needles) {
        for (String needle : needles) {
            if (t.contains(needle)) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsAnyWord(String t, String[] words) {
        for (String w : words) {
            if (containsWord(t, w)) {
                return true;
            }
        }
        return false;
    }

    /** {@code w} as a word of its own: not part of an address, a host name or a longer word ("tlsmith@"). */
    static boolean containsWord(String t, String w) {
        for (int i = t.indexOf(w); i >= 0; i = t.indexOf(w, i + 1)) {
            if (wordStart(t, i) && wordEnd(t, i + w.length())) {
                return true;
            }
        }
        return false;
    }

    /** A word beginning with {@code w}: "relay", "relaying", "relayed", but not "relay.example.com". */
    static boolean containsWordPrefix(String t, String w) {
        for (int i = t.indexOf(w); i >= 0; i = t.indexOf(w, i + 1)) {
            if (wordStart(t, i)) {
                int e = i + w.length();
                while (e < t.length() && Character.isLetter(t.charAt(e))) {
                    e++;
                }
                if (wordEnd(t, e)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean wordStart(String t, int i) {
        return i == 0 || !isWordChar(t.charAt(i - 1));
    }

    private static boolean wordEnd(String t, int e) {
        if (e >= t.length()) {
            return true;
        }
        char c = t.charAt(e);
        if (c == '.') {
            return e + 1 >= t.length() || !Character.isLetterOrDigit(t.charAt(e + 1));
        }
        return !isWordChar(c);
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '@' || c == '.';
    }
}
