package com.mailtrail.parse;

import java.time.LocalDateTime;

/**
 * An enqueue, dequeue, rejection or other message event. Optional fields are null when the site's LOG_* options
 * did not log them (or logged them empty). {@code sender} is "" for the null return path.
 */
public record MessageEntry(
        LocalDateTime time,
        long line,
        long offset,
        boolean truncated,
        String node,
        String processId,
        String sourceChannel,
        String destinationChannel,
        String code,
        long size,
        String sender,
        String originalRecipient,
        String recipient,
        Integer notaryFlags,
        QueueFile queueFile,
        String envelopeId,
        String messageId,
        String originalMessageId,
        String username,
        String sourceSystem,
        Integer sensitivity,
        Integer priority,
        String intermediateAddress,
        String initialAddress,
        String filter,
        String reason,
        Diagnostic diagnostic,
        Transport transport,
        String application,
        Long queueTime,
        String remoteMta) implements Entry {

    /** The action letter: E, D, Q, R, J, K, W, Z, B, V... */
    public char action() {
        return code.charAt(0);
    }

    /**
     * The remote host: the {@code dns;} name of the diagnostic, else the reverse-DNS (or HELO) name of the source
     * system.
     */
    public String remoteHost() {
        if (diagnostic != null && diagnostic.remoteHost() != null) {
            return diagnostic.remoteHost();
        }
        if (sourceSystem == null) {
            return null;
        }
        int open = sourceSystem.indexOf(" (");
        if (open < 0) {
            return sourceSystem.startsWith("[") ? null : sourceSystem;
        }
        int bracket = sourceSystem.indexOf(" [", open);
        if (bracket > open + 2) {
            return sourceSystem.substring(open + 2, bracket);
        }
        String helo = sourceSystem.substring(0, open);
        return helo.startsWith("[") ? null : helo;
    }

    /** The connection's two ends: the transport field, else the diagnostic's {@code (TCP|...)} part. */
    public Transport connection() {
        if (transport != null) {
            return transport;
        }
        return diagnostic == null ? null : diagnostic.transport();
    }

    /** The remote IP: from the transport, else from the source system's {@code [ip]}. */
    public String remoteIp() {
        Transport t = connection();
        if (t != null && t.remoteIp() != null) {
            return t.remoteIp();
        }
        if (sourceSystem == null) {
            return null;
        }
        int close = sourceSystem.lastIndexOf(']');
        int open = close < 0 ? -1 : sourceSystem.lastIndexOf('[', close);
        return open < 0 ? null : sourceSystem.substring(open + 1, close);
    }

    /** The modifier letters as written (E = ESMTP, C = CHUNKING, A = SASL, S = TLS...). */
    public String modifiers() {
        return code.substring(1);
    }
}
