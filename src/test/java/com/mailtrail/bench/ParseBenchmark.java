package com.mailtrail.bench;

import com.mailtrail.cli.Commands;
import com.mailtrail.parse.Entry;
import com.mailtrail.parse.LogOptions;
import com.mailtrail.parse.LogReader;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Parser benchmark (not a test): {@code ./mvnw -Pbench verify} or
 * {@code java -cp ... com.mailtrail.bench.ParseBenchmark [ENTRIES|FILE]}.
 * Generates a log of ENTRIES entries (default 1,000,000) with the project's generator unless a file is named,
 * then prints, for the same file in the same JVM: plain line reading (BufferedReader.readLine), parsing on one
 * thread, and convert to JSON Lines end to end.
 */
public final class ParseBenchmark {

    private static final int ROUNDS = 5;

    private ParseBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        String arg = args.length > 0 ? args[0] : "1000000";
        Path file = arg.chars().allMatch(Character::isDigit) ? BenchData.generated(Integer.parseInt(arg)) : Path.of(arg);
        long size = Files.size(file);
        System.out.printf("file: %s (%.1f MB)%n", file, size / 1e6);

        double[] readRates = new double[ROUNDS];
        double[] parseRates = new double[ROUNDS];
        long entries = 0;
        long lines = 0;
        for (int round = 0; round < ROUNDS + 1; round++) {
            long t0 = System.nanoTime();
            lines = readLines(file);
            long t1 = System.nanoTime();
            entries = parse(file);
            long t2 = System.nanoTime();
            if (round > 0) { // the first round warms up the JIT
                readRates[round - 1] = lines / ((t1 - t0) / 1e9);
                parseRates[round - 1] = entries / ((t2 - t1) / 1e9);
            }
        }
        double read = median(readRates);
        double parse = median(parseRates);
        System.out.printf("plain line reading: %,.0f lines/s (%,d lines)%n", read, lines);
        System.out.printf("parsing (1 thread): %,.0f entries/s (%,d entries)%n", parse, entries);
        System.out.printf("parse / line reading: %.0f %%%n", 100 * parse / read);

        Path out = Files.createTempFile("mailtrail-bench", ".jsonl");
        double[] convertRates = new double[3];
        for (int round = 0; round < convertRates.length; round++) {
            PrintStream saved = System.out;
            long t0 = System.nanoTime();
            try (PrintStream json = new PrintStream(new FileOutputStream(out.toFile()), false)) {
                System.setOut(json);
                Commands.run(new String[]{"convert", file.toString()});
            } finally {
                System.setOut(saved);
            }
            convertRates[round] = entries / ((System.nanoTime() - t0) / 1e9);
        }
        System.out.printf("convert to JSON Lines (in process, to a file): %,.0f entries/s (%.1f MB of JSON)%n",
                median(convertRates), Files.size(out) / 1e6);
        Files.delete(out);
    }

    private static long readLines(Path file) throws IOException {
        long n = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            while (r.readLine() != null) {
                n++;
            }
        }
        return n;
    }

    private static long parse(Path file) throws IOException {
        long[] count = new long[1];
        try (InputStream in = Files.newInputStream(file)) {
            new LogReader(LogOptions.auto()).read(in, new LogReader.Sink() {
                @Override
                public void entry(Entry entry) {
                    count[0]++;
                }

                @Override
                public void rejected(LogReader.Rejection rejection) {
                    throw new IllegalStateException("benchmark data has a bad line " + rejection);
                }
            });
        }
        return count[0];
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
