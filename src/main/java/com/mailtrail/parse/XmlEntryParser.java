package com.mailtrail.parse;

import java.time.LocalDateTime;

/**
 * LOG_FORMAT=4: one self-closing element per line, {@code <en .../>}, {@code <co .../>} or {@code <he .../>}.
 * Attributes may come in any order and new ones appear in patch releases, so unknown attributes are ignored.
 */
final class XmlEntryParser {

    String error;

    // Attribute values of the element being read, indexed by Attr ordinal; reset per line.
    private final String[] values = new String[Attr.values().length];
    private String otherName;
    private String otherValue;

    private enum Attr {
        TS("ts"), NO("no"), PI("pi"), SC("sc"), DC("dc"), DR("dr"), AC("ac"), SZ("sz"), SO("so"), OD("od"), DE("de"),
        RF("rf"), FI("fi"), EI("ei"), MI("mi"), US("us"), SS("ss"), SE("se"), PR("pr"), IN("in"), IA("ia"),
        FL("fl"), RE("re"), DI("di"), TR("tr"), AP("ap"), QT("qt"), RM("rm"),
        // Header elements: the attribute names are not documented, so the likely ones are all accepted.
        HN("hn"), HV("hv");

        final String name;

        Attr(String name) {
            this.name = name;
        }

        static Attr of(String name) {
            for (Attr a : values()) {
                if (a.name.equals(name)) {
                    return a;
                }
            }
            return switch (name) {
                case "na", "nm", "name", "hdr" -> HN;
                case "va", "vl", "value", "val" -> HV;
                default -> null;
            };
        }
    }

    Entry parse(byte[] b, int s, int e, long line, long offset, boolean truncated, Timestamps timestamps) {
        error = null;
        java.util.Arrays.fill(values, null);
        otherName = null;
        otherValue = null;
        int p = s + 1;
        int ne = p;
        while (ne < e && b[ne] != ' ' && b[ne] != '/' && b[ne] != '>') {
            ne++;
        }
        String element = Text.decode(b, p, ne);
        if (!element.equals("en") && !element.equals("co") && !element.equals("he")) {
            return fail("unknown XML element <" + element + ">");
        }
        p = ne;
        boolean closed = false;
        while (p < e) {
            p = Text.skipBlanks(b, p, e);
            if (p >= e) {
                break;
            }
            if (b[p] == '/' || b[p] == '>') {
                closed = true;
                break;
            }
            int ns = p;
            while (p < e && b[p] != '=' && b[p] != ' ') {
                p++;
            }
            String name = Text.decode(b, ns, p);
            p = Text.skipBlanks(b, p, e);
            if (p >= e || b[p] != '=') {
                return fail("attribute " + name + " has no value");
            }
            p = Text.skipBlanks(b, p + 1, e);
            if (p >= e || (b[p] != '"' && b[p] != '\'')) {
                return fail("attribute " + name + " is not quoted");
            }
            byte quote = b[p];
            int vs = p + 1;
            int ve = Text.indexOf(b, vs, e, quote);
            if (ve < 0) {
                return fail("attribute " + name + " is not closed");
            }
            String value = unescape(Text.decode(b, vs, ve));
            Attr a = Attr.of(name);
            if (a != null) {
                values[a.ordinal()] = value;
            } else if (otherName == null) {
                otherName = name;
                otherValue = value;
            }
            p = ve + 1;
        }
        if (!closed) {
            return fail("XML element is not closed");
        }
        String ts = get(Attr.TS);
        if (ts == null) {
            return fail("XML entry has no ts attribute");
        }
        byte[] tb = ts.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        LocalDateTime time = timestamps.read(tb, 0, tb.length);
        if (time == null) {
            return fail(timestamps.error);
        }
        return switch (element) {
            case "en" -> message(time, line, offset, truncated);
            case "co" -> connection(time, line, offset, truncated);
            default -> header(time, line, offset, truncated);
        };
    }

    private Entry message(LocalDateTime time, long line, long offset, boolean truncated) {
        String code = get(Attr.AC);
        if (code == null || code.isEmpty()) {
            return fail("XML entry has no ac (entry code) attribute");
        }
        String source = get(Attr.SC);
        if (source == null) {
            return fail("XML entry has no sc (source channel) attribute");
        }
        long size = 0;
        String sz = get(Attr.SZ);
        if (sz != null) {
            Long v = number(sz);
            if (v == null) {
                return fail("sz '" + sz + "' is not a number");
            }
            size = v;
        }
        String sender = get(Attr.SO);
        if (sender == null || sender.equals("<>")) {
            sender = "";
        }
        String od = get(Attr.OD);
        String original = od == null ? null : od.substring(od.indexOf(';') + 1);
        String mi = get(Attr.MI);
        String messageId = mi;
        String originalMessageId = null;
        if (mi != null) {
            int comma = mi.indexOf(">,<");
            if (comma > 0) {
                messageId = mi.substring(0, comma + 1);
                originalMessageId = mi.substring(comma + 2);
            }
        }
        String fi = get(Attr.FI);
        String di = get(Attr.DI);
        Long qt = get(Attr.QT) == null ? null : number(get(Attr.QT));
        return new MessageEntry(time, line, offset, truncated, get(Attr.NO), get(Attr.PI), source, get(Attr.DC), code,
                size, sender, original, nullToEmpty(get(Attr.DE)), integer(get(Attr.RF)),
                fi == null ? null : QueueFile.parse(fi), get(Attr.EI), messageId, originalMessageId, get(Attr.US),
                get(Attr.SS), integer(get(Attr.SE)), integer(get(Attr.PR)), get(Attr.IN), get(Attr.IA), get(Attr.FL),
                get(Attr.RE), di,
                get(Attr.TR), get(Attr.AP), qt, get(Attr.RM));
    }

    private Entry connection(LocalDateTime time, long line, long offset, boolean truncated) {
        String code = get(Attr.AC);
        if (code == null || code.isEmpty()) {
            return fail("XML connection entry has no ac attribute");
        }
        String dr = get(Attr.DR);
        String di = get(Attr.DI);
        return new ConnectionEntry(time, line, offset, truncated, get(Attr.NO), get(Attr.PI), get(Attr.SC),
                !"-".equals(dr), code, get(Attr.TR), get(Attr.AP), get(Attr.US), get(Attr.MI),
                di);
    }

    private Entry header(LocalDateTime time, long line, long offset, boolean truncated) {
        String name = get(Attr.HN);
        String value = get(Attr.HV);
        if (name == null && otherValue != null) {
            // A single undocumented attribute holding "Name: value".
            int colon = otherValue.indexOf(':');
            name = colon < 0 ? otherName : otherValue.substring(0, colon);
            value = colon < 0 ? otherValue : otherValue.substring(colon + 1).strip();
        }
        return new HeaderEntry(time, line, offset, truncated, get(Attr.NO), get(Attr.PI), name,
                value == null ? "" : value);
    }

    private String get(Attr a) {
        String v = values[a.ordinal()];
        return v == null || v.isEmpty() ? null : v;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static Long number(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return null;
            }
        }
        return Long.parseLong(s);
    }

    private static Integer integer(String s) {
        if (s == null || s.length() > 9) {
            return null;
        }
        Long v = number(s);
        return v == null ? null : v.intValue();
    }

    /** Decodes the five predefined entities and numeric character references; leaves unknown ones as written. */
    static String unescape(String s) {
        int amp = s.indexOf('&');
        if (amp < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (amp >= 0) {
            out.append(s, i, amp);
            int semi = s.indexOf(';', amp);
            String ref = semi < 0 || semi - amp > 10 ? null : s.substring(amp + 1, semi);
            String decoded = ref == null ? null : entity(ref);
            if (decoded == null) {
                out.append('&');
                i = amp + 1;
            } else {
                out.append(decoded);
                i = semi + 1;
            }
            amp = s.indexOf('&', i);
        }
        out.append(s, i, s.length());
        return out.toString();
    }

    private static String entity(String ref) {
        switch (ref) {
            case "amp":
                return "&";
            case "lt":
                return "<";
            case "gt":
                return ">";
            case "quot":
                return "\"";
            case "apos":
                return "'";
            default:
                break;
        }
        if (ref.length() > 1 && ref.charAt(0) == '#') {
            try {
                int cp = ref.charAt(1) == 'x' || ref.charAt(1) == 'X'
                        ? Integer.parseInt(ref.substring(2), 16) : Integer.parseInt(ref.substring(1));
                return Character.isValidCodePoint(cp) ? new String(Character.toChars(cp)) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private Entry fail(String why) {
        error = why;
        return null;
    }
}
