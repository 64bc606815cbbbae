package com.mailtrail.system;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.ApplicationContextFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.concurrent.CountDownLatch;

/**
 * A stop (SIGTERM, Ctrl-C) that comes while the server starts. Spring's close(), called by the shutdown hook,
 * interrupts the starting thread when it finds it waiting (on a connection, a lock of H2's, a migration's statement):
 * H2 then had its file channel closed under it ("IO Exception", the database closed) or a migration failed half way,
 * and the start ended in a stack trace. Here the stop waits for the step in progress instead (a schema migration is
 * completed: on H2 a migration's DDL commits as it goes, so a migration cut short would leave the next start a
 * half-made schema), and the start ends before the server serves requests or reads any log, with one line. A stop
 * that comes once the beans are made (the web server and the tailer starting) waits for the start to end and then
 * stops as any stop does (StopReads).
 */
public final class StopDuringStart {

    static final String MESSAGE = "Mailtrail was stopped while it started: the start ends here, before it serves "
            + "requests or reads logs; the database is whole and the next start goes on from it";
    private static final Logger log = LoggerFactory.getLogger(StopDuringStart.class);

    private StopDuringStart() {
    }

    /** The server's SpringApplication, whose context a stop during the start does not interrupt. */
    public static SpringApplication application(Class<?> source) {
        SpringApplication app = new SpringApplication(source) {
            // the context's refresh() is final: the start is marked around it here
            @Override
            protected void refresh(ConfigurableApplicationContext context) {
                if (!(context instanceof Context c)) {
                    super.refresh(context);
                    return;
                }
                c.starting = Thread.currentThread();
                try {
                    super.refresh(context);
                } finally {
                    c.starting = null;
                    c.refreshEnded.countDown();
                }
            }
        };
        app.setApplicationContextFactory(type -> type == WebApplicationType.SERVLET
                ? new Context() : ApplicationContextFactory.DEFAULT.create(type));
        return app;
    }

    /**
     * Ends a start that was stopped. An AbandonedRunException, so that Spring Boot neither reports it as a failure
     * (a stack trace) nor closes the context a second time; its text is what the log's one line says.
     */
    public static final class Stopped extends SpringApplication.AbandonedRunException {
        Stopped(ConfigurableApplicationContext context) {
            super(context);
        }

        @Override
        public String getMessage() {
            return MESSAGE;
        }

        @Override
        public String toString() {
            return MESSAGE;
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // never printed: it is the stop asked for, not a failure
        }
    }

    static final class Context extends AnnotationConfigServletWebServerApplicationContext {
        private final CountDownLatch refreshEnded = new CountDownLatch(1);
        private volatile Thread starting;
        private volatile boolean stopAsked;

        /** Makes the beans (the migrations run here); a stop asked before or meanwhile ends the start after it. */
        @Override
        protected void finishBeanFactoryInitialization(ConfigurableListableBeanFactory beanFactory) {
            endIfStopped();
            super.finishBeanFactoryInitialization(beanFactory);
            // before finishRefresh starts the web server, the tailer and the upload worker
            endIfStopped();
        }

        private void endIfStopped() {
            if (stopAsked) {
                throw new Stopped(this);
            }
        }

        @Override
        public void close() {
            Thread t = starting;
            if (t != null && t != Thread.currentThread()) {
                stopAsked = true;
                log.info("stop asked while starting: ending the start after its current step");
                awaitUninterruptibly();
            }
            super.close();
        }

        private void awaitUninterruptibly() {
            boolean interrupted = false;
            while (true) {
                try {
                    refreshEnded.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
