package com.mailtrail.cli;

import com.mailtrail.parse.Entry;
import com.mailtrail.parse.EntryJson;
import com.mailtrail.parse.JsonBuffer;
import com.mailtrail.parse.LogInput;
import com.mailtrail.parse.LogOptions;
import com.mailtrail.parse.LogReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * {@code convert [--options=auto|LIST] FILE...}: every entry as one JSON object per line on standard output, every
 * rejected line as {@code file:line: reason} on standard error. No web server, no database.
 */
final class ConvertCommand {

    private ConvertCommand() {
    }

    static int run(String[] args) {
        return run(args, System.in, System.out, System.err);
    }

    static int run(String[] args, InputStream stdin, PrintStream stdout, PrintStream stderr) {
        LogOptions options = LogOptions.auto();
        List<String> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--options=")) {
                a = a.substring("--options=".length());
            } else if (a.equals("--options") && i + 1 < args.length) {
                a = args[++i];
            } else if (a.startsWith("--") && !a.equals("--")) {
                stderr.println("convert: unknown option " + a);
                Commands.usage(stderr);
                return 2;
            } else {
                files.add(a);
                continue;
            }
            try {
                options = LogOptions.parse(a);
            } catch (IllegalArgumentException e) {
                stderr.println("convert: " + e.getMessage());
                return 2;
            }
        }
        if (files.isEmpty()) {
            stderr.println("convert: name at least one log file (or - for standard input)");
            Commands.usage(stderr);
            return 2;
        }
        int status = 0;
        for (String file : files) {
            try (InputStream in = Inputs.open(file, stdin)) {
                JsonWriter writer = new JsonWriter(file, stdout, stderr);
                try {
                    new LogReader(options).read(in, writer);
                } finally {
                    writer.finish();
                }
            } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
                stderr.println("convert: " + file + ": no such file");
                status = 1;
            } catch (IOException e) {
                stderr.println("convert: " + file + ": " + LogInput.reason(e));
                status = 1;
            }
        }
        stdout.flush();
        return status;
    }

    /**
     * Turns entries into JSON Lines on a second thread, so that reading and parsing (this thread) and encoding and
     * writing overlap: on two cores that is most of convert's speed. Rejections travel in the same batches, so
     * standard output and standard error keep file order.
     */
    private static final class JsonWriter implements LogReader.Sink {
        private static final int BATCH = 2048;
        private static final List<Object> END = List.of();

        private final String file;
        private final OutputStream out;
        private final PrintStream err;
        private final BlockingQueue<List<Object>> queue = new ArrayBlockingQueue<>(8);
        private final Thread thread;
        private List<Object> batch = new ArrayList<>(BATCH);
        private volatile IOException error;

        JsonWriter(String file, OutputStream out, PrintStream err) {
            this.file = file;
            this.out = out;
            this.err = err;
            this.thread = new Thread(this::drain, "convert-json");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void entry(Entry entry) {
            add(entry);
        }

        @Override
        public void rejected(LogReader.Rejection rejection) {
            add(rejection);
        }

        private void add(Object item) {
            batch.add(item);
            if (batch.size() >= BATCH) {
                hand(batch);
                batch = new ArrayList<>(BATCH);
            }
        }

        private void hand(List<Object> items) {
            try {
                queue.put(items);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }

        /** Hands over the last batch, waits for the writer and reports its error, if any. */
        void finish() throws IOException {
            hand(batch);
            hand(END);
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (error != null) {
                throw error;
            }
        }

        private void drain() {
            JsonBuffer json = new JsonBuffer();
            try {
                while (true) {
                    List<Object> items = queue.take();
                    if (items == END) {
                        break;
                    }
                    if (error != null) {
                        continue; // keep taking so the reader never blocks on a dead writer
                    }
                    write(items, json);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void write(List<Object> items, JsonBuffer json) {
            try {
                for (Object item : items) {
                    if (item instanceof Entry entry) {
                        EntryJson.write(json, file, entry);
                        json.raw('\n');
                        if (json.length() >= 1 << 16) {
                            json.writeTo(out);
                        }
                    } else {
                        LogReader.Rejection r = (LogReader.Rejection) item;
                        json.writeTo(out);
                        out.flush(); // stdout and stderr in file order when both go to one terminal
                        err.println(file + ":" + r.line() + ": " + r.reason());
                    }
                }
                json.writeTo(out);
            } catch (IOException e) {
                error = new IOException("cannot write: " + e.getMessage(), e);
            }
        }
    }
}
