package com.mailtrail.generate;

import com.mailtrail.parse.LogOptions;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code generate --messages N --seed S [--options LIST] [--format 1|2|4] [--day YYYY-MM-DD] [--entries N]}:
 * writes a generated MTA log to standard output.
 */
public final class GenerateCommand {

    static final String USAGE = """
            usage: generate --messages N --seed S [--options LIST] [--format 1|2|4] [--day YYYY-MM-DD] [--entries N]
              --messages N   messages per day (may be left out when --entries is given)
              --seed S       the same seed gives the same log, byte for byte
              --options LIST optional fields, as for convert: auto (the default set), none, or a list such as
                             filename,message_id,process,connection,transport,application
              --format F     LOG_FORMAT: 1 classic (default), 2 empty address as <>, 4 XML
              --day D        the day the log starts on (default %s)
              --entries N    stop after exactly N lines, going on into the next days if needed
            """.formatted(GeneratorConfig.DEFAULT_DAY);

    private static final Set<String> NAMES = Set.of("messages", "seed", "options", "format", "day", "entries");

    private GenerateCommand() {
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, OutputStream stdout, PrintStream stderr) {
        GeneratorConfig config;
        try {
            config = parse(args);
        } catch (IllegalArgumentException e) {
            stderr.println("generate: " + e.getMessage());
            stderr.print(USAGE);
            return 2;
        }
        if (config == null) {
            new PrintStream(stdout, true, StandardCharsets.UTF_8).print(USAGE);
            return 0;
        }
        try {
            Writer out = new BufferedWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), 1 << 16);
            new LogGenerator(config).generate(out, null);
            out.flush();
            return 0;
        } catch (IOException e) {
            stderr.println("generate: cannot write: " + e.getMessage());
            return 1;
        }
    }

    /** The config the arguments ask for; null for --help. */
    static GeneratorConfig parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return null;
            }
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
            if (values.put(name, value) != null) {
                throw new IllegalArgumentException("--" + name + " given twice");
            }
        }
        if (!values.containsKey("seed")) {
            throw new IllegalArgumentException("--seed is required");
        }
        if (!values.containsKey("messages") && !values.containsKey("entries")) {
            throw new IllegalArgumentException("--messages is required (or --entries)");
        }
        int messages = (int) number(values, "messages", 0, Integer.MAX_VALUE, 0);
        long seed = number(values, "seed", Long.MIN_VALUE, Long.MAX_VALUE, 0);
        int format = (int) number(values, "format", 1, 4, 1);
        long entries = number(values, "entries", 1, Long.MAX_VALUE, 0);
        if (format == 3) {
            throw new IllegalArgumentException("--format must be 1, 2 or 4 (3, counted, is not generated)");
        }
        if (messages == 0 && entries == 0) {
            throw new IllegalArgumentException("--messages must be at least 1");
        }
        LogOptions options = LogOptions.auto();
        if (values.containsKey("options")) {
            options = LogOptions.parse(values.get("options"));
        }
        LocalDate day = GeneratorConfig.DEFAULT_DAY;
        if (values.containsKey("day")) {
            try {
                day = LocalDate.parse(values.get("day"));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--day must be YYYY-MM-DD, not '" + values.get("day") + "'");
            }
        }
        return new GeneratorConfig(messages, seed, options, format, day, entries);
    }

    private static long number(Map<String, String> values, String name, long min, long max, long otherwise) {
        String text = values.get(name);
        if (text == null) {
            return otherwise;
        }
        long v;
        try {
            v = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, not '" + text + "'");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException("--" + name + " must be between " + min + " and " + max + ": " + v);
        }
        return v;
    }
}
