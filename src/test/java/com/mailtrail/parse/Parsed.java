package com.mailtrail.parse;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What reading one input produced: entries (also as their convert JSON), rejections and the summary. */
record Parsed(List<Entry> entries, List<JsonNode> json, List<LogReader.Rejection> rejections,
              LogReader.Summary summary) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static Parsed text(String text, LogOptions options) {
        return bytes(text.getBytes(StandardCharsets.UTF_8), options);
    }

    static Parsed text(String text) {
        return text(text, LogOptions.auto());
    }

    static Parsed bytes(byte[] bytes, LogOptions options) {
        return stream(new ByteArrayInputStream(bytes), options);
    }

    static Parsed stream(InputStream in, LogOptions options) {
        List<Entry> entries = new ArrayList<>();
        List<JsonNode> json = new ArrayList<>();
        List<LogReader.Rejection> rejections = new ArrayList<>();
        try {
            LogReader.Summary summary = new LogReader(options).read(in, new LogReader.Sink() {
                @Override
                public void entry(Entry entry) {
                    entries.add(entry);
                    JsonBuffer buffer = new JsonBuffer();
                    EntryJson.write(buffer, "test.log", entry);
                    json.add(JSON.readTree(buffer.toString()));
                }

                @Override
                public void rejected(LogReader.Rejection rejection) {
                    rejections.add(rejection);
                }
            });
            return new Parsed(entries, json, rejections, summary);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Parsed resource(String name) {
        try (InputStream in = Parsed.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return bytes(in.readAllBytes(), LogOptions.auto());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    MessageEntry message(int i) {
        return (MessageEntry) entries.get(i);
    }
}
