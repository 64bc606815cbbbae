package com.mailtrail.ingest;

import com.mailtrail.store.RawText;

import java.io.ByteArrayOutputStream;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;

/**
 * Collects a file's raw lines and seals them into deflate-compressed blocks of about 64 KiB, so that the text of
 * any entry can be shown again without storing an indexed row per line. Blocks are handed over only up to a
 * checkpoint, so that what is stored matches the committed read position.
 */
final class RawBlocks {

    static final int BLOCK_BYTES = 64 * 1024;

    /** A block of lines: its place in the file, the time range of its entries and its compressed text. */
    static final class Block {
        final long firstLine;
        final long firstOffset;
        int lineCount;
        int byteCount;
        LocalDateTime firstTime;
        LocalDateTime lastTime;
        byte[] data;

        Block(long firstLine, long firstOffset) {
            this.firstLine = firstLine;
            this.firstOffset = firstOffset;
        }

        long lastLine() {
            return firstLine + lineCount - 1;
        }

        void time(LocalDateTime t) {
            if (firstTime == null || t.isBefore(firstTime)) {
                firstTime = t;
            }
            if (lastTime == null || t.isAfter(lastTime)) {
                lastTime = t;
            }
        }
    }

    private final Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    private byte[] text = new byte[BLOCK_BYTES * 2];
    private int length;
    private Block current;
    private long lastOffset;
    private final List<Block> sealed = new ArrayList<>();

    void add(byte[] b, int s, int e, long line, long offset) {
        if (current != null && length >= BLOCK_BYTES) {
            seal(); // before adding, so a sealed block never holds a line beyond the coming checkpoint
        }
        if (current == null) {
            current = new Block(line, offset);
        } else {
            text[length++] = '\n';
        }
        int n = e - s;
        if (length + n + 1 > text.length) {
            text = Arrays.copyOf(text, Math.max(text.length * 2, length + n + 1));
        }
        System.arraycopy(b, s, text, length, n);
        length += n;
        current.lineCount = (int) (line - current.firstLine + 1);
        lastOffset = offset;
    }

    /** An entry's time, to give its block a time range (used to find lines imported before). */
    void time(long line, LocalDateTime t) {
        if (current != null && line >= current.firstLine) {
            current.time(t);
            return;
        }
        for (int i = sealed.size() - 1; i >= 0; i--) {
            Block block = sealed.get(i);
            if (line >= block.firstLine) {
                block.time(t);
                return;
            }
        }
    }

    private void seal() {
        if (current == null) {
            return;
        }
        current.byteCount = length;
        current.data = deflate(text, 0, length);
        sealed.add(current);
        current = null;
        length = 0;
    }

    private byte[] deflate(byte[] b, int s, int n) {
        deflater.reset();
        deflater.setInput(b, s, n);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream(n / 4 + 64);
        byte[] chunk = new byte[16 * 1024];
        while (!deflater.finished()) {
            int r = deflater.deflate(chunk);
            out.write(chunk, 0, r);
        }
        return out.toByteArray();
    }

    /**
     * Hands over the blocks of all lines up to {@code lastLine}. A line added after it (the reader looks one line
     * ahead, so at most one) stays for the next checkpoint.
     */
    List<Block> drain(long lastLine) {
        byte[] rest = null;
        long restLine = 0;
        if (current != null && current.lastLine() > lastLine) {
            int cut = length;
            while (cut > 0 && text[cut - 1] != '\n') {
                cut--;
            }
            rest = Arrays.copyOfRange(text, cut, length);
            restLine = current.lastLine();
            if (cut == 0) {
                current = null;
                length = 0;
            } else {
                length = cut - 1;
                current.lineCount--;
            }
        }
        seal();
        List<Block> out = new ArrayList<>(sealed);
        sealed.clear();
        if (rest != null) {
            add(rest, 0, rest.length, restLine, lastOffset);
        }
        return out;
    }

    /** The lines of a stored block. */
    static List<byte[]> lines(byte[] data, int byteCount) {
        byte[] text = RawText.inflate(data, byteCount);
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length; i++) {
            if (text[i] == '\n') {
                lines.add(Arrays.copyOfRange(text, start, i));
                start = i + 1;
            }
        }
        lines.add(Arrays.copyOfRange(text, start, text.length));
        return lines;
    }

    void close() {
        deflater.end();
    }
}
