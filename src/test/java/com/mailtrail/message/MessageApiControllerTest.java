package com.mailtrail.message;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import java.time.LocalDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The API's parameters and errors, without a database. */
@WebMvcTest(MessageApiController.class)
class MessageApiControllerTest {

    @Autowired
    MockMvc mvc;

    @MockitoBean
    MessageQueries messages;

    @MockitoBean
    LogFileQueries files;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            /api/messages?status=lost                 | status must be one of delivered, bounced, deferred, queued, rejected, waiting (deferred or queued); got 'lost'
            /api/messages?category=spam               | category must be one of network, refused, timeout, host_skipped, dns, greylisted, deferred_by_remote, mailbox_full, mailbox_busy, store_error, user_unknown, relay_denied, policy, auth_failed, too_large, tls, other; got 'spam'
            /api/messages?from=yesterday              | from must be an ISO-8601 local date-time such as 2026-03-02T10:00 or 2026-03-02T10:00:05.25, or a date such as 2026-03-02; got 'yesterday'
            /api/messages?to=2026-03-32               | to must be an ISO-8601 local date-time such as 2026-03-02T10:00 or 2026-03-02T10:00:05.25, or a date such as 2026-03-02; got '2026-03-32'
            /api/messages?from=2026-03-02T12:00&to=2026-03-02T10:00 | from must be before to (from is inclusive, to exclusive)
            /api/messages?outcome=lost                | outcome must be one of delivered, deferred, bounced, rejected, handoff; got 'lost'
            /api/messages?eventFrom=noon              | eventFrom must be an ISO-8601 local date-time such as 2026-03-02T10:00 or 2026-03-02T10:00:05.25, or a date such as 2026-03-02; got 'noon'
            /api/messages?eventFrom=2026-03-02T12:00&eventTo=2026-03-02T12:00 | eventFrom must be before eventTo (eventFrom is inclusive, eventTo exclusive)
            /api/messages?enqueuedTo=soon             | enqueuedTo must be an ISO-8601 local date-time such as 2026-03-02T10:00 or 2026-03-02T10:00:05.25, or a date such as 2026-03-02; got 'soon'
            /api/messages?enqueuedFrom=2026-03-02T12:00&enqueuedTo=2026-03-02T11:00 | enqueuedFrom must be before enqueuedTo (enqueuedFrom is inclusive, enqueuedTo exclusive)
            /api/messages?deliveredTo=a@b.example     | deliveredTo must be a domain, as in example.com, or @ alone for a recipient without one; got 'a@b.example'
            /api/messages?page=-1                     | page must be a whole number from 0; got '-1'
            /api/messages?size=0                      | size must be a whole number from 1 to 500; got '0'
            /api/messages?size=501                    | size must be a whole number from 1 to 500; got '501'
            /api/messages?size=ten                    | size must be a whole number from 1 to 500; got 'ten'
            /api/messages?sort=sender                 | sort must be time (newest first) or time,asc (oldest first); got 'sender'
            /api/messages?recipient=*                 | recipient: a prefix needs at least one character before '*'
            /api/messages?recipient=bo*b              | recipient: '*' is only allowed at the end, as in bob*
            /api/messages?sender=@                    | sender: give a domain after '@', as in @example.com
            /api/messages/abc                         | id must be a whole number; got 'abc'
            /api/raw?file=1                           | the parameter line is required
            /api/raw?file=x&line=1                    | file must be a whole number; got 'x'
            /api/files/1/lines/first                  | line must be a whole number; got 'first'
            /api/files/1/rejected?size=1000           | size must be a whole number from 1 to 500; got '1000'
            """)
    void badParameterIsA400WithAClearMessage(String uri, String error) throws Exception {
        mvc.perform(get(uri))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith("application/json"))
                .andExpect(jsonPath("$.error").value(error));
    }

    @Test
    void searchParametersBecomeCriteria() throws Exception {
        when(messages.search(any())).thenReturn(new PageResult<>(0, 2, 20, List.of()));
        mvc.perform(get("/api/messages").param("messageId", "01IRUD7SVA3Q9UN2D4@sesta.com")
                        .param("recipient", "Bob_1%*").param("sender", "@Example.COM")
                        .param("from", "2026-03-02T10:00").param("to", "2026-03-02T11:00:30.5")
                        .param("status", "Bounced").param("channel", "tcp_local").param("category", "dns")
                        .param("page", "2").param("size", "20").param("sort", "time,asc"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.total").value(0))
                .andExpect(jsonPath("$.page").value(2))
                .andExpect(jsonPath("$.size").value(20))
                .andExpect(jsonPath("$.items").isEmpty());
        ArgumentCaptor<MessageCriteria> c = ArgumentCaptor.forClass(MessageCriteria.class);
        verify(messages).search(c.capture());
        assertThat(c.getValue()).isEqualTo(new MessageCriteria(
                List.of("<01IRUD7SVA3Q9UN2D4@sesta.com>", "01IRUD7SVA3Q9UN2D4@sesta.com"),
                new AddressMatch(AddressMatch.Kind.PREFIX, "bob_1%"),
                new AddressMatch(AddressMatch.Kind.DOMAIN, "example.com"),
                LocalDateTime.of(2026, 3, 2, 10, 0), LocalDateTime.of(2026, 3, 2, 11, 0, 30, 500_000_000),
                "bounced", "tcp_local", "dns", 2, 20, true, null, null, null, null, null, null, null, null, null));
        assertThat(c.getValue().recipient().likePattern()).isEqualTo("bob!_1!%%");
    }

    @Test
    void emptyParametersMeanNotGiven() throws Exception {
        when(messages.search(any())).thenReturn(new PageResult<>(0, 0, 50, List.of()));
        mvc.perform(get("/api/messages?messageId=&recipient=&status=&page=&size=&sort="))
                .andExpect(status().isOk());
        verify(messages).search(MessageCriteria.all());
    }

    @Test
    void timesAreLocalIsoDateTimes() throws Exception {
        when(messages.search(any())).thenReturn(new PageResult<>(1, 0, 50, List.of(new MessageSummary(7,
                "<a@example.com>", "a@example.com", 2048L, LocalDateTime.of(2026, 3, 2, 10, 0, 5, 250_000_000),
                LocalDateTime.of(2026, 3, 2, 10, 1), "delivered", 1))));
        mvc.perform(get("/api/messages"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.total").value(1))
                .andExpect(jsonPath("$.items[0].id").value(7))
                .andExpect(jsonPath("$.items[0].firstSeen").value("2026-03-02T10:00:05.25"))
                .andExpect(jsonPath("$.items[0].lastSeen").value("2026-03-02T10:01:00"))
                .andExpect(jsonPath("$.items[0].recipients").value(1));
    }

    @Test
    void missingMessageIsA404() throws Exception {
        when(messages.message(42, RecipientSlice.ALL)).thenThrow(new MessageNotFoundException("no message with id 42"));
        mvc.perform(get("/api/messages/42"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error").value("no message with id 42"));
    }

    @Test
    void recipientsCanBeAskedForAPageAtATime() throws Exception {
        when(messages.message(anyLong(), any())).thenThrow(new MessageNotFoundException("no message with id 42"));
        mvc.perform(get("/api/messages/42?recipientPage=2&recipientSize=10&recipientStatus=Bounced"));
        verify(messages).message(42, new RecipientSlice(2, 10, "bounced"));
        mvc.perform(get("/api/messages/42?recipientPage=3"));
        verify(messages).message(42, new RecipientSlice(3, RecipientSlice.PAGE_SIZE, null));
        mvc.perform(get("/api/messages/42?recipientStatus=deferred"));
        verify(messages).message(42, new RecipientSlice(0, 0, "deferred"));
    }

    @Test
    void badRecipientPagingIsA400() throws Exception {
        for (String[] bad : new String[][]{
                {"recipientPage=-1", "recipientPage must be a whole number from 0; got '-1'"},
                {"recipientSize=0", "recipientSize must be a whole number from 1 to 1000; got '0'"},
                {"recipientSize=5000", "recipientSize must be a whole number from 1 to 1000; got '5000'"},
                {"recipientStatus=lost", "recipientStatus must be one of delivered, bounced, deferred, queued, "
                        + "rejected; got 'lost'"}}) {
            mvc.perform(get("/api/messages/42?" + bad[0]))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.error").value(bad[1]));
        }
    }

    @Test
    void rawLineByQueryOrPath() throws Exception {
        when(files.line(3, 11)).thenReturn(new RawLine(3, "mail.log", 11, "15-Jan-1998 10:31:05.18 tcp_local"));
        for (String uri : new String[]{"/api/raw?file=3&line=11", "/api/files/3/lines/11"}) {
            mvc.perform(get(uri))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.file").value(3))
                    .andExpect(jsonPath("$.line").value(11))
                    .andExpect(jsonPath("$.text").value("15-Jan-1998 10:31:05.18 tcp_local"));
        }
    }

    @Test
    void rejectedLinesArePaged() throws Exception {
        when(files.rejected(anyLong(), anyInt(), anyInt())).thenReturn(new PageResult<>(1, 0, 50,
                List.of(new RejectedLine(4, "no channel", "garbage"))));
        mvc.perform(get("/api/files/3/rejected"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].line").value(4))
                .andExpect(jsonPath("$.items[0].reason").value("no channel"))
                .andExpect(jsonPath("$.items[0].text").value("garbage"));
        verify(files).rejected(3, 0, 50);
    }
}
