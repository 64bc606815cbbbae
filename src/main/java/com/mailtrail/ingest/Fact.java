package com.mailtrail.ingest;

import java.time.LocalDateTime;
import java.util.Objects;

/**
 * One message entry as correlation sees it: what it says about a recipient, where it came from and, once stored,
 * which row holds it. Facts are what a message's state is recomputed from, so that the result does not depend on
 * the order in which files or lines arrive.
 *
 * @param fileId    the log file the entry was read from
 * @param line      its line number there; (fileId, line) identifies the fact
 * @param attemptId the attempt row holding it, or 0 when it is not (yet) stored as an attempt row
 * @param shift     seconds to add to its logged time to put it in order with entries of other hours: not 0 only in
 *                  and after the hour that repeats when the MTA's clocks go back (see ClockSteps)
 */
record Fact(
        LocalDateTime time,
        long fileId,
        long line,
        String code,
        String channel,
        String destination,
        String recipient,
        String originalRecipient,
        String sender,
        long size,
        String queueFile,
        Integer queueAttempts,
        String processId,
        String sourceSystem,
        String diagnostic,
        String category,
        Boolean permanent,
        String remoteHost,
        String remoteIp,
        Integer smtpCode,
        long attemptId,
        int shift) {

    char action() {
        return code.charAt(0);
    }

    boolean isEnqueue() {
        return action() == 'E';
    }

    Fact withAttemptId(long id) {
        return new Fact(time, fileId, line, code, channel, destination, recipient, originalRecipient, sender, size,
                queueFile, queueAttempts, processId, sourceSystem, diagnostic, category, permanent, remoteHost,
                remoteIp, smtpCode, id, shift);
    }

    /** Its time on the line that orders facts: the logged time, moved by its shift. */
    LocalDateTime orderTime() {
        return shift == 0 ? time : time.plusSeconds(shift);
    }

    /** From {@code from} to {@code to} as it happened (in order time), in seconds. */
    static long secondsBetween(Fact from, Fact to) {
        return java.time.Duration.between(from.orderTime(), to.orderTime()).getSeconds();
    }

    /**
     * Time order (in order time: the second pass of a repeated hour after the first), then file and line order for
     * entries logged in the same hundredth of a second.
     */
    static int compare(Fact a, Fact b) {
        int c = a.shift == b.shift ? a.time.compareTo(b.time) : a.orderTime().compareTo(b.orderTime());
        if (c != 0) {
            return c;
        }
        c = Long.compare(a.fileId, b.fileId);
        return c != 0 ? c : Long.compare(a.line, b.line);
    }

    boolean sameEntry(Fact other) {
        return fileId == other.fileId && line == other.line;
    }

    /**
     * Whether both say the same of the same event, wherever they were read: down to the hundredth of a second, the
     * queue file and its attempt number, the process and the diagnostic, two different lines do not.
     */
    boolean sameEvent(Fact other) {
        return time.equals(other.time) && code.equals(other.code) && channel.equals(other.channel)
                && recipient.equals(other.recipient) && Objects.equals(queueFile, other.queueFile)
                && Objects.equals(queueAttempts, other.queueAttempts) && Objects.equals(processId, other.processId)
                && Objects.equals(diagnostic, other.diagnostic);
    }
}
