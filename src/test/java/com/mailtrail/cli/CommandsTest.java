package com.mailtrail.cli;

import com.mailtrail.MailtrailApplication;
import com.mailtrail.ingest.ImportCommand;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code java -jar mailtrail.jar WORD ...} does before any server or database is started. */
class CommandsTest {

    record Result(int status, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Commands.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void usageNamesEveryCommandWithTheOptionsItTakes() {
        for (String help : new String[]{"help", "--help", "-h"}) {
            assertThat(Commands.isCommand(new String[]{help})).as(help).isTrue();
            Result r = run(help);
            assertThat(r.status()).as(help).isZero();
            assertThat(r.out()).as(help)
                    .contains("java -jar mailtrail.jar import [--options=auto|LIST] [--progress=SECONDS] "
                            + "[--name=NAME] [--spring.profiles.active=postgres] FILE... (- for standard input)")
                    .contains("java -jar mailtrail.jar convert [--options=auto|LIST] FILE...")
                    .contains("java -jar mailtrail.jar generate --messages N --seed S [--options LIST] "
                            + "[--format 1|2|4] [--day YYYY-MM-DD] [--entries N]");
        }
    }

    /** Help used to show an older import line, without --name= and -, beside the one import itself printed. */
    @Test
    void helpShowsTheImportLineThatImportItselfPrints() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        int status;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            status = ImportCommand.run(MailtrailApplication.class, new String[0]); // refused before any start
        } finally {
            System.setErr(stderr);
        }
        String importUsage = err.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("usage: ")).findFirst().orElseThrow().substring("usage: ".length());

        assertThat(status).isEqualTo(2);
        assertThat(importUsage).contains("[--name=NAME]", "(- for standard input)");
        assertThat(run("help").out()).contains("  " + importUsage + "\n");
    }

    @Test
    void aMisspelledCommandIsRefusedRatherThanStartingTheServer() {
        assertThat(Commands.isCommand(new String[]{"imprt", "mail.log"})).isTrue();
        Result r = run("imprt", "mail.log");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("mailtrail: unknown command imprt; the commands are import, convert and "
                + "generate, and without one the web server starts (its options are Spring properties, as "
                + "--server.port=8081)\nusage:");
    }

    @Test
    void theServerAndImportAreLeftToTheApplication() {
        assertThat(Commands.isCommand(new String[]{})).isFalse();
        assertThat(Commands.isCommand(new String[]{"--server.port=18080"})).isFalse();
        assertThat(Commands.isCommand(new String[]{"--mailtrail.tail.paths=/var/log/mta", "--debug"})).isFalse();
        assertThat(Commands.isCommand(new String[]{"import", "mail.log"})).isFalse();
    }
}
