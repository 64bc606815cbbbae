package com.mailtrail.message;

import com.mailtrail.system.SearchLinks;
import org.springframework.stereotype.Service;
import org.springframework.web.util.UriComponentsBuilder;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A message with the raw log line of each of its entries, read in one pass over the blocks that hold them. */
@Service
class MessagePage {

    /** At most this many raw lines on one page: a message to a large list can have thousands of entries. */
    static final int RAW_LINES = 400;

    /**
     * {@code asOf}: the newest time in the loaded logs, what a waiting recipient is aged against (null: none).
     * {@code namesQueueFiles}: whether the log named the message's queue files, of the whole message, on every page
     * of its recipients (MessageQueries).
     */
    record View(MessageDetail message, RecipientSlice slice, Map<String, String> raw, LocalDateTime asOf,
                boolean namesQueueFiles) {

        /**
         * How long a deferred or queued recipient has waited so far: from its enqueue (the message's first sighting
         * when the log gave none) up to the newest log line, as the Queue page ages it. Null for a recipient with a
         * final outcome, whose total delay is final, and when there is nothing to age against.
         */
        public Long waitingSeconds(MessageDetail.Recipient r) {
            if (asOf == null || !("deferred".equals(r.status()) || "queued".equals(r.status()))) {
                return null;
            }
            LocalDateTime since = r.enqueued() != null ? r.enqueued() : message.firstSeen();
            return since == null ? null : Math.max(0, Duration.between(since, asOf).getSeconds());
        }

        /** Whether a recipient shown is still waiting, so that the page explains its "waiting" figure. */
        public boolean anyWaiting() {
            return message.recipients().stream().anyMatch(r -> waitingSeconds(r) != null);
        }

        /** The pages of recipients: more than one when the message has more than a page of them. */
        public int pages() {
            return (int) ((message.recipientTotal() + slice.size() - 1) / slice.size());
        }

        /** The position of the first recipient shown, from 1. */
        public long first() {
            return (long) slice.page() * slice.size() + 1;
        }

        /** The position of the last recipient shown. */
        public long last() {
            return first() + message.recipients().size() - 1;
        }

        /** All the message's recipients, whatever their status. */
        public long allRecipients() {
            return message.recipientStatuses().values().stream().mapToLong(Long::longValue).sum();
        }

        /** What the filters by status count: the recipients at the address asked for, else all of them. */
        public Map<String, Long> statuses() {
            return slice.address() == null ? message.recipientStatuses() : message.matchingStatuses();
        }

        /** The recipients the filters by status choose among: those at the address asked for, else all. */
        public long choosable() {
            return statuses().values().stream().mapToLong(Long::longValue).sum();
        }

        /** The recipients the page shows without its address: of its status, or all of them. */
        public long withoutAddress() {
            return slice.status() == null ? allRecipients() : slice.statuses().stream()
                    .mapToLong(status -> message.recipientStatuses().getOrDefault(status, 0L)).sum();
        }

        /** This page with another page of recipients and/or status (null: all), at the same address if any. */
        public String url(int page, String status) {
            return url(page, status, slice.address());
        }

        /** This page without its address: the removable filter's link, of the same status. */
        public String urlWithoutAddress() {
            return url(0, slice.status(), null);
        }

        /** The first page, the default, is left out; so are the filters not given. */
        private String url(int page, String status, AddressMatch address) {
            UriComponentsBuilder b = UriComponentsBuilder.fromPath("/messages/" + message.id());
            if (address != null) {
                b.queryParam("raddr", address.term());
            }
            if (status != null) {
                b.queryParam("rstatus", status);
            }
            if (page != 0) {
                b.queryParam("rpage", page);
            }
            return SearchLinks.of(b);
        }

        /** What the timeline draws: the recipients shown. */
        public String timelineUrl() {
            UriComponentsBuilder b = UriComponentsBuilder.fromPath("/api/messages/" + message.id())
                    .queryParam("recipientPage", slice.page()).queryParam("recipientSize", slice.size());
            if (slice.status() != null) {
                b.queryParam("recipientStatus", slice.status());
            }
            if (slice.address() != null) {
                b.queryParam("recipient", slice.address().term());
            }
            return SearchLinks.of(b);
        }

        /** The raw line of an entry, or null when it is not shown. */
        public String line(Long fileId, Long line) {
            return fileId == null || line == null ? null : raw.get(fileId + ":" + line);
        }
    }

    private final MessageQueries queries;
    private final LogFileQueries files;

    MessagePage(MessageQueries queries, LogFileQueries files) {
        this.queries = queries;
        this.files = files;
    }

    View view(long id, RecipientSlice slice) {
        MessageDetail m = queries.message(id, slice);
        List<long[]> wanted = new ArrayList<>();
        for (MessageDetail.Recipient r : m.recipients()) {
            for (MessageDetail.Leg l : r.legs()) {
                if (l.fileId() != null && l.line() != null && wanted.size() < RAW_LINES) {
                    wanted.add(new long[]{l.fileId(), l.line()});
                }
            }
            for (MessageDetail.Attempt a : r.attempts()) {
                if (a.fileId() != null && a.line() != null && wanted.size() < RAW_LINES) {
                    wanted.add(new long[]{a.fileId(), a.line()});
                }
            }
        }
        return new View(m, slice, files.lines(wanted), files.newestLogTime(),
                // only the grouping by sender, recipient and day says whether the log named queue files
                MessageDetail.BY_SENDER_RECIPIENT_AND_DAY.equals(m.grouping()) && queries.namesQueueFiles(id));
    }
}
