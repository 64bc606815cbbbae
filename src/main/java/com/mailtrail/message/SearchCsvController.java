package com.mailtrail.message;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** The whole result of a search as CSV (every page, not just the one shown), streamed page by page. */
@Controller
class SearchCsvController {

    private final MessageQueries queries;

    SearchCsvController(MessageQueries queries) {
        this.queries = queries;
    }

    /** A bad parameter is MessagePageErrors' 400 with its reason, as on the Search page. */
    @GetMapping("/search.csv")
    void csv(SearchForm form, HttpServletResponse response) throws IOException {
        MessageCriteria first = form.toCriteria();
        response.setContentType("text/csv; charset=UTF-8");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Content-Disposition", "attachment; filename=\"mailtrail-messages.csv\"");
        PrintWriter out = response.getWriter();
        // size as logged: in blocks of the MTA's BLOCK_SIZE, not bytes
        out.print("id,message_id,sender,size_blocks,first_seen,last_seen,status,recipients\r\n");
        MessageSummary last = null;
        MessageQueries pages = queries.choosingOnceFor(first);
        while (true) {
            List<MessageSummary> items = pages.after(first, last, MessageCriteria.MAX_SIZE);
            for (MessageSummary m : items) {
                out.print(m.id() + "," + cell(m.messageId()) + "," + cell(m.sender()) + ","
                        + (m.size() == null ? "" : m.size()) + "," + time(m.firstSeen()) + "," + time(m.lastSeen())
                        + "," + cell(m.status()) + "," + m.recipients() + "\r\n");
            }
            if (items.size() < MessageCriteria.MAX_SIZE) {
                break;
            }
            last = items.get(items.size() - 1);
        }
        out.flush();
    }

    /**
     * As the JSON API writes times (ISO-8601, seconds always, the fraction without trailing zeros), not
     * LocalDateTime.toString, which leaves out zero seconds and writes hundredths as milliseconds.
     */
    private static String time(LocalDateTime t) {
        return t == null ? "" : DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t);
    }

    /**
     * RFC 4180 quoting; and since log text is untrusted, a value a spreadsheet would take for a formula is
     * prefixed with an apostrophe.
     */
    static String cell(String v) {
        if (v == null) {
            return "";
        }
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r") || v.contains("'")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
