package com.mailtrail.message;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The JSON API of messages and the log lines behind them. */
@RestController
@RequestMapping("/api")
class MessageApiController {

    private final MessageQueries messages;
    private final LogFileQueries files;

    MessageApiController(MessageQueries messages, LogFileQueries files) {
        this.messages = messages;
        this.files = files;
    }

    @GetMapping("/messages")
    PageResult<MessageSummary> search(@ModelAttribute SearchForm form) {
        return messages.search(form.toCriteria());
    }

    /**
     * All recipients, or one page of them with recipientPage/recipientSize; only those of recipientStatus and/or at
     * recipient (an address, prefix* or @domain, as the search's recipient).
     */
    @GetMapping("/messages/{id}")
    MessageDetail message(@PathVariable long id, @RequestParam(required = false) String recipientPage,
                          @RequestParam(required = false) String recipientSize,
                          @RequestParam(required = false) String recipientStatus,
                          @RequestParam(required = false) String recipient) {
        return messages.message(id, RecipientSlice.of(recipientPage, recipientSize, recipientStatus, recipient,
                SearchForm.given(recipientPage) ? RecipientSlice.PAGE_SIZE : 0));
    }

    @GetMapping("/raw")
    RawLine raw(@RequestParam long file, @RequestParam long line) {
        return files.line(file, line);
    }

    @GetMapping("/files/{file}/lines/{line}")
    RawLine line(@PathVariable long file, @PathVariable long line) {
        return files.line(file, line);
    }

    @GetMapping("/files/{file}/rejected")
    PageResult<RejectedLine> rejected(@PathVariable long file, @RequestParam(required = false) String page,
                                      @RequestParam(required = false) String size) {
        return files.rejected(file, SearchForm.page(page), SearchForm.size(size));
    }
}
