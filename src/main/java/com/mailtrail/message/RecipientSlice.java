package com.mailtrail.message;

/**
 * Which of a message's recipients to read: a page of them, perhaps of one status only. A message to a large list has
 * thousands of recipients (a list of 20,000 made a message page of 49 MB), so its page shows them a page at a time.
 *
 * @param page   0-based
 * @param size   recipients per page; 0 for all of them
 * @param status  only the recipients with this status (or waiting: deferred or queued, as the search has it), or null
 *                for all
 * @param address only the recipients whose original or active address it matches, as the search's recipient
 *                does (exact, prefix*, @domain), or null for all: the one an administrator searched for among a list's
 */
public record RecipientSlice(int page, int size, String status, AddressMatch address) {

    public RecipientSlice(int page, int size, String status) {
        this(page, size, status, null);
    }

    /** Every recipient: what {@code GET /api/messages/{id}} answers without paging parameters. */
    public static final RecipientSlice ALL = new RecipientSlice(0, 0, null);

    /** Recipients on one message page. */
    public static final int PAGE_SIZE = 100;

    /** The largest page the API gives. */
    static final int MAX_SIZE = 1000;

    /**
     * From request parameters; 400 (InvalidParameterException) for a value out of range.
     *
     * @param defaultSize the page size when none is given (0: all)
     */
    static RecipientSlice of(String page, String size, String status, String recipient, int defaultSize) {
        return of("recipientPage", page, size, "recipientStatus", status, "recipient", recipient, defaultSize);
    }

    /** From the message page's own parameters, rpage, rstatus and raddr, which its errors name. */
    static RecipientSlice ofPage(String rpage, String rstatus, String raddr) {
        return of("rpage", rpage, null, "rstatus", rstatus, "raddr", raddr, PAGE_SIZE);
    }

    private static RecipientSlice of(String pageName, String page, String size, String statusName, String status,
                                     String addressName, String address, int defaultSize) {
        int p = SearchForm.given(page)
                ? SearchForm.number(pageName, page, 0, Integer.MAX_VALUE, "a whole number from 0") : 0;
        int s = SearchForm.given(size)
                ? SearchForm.number("recipientSize", size, 1, MAX_SIZE, "a whole number from 1 to " + MAX_SIZE)
                : defaultSize;
        boolean waiting = SearchForm.given(status) && status.strip().equalsIgnoreCase(SearchForm.WAITING);
        return new RecipientSlice(p, s, waiting ? SearchForm.WAITING : SearchForm.status(statusName, status),
                SearchForm.given(address) ? AddressMatch.parse(addressName, address) : null);
    }

    /** The recipient statuses asked for: the status, or deferred and queued for waiting; null for all. */
    java.util.List<String> statuses() {
        if (status == null) {
            return null;
        }
        return status.equals(SearchForm.WAITING) ? java.util.List.of("deferred", "queued") : java.util.List.of(status);
    }

    /** Whether only some of the message's recipients are asked for, by status or address. */
    boolean filtered() {
        return status != null || address != null;
    }

    boolean paged() {
        return size > 0;
    }
}
