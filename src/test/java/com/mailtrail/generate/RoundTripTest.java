package com.mailtrail.generate;

import com.mailtrail.parse.ConnectionEntry;
import com.mailtrail.parse.Entry;
import com.mailtrail.parse.LogOptions;
import com.mailtrail.parse.LogReader;
import com.mailtrail.parse.MessageEntry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Generator → parser: every generated line parses back to exactly what the generator says it wrote. */
class RoundTripTest {

    private static final String ALL_FIELDS = "node,process,notary,filename,envelope_id,message_id,username,"
            + "connection,sensitivity,priority,intermediate,initial,filter,reason,transport,application,queue_time";
    /** Every field auto mode can recognise by its shape (not intermediate, initial, filter, reason). */
    private static final String SHAPED_FIELDS = "node,process,notary,filename,envelope_id,message_id,username,"
            + "connection,sensitivity,priority,transport,application,queue_time";

    static Stream<Arguments> optionSets() {
        return Stream.of(
                Arguments.of("default", 1, "auto"),
                Arguments.of("none", 1, "none"),
                Arguments.of("filename,message_id", 1, "filename,message_id"),
                Arguments.of("process,filename,message_id,connection", 1, "process,filename,message_id,connection"),
                Arguments.of(SHAPED_FIELDS, 1, SHAPED_FIELDS),
                Arguments.of(ALL_FIELDS, 1, ALL_FIELDS),
                Arguments.of("format 2 default", 2, "auto"),
                Arguments.of("format 4 default", 4, "auto"),
                Arguments.of("format 4 all", 4, ALL_FIELDS));
    }

    @ParameterizedTest(name = "{0} (format {1})")
    @MethodSource("optionSets")
    void explicitOptionsRecoverEveryField(String name, int format, String fields) throws IOException {
        GeneratorConfig config = GeneratorConfig.of(400, 42).withFormat(format).withOptions(LogOptions.parse(fields));
        roundTrip(config, LogOptions.parse(fields.equals("auto") ? "process,filename,message_id,connection,transport,"
                + "application" : fields), format == 4);
    }

    @ParameterizedTest(name = "{0} (format {1})")
    @MethodSource("optionSets")
    void autoDetectionRecoversEveryField(String name, int format, String fields) throws IOException {
        if (fields.equals(ALL_FIELDS) && format != 4) {
            return; // intermediate/initial/filter/reason have no shape: only explicit options place them
        }
        GeneratorConfig config = GeneratorConfig.of(400, 7).withFormat(format).withOptions(LogOptions.parse(fields));
        roundTrip(config, LogOptions.auto(), format == 4);
    }

    private static void roundTrip(GeneratorConfig config, LogOptions parseWith, boolean xml) throws IOException {
        StringWriter text = new StringWriter();
        List<GeneratedEntry> truth = new ArrayList<>();
        new LogGenerator(config).generate(text, truth::add);
        List<Entry> parsed = new ArrayList<>();
        List<LogReader.Rejection> rejected = new ArrayList<>();
        new LogReader(parseWith).read(new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)),
                new LogReader.Sink() {
                    @Override
                    public void entry(Entry entry) {
                        parsed.add(entry);
                    }

                    @Override
                    public void rejected(LogReader.Rejection rejection) {
                        rejected.add(rejection);
                    }
                });
        assertThat(rejected).isEmpty();
        assertThat(parsed).hasSameSizeAs(truth);
        assertThat(truth).hasSizeGreaterThan(1000);
        for (int i = 0; i < truth.size(); i++) {
            GeneratedEntry want = truth.get(i);
            Entry got = parsed.get(i);
            String line = text.toString().lines().skip(i).findFirst().orElseThrow();
            assertThat(got.line()).isEqualTo(want.line());
            assertThat(got.time()).as(line).isEqualTo(want.time());
            if (want.kind() == GeneratedEntry.Kind.CONNECTION) {
                ConnectionEntry c = (ConnectionEntry) got;
                assertThat(c.channel()).as(line).isEqualTo(want.sourceChannel());
                assertThat(c.code()).as(line).isEqualTo(want.code());
                assertThat(c.inbound()).as(line).isEqualTo("+".equals(want.direction()));
                assertThat(c.processId()).as(line).isEqualTo(want.processId());
                assertThat(c.transport()).as(line).isEqualTo(want.transport());
                assertThat(c.application()).as(line).isEqualTo(want.application());
                assertThat(c.diagnostic()).as(line).isEqualTo(want.diagnostic());
                continue;
            }
            MessageEntry m = (MessageEntry) got;
            assertThat(m.code()).as(line).isEqualTo(want.code());
            assertThat(m.node()).as(line).isEqualTo(want.node());
            assertThat(m.processId()).as(line).isEqualTo(want.processId());
            assertThat(m.sourceChannel()).as(line).isEqualTo(want.sourceChannel());
            assertThat(m.destinationChannel()).as(line).isEqualTo(want.destinationChannel());
            assertThat(m.size()).as(line).isEqualTo(want.size());
            assertThat(m.sender()).as(line).isEqualTo(want.sender());
            assertThat(m.originalRecipient()).as(line).isEqualTo(want.originalRecipient());
            assertThat(m.recipient()).as(line).isEqualTo(want.recipient());
            assertThat(m.notaryFlags()).as(line).isEqualTo(want.notaryFlags());
            assertThat(m.queueFile() == null ? null : m.queueFile().path()).as(line).isEqualTo(want.queueFile());
            assertThat(m.envelopeId()).as(line).isEqualTo(want.envelopeId());
            assertThat(m.messageId()).as(line).isEqualTo(want.messageId());
            assertThat(m.originalMessageId()).as(line).isEqualTo(want.originalMessageId());
            assertThat(m.username()).as(line).isEqualTo(want.username());
            assertThat(m.sourceSystem()).as(line).isEqualTo(want.sourceSystem());
            assertThat(m.sensitivity()).as(line).isEqualTo(want.sensitivity());
            assertThat(m.priority()).as(line).isEqualTo(want.priority());
            assertThat(m.intermediateAddress()).as(line).isEqualTo(want.intermediateAddress());
            assertThat(m.initialAddress()).as(line).isEqualTo(want.initialAddress());
            assertThat(m.filter()).as(line).isEqualTo(want.filter());
            assertThat(m.reason()).as(line).isEqualTo(want.reason());
            assertThat(m.diagnostic()).as(line).isEqualTo(want.diagnostic());
            assertThat(m.transport()).as(line).isEqualTo(want.transport());
            assertThat(m.application()).as(line).isEqualTo(want.application());
            assertThat(m.queueTime()).as(line).isEqualTo(want.queueTime());
        }
    }
}
