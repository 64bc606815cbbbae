package com.mailtrail.cli;

import com.mailtrail.parse.EntryJson;
import com.mailtrail.parse.JsonBuffer;
import com.mailtrail.parse.LogOptions;
import com.mailtrail.parse.LogReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

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
        OutputStream out = stdout;
        int status = 0;
        long rejected = 0;
        try {
            for (String file : files) {
                try (InputStream in = Inputs.open(file, stdin)) {
                    JsonSink sink = new JsonSink(file, out, stderr);
                    LogReader.Summary summary = new LogReader(options).read(in, sink);
                    sink.flush();
                    if (sink.error != null) {
                        throw sink.error;
                    }
                    rejected += summary.rejected();
                } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
                    stderr.println("convert: " + file + ": no such file");
                    status = 1;
                } catch (IOException e) {
                    out.flush();
                    stderr.println("convert: " + file + ": " + e.getMessage());
                    status = 1;
                }
            }
            out.flush();
        } catch (IOException e) {
            stderr.println("convert: cannot write: " + e.getMessage());
            return 1;
        }
        return status != 0 ? status : 0;
    }

    /** Writes entries as JSON Lines; an I/O error is kept and rethrown after the reader returns. */
    private static final class JsonSink implements LogReader.Sink {
        private final String file;
        private final OutputStream out;
        private final PrintStream err;
        private final JsonBuffer json = new JsonBuffer();
        IOException error;

        JsonSink(String file, OutputStream out, PrintStream err) {
            this.file = file;
            this.out = out;
            this.err = err;
        }

        @Override
        public void entry(com.mailtrail.parse.Entry entry) {
            if (error != null) {
                return;
            }
            EntryJson.write(json, file, entry);
            json.raw('\n');
            if (json.length() >= 1 << 16) {
                flush();
            }
        }

        /** Writes what is buffered; called when the buffer is full and at the end of the file. */
        void flush() {
            try {
                json.writeTo(out);
            } catch (IOException e) {
                error = e;
            }
        }

        @Override
        public void rejected(LogReader.Rejection r) {
            flush(); // keep stdout and stderr in file order when both go to one terminal
            err.println(file + ":" + r.line() + ": " + r.reason());
        }
    }
}
