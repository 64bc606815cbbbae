package com.mailtrail.parse;

/**
 * The diagnostic ("delivery status") text of an entry, taken apart. {@code text} is the whole diagnostic as
 * logged; the other parts are null when absent. {@code category} and {@code permanent} are set for failures
 * (Q, R, K, J, Z, W, B, V entries and any SMTP reply of 4xx/5xx), null for successes.
 */
public record Diagnostic(
        String text,
        String remoteHost,
        Transport transport,
        String banner,
        Integer smtpCode,
        String enhancedStatus,
        String reply,
        Category category,
        Boolean permanent) {
}
