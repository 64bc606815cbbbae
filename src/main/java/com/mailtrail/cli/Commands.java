package com.mailtrail.cli;

import com.mailtrail.generate.GenerateCommand;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;

/** The command-line tools that run without the web server: {@code convert} and {@code generate}. */
public final class Commands {

    private static final Map<String, Function<String[], Integer>> COMMANDS = Map.of(
            "convert", ConvertCommand::run,
            "generate", GenerateCommand::run);

    private Commands() {
    }

    public static boolean isCommand(String[] args) {
        return args.length > 0 && (COMMANDS.containsKey(args[0]) || args[0].equals("help"));
    }

    public static int run(String[] args) {
        if (args[0].equals("help")) {
            usage(System.out);
            return 0;
        }
        return COMMANDS.get(args[0]).apply(Arrays.copyOfRange(args, 1, args.length));
    }

    static void usage(PrintStream out) {
        out.println("""
                usage:
                  java -jar mailtrail.jar                       start the web application (port 8080)
                  java -jar mailtrail.jar convert [--options=auto|LIST] FILE...
                                                                print every entry as JSON Lines; FILE may be .gz or -
                  java -jar mailtrail.jar generate --messages N --seed S [--options LIST] [--format 1|4]
                                                                write a realistic day of MTA log to standard output""");
    }
}
