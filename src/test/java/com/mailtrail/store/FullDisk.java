package com.mailtrail.store;

import org.h2.store.fs.FileBase;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An H2 file system ({@code jdbc:h2:fulldisk:/path/db}) over the real disk whose writes fail with the operating
 * system's "No space left on device" while {@link #full} is set: H2's own reaction to a full disk, without filling one.
 */
public final class FullDisk extends FilePathWrapper {

    /** While true, every write to a file opened through this scheme fails as on a full disk. */
    public static volatile boolean full;

    /** Writes refused so far: a test waits on it for a write that H2 makes in the background. */
    public static final AtomicInteger refused = new AtomicInteger();

    private static final FullDisk INSTANCE = new FullDisk();

    /** Makes {@code fulldisk:} known to H2 (once per JVM is enough; again is harmless). */
    public static void register() {
        FilePath.register(INSTANCE);
    }

    /**
     * A Spring test server whose H2 file and uploads live in {@code dir} on this disk; no compaction after loads, so
     * that a test decides when the file is rewritten.
     */
    public static void serverIn(DynamicPropertyRegistry registry, Path dir) {
        register();
        registry.add("spring.datasource.url", () -> "jdbc:h2:fulldisk:" + dir.resolve("mailtrail")
                + ";AUTO_SERVER=FALSE;CACHE_SIZE=8192");
        registry.add("mailtrail.ingest.upload-dir", () -> dir.resolve("uploads").toString());
        registry.add("mailtrail.ingest.compact-after", () -> "0");
    }

    @Override
    public String getScheme() {
        return "fulldisk";
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        return new Channel(super.open(mode));
    }

    private static final class Channel extends FileBase {
        private final FileChannel base;

        Channel(FileChannel base) {
            this.base = base;
        }

        private static void check() throws IOException {
            if (full) {
                refused.incrementAndGet();
                throw new IOException("No space left on device");
            }
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            check();
            return base.write(src);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            check();
            return base.write(src, position);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return base.read(dst);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return base.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return base.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            base.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return base.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            check();
            base.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            base.force(metaData);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return base.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            base.close();
        }
    }
}
