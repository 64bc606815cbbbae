package com.mailtrail.parse;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which optional fields a log file carries. {@link #auto()} means: detect them from the lines themselves, per file.
 * An explicit set is read positionally: every listed field takes its slot, empty or not.
 */
public final class LogOptions {

    private static final LogOptions AUTO = new LogOptions(null);

    private final Set<LogField> fields;

    private LogOptions(Set<LogField> fields) {
        this.fields = fields;
    }

    public static LogOptions auto() {
        return AUTO;
    }

    public static LogOptions of(Set<LogField> fields) {
        return new LogOptions(fields.isEmpty() ? EnumSet.noneOf(LogField.class) : EnumSet.copyOf(fields));
    }

    /**
     * Parses {@code auto} or a comma-separated list of field keys ({@code filename,message_id}). The MTA option
     * names are accepted too, so a line copied from option.dat works: {@code LOG_FILENAME=1,LOG_MESSAGE_ID=1}.
     * An empty list or {@code none} means no optional field.
     *
     * @throws IllegalArgumentException naming the word it does not know
     */
    public static LogOptions parse(String text) {
        String t = text.trim();
        if (t.equalsIgnoreCase("auto")) {
            return AUTO;
        }
        EnumSet<LogField> set = EnumSet.noneOf(LogField.class);
        if (t.isEmpty() || t.equalsIgnoreCase("none")) {
            return new LogOptions(set);
        }
        for (String raw : t.split("[,\\s]+")) {
            String word = raw.trim();
            if (word.isEmpty()) {
                continue;
            }
            String value = "1";
            int eq = word.indexOf('=');
            if (eq >= 0) {
                value = word.substring(eq + 1);
                word = word.substring(0, eq);
            }
            String key = word.toLowerCase(Locale.ROOT);
            if (key.startsWith("log_")) {
                key = key.substring(4);
            }
            if (key.equals("connection") && !value.equals("1")) {
                // LOG_CONNECTION is a bit mask: bit 0 source system, bit 5 transport, bit 6 application.
                int bits = parseBits(raw, value);
                if ((bits & 1) != 0) {
                    set.add(LogField.CONNECTION);
                }
                if ((bits & 32) != 0) {
                    set.add(LogField.TRANSPORT);
                }
                if ((bits & 64) != 0) {
                    set.add(LogField.APPLICATION);
                }
                continue;
            }
            if (value.equals("0")) {
                continue;
            }
            LogField field = byKey(key);
            if (field == null) {
                throw new IllegalArgumentException("unknown log option '" + raw + "'; known: auto, none, "
                        + EnumSet.allOf(LogField.class).stream().map(LogField::key).collect(Collectors.joining(", ")));
            }
            set.add(field);
            if (field == LogField.INTERMEDIATE && (parseBits(raw, value) & 1) != 0 && eq >= 0) {
                set.add(LogField.INITIAL);
            }
        }
        return new LogOptions(set);
    }

    private static int parseBits(String raw, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("log option '" + raw + "' needs a number");
        }
    }

    private static LogField byKey(String key) {
        for (LogField f : LogField.values()) {
            if (f.key().equals(key)) {
                return f;
            }
        }
        return switch (key) {
            case "envid", "envelopeid" -> LogField.ENVELOPE_ID;
            case "messageid", "msgid" -> LogField.MESSAGE_ID;
            case "queuetime" -> LogField.QUEUE_TIME;
            case "source_system", "sourcesystem" -> LogField.CONNECTION;
            default -> null;
        };
    }

    public boolean isAuto() {
        return fields == null;
    }

    public boolean has(LogField field) {
        return fields != null && fields.contains(field);
    }

    public Set<LogField> fields() {
        return fields == null ? Set.of() : EnumSet.copyOf(fields.isEmpty() ? EnumSet.noneOf(LogField.class) : fields);
    }

    @Override
    public String toString() {
        if (fields == null) {
            return "auto";
        }
        return fields.isEmpty() ? "none" : fields.stream().map(LogField::key).collect(Collectors.joining(","));
    }
}
