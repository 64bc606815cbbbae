package com.mailtrail.cli;

import com.mailtrail.generate.GenerateCommand;
import com.mailtrail.ingest.ImportCommand;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The command-line tools that run without the web server: {@code convert} and {@code generate}; also the usage, and
 * a word that names no command ({@code import} is run by the application, which needs the database).
 */
public final class Commands {

    private static final Map<String, Function<String[], Integer>> COMMANDS = Map.of(
            "convert", ConvertCommand::run,
            "generate", GenerateCommand::run);

    private Commands() {
    }

    private static final Set<String> HELP = Set.of("help", "--help", "-h");

    /**
     * Whether the arguments are for a tool here rather than for the server or {@code import}. A first argument that
     * is not an option and names no command is one: the server takes only options, so a misspelled command
     * ({@code imprt mail.log}) started it on port 8080 over the data directory, the file ignored.
     */
    public static boolean isCommand(String[] args) {
        return args.length > 0 && (COMMANDS.containsKey(args[0]) || HELP.contains(args[0])
                || !args[0].startsWith("-") && !args[0].equals("import"));
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (HELP.contains(args[0])) {
            usage(out);
            return 0;
        }
        Function<String[], Integer> command = COMMANDS.get(args[0]);
        if (command == null) {
            err.println("mailtrail: unknown command " + args[0] + "; the commands are import, convert and generate, "
                    + "and without one the web server starts (its options are Spring properties, as "
                    + "--server.port=8081)");
            usage(err);
            return 2;
        }
        return command.apply(Arrays.copyOfRange(args, 1, args.length));
    }

    static void usage(PrintStream out) {
        out.println("""
                usage:
                  java -jar mailtrail.jar                       start the web application (port 8080)
                  %s
                                                                load log files into the database (plain or .gz)
                  java -jar mailtrail.jar convert [--options=auto|LIST] FILE...
                                                                print every entry as JSON Lines; FILE may be .gz or -
                  java -jar mailtrail.jar generate --messages N --seed S [--options LIST] [--format 1|2|4] \
                [--day YYYY-MM-DD] [--entries N]
                                                                write a realistic day of MTA log to standard output"""
                .formatted(ImportCommand.SYNOPSIS));
    }
}
