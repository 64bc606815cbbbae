package com.mailtrail.generate;

import java.time.LocalDateTime;

/**
 * What one generated line means: the values a correct parser must recover from it. A field is null when the line
 * does not carry it (its LOG_* option is off) or carries it empty, as in {@code com.mailtrail.parse.MessageEntry};
 * the exceptions are {@code sender} and {@code originalRecipient}, which are "" when empty (null return path,
 * {@code rfc822;} with no address).
 *
 * @param line                1-based line number in the generated text
 * @param kind                message or connection entry
 * @param time                time stamp, hundredths of a second
 * @param node                LOG_NODE host name
 * @param processId           LOG_PROCESS id, {@code pid.seq} or {@code pid.thread.seq} in hex
 * @param sourceChannel       source channel; for a connection entry, its channel
 * @param destinationChannel  destination channel; null when blank (D, Q, R, J, K, Z) and for connection entries
 * @param direction           {@code +} (inbound, our SMTP server) or {@code -} (outbound) for connection entries
 * @param code                entry type with modifiers: {@code EE}, {@code DE}, {@code Q}, {@code JE}, {@code O}...
 * @param size                size in kilobyte blocks; 0 for connection entries
 * @param sender              envelope From, "" for the null return path; null for connection entries
 * @param originalRecipient   original envelope To without {@code rfc822;}; null for connection entries
 * @param recipient           current envelope To
 * @param notaryFlags         LOG_NOTARY flags
 * @param queueFile           queue file path
 * @param envelopeId          DSN envelope id, with angle brackets
 * @param messageId           message id with angle brackets; for a notification, its own new id
 * @param originalMessageId   for a notification the MTA generated, the id of the message it reports on
 * @param username            enqueuing user ({@code mailsrv}, or the local user of the l channel)
 * @param sourceSystem        connection information: {@code helo (rdns [ip])} on enqueue, the remote host on dequeue
 * @param sensitivity         LOG_SENSITIVITY value
 * @param priority            LOG_PRIORITY value
 * @param intermediateAddress LOG_INTERMEDIATE address
 * @param initialAddress      initial address (bit 0 of LOG_INTERMEDIATE)
 * @param filter              Sieve filter actions
 * @param reason              LOG_REASON text
 * @param diagnostic          the diagnostic text as written
 * @param transport           {@code TCP|local-ip|local-port|remote-ip|remote-port}
 * @param application         {@code SMTP}, {@code SMTP/TLS-...}
 * @param queueTime           LOG_QUEUE_TIME seconds
 */
public record GeneratedEntry(
        long line,
        Kind kind,
        LocalDateTime time,
        String node,
        String processId,
        String sourceChannel,
        String destinationChannel,
        String direction,
        String code,
        long size,
        String sender,
        String originalRecipient,
        String recipient,
        Integer notaryFlags,
        String queueFile,
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
        String diagnostic,
        String transport,
        String application,
        Long queueTime) {

    public enum Kind { MESSAGE, CONNECTION }

    /** The action letter: E, D, Q, R, J, K, Z for messages; O, C for connections. */
    public char action() {
        return code.charAt(0);
    }
}
