package com.mailtrail.generate;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class GenerateCommandTest {

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = GenerateCommand.run(args, out, new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "--messages",
            "--messages 10",
            "--seed 1",
            "--messages ten --seed 1",
            "--messages -5 --seed 1",
            "--messages 0 --seed 1",
            "--messages 10 --seed 1 --format 3",
            "--messages 10 --seed 1 --format 7",
            "--messages 10 --seed 1 --options filename,colour",
            "--messages 10 --seed 1 --day 2026-13-01",
            "--messages 10 --seed 1 --entries 0",
            "--messages 10 --seed 1 --messages 11",
            "--messages 10 --seed 1 --verbose yes",
            "--messages 10 --seed 1 stray",
    })
    void badArgumentsReturnTwoWithAUsageMessage(String line) {
        Result r = run(line.isEmpty() ? new String[0] : line.split(" "));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("generate: ").contains("usage: generate");
    }

    @Test
    void bothArgumentFormsGiveTheSameLog() {
        Result spaced = run("--messages", "200", "--seed", "9", "--format", "2", "--options", "filename,message_id",
                "--day", "2026-04-01");
        Result joined = run("--messages=200", "--seed=9", "--format=2", "--options=filename,message_id",
                "--day=2026-04-01");
        assertThat(spaced.code()).isZero();
        assertThat(spaced.err()).isEmpty();
        assertThat(spaced.out()).startsWith("01-Apr-2026 ").isEqualTo(joined.out());
    }

    @Test
    void entriesStopsAtExactlyThatManyLines() {
        Result r = run("--entries", "777", "--seed", "3", "--format", "4");
        assertThat(r.code()).isZero();
        assertThat(r.out().split("\n")).hasSize(777).allMatch(l -> l.startsWith("<en ") || l.startsWith("<co "));
    }

    @Test
    void helpPrintsUsage() {
        Result r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("usage: generate");
    }
}
