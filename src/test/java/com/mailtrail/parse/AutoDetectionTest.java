package com.mailtrail.parse;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Auto-detected optional fields give each line the entry that the site's real option set gives it. Not every set
 * can be told from the lines: a lone number before the diagnostic is a sensitivity or a priority, whichever it is
 * (a site logging only LOG_PRIORITY is read as sensitivity), and a number after a diagnostic is the queue time only
 * when other lines have shown that field.
 */
class AutoDetectionTest {

    /** Read as a whole file: what the file's lines show together is enough. */
    @ParameterizedTest
    @ValueSource(strings = {"filename,message_id,username,sensitivity,priority,queue_time",
            "filename,message_id,queue_time", "filename,message_id,sensitivity", "process,filename,message_id",
            "filename,message_id,username,connection,transport,application,queue_time"})
    void wholeFileGivesTheEntriesOfTheRealOptions(String fields) throws IOException {
        assertThat(misread(fields, false)).isEmpty();
    }

    /** Read one line at a time (a tail round of one line): each line shows enough of itself. */
    @ParameterizedTest
    @ValueSource(strings = {"filename,message_id,sensitivity,priority", "process,filename,message_id",
            "filename,message_id,username,connection,transport,application,queue_time"})
    void aLineAloneGivesTheEntryOfTheRealOptions(String fields) throws IOException {
        assertThat(misread(fields, true)).isEmpty();
    }

    /** The lines of a generated log with {@code fields} that auto-detection reads otherwise than the real options. */
    private static List<String> misread(String fields, boolean lineByLine) throws IOException {
        LogOptions real = LogOptions.parse(fields);
        StringWriter w = new StringWriter();
        new LogGenerator(new GeneratorConfig(300, 3, real, 1, GeneratorConfig.DEFAULT_DAY)).generate(w, null);
        String text = w.toString();
        Parsed truth = Parsed.text(text, real);
        assertThat(truth.rejections()).isEmpty();
        String[] lines = text.split("\n");
        Parsed whole = lineByLine ? null : Parsed.text(text);
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < truth.json().size(); i++) {
            String expected = withoutPosition(truth.json().get(i).toString());
            Parsed read = lineByLine ? Parsed.text(lines[i] + "\n") : whole;
            int at = lineByLine ? 0 : i;
            String got = read.json().size() > at ? withoutPosition(read.json().get(at).toString()) : "rejected";
            if (!got.equals(expected)) {
                wrong.add(lines[i] + "\n  -> " + got);
            }
        }
        return wrong;
    }

    private static String withoutPosition(String json) {
        return json.replaceAll("\"(line|offset)\":\\d+,?", "");
    }
}
