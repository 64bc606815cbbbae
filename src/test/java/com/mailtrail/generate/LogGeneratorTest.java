package com.mailtrail.generate;

import com.mailtrail.parse.LogField;
import com.mailtrail.parse.LogOptions;
import com.mailtrail.parse.QueueFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;

import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LogGeneratorTest {

    private static final LogOptions ALL = LogOptions.of(EnumSet.allOf(LogField.class));

    record Output(String text, List<GeneratedEntry> truth) {
        String[] lines() {
            return text.split("\n", -1);
        }
    }

    static Output generate(GeneratorConfig config) {
        StringWriter out = new StringWriter();
        List<GeneratedEntry> truth = new ArrayList<>();
        try {
            new LogGenerator(config).generate(out, truth::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Output(out.toString(), truth);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void sameSeedGivesIdenticalOutput(int format) {
        GeneratorConfig config = GeneratorConfig.of(2000, 42).withFormat(format);
        Output a = generate(config);
        Output b = generate(config);
        assertThat(a.text()).isNotEmpty().isEqualTo(b.text());
        assertThat(a.truth()).isEqualTo(b.truth());
    }

    @Test
    void differentSeedGivesDifferentOutput() {
        assertThat(generate(GeneratorConfig.of(500, 1)).text()).isNotEqualTo(generate(GeneratorConfig.of(500, 2)).text());
    }

    @Test
    void linesAreInTimeOrderAndNumberedOneByOne() {
        Output o = generate(GeneratorConfig.of(3000, 7));
        String[] lines = o.lines();
        assertThat(lines[lines.length - 1]).as("text ends with a newline").isEmpty();
        assertThat(o.truth()).hasSize(lines.length - 1);
        for (int i = 0; i < o.truth().size(); i++) {
            GeneratedEntry e = o.truth().get(i);
            assertThat(e.line()).isEqualTo(i + 1);
            if (i > 0) {
                assertThat(e.time()).isAfterOrEqualTo(o.truth().get(i - 1).time());
            }
            assertThat(lines[i]).startsWith(timestamp(e));
        }
    }

    @Test
    void trafficFollowsTheDay() {
        Output o = generate(GeneratorConfig.of(5000, 3));
        long night = o.truth().stream().filter(e -> e.code().startsWith("E") && e.time().getHour() == 3).count();
        long morning = o.truth().stream().filter(e -> e.code().startsWith("E") && e.time().getHour() == 10).count();
        assertThat(morning).isGreaterThan(5 * night);
        assertThat(o.truth().get(0).time().toLocalDate()).isEqualTo(GeneratorConfig.DEFAULT_DAY);
    }

    @Test
    void attemptLettersGrowAcrossRetriesOfARecipient() {
        Output o = generate(GeneratorConfig.of(5000, 11));
        Map<String, List<GeneratedEntry>> byFileAndRecipient = new HashMap<>();
        for (GeneratedEntry e : o.truth()) {
            if (e.kind() == GeneratedEntry.Kind.MESSAGE && e.queueFile() != null && "DQRKZ".indexOf(e.action()) >= 0
                    && e.originalMessageId() == null) {
                String key = QueueFile.parse(e.queueFile()).stem() + " " + e.recipient();
                byFileAndRecipient.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
            }
        }
        int retried = 0;
        for (List<GeneratedEntry> attempts : byFileAndRecipient.values()) {
            int first = QueueFile.parse(attempts.get(0).queueFile()).attempts();
            for (int i = 0; i < attempts.size(); i++) {
                QueueFile f = QueueFile.parse(attempts.get(i).queueFile());
                assertThat(f.attempts()).as(attempts.get(i).toString()).isEqualTo(first + i);
                if (i < attempts.size() - 1) {
                    assertThat(attempts.get(i).action()).isIn('Q');
                }
            }
            if (attempts.size() >= 3) {
                retried++;
            }
        }
        assertThat(retried).as("recipients with two or more retries").isGreaterThan(10);
    }

    @Test
    void retriesBackOff() {
        Output o = generate(GeneratorConfig.of(5000, 11));
        Map<String, List<GeneratedEntry>> byFile = new HashMap<>();
        for (GeneratedEntry e : o.truth()) {
            if (e.kind() == GeneratedEntry.Kind.MESSAGE && "tcp_local".equals(e.sourceChannel())
                    && e.destinationChannel() == null && e.action() == 'Q') {
                byFile.computeIfAbsent(QueueFile.parse(e.queueFile()).stem() + e.recipient(),
                        k -> new ArrayList<>()).add(e);
            }
        }
        List<GeneratedEntry> longest = byFile.values().stream().max((a, b) -> a.size() - b.size()).orElseThrow();
        assertThat(longest.size()).isGreaterThanOrEqualTo(4);
        for (int i = 2; i < longest.size(); i++) {
            long before = gap(longest.get(i - 2), longest.get(i - 1));
            long after = gap(longest.get(i - 1), longest.get(i));
            assertThat(after).isGreaterThan(before);
        }
    }

    private static long gap(GeneratedEntry a, GeneratedEntry b) {
        return java.time.Duration.between(a.time(), b.time()).toSeconds();
    }

    @Test
    void zMovesTheRemainingRecipientToANewFileWithTheCountKept() {
        Output o = generate(GeneratorConfig.of(5000, 5));
        List<GeneratedEntry> z = o.truth().stream().filter(e -> e.action() == 'Z').toList();
        assertThat(z).isNotEmpty();
        for (GeneratedEntry e : z) {
            QueueFile old = QueueFile.parse(e.queueFile());
            GeneratedEntry next = o.truth().stream()
                    .filter(n -> n.line() > e.line() && e.recipient().equals(n.recipient())
                            && e.messageId().equals(n.messageId()) && n.kind() == GeneratedEntry.Kind.MESSAGE)
                    .findFirst().orElse(null);
            if (next == null) {
                continue; // retried after the end of the log
            }
            QueueFile moved = QueueFile.parse(next.queueFile());
            assertThat(moved.stem()).isNotEqualTo(old.stem());
            assertThat(moved.attempts()).isEqualTo(old.attempts() + 1);
        }
    }

    @Test
    void notificationsCarryNewAndOriginalMessageIds() {
        Output o = generate(GeneratorConfig.of(8000, 13));
        String[] lines = o.lines();
        Set<String> returned = new HashSet<>();
        for (GeneratedEntry e : o.truth()) {
            if (e.action() == 'R') {
                returned.add(e.messageId());
            }
        }
        assertThat(returned).isNotEmpty();
        Set<String> reported = new HashSet<>();
        for (GeneratedEntry e : o.truth()) {
            if (e.originalMessageId() == null) {
                continue;
            }
            assertThat(e.sender()).isEmpty();
            assertThat(lines[(int) e.line() - 1]).contains(e.messageId() + "," + e.originalMessageId())
                    .contains(" " + e.code() + " " + e.size() + "  rfc822;");
            assertThat(e.messageId()).startsWith("<").endsWith(">");
            if ("process".equals(e.destinationChannel())) {
                reported.add(e.originalMessageId());
                assertThat(e.originalRecipient()).isEqualTo(e.recipient());
            }
        }
        assertThat(reported).isEqualTo(returned);
    }

    @Test
    void formatTwoWritesTheNullReturnPathAsAngleBrackets() {
        Output o = generate(GeneratorConfig.of(8000, 13).withFormat(2));
        String[] lines = o.lines();
        List<GeneratedEntry> bounces = o.truth().stream().filter(e -> e.originalMessageId() != null).toList();
        assertThat(bounces).isNotEmpty();
        for (GeneratedEntry e : bounces) {
            assertThat(lines[(int) e.line() - 1]).contains(" " + e.code() + " " + e.size() + " <> rfc822;");
        }
    }

    @Test
    void rejectedRelayIsLoggedAsJWithSizeZeroAndNoOriginalRecipient() {
        Output o = generate(GeneratorConfig.of(2000, 17));
        String[] lines = o.lines();
        List<GeneratedEntry> j = o.truth().stream().filter(e -> e.code().equals("JE")).toList();
        assertThat(j).isNotEmpty();
        for (GeneratedEntry e : j) {
            assertThat(e.size()).isZero();
            assertThat(e.originalRecipient()).isEmpty();
            assertThat(e.queueFile()).isNull();
            assertThat(lines[(int) e.line() - 1])
                    .contains("JE 0 " + e.sender() + " rfc822; " + e.recipient() + " ")
                    .contains(" 550 5.7.1 Relaying not permitted: " + e.recipient() + " ");
        }
    }

    @Test
    void channelsArePaddedToTwelveColumns() {
        Output o = generate(GeneratorConfig.of(1000, 19).withOptions(LogOptions.parse("filename,message_id")));
        String[] lines = o.lines();
        assertThat(o.truth()).noneMatch(e -> e.kind() == GeneratedEntry.Kind.CONNECTION);
        for (GeneratedEntry e : o.truth()) {
            String line = lines[(int) e.line() - 1];
            String channels = line.substring(24, 24 + 26);
            assertThat(channels).isEqualTo(pad(e.sourceChannel()) + " "
                    + pad(e.destinationChannel() == null ? "" : e.destinationChannel()) + " ");
            assertThat(line.substring(50)).startsWith(e.code() + " " + e.size() + " ");
        }
    }

    @Test
    void everyEnabledFieldTakesItsSlot() {
        Output o = generate(new GeneratorConfig(1500, 23, ALL, 1, null));
        String[] lines = o.lines();
        for (GeneratedEntry e : o.truth()) {
            if (e.kind() != GeneratedEntry.Kind.MESSAGE || e.diagnostic() != null || e.sourceSystem() != null) {
                continue;
            }
            // Without free text the line splits on single spaces into a fixed number of tokens:
            // code size from orig-to to, the 12 fields from notary to reason, the diagnostic, then transport,
            // application and queue time.
            String line = lines[(int) e.line() - 1];
            String rest = line.substring(line.indexOf(e.code() + " " + e.size() + " "));
            assertThat(rest.split(" ", -1)).as(line).hasSize(5 + 12 + 1 + 3);
        }
    }

    @Test
    void xmlLinesAreWellFormedAndSayWhatTheTruthSays() throws Exception {
        Output o = generate(new GeneratorConfig(1500, 29, ALL, 4, LocalDate.of(2025, 12, 31)));
        String[] lines = o.lines();
        DocumentBuilder xml = DocumentBuilderFactory.newInstance().newDocumentBuilder();
        for (GeneratedEntry e : o.truth()) {
            Element el = xml.parse(new ByteArrayInputStream(lines[(int) e.line() - 1].getBytes(StandardCharsets.UTF_8)))
                    .getDocumentElement();
            assertThat(el.getAttribute("ts")).isEqualTo(iso(e));
            assertThat(el.getAttribute("sc")).isEqualTo(e.sourceChannel());
            assertThat(el.getAttribute("ac")).isEqualTo(e.code());
            assertThat(el.getAttribute("pi")).isEqualTo(e.processId());
            assertThat(el.getAttribute("di")).isEqualTo(e.diagnostic() == null ? "" : e.diagnostic());
            if (e.kind() == GeneratedEntry.Kind.CONNECTION) {
                assertThat(el.getTagName()).isEqualTo("co");
                assertThat(el.getAttribute("dr")).isEqualTo(e.direction());
                assertThat(el.getAttribute("tr")).isEqualTo(e.transport());
                continue;
            }
            assertThat(el.getTagName()).isEqualTo("en");
            assertThat(el.getAttribute("so")).isEqualTo(e.sender());
            assertThat(el.getAttribute("od")).isEqualTo("rfc822;" + e.originalRecipient());
            assertThat(el.getAttribute("de")).isEqualTo(e.recipient());
            assertThat(el.getAttribute("sz")).isEqualTo(Long.toString(e.size()));
            String mi = e.messageId() == null ? ""
                    : e.originalMessageId() == null ? e.messageId() : e.messageId() + "," + e.originalMessageId();
            assertThat(el.getAttribute("mi")).isEqualTo(mi);
            assertThat(el.getAttribute("fi")).isEqualTo(e.queueFile() == null ? "" : e.queueFile());
            assertThat(el.getAttribute("ss")).isEqualTo(e.sourceSystem() == null ? "" : e.sourceSystem());
        }
    }

    @Test
    void maxEntriesStopsAtExactlyThatManyLinesAndKeepsThePrefix() {
        GeneratorConfig config = GeneratorConfig.of(1000, 31);
        Output full = generate(config);
        Output cut = generate(config.withMaxEntries(1234));
        assertThat(cut.truth()).hasSize(1234);
        assertThat(full.text()).startsWith(cut.text());
        assertThat(cut.text().split("\n")).hasSize(1234);
    }

    @Test
    void maxEntriesGoesOnIntoTheNextDayWhenOneDayIsNotEnough() {
        Output o = generate(GeneratorConfig.of(50, 37).withMaxEntries(2000));
        assertThat(o.truth()).hasSize(2000);
        assertThat(o.truth().get(1999).time().toLocalDate()).isAfter(GeneratorConfig.DEFAULT_DAY);
    }

    @Test
    void maxEntriesAloneSizesTheDay() {
        Output o = generate(new GeneratorConfig(0, 41, null, 1, null, 20_000));
        assertThat(o.truth()).hasSize(20_000);
        assertThat(o.truth().get(19_999).time().getHour()).isGreaterThanOrEqualTo(18);
    }

    private static String pad(String s) {
        return (s + "            ").substring(0, Math.max(12, s.length()));
    }

    private static String timestamp(GeneratedEntry e) {
        String[] months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        var t = e.time();
        return "%02d-%s-%04d %02d:%02d:%02d.%02d".formatted(t.getDayOfMonth(), months[t.getMonthValue() - 1],
                t.getYear(), t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 10_000_000);
    }

    private static String iso(GeneratedEntry e) {
        var t = e.time();
        return "%04d-%02d-%02dT%02d:%02d:%02d.%02d".formatted(t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
                t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 10_000_000);
    }
}
