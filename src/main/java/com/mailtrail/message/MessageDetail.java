package com.mailtrail.message;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

/**
 * What happened to one message: its recipients, each with the legs it was enqueued on and every delivery attempt.
 *
 * @param approximate       true when the log had no Message-ID and entries were grouped otherwise
 * @param grouping          how its entries were grouped: {@value #BY_MESSAGE_ID}, {@value #BY_SENDER_RECIPIENT_AND_DAY}
 *                          (no Message-ID), or {@value #BY_QUEUE_FILE} (no Message-ID, stored by a release before
 *                          the one that grouped logs with queue file names by sender, recipient and day too)
 * @param originalMessageId for a notification (a bounce, a delay warning), the Message-ID it reports on
 * @param original          that message, when it is stored too
 * @param notifications     the messages that report on this one
 * @param files             the log files its entries were read from
 * @param recipientStatuses how many of its recipients have each status (those with none left out), most alarming
 *                          first
 * @param matchingStatuses  asked for the recipients at an address (RecipientSlice.address, the API's {@code recipient}):
 *                          how many of those have each status, as above; null (left out of the JSON) otherwise
 * @param recipientTotal    how many recipients the request asked for (a status, an address, both, or all) there are; {@code recipients}
 *                          holds them all, or one page of them (RecipientSlice)
 * @param bouncedWithoutNotification how many of all its recipients bounced with K (the sender asked not to be
 *                          notified, NOTIFY=NEVER): what the message page says under Notifications; not in the API
 */
public record MessageDetail(long id, String messageId, String sender, Long size, LocalDateTime firstSeen,
                            LocalDateTime lastSeen, String status, boolean approximate, String grouping,
                            String originalMessageId,
                            MessageRef original, List<Notification> notifications, List<LogFileRef> files,
                            Map<String, Long> recipientStatuses,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Long> matchingStatuses,
                            long recipientTotal, List<Recipient> recipients,
                            @JsonIgnore long bouncedWithoutNotification) {

    public static final String BY_MESSAGE_ID = "message-id";
    public static final String BY_SENDER_RECIPIENT_AND_DAY = "sender-recipient-day";
    public static final String BY_QUEUE_FILE = "queue-file-sender";

    public record MessageRef(long id, String messageId) {
    }

    /** A notification about this message, with its own status: whether it reached the sender ("delivered"). */
    public record Notification(long id, String messageId, LocalDateTime firstSeen, String status) {
    }

    public record LogFileRef(long id, String name) {
    }

    /**
     * One recipient of the message.
     *
     * @param recipient         the active address (after aliases and forwarding)
     * @param originalRecipient the address the sender gave, empty when the log did not say
     * @param attemptsCount     its delivery attempts: the outcomes logged for it (deliveries, deferrals, bounces),
     *                          not counting a relay channel's D that handed it on
     * @param delaySeconds      from its first enqueue to its final outcome
     * @param legs              its first enqueue and every later one (through conversion or another relay channel)
     * @param attempts          every outcome, in time order
     */
    public record Recipient(String recipient, String originalRecipient, String status, int deferrals,
                            int attemptsCount, LocalDateTime enqueued, LocalDateTime finalTime, Long delaySeconds,
                            List<Leg> legs, List<Attempt> attempts) {
    }

    /**
     * An enqueue: the message went from channel {@code from} into the queue of channel {@code to}. {@code clientHost}
     * and {@code clientIp}: the system it came from, as its line's connection information names it (the reverse-DNS
     * name, else the HELO name; the address), null when the line does not say.
     */
    public record Leg(LocalDateTime time, String from, String to, String queueFile, String file, Long fileId,
                      Long line, String clientHost, String clientIp) {
    }

    /**
     * An outcome of a delivery attempt.
     *
     * @param handOff       a relay channel's D that handed the recipient on (its hop through conversion, process...):
     *                      logged as delivered, it is no delivery attempt and not in {@code attemptsCount}; as stored
     *                      on its row when it was correlated (attempt.hand_off, recipient.last_hand_off)
     * @param handedOnTo    for a hand-off, the channel it was handed on to ("" when the enqueue did not name it)
     * @param queueAttempts the attempts before this one, as the queue file name tells (ZZ = 0, ZY = 1...)
     * @param file          the log file's name, {@code fileId} its id (for the raw line)
     * @param gapSeconds    since the previous attempt, or since the enqueue for the first one
     */
    public record Attempt(LocalDateTime time, String channel, String code, String outcome, boolean handOff,
                          String handedOnTo, Integer queueAttempts,
                          String diagnostic, String category, Boolean permanent, String remoteHost, String remoteIp,
                          Integer smtpCode, String file, Long fileId, Long line, Double gapSeconds) {
    }
}
