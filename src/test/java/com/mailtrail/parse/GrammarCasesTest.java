package com.mailtrail.parse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every example of the grammar reference and every variation the parser must cope with, as data:
 * src/test/resources/grammar/cases.txt (its header explains the format).
 */
class GrammarCasesTest {

    record Case(String name, String options, List<String> input, List<Map<String, String>> expected,
                List<String> rejections) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                GrammarCasesTest.class.getResourceAsStream("/grammar/cases.txt"), StandardCharsets.UTF_8))) {
            Case current = null;
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("=== ")) {
                    current = new Case(line.substring(4).trim(), "auto", new ArrayList<>(), new ArrayList<>(),
                            new ArrayList<>());
                    cases.add(current);
                } else if (current == null || line.startsWith("#") || line.isBlank()) {
                    continue;
                } else if (line.startsWith("options:")) {
                    cases.set(cases.size() - 1, current = new Case(current.name(), line.substring(8).trim(),
                            current.input(), current.expected(), current.rejections()));
                } else if (line.equals("<")) {
                    current.input().add("");
                } else if (line.startsWith("< ")) {
                    current.input().add(line.substring(2));
                } else if (line.startsWith("> ") || line.equals(">")) {
                    current.expected().add(fields(line.length() > 2 ? line.substring(2) : ""));
                } else if (line.startsWith("! ")) {
                    current.rejections().add(line.substring(2).trim());
                } else {
                    throw new IllegalStateException("cases.txt: cannot read line: " + line);
                }
            }
        }
        return cases;
    }

    /** {@code key=value; key="quoted; value"; ...} */
    static Map<String, String> fields(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && text.charAt(i) == ' ') {
                i++;
            }
            if (i >= text.length()) {
                break;
            }
            int eq = text.indexOf('=', i);
            String key = text.substring(i, eq).trim();
            int v = eq + 1;
            String value;
            if (v < text.length() && text.charAt(v) == '"') {
                StringBuilder sb = new StringBuilder();
                int j = v + 1;
                while (text.charAt(j) != '"') {
                    if (text.charAt(j) == '\\') {
                        j++;
                    }
                    sb.append(text.charAt(j++));
                }
                value = sb.toString();
                i = text.indexOf(';', j);
                i = i < 0 ? text.length() : i + 1;
            } else {
                int semi = text.indexOf("; ", v);
                if (semi < 0) {
                    value = text.substring(v);
                    if (value.endsWith(";")) {
                        value = value.substring(0, value.length() - 1);
                    }
                    i = text.length();
                } else {
                    value = text.substring(v, semi);
                    i = semi + 2;
                }
            }
            out.put(key, value);
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void parsesAsTheReferenceDescribes(Case c) {
        Parsed parsed = Parsed.text(String.join("\n", c.input()) + "\n", LogOptions.parse(c.options()));
        List<String> rejectionText = parsed.rejections().stream().map(r -> r.line() + ": " + r.reason()).toList();
        assertThat(parsed.json()).as("entries of %s (rejected: %s)", c.name(), rejectionText)
                .hasSize(c.expected().size());
        for (int i = 0; i < c.expected().size(); i++) {
            JsonNode actual = parsed.json().get(i);
            for (Map.Entry<String, String> f : c.expected().get(i).entrySet()) {
                JsonNode node = actual.get(f.getKey());
                String want = f.getValue();
                String context = c.name() + " entry " + (i + 1) + " field " + f.getKey() + " in " + actual;
                if (want.equals("null")) {
                    assertThat(node).as(context).isNull();
                } else {
                    if (node == null) {
                        fail(context + ": missing, expected " + want);
                    }
                    assertThat(node.isString() ? node.asString() : node.toString()).as(context).isEqualTo(want);
                }
            }
        }
        assertThat(parsed.rejections()).as("rejections of %s: %s", c.name(), rejectionText)
                .hasSize(c.rejections().size());
        for (int i = 0; i < c.rejections().size(); i++) {
            String want = c.rejections().get(i);
            int colon = want.indexOf(':');
            LogReader.Rejection r = parsed.rejections().get(i);
            assertThat(r.line()).as(c.name()).isEqualTo(Long.parseLong(want.substring(0, colon).trim()));
            assertThat(r.reason()).as(c.name()).containsIgnoringCase(want.substring(colon + 1).trim());
        }
    }
}
