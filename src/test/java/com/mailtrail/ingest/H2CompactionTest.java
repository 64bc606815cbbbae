package com.mailtrail.ingest;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class H2CompactionTest {

    @Test
    void findsTheFileOfAnEmbeddedH2FileDatabaseOnly() {
        assertThat(H2Compaction.h2File("jdbc:h2:file:./data/mailtrail;AUTO_SERVER=FALSE;CACHE_SIZE=8192"))
                .isEqualTo(Path.of("./data/mailtrail.mv.db"));
        assertThat(H2Compaction.h2File("jdbc:h2:/var/lib/mailtrail/db")).isEqualTo(Path.of("/var/lib/mailtrail/db.mv.db"));
        assertThat(H2Compaction.h2File("jdbc:h2:~/mt")).isEqualTo(Path.of(System.getProperty("user.home") + "/mt.mv.db"));
        assertThat(H2Compaction.h2File("jdbc:h2:mem:test;DB_CLOSE_DELAY=-1")).isNull();
        assertThat(H2Compaction.h2File("jdbc:h2:tcp://db:9092/mailtrail")).isNull();
        assertThat(H2Compaction.h2File("jdbc:postgresql://localhost:5432/mailtrail")).isNull();
        assertThat(H2Compaction.h2File(null)).isNull();
    }
}
