package com.mailtrail.message;

import org.springframework.stereotype.Service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A message with the raw log line of each of its entries, read in one pass over the blocks that hold them. */
@Service
class MessagePage {

    /** At most this many raw lines on one page: a message to a large list can have thousands of entries. */
    static final int RAW_LINES = 400;

    record View(MessageDetail message, Map<String, String> raw) {

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

    View view(long id) {
        MessageDetail m = queries.message(id);
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
        return new View(m, files.lines(wanted));
    }
}
