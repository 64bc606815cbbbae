package com.mailtrail.message;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.parse.LogField;
import com.mailtrail.parse.LogOptions;

import javax.sql.DataSource;
import java.time.LocalDate;
import java.util.EnumSet;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Search against a generated day of traffic (and the seed): every filter's result is compared with the same
 * question answered in Java over all stored rows, so totals are checked exactly, not just "more than zero".
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = "spring.datasource.url=jdbc:h2:mem:queries;DB_CLOSE_DELAY=-1")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MessageQueriesTest {

    @Autowired
    MessageQueries queries;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    /** Every stored message with what a search looks at, read without the code under test. */
    record R(String address, String active, String domain, String status, Set<String> channels,
             Set<String> categories, List<Out> outcomes, Set<String> attemptChannels, LocalDateTime finalTime,
             LocalDateTime enqueued) {
    }

    /** An outcome of a recipient: one of its attempt rows, or the last outcome its own row holds. */
    record Out(String outcome, String category, String channel, LocalDateTime time) {
    }

    record M(long id, String key, String senderSearch, String senderDomain, LocalDateTime firstSeen, String status,
             List<R> recipients, Set<String> attemptChannels, Set<String> attemptCategories) {
    }

    List<M> all;

    @BeforeAll
    void importTraffic() {
        TestLogs.importGenerated(dataSource, 200, 42);
        TestLogs.importResource(dataSource, TestLogs.SEED);
        // a site that does not log Message-IDs: messages are grouped by sender, original recipient and day
        Set<LogField> noMessageId = EnumSet.copyOf(GeneratorConfig.DEFAULT_FIELDS);
        noMessageId.remove(LogField.MESSAGE_ID);
        TestLogs.importGenerated(dataSource, new GeneratorConfig(20, 5, LogOptions.of(noMessageId), 1,
                LocalDate.of(2026, 3, 5)));
        // An alias whose only member is at another domain, beside mail delivered at the alias's domain. The generated
        // days had such a domain only while a log without Message-IDs was grouped by queue file (one per destination
        // domain), which cut a list message into a message per domain its members were delivered to.
        TestLogs.importText(dataSource, "alias.log", """
                05-Mar-2026 09:00:00.00 tcp_intranet tcp_local    E 3 zed@example.org rfc822;info@alias.test \
                sam@elsewhere.test /q/tcp_local/ZZf00AA.00
                05-Mar-2026 09:00:05.00 tcp_local                 D 3 zed@example.org rfc822;info@alias.test \
                sam@elsewhere.test /q/tcp_local/ZZf00AA.00 smtp;250 Ok
                05-Mar-2026 09:10:00.00 tcp_intranet tcp_local    E 3 zed@example.org rfc822;bob@alias.test \
                bob@alias.test /q/tcp_local/ZZf00AB.00
                05-Mar-2026 09:10:05.00 tcp_local                 D 3 zed@example.org rfc822;bob@alias.test \
                bob@alias.test /q/tcp_local/ZZf00AB.00 smtp;250 Ok
                """);
        Map<Long, List<Out>> outcomesOf = new HashMap<>();
        Map<Long, Set<String>> channelsOf = new HashMap<>();
        // a relay channel's hand-off is stored as its D, marked: the search's outcome=handoff, not delivered
        jdbc.sql("SELECT recipient_ref, CASE WHEN hand_off THEN 'handoff' ELSE outcome END, category, channel, "
                + "destination, time FROM attempt").query(rs -> {
            outcomesOf.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Out(rs.getString(2),
                    rs.getString(3), rs.getString(4), rs.getObject(6, LocalDateTime.class)));
            Set<String> ch = channelsOf.computeIfAbsent(rs.getLong(1), k -> new HashSet<>());
            ch.add(rs.getString(4));
            ch.add(rs.getString(5));
        });
        Map<Long, List<R>> recipients = new HashMap<>();
        jdbc.sql("SELECT * FROM recipient").query(rs -> {
            Set<String> channels = new HashSet<>();
            Set<String> categories = new HashSet<>();
            for (String c : new String[]{"source_channel", "destination_channel", "last_channel"}) {
                channels.add(rs.getString(c));
            }
            categories.add(rs.getString("failure_category"));
            categories.add(rs.getString("last_category"));
            List<Out> outcomes = new ArrayList<>(outcomesOf.getOrDefault(rs.getLong("id"), List.of()));
            String last = rs.getString("last_code");
            if (last != null) {
                outcomes.add(new Out(rs.getBoolean("last_hand_off") ? "handoff" : MessageQueries.outcome(last),
                        rs.getString("last_category"), rs.getString("last_channel"),
                        rs.getObject("last_time", LocalDateTime.class)));
            }
            recipients.computeIfAbsent(rs.getLong("message_ref"), k -> new ArrayList<>()).add(new R(
                    rs.getString("address_search"), rs.getString("active_search"), rs.getString("domain"),
                    rs.getString("status"), channels, categories, outcomes,
                    channelsOf.getOrDefault(rs.getLong("id"), Set.of()),
                    rs.getObject("final_time", LocalDateTime.class), rs.getObject("enqueued", LocalDateTime.class)));
        });
        Map<Long, Set<String>> attemptChannels = new HashMap<>();
        Map<Long, Set<String>> attemptCategories = new HashMap<>();
        jdbc.sql("SELECT message_ref, channel, destination, category FROM attempt").query(rs -> {
            Set<String> ch = attemptChannels.computeIfAbsent(rs.getLong(1), k -> new HashSet<>());
            ch.add(rs.getString(2));
            ch.add(rs.getString(3));
            attemptCategories.computeIfAbsent(rs.getLong(1), k -> new HashSet<>()).add(rs.getString(4));
        });
        all = jdbc.sql("SELECT * FROM message").query((rs, i) -> new M(rs.getLong("id"), rs.getString("message_key"),
                rs.getString("sender_search"), rs.getString("sender_domain"),
                rs.getObject("first_seen", LocalDateTime.class), rs.getString("status"),
                recipients.getOrDefault(rs.getLong("id"), List.of()),
                attemptChannels.getOrDefault(rs.getLong("id"), Set.of()),
                attemptCategories.getOrDefault(rs.getLong("id"), Set.of()))).list();
    }

    /** The domain of a recipient's active address where it is another mail domain than its original's. */
    private static String activeDomain(R r) {
        if (r.active() == null) {
            return null;
        }
        String d = r.active().substring(r.active().lastIndexOf('@') + 1);
        return d.isEmpty() || !d.contains(".") || d.equals(r.domain()) ? null : d;
    }

    /** A search by @domain: the original address's domain, or the active one's (a list member, an alias). */
    private static boolean inDomain(R r, String domain) {
        return domain.equals(r.domain()) || domain.equals(activeDomain(r));
    }

    /** The domain delivered to: the active address's where it is another mail domain, else the original's. */
    private static String deliveredTo(R r) {
        return activeDomain(r) != null ? activeDomain(r) : r.domain();
    }

    static final Comparator<M> NEWEST_FIRST = Comparator.comparing(M::firstSeen).thenComparing(M::id).reversed();

    /** A search form from name/value pairs, the rest not given. */
    static SearchForm form(String... pairs) {
        Map<String, String> p = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            p.put(pairs[i], pairs[i + 1]);
        }
        return new SearchForm(p.get("messageId"), p.get("recipient"), p.get("sender"), p.get("from"), p.get("to"),
                p.get("status"), p.get("channel"), p.get("category"), p.get("page"), p.get("size"), p.get("sort"), p.get("source"), p.get("attempts"),
                p.get("delay"), p.get("outcome"), p.get("eventFrom"), p.get("eventTo"), p.get("deliveredTo"),
                p.get("enqueuedFrom"), p.get("enqueuedTo"));
    }

    /** The ids of every match, page after page, in the order the search gives them. */
    List<Long> everyPage(String... pairs) {
        List<Long> ids = new ArrayList<>();
        String[] paged = java.util.Arrays.copyOf(pairs, pairs.length + 4);
        paged[pairs.length] = "size";
        paged[pairs.length + 1] = "500";
        paged[pairs.length + 2] = "page";
        for (int page = 0; ; page++) {
            paged[pairs.length + 3] = String.valueOf(page);
            PageResult<MessageSummary> r = queries.search(form(paged).toCriteria());
            r.items().forEach(m -> ids.add(m.id()));
            if (r.items().isEmpty() || ids.size() >= r.total()) {
                assertThat(ids).hasSize((int) r.total());
                return ids;
            }
        }
    }

    List<Long> expected(Predicate<M> p) {
        return all.stream().filter(p).sorted(NEWEST_FIRST).map(M::id).toList();
    }

    @Test
    void totalCountsEveryMessageAndPagesCoverEachOnceNewestFirst() {
        assertThat(all).hasSizeGreaterThan(200);
        PageResult<MessageSummary> first = queries.search(MessageCriteria.all());
        assertThat(first.total()).isEqualTo(all.size());
        assertThat(first.items()).hasSize(50);
        assertThat(first.size()).isEqualTo(50);

        List<Long> ids = new ArrayList<>();
        for (int page = 0; page * 13 < all.size(); page++) {
            PageResult<MessageSummary> r = queries.search(form("size", "13", "page", String.valueOf(page)).toCriteria());
            assertThat(r.total()).isEqualTo(all.size());
            ids.addAll(r.items().stream().map(MessageSummary::id).toList());
        }
        assertThat(ids).isEqualTo(expected(m -> true));
        assertThat(queries.search(form("page", "1000").toCriteria()).items()).isEmpty();
    }

    @Test
    void sortTimeAscGivesOldestFirst() {
        List<Long> newest = everyPage();
        List<Long> oldest = everyPage("sort", "time,asc");
        List<Long> reversed = new ArrayList<>(newest);
        java.util.Collections.reverse(reversed);
        assertThat(oldest).isEqualTo(reversed);
        assertThat(queries.search(form("sort", "time,asc", "size", "1").toCriteria()).items().get(0).firstSeen())
                .isEqualTo(LocalDateTime.of(1998, 1, 15, 10, 31, 5, 180_000_000));
    }

    @Test
    void messageIdMatchesWithOrWithoutAngleBrackets() {
        M some = all.stream().filter(m -> m.key().startsWith("<")).findFirst().orElseThrow();
        String bare = some.key().substring(1, some.key().length() - 1);
        assertThat(everyPage("messageId", some.key())).containsExactly(some.id());
        assertThat(everyPage("messageId", bare)).containsExactly(some.id());
        assertThat(everyPage("messageId", "<nobody@example.com>")).isEmpty();
    }

    @Test
    void recipientMatchesOriginalOrActiveAddressIgnoringCase() {
        SoftAssertions soft = new SoftAssertions();
        R plain = all.stream().flatMap(m -> m.recipients().stream()).filter(r -> r.active() == null)
                .findFirst().orElseThrow();
        soft.assertThat(everyPage("recipient", plain.address().toUpperCase()))
                .isEqualTo(expected(m -> m.recipients().stream().anyMatch(r -> r.address().equals(plain.address())
                        || plain.address().equals(r.active()))))
                .isNotEmpty();
        R changed = all.stream().flatMap(m -> m.recipients().stream()).filter(r -> r.active() != null)
                .findFirst().orElseThrow(() -> new AssertionError("the generated day has no changed active address"));
        soft.assertThat(everyPage("recipient", changed.active()))
                .isEqualTo(expected(m -> m.recipients().stream().anyMatch(r -> r.address().equals(changed.active())
                        || changed.active().equals(r.active()))))
                .isNotEmpty();
        soft.assertAll();
    }

    @Test
    void recipientAndSenderPrefixAndDomain() {
        SoftAssertions soft = new SoftAssertions();
        R some = all.stream().flatMap(m -> m.recipients().stream()).filter(r -> r.domain() != null)
                .findFirst().orElseThrow();
        String prefix = some.address().substring(0, 3);
        soft.assertThat(everyPage("recipient", prefix + "*"))
                .isEqualTo(expected(m -> m.recipients().stream().anyMatch(r -> r.address().startsWith(prefix)
                        || r.active() != null && r.active().startsWith(prefix))))
                .isNotEmpty();
        List<Long> byDomain = everyPage("recipient", "@" + some.domain().toUpperCase());
        soft.assertThat(byDomain)
                .isEqualTo(expected(m -> m.recipients().stream().anyMatch(r -> inDomain(r, some.domain()))))
                .isNotEmpty().hasSizeLessThan(all.size());
        // a list member or an alias in another domain than the address the message was sent to
        R aliased = all.stream().flatMap(m -> m.recipients().stream()).filter(r -> activeDomain(r) != null)
                .findFirst().orElseThrow();
        soft.assertThat(everyPage("recipient", "@" + activeDomain(aliased)))
                .isEqualTo(expected(m -> m.recipients().stream().anyMatch(r -> inDomain(r, activeDomain(aliased)))))
                .isNotEmpty();
        // the active address of a local delivery, user@ims-ms-daemon, names a channel, not a domain
        soft.assertThat(everyPage("recipient", "@ims-ms-daemon")).isEmpty();

        M sent = all.stream().filter(m -> m.senderDomain() != null).findFirst().orElseThrow();
        soft.assertThat(everyPage("sender", sent.senderSearch()))
                .isEqualTo(expected(m -> m.senderSearch().equals(sent.senderSearch()))).isNotEmpty();
        String senderPrefix = sent.senderSearch().substring(0, 2);
        soft.assertThat(everyPage("sender", senderPrefix + "*"))
                .isEqualTo(expected(m -> m.senderSearch().startsWith(senderPrefix))).isNotEmpty();
        soft.assertThat(everyPage("sender", "@" + sent.senderDomain()))
                .isEqualTo(expected(m -> sent.senderDomain().equals(m.senderDomain()))).isNotEmpty();
        soft.assertAll();
    }

    @Test
    void prefixTakesPercentAndUnderscoreLiterally() {
        assertThat(all).noneMatch(m -> m.senderSearch().startsWith("%") || m.senderSearch().startsWith("_"));
        assertThat(everyPage("sender", "%*")).isEmpty();
        assertThat(everyPage("sender", "_*")).isEmpty();
        assertThat(everyPage("recipient", "_*")).isEmpty();
        assertThat(everyPage("recipient", "!*")).isEmpty();
    }

    @Test
    void statusMatchesWhenAnyRecipientHasIt() {
        SoftAssertions soft = new SoftAssertions();
        Set<String> present = new TreeSet<>();
        for (String status : SearchForm.STATUSES) {
            List<Long> expected = expected(m -> m.recipients().stream().anyMatch(r -> r.status().equals(status)));
            soft.assertThat(everyPage("status", status)).as(status).isEqualTo(expected);
            if (!expected.isEmpty()) {
                present.add(status);
            }
        }
        soft.assertThat(present).as("statuses in the generated day").contains("delivered", "bounced", "deferred");
        soft.assertAll();
    }

    @Test
    void channelMatchesRecipientChannelsAndAttempts() {
        Set<String> seen = new HashSet<>();
        all.forEach(m -> {
            m.recipients().forEach(r -> seen.addAll(r.channels()));
            seen.addAll(m.attemptChannels());
        });
        seen.remove(null);
        Set<String> channels = new TreeSet<>(seen);
        assertThat(channels).contains("tcp_local", "ims-ms", "conversion");
        SoftAssertions soft = new SoftAssertions();
        for (String channel : channels) {
            soft.assertThat(everyPage("channel", channel)).as(channel).isEqualTo(expected(m ->
                    m.attemptChannels().contains(channel)
                            || m.recipients().stream().anyMatch(r -> r.channels().contains(channel))));
        }
        soft.assertThat(everyPage("channel", "no_such_channel")).isEmpty();
        soft.assertAll();
    }

    @Test
    void categoryMatchesRecipientOrAttemptCategory() {
        SoftAssertions soft = new SoftAssertions();
        int found = 0;
        for (String category : SearchForm.CATEGORIES) {
            List<Long> expected = expected(m -> m.attemptCategories().contains(category)
                    || m.recipients().stream().anyMatch(r -> r.categories().contains(category)));
            soft.assertThat(everyPage("category", category)).as(category).isEqualTo(expected);
            found += expected.isEmpty() ? 0 : 1;
        }
        soft.assertThat(found).as("categories present in the generated day").isGreaterThan(3);
        soft.assertAll();
    }

    @Test
    void timeRangeIsFromInclusiveToExclusive() {
        List<M> day = all.stream().filter(m -> m.firstSeen().getYear() == 2026).sorted(NEWEST_FIRST).toList();
        LocalDateTime from = day.get(day.size() * 3 / 4).firstSeen();
        LocalDateTime to = day.get(day.size() / 4).firstSeen();
        List<Long> range = everyPage("from", from.toString(), "to", to.toString());
        assertThat(range).isEqualTo(expected(m -> !m.firstSeen().isBefore(from) && m.firstSeen().isBefore(to)));
        assertThat(range).contains(day.get(day.size() * 3 / 4).id()).doesNotContain(day.get(day.size() / 4).id());
        assertThat(everyPage("to", "2000-01-01T00:00")).hasSize(1); // the seed, from 1998
        assertThat(everyPage("from", "2026-03-02T00:00:00.000")).hasSize(all.size() - 1);
    }

    /**
     * deliveredTo, the failing destinations' and the Queue page's domain, is one domain per recipient: a list member
     * at another domain is found under its own, not under the list's as @domain also finds it; with an outcome, one
     * outcome of such a recipient.
     */
    @Test
    void deliveredToIsTheActiveMailDomainElseTheOriginals() {
        Set<String> domains = new TreeSet<>();
        all.forEach(m -> m.recipients().forEach(r -> {
            if (r.domain() != null) {
                domains.add(r.domain());
            }
            if (activeDomain(r) != null) {
                domains.add(activeDomain(r));
            }
        }));
        SoftAssertions soft = new SoftAssertions();
        int narrower = 0;
        for (String d : domains) {
            List<Long> found = everyPage("deliveredTo", d);
            soft.assertThat(found).as(d).isEqualTo(expected(m -> m.recipients().stream()
                    .anyMatch(r -> d.equals(deliveredTo(r))))).isNotEmpty();
            soft.assertThat(everyPage("deliveredTo", "@" + d.toUpperCase(), "outcome", "deferred")).as(d + " deferred")
                    .isEqualTo(expected(m -> m.recipients().stream().anyMatch(r -> d.equals(deliveredTo(r))
                            && r.outcomes().stream().anyMatch(o -> o.outcome().equals("deferred")))));
            narrower += found.size() < everyPage("recipient", "@" + d).size() ? 1 : 0;
        }
        soft.assertThat(narrower).as("domains of lists or aliases whose members are elsewhere").isPositive();
        R aliased = all.stream().flatMap(m -> m.recipients().stream()).filter(r -> activeDomain(r) != null)
                .findFirst().orElseThrow();
        soft.assertThat(everyPage("recipient", aliased.address(), "deliveredTo", activeDomain(aliased)))
                .isEqualTo(expected(m -> m.recipients().stream().anyMatch(r -> (aliased.address().equals(r.address())
                        || aliased.address().equals(r.active())) && activeDomain(aliased).equals(deliveredTo(r)))))
                .isNotEmpty();
        soft.assertThat(everyPage("recipient", aliased.address(), "deliveredTo", aliased.domain())).isEqualTo(
                expected(m -> m.recipients().stream().anyMatch(r -> (aliased.address().equals(r.address())
                        || aliased.address().equals(r.active())) && aliased.domain().equals(deliveredTo(r)))));
        soft.assertAll();
    }

    @Test
    void conditionsOnRecipientsHoldForOneRecipient() {
        String domain = all.stream().flatMap(m -> m.recipients().stream()).map(R::domain)
                .filter(d -> d != null).findFirst().orElseThrow();
        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(everyPage("recipient", "@" + domain, "status", "delivered", "channel", "tcp_local"))
                .isEqualTo(expected(m -> m.recipients().stream().anyMatch(r -> inDomain(r, domain)
                        && r.status().equals("delivered")
                        && (r.channels().contains("tcp_local") || r.attemptChannels().contains("tcp_local")))))
                .isNotEmpty();
        // every recipient domain with every category: a message with a recipient in the domain and a failure of the
        // category at another recipient is not one of them
        int differs = 0;
        Set<String> domains = new TreeSet<>();
        all.forEach(m -> m.recipients().stream().map(R::domain).filter(d -> d != null).forEach(domains::add));
        for (String d : domains) {
            for (String category : SearchForm.CATEGORIES) {
                List<Long> found = everyPage("recipient", "@" + d, "category", category);
                soft.assertThat(found).as("@%s %s", d, category).isEqualTo(expected(m -> m.recipients().stream()
                        .anyMatch(r -> inDomain(r, d) && r.outcomes().stream()
                                .anyMatch(o -> category.equals(o.category())))));
                List<Long> anyRecipient = expected(m -> m.recipients().stream().anyMatch(r -> inDomain(r, d))
                        && (m.attemptCategories().contains(category)
                        || m.recipients().stream().anyMatch(r -> r.categories().contains(category))));
                differs += found.size() == anyRecipient.size() ? 0 : 1;
            }
        }
        soft.assertThat(differs).as("searches where other recipients' failures used to count").isPositive();
        soft.assertThat(everyPage("status", "bounced", "category", "dns"))
                .isEqualTo(expected(m -> m.recipients().stream().anyMatch(r -> r.status().equals("bounced")
                        && r.outcomes().stream().anyMatch(o -> "dns".equals(o.category())))));
        soft.assertAll();
    }

    @Test
    void outcomeCategoryChannelAndEventTimeAreOneOutcome() {
        List<LocalDateTime> times = all.stream().flatMap(m -> m.recipients().stream())
                .flatMap(r -> r.outcomes().stream()).map(Out::time).filter(t -> t.getYear() == 2026).sorted().toList();
        LocalDateTime from = times.get(times.size() / 3).withMinute(0).withSecond(0).withNano(0);
        LocalDateTime to = from.plusHours(2);
        SoftAssertions soft = new SoftAssertions();
        for (String outcome : SearchForm.OUTCOMES) {
            soft.assertThat(everyPage("outcome", outcome, "channel", "tcp_local", "eventFrom", from.toString(),
                    "eventTo", to.toString())).as(outcome).isEqualTo(expected(m -> m.recipients().stream()
                    .anyMatch(r -> r.outcomes().stream().anyMatch(o -> o.outcome().equals(outcome)
                            && o.channel().equals("tcp_local") && !o.time().isBefore(from) && o.time().isBefore(to)))));
        }
        Set<String> categories = new TreeSet<>();
        all.forEach(m -> m.recipients().forEach(r -> r.outcomes().stream().map(Out::category)
                .filter(c -> c != null).forEach(categories::add)));
        soft.assertThat(categories).as("categories of outcomes in the generated day").hasSizeGreaterThan(3);
        for (String outcome : SearchForm.OUTCOMES) {
            for (String category : categories) {
                soft.assertThat(everyPage("outcome", outcome, "category", category)).as(outcome + " " + category)
                        .isEqualTo(expected(m -> m.recipients().stream().anyMatch(r -> r.outcomes().stream()
                                .anyMatch(o -> o.outcome().equals(outcome) && category.equals(o.category())))));
            }
        }
        // without an outcome or category the event is the recipient's final outcome, or its enqueue before that
        for (String status : List.of("delivered", "bounced")) {
            soft.assertThat(everyPage("status", status, "eventFrom", from.toString(), "eventTo", to.toString()))
                    .as(status).isEqualTo(expected(m -> m.recipients().stream().anyMatch(r -> {
                        LocalDateTime t = r.finalTime() != null ? r.finalTime()
                                : r.enqueued() != null ? r.enqueued() : m.firstSeen();
                        return r.status().equals(status) && !t.isBefore(from) && t.isBefore(to);
                    }))).isNotEmpty();
        }
        soft.assertAll();
    }

    /** How many stored recipients meet {@code p}. */
    private long recipientsWhere(BiPredicate<M, R> p) {
        return all.stream().mapToLong(m -> m.recipients().stream().filter(r -> p.test(m, r)).count()).sum();
    }

    /** The search's recipients against the same question asked of every stored recipient; its messages too. */
    private void checkRecipients(SoftAssertions soft, BiPredicate<M, R> p, String... pairs) {
        PageResult<MessageSummary> r = queries.search(form(pairs).toCriteria());
        String what = String.join(" ", pairs);
        soft.assertThat(r.recipients()).as(what).isEqualTo(recipientsWhere(p));
        soft.assertThat(r.total()).as(what).isEqualTo(expected(m -> m.recipients().stream()
                .anyMatch(x -> p.test(m, x))).size());
    }

    /**
     * With conditions on recipients, a search also counts the recipients that meet them all, each once however many
     * of its outcomes match: what a dashboard bar counts, more than the messages when a message has several matching
     * recipients (a list, two people at one domain). Without such conditions there is no such count.
     */
    @Test
    void recipientsCountsEachRecipientThatMeetsTheConditionsOnce() {
        List<LocalDateTime> times = all.stream().flatMap(m -> m.recipients().stream())
                .flatMap(r -> r.outcomes().stream()).map(Out::time).filter(t -> t.getYear() == 2026).sorted().toList();
        LocalDateTime from = times.get(times.size() / 3).withMinute(0).withSecond(0).withNano(0);
        LocalDateTime to = from.plusHours(2);
        String domain = all.stream().flatMap(m -> m.recipients().stream().map(R::domain).filter(d -> d != null)
                        .distinct())
                .collect(java.util.stream.Collectors.groupingBy(d -> d, java.util.stream.Collectors.counting()))
                .entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        Predicate<LocalDateTime> inRange = t -> !t.isBefore(from) && t.isBefore(to);

        SoftAssertions soft = new SoftAssertions();
        for (String status : SearchForm.STATUSES) {
            checkRecipients(soft, (m, r) -> r.status().equals(status), "status", status);
        }
        checkRecipients(soft, (m, r) -> r.status().equals("deferred") || r.status().equals("queued"),
                "status", SearchForm.WAITING);
        checkRecipients(soft, (m, r) -> inDomain(r, domain), "recipient", "@" + domain);
        checkRecipients(soft, (m, r) -> domain.equals(deliveredTo(r)) && r.status().equals("delivered"),
                "deliveredTo", domain, "status", "delivered");
        checkRecipients(soft, (m, r) -> r.channels().contains("tcp_local")
                || r.attemptChannels().contains("tcp_local"), "channel", "tcp_local");
        for (String outcome : SearchForm.OUTCOMES) {
            checkRecipients(soft, (m, r) -> r.outcomes().stream().anyMatch(o -> o.outcome().equals(outcome)),
                    "outcome", outcome);
            checkRecipients(soft, (m, r) -> r.outcomes().stream().anyMatch(o -> o.outcome().equals(outcome)
                            && o.channel().equals("tcp_local") && inRange.test(o.time())),
                    "outcome", outcome, "channel", "tcp_local", "eventFrom", from.toString(), "eventTo", to.toString());
        }
        for (String category : SearchForm.CATEGORIES) {
            checkRecipients(soft, (m, r) -> inDomain(r, domain) && r.outcomes().stream()
                    .anyMatch(o -> category.equals(o.category())), "recipient", "@" + domain, "category", category);
        }
        checkRecipients(soft, (m, r) -> {
            LocalDateTime t = r.finalTime() != null ? r.finalTime() : r.enqueued() != null ? r.enqueued()
                    : m.firstSeen();
            return r.status().equals("delivered") && inRange.test(t);
        }, "status", "delivered", "eventFrom", from.toString(), "eventTo", to.toString());
        soft.assertAll();

        // the day has messages with several recipients delivered, and recipients deferred more than once
        PageResult<MessageSummary> delivered = queries.search(form("status", "delivered").toCriteria());
        assertThat(delivered.recipients()).isGreaterThan(delivered.total());
        long deferrals = all.stream().flatMap(m -> m.recipients().stream()).flatMap(r -> r.outcomes().stream())
                .filter(o -> o.outcome().equals("deferred")).count();
        assertThat(queries.search(form("outcome", "deferred").toCriteria()).recipients()).isLessThan(deferrals);
        // conditions on the message alone: no count of recipients
        assertThat(queries.search(MessageCriteria.all()).recipients()).isNull();
        assertThat(queries.search(form("from", from.toString(), "to", to.toString()).toCriteria()).recipients())
                .isNull();
        assertThat(queries.search(form("sender", "@example.com").toCriteria()).recipients()).isNull();
    }

    @Test
    void notificationLinksToItsOriginalAndBack() {
        long withOriginal = jdbc.sql("SELECT COUNT(*) FROM message n JOIN message o "
                + "ON o.message_key = n.original_message_id").query(Long.class).single();
        assertThat(withOriginal).as("bounces with their notification in the generated day").isPositive();
        long notificationId = jdbc.sql("SELECT MIN(n.id) FROM message n JOIN message o "
                + "ON o.message_key = n.original_message_id").query(Long.class).single();
        MessageDetail notification = queries.message(notificationId);
        assertThat(notification.original()).isNotNull();
        MessageDetail original = queries.message(notification.original().id());
        assertThat(original.notifications()).extracting(MessageDetail.Notification::id).contains(notificationId);
        assertThat(original.recipients()).extracting(MessageDetail.Recipient::status).contains("bounced");
    }

    @Test
    void recipientThroughConversionHasTwoLegsInTimeOrder() {
        long messageId = jdbc.sql("SELECT MIN(message_ref) FROM attempt WHERE code LIKE 'E%'").query(Long.class)
                .single();
        MessageDetail m = queries.message(messageId);
        MessageDetail.Recipient r = m.recipients().stream().filter(x -> x.legs().size() > 1).findFirst()
                .orElseThrow();
        assertThat(r.legs()).extracting(MessageDetail.Leg::time).isSorted();
        assertThat(r.legs().get(1).from()).isEqualTo(r.legs().get(0).to());
        assertThat(r.attempts()).extracting(MessageDetail.Attempt::time).isSorted();
        assertThat(r.attempts()).allSatisfy(a -> assertThat(a.code()).doesNotStartWith("E"));
        assertThat(m.files()).hasSize(1);
    }

    @Test
    void messageWithoutMessageIdIsApproximate() {
        M grouped = all.stream().filter(m -> m.key().startsWith("~")).findFirst()
                .orElseThrow(() -> new AssertionError("no message without a Message-ID"));
        MessageDetail detail = queries.message(grouped.id());
        assertThat(detail.approximate()).isTrue();
        assertThat(detail.messageId()).isNull();
        assertThat(detail.recipients()).isNotEmpty();
        assertThat(everyPage("messageId", grouped.key())).isEmpty(); // a grouping key is not a Message-ID
    }

    @Test
    void recipientsComeAPageAtATimeAndByStatus() {
        M big = all.stream().max(java.util.Comparator.comparingInt(m -> m.recipients().size())).orElseThrow();
        assertThat(big.recipients()).as("a message with several recipients").hasSizeGreaterThan(3);
        MessageDetail whole = queries.message(big.id());
        assertThat(whole.recipientTotal()).isEqualTo(big.recipients().size());
        Map<String, Long> byStatus = new HashMap<>();
        big.recipients().forEach(r -> byStatus.merge(r.status(), 1L, Long::sum));
        assertThat(whole.recipientStatuses()).isEqualTo(byStatus);

        List<String> paged = new ArrayList<>();
        for (int page = 0; page * 2 < big.recipients().size(); page++) {
            MessageDetail part = queries.message(big.id(), new RecipientSlice(page, 2, null));
            assertThat(part.recipientTotal()).isEqualTo(big.recipients().size());
            assertThat(part.recipients()).hasSizeBetween(1, 2);
            part.recipients().forEach(r -> paged.add(r.recipient() + "|" + r.attempts()));
        }
        assertThat(paged).isEqualTo(whole.recipients().stream().map(r -> r.recipient() + "|" + r.attempts()).toList());

        for (Map.Entry<String, Long> e : byStatus.entrySet()) {
            MessageDetail some = queries.message(big.id(), new RecipientSlice(0, 0, e.getKey()));
            assertThat(some.recipientTotal()).isEqualTo(e.getValue());
            assertThat(some.recipients()).hasSize(e.getValue().intValue())
                    .allSatisfy(r -> assertThat(r.status()).isEqualTo(e.getKey()));
        }
        MessageDetail beyond = queries.message(big.id(), new RecipientSlice(1000, 2, null));
        assertThat(beyond.recipients()).isEmpty();
        assertThat(beyond.recipientTotal()).isEqualTo(big.recipients().size());
    }

    @Test
    void unknownMessageIsNotFound() {
        assertThatThrownBy(() -> queries.message(-1)).isInstanceOf(MessageNotFoundException.class)
                .hasMessage("no message with id -1");
    }
}
