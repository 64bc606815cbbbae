package com.mailtrail.ingest.upload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UploadManifestTest {

    @TempDir
    Path dir;

    @Test
    void aJobReadBackHasItsNamesTimeAndTheFilesStillThere() throws Exception {
        Path first = Files.writeString(dir.resolve("1.upload"), "a");
        Path second = Files.writeString(dir.resolve("2.upload"), "bb");
        String odd = "mail.log = yesterday: ü #1\\ \"x\".gz";
        Instant accepted = Instant.parse("2026-11-28T22:15:00.123456Z");
        UploadManifest.write(new UploadJob("abc", dir, List.of(new UploadFile("mail.log", first, 1, false, 10),
                new UploadFile(odd, second, 2, true, 400)), accepted));

        UploadJob job = UploadManifest.read("abc", dir).orElseThrow();
        assertThat(job.id()).isEqualTo("abc");
        assertThat(job.created()).isEqualTo(accepted);
        assertThat(job.files()).extracting(UploadFile::name).containsExactly("mail.log", odd);
        UploadFile f = job.files().get(1);
        assertThat(f.path()).isEqualTo(second);
        assertThat(f.bytesTotal()).isEqualTo(2);
        assertThat(f.gzip()).isTrue();
        assertThat(f.decompressedLimit()).isEqualTo(400);

        // the first read to its end (removed): only the second is left to read
        Files.delete(first);
        assertThat(UploadManifest.read("abc", dir).orElseThrow().files()).extracting(UploadFile::name)
                .containsExactly(odd);
        Files.delete(second);
        assertThat(UploadManifest.read("abc", dir)).isEmpty();
    }

    @Test
    void noManifestOrADamagedOneIsNoJob() throws Exception {
        Files.writeString(dir.resolve("1.upload"), "a");
        assertThat(UploadManifest.read("x", dir)).isEmpty();
        Files.writeString(dir.resolve(UploadManifest.NAME), "files=2\nfile.0.name=a\n");
        assertThat(UploadManifest.read("x", dir)).isEmpty();
    }

    @Test
    void aJobCutOffAtEveryStartIsGivenUpButCleanStopsDoNotCount() {
        for (int i = 0; i < UploadManifest.MAX_STARTS; i++) {
            assertThat(UploadManifest.anotherStart(dir)).isTrue();
            UploadManifest.stoppedCleanly(dir);
        }
        for (int i = 0; i < UploadManifest.MAX_STARTS; i++) {
            assertThat(UploadManifest.anotherStart(dir)).isTrue(); // crashes: nothing resets the count
        }
        assertThat(UploadManifest.anotherStart(dir)).isFalse();
    }
}
