package com.mailtrail.parse;

/** TEMPORARY until the diag branch lands. */
public final class DiagnosticParser {
    private DiagnosticParser() {
    }

    public static Diagnostic parse(String text, char action) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        return new Diagnostic(text, null, null, null, null, null, null, null, null);
    }
}
