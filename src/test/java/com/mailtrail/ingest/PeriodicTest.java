package com.mailtrail.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class PeriodicTest {

    /**
     * A stop that came while the server started reached the tailer's first round after StopReads had ended the
     * reads: the round met "Mailtrail is stopping" and that was logged as a failure with a stack trace.
     */
    @Test
    void aRoundThatMeetsTheStopSaysSoInOneLine(CapturedOutput output) throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(2);
        Periodic periodic = new Periodic("stopping-round", () -> {
            ran.countDown();
            throw new IngestException.Stopped("Mailtrail is stopping: nothing more is read");
        });
        periodic.start(Duration.ZERO, Duration.ofMillis(10));
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        periodic.stop();
        assertThat(output.getAll()).contains("stopping-round: Mailtrail is stopping: nothing more is read")
                .doesNotContain("ERROR", "\tat ", "stopping-round failed");
    }

    @Test
    void aRoundThatFailsIsLoggedAndTheNextComesAllTheSame(CapturedOutput output) throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(2);
        Periodic periodic = new Periodic("failing-round", () -> {
            ran.countDown();
            throw new IllegalStateException("boom");
        });
        periodic.start(Duration.ZERO, Duration.ofMillis(10));
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        periodic.stop();
        assertThat(output.getAll()).contains("failing-round failed", "boom");
    }
}
