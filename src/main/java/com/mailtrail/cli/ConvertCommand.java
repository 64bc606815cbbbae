package com.mailtrail.cli;

final class ConvertCommand {
    private ConvertCommand() {
    }

    static int run(String[] args) {
        throw new UnsupportedOperationException("in progress");
    }
}
