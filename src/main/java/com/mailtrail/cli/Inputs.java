package com.mailtrail.cli;

import com.mailtrail.parse.LogInput;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a log file for the command-line tools: a path, {@code -} for standard input, gzip recognised by content. */
final class Inputs {

    private Inputs() {
    }

    static InputStream open(String name, InputStream stdin) throws IOException {
        return LogInput.decompressing(name.equals("-") ? stdin : Files.newInputStream(Path.of(name)));
    }
}
