package com.mailtrail.generate;

import com.mailtrail.parse.LogField;
import com.mailtrail.parse.LogOptions;

import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Set;

/**
 * What to generate.
 *
 * @param messages   messages (delivery scenarios) per day; 0 with {@code maxEntries} set means "as many as a day
 *                   of that many lines needs"
 * @param seed       the same config and seed give byte-identical output
 * @param options    the optional fields written; {@link LogOptions#auto()} or null means {@link #DEFAULT_FIELDS}
 * @param format     LOG_FORMAT: 1 (classic), 2 (empty address as {@code <>}) or 4 (one XML element per line)
 * @param day        the day the traffic starts on; null means {@link #DEFAULT_DAY}
 * @param maxEntries stop after exactly this many lines, going on into the following days if one day of
 *                   {@code messages} is not enough; 0 = unlimited (one day, plus retries that run past midnight)
 */
public record GeneratorConfig(int messages, long seed, LogOptions options, int format, LocalDate day,
                              long maxEntries) {

    /** The fields a site typically turns on to trace messages: queue file, message id, process and connection. */
    public static final Set<LogField> DEFAULT_FIELDS = Set.copyOf(EnumSet.of(LogField.PROCESS, LogField.FILENAME,
            LogField.MESSAGE_ID, LogField.CONNECTION, LogField.TRANSPORT, LogField.APPLICATION));

    public static final LocalDate DEFAULT_DAY = LocalDate.of(2026, 3, 2);

    public GeneratorConfig {
        if (messages < 0) {
            throw new IllegalArgumentException("messages must not be negative: " + messages);
        }
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must not be negative: " + maxEntries);
        }
        if (format != 1 && format != 2 && format != 4) {
            throw new IllegalArgumentException("format must be 1, 2 or 4: " + format);
        }
        if (options == null || options.isAuto()) {
            options = LogOptions.of(DEFAULT_FIELDS);
        }
        if (day == null) {
            day = DEFAULT_DAY;
        }
    }

    public GeneratorConfig(int messages, long seed, LogOptions options, int format, LocalDate day) {
        this(messages, seed, options, format, day, 0);
    }

    /** Format 1, the default fields, {@link #DEFAULT_DAY}. */
    public static GeneratorConfig of(int messages, long seed) {
        return new GeneratorConfig(messages, seed, null, 1, null, 0);
    }

    public GeneratorConfig withMaxEntries(long n) {
        return new GeneratorConfig(messages, seed, options, format, day, n);
    }

    public GeneratorConfig withFormat(int f) {
        return new GeneratorConfig(messages, seed, options, f, day, maxEntries);
    }

    public GeneratorConfig withOptions(LogOptions o) {
        return new GeneratorConfig(messages, seed, o, format, day, maxEntries);
    }
}
