package com.mailtrail.message;

import com.mailtrail.system.SearchLinks;
import org.springframework.stereotype.Service;
import org.springframework.web.util.UriComponentsBuilder;

import java.util.List;
import java.util.Map;

/**
 * What the search page shows. The header's quick search takes a message id or an address: an exact Message-ID goes
 * straight to its message (of ids that differ only in case, the one in the case typed); otherwise it searches
 * recipients, then senders.
 */
@Service
class MessageSearchPage {

    /**
     * {@code focus}: what a row's link to its message adds, the search's conditions on recipients that the message
     * page can show its recipients by ("?raddr=...&rstatus=...", or ""). {@code matching}: how many of each row's
     * recipients meet the search's conditions on recipients, by message id (empty when it has none).
     */
    record View(SearchForm form, PageResult<MessageSummary> result, String error, String note, String redirect,
                String pageUrl, String csvUrl, String focus, Map<Long, Long> matching) {

        View(SearchForm form, PageResult<MessageSummary> result, String error, String note, String redirect,
             String pageUrl, String csvUrl) {
            this(form, result, error, note, redirect, pageUrl, csvUrl, "", Map.of());
        }

        /** A row's link: its message, on the recipients the search matched where the page can tell them. */
        public String messageUrl(MessageSummary m) {
            return "/messages/" + m.id() + focus;
        }

        /** How many of a row's recipients matched, or null when all of them did (or the search has no such test). */
        public Long matched(MessageSummary m) {
            Long n = matching.get(m.id());
            return n == null || n == m.recipients() ? null : n;
        }
    }

    private final MessageQueries queries;

    MessageSearchPage(MessageQueries queries) {
        this.queries = queries;
    }

    View view(SearchForm form, String q) {
        if (q != null && !q.isBlank()) {
            return quick(q.strip());
        }
        if (isEmpty(form)) {
            return new View(form, null, null, null, null, null, null);
        }
        try {
            MessageCriteria c = form.toCriteria();
            return found(form, c, queries.search(c), null);
        } catch (InvalidParameterException e) {
            return new View(form, null, e.getMessage(), null, null, null, null);
        }
    }

    /** What the quick search found nothing for: the one wording, whatever the term was taken for. */
    static final String NOTHING_FOUND = "Nothing found for this Message-ID or address";

    private View quick(String q) {
        SearchForm byId = SearchForm.messageIdOnly(q);
        PageResult<MessageSummary> ids = queries.search(byId.toCriteria());
        if (ids.total() == 1) {
            return new View(byId, ids, null, null, "/messages/" + ids.items().get(0).id(), null, null);
        }
        if (ids.total() > 1) {
            // Case-twins (<Twin@x> and <twin@x> are two messages to the MTA): the one typed in its own case is meant;
            // listed only when no single one is
            List<Long> exact = queries.inTheirCase(byId.toCriteria().messageIds(), 2);
            if (exact.size() == 1) {
                return new View(byId, ids, null, null, "/messages/" + exact.get(0), null, null);
            }
            return new View(byId, ids, null, "Messages with this Message-ID", null, url(byId, "/search"),
                    url(byId, "/search.csv"));
        }
        AddressMatch match;
        try {
            match = AddressMatch.parse("q", q);
        } catch (InvalidParameterException e) {
            // "@" or "*" alone: no address, and no Message-ID found either
            return new View(byId, ids, null, NOTHING_FOUND, null, null, null);
        }
        SearchForm byRecipient = SearchForm.recipientOnly(q);
        MessageCriteria toRecipient = byRecipient.toCriteria();
        PageResult<MessageSummary> r = queries.search(toRecipient);
        if (r.total() > 0) {
            return found(byRecipient, toRecipient, r, "Messages to " + matched(match));
        }
        SearchForm bySender = SearchForm.senderOnly(q);
        PageResult<MessageSummary> s = queries.search(bySender.toCriteria());
        return new View(bySender, s, null, s.total() > 0 ? "Messages from " + matched(match) : NOTHING_FOUND, null,
                url(bySender, "/search"), url(bySender, "/search.csv"));
    }

    /** A page of results, each row linked to the recipients that matched and saying how many did. */
    private View found(SearchForm form, MessageCriteria c, PageResult<MessageSummary> result, String note) {
        Map<Long, Long> matching = queries.matchingRecipients(c,
                result.items().stream().map(MessageSummary::id).toList());
        return new View(form, result, null, note, null, url(form, "/search"), url(form, "/search.csv"), focus(c),
                matching);
    }

    /**
     * The conditions on recipients the message page can show by: the address (raddr, in the form the search took it)
     * and the status (rstatus, waiting too: a Queue page's search). The others (channel, category, outcome...) it
     * cannot express; the row's "N of M" still counts them.
     */
    static String focus(MessageCriteria c) {
        UriComponentsBuilder b = UriComponentsBuilder.fromPath("");
        if (c.recipient() != null) {
            b.queryParam("raddr", c.recipient().term());
        }
        if (c.status() != null) {
            b.queryParam("rstatus", c.status());
        }
        return SearchLinks.of(b);
    }

    /** What a term matched, as a heading says it: {@code bob*} is not "this address". */
    private static String matched(AddressMatch match) {
        return switch (match.kind()) {
            case EXACT -> "this address";
            case PREFIX -> "addresses starting with this";
            case DOMAIN -> "addresses in this domain";
        };
    }

    private static boolean isEmpty(SearchForm f) {
        return blank(f.messageId()) && blank(f.recipient()) && blank(f.sender()) && blank(f.from()) && blank(f.to())
                && blank(f.status()) && blank(f.channel()) && blank(f.category()) && blank(f.page())
                && blank(f.source()) && blank(f.attempts()) && blank(f.delay()) && blank(f.outcome())
                && blank(f.eventFrom()) && blank(f.eventTo()) && blank(f.deliveredTo()) && blank(f.enqueuedFrom())
                && blank(f.enqueuedTo()) && blank(f.remote()) && blank(f.client());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** The same search as a URL, without the page number (the pager adds it). */
    static String url(SearchForm f, String path) {
        UriComponentsBuilder b = UriComponentsBuilder.fromPath(path);
        add(b, "messageId", f.messageId());
        add(b, "recipient", f.recipient());
        add(b, "deliveredTo", f.deliveredTo());
        add(b, "sender", f.sender());
        add(b, "from", f.from());
        add(b, "to", f.to());
        add(b, "status", f.status());
        add(b, "channel", f.channel());
        add(b, "category", f.category());
        add(b, "size", f.size());
        add(b, "sort", f.sort());
        add(b, "source", f.source());
        add(b, "attempts", f.attempts());
        add(b, "delay", f.delay());
        add(b, "outcome", f.outcome());
        add(b, "eventFrom", f.eventFrom());
        add(b, "eventTo", f.eventTo());
        add(b, "enqueuedFrom", f.enqueuedFrom());
        add(b, "enqueuedTo", f.enqueuedTo());
        add(b, "remote", f.remote());
        add(b, "client", f.client());
        return SearchLinks.of(b);
    }

    private static void add(UriComponentsBuilder b, String name, String value) {
        if (!blank(value)) {
            b.queryParam(name, value.strip());
        }
    }
}
