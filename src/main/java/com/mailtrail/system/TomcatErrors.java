package com.mailtrail.system;

import jakarta.servlet.ServletException;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.util.unit.DataSize;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * What Tomcat answers itself, before Spring sees the request (a request line and headers over
 * {@code server.max-http-request-header-size}, a malformed request, an encoded slash in the path): a JSON
 * {@code {"error"}} instead of Tomcat's HTML page, for the API and for a request too broken to tell where it was going;
 * for the pages, a short HTML page with the status alone. Both carry the security headers of every other answer
 * (SecurityHeaders), which Tomcat's own page went without.
 */
@Configuration(proxyBeanMethods = false)
class TomcatErrors {

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE) // after Spring Boot's customizer, whose ErrorReportValve this one replaces
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonErrorReports(
            @Value("${server.max-http-request-header-size:8KB}") DataSize maxHeader) {
        return factory -> factory.addContextCustomizers(context -> {
            var host = context.getParent().getPipeline();
            for (Valve v : host.getValves()) {
                if (v instanceof ErrorReportValve) {
                    host.removeValve(v);
                }
            }
            host.addValve(new JsonErrorReportValve(maxHeader));
            // else the host, finding no valve of its error report class at start, adds Tomcat's full report too
            ((StandardHost) context.getParent()).setErrorReportValveClass(JsonErrorReportValve.class.getName());
        });
    }

    static final class JsonErrorReportValve extends ErrorReportValve {
        private final DataSize maxHeader;

        JsonErrorReportValve(DataSize maxHeader) {
            this.maxHeader = maxHeader;
            setShowReport(false);
            setShowServerInfo(false);
        }

        /** Before anything: a request Tomcat refuses before Spring's filters has no other way to get them. */
        @Override
        public void invoke(Request request, Response response) throws IOException, ServletException {
            SecurityHeaders.set(response);
            super.invoke(request, response);
        }

        @Override
        protected void report(Request request, Response response, Throwable throwable) {
            String uri = request.getRequestURI();
            boolean api = uri == null || uri.isEmpty() || uri.startsWith("/api/");
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.getCoyoteResponse().setErrorReported()) {
                return; // answered by the application, or already reported
            }
            SecurityHeaders.set(response); // again: an exception resets the response before its report
            if (!api) {
                page(response, status);
                return;
            }
            // Tomcat's reason ("Request header is too large") is in English already, but names no limit
            String told = throwable == null ? null : throwable.getMessage();
            String reason = told != null && told.contains("header is too large")
                    ? "the request's address and headers are longer than " + maxHeader.toKilobytes() + " KB "
                    + "(server.max-http-request-header-size); ask for less at once"
                    : "the request is not valid HTTP" + (told == null ? "" : " (" + told + ")");
            try {
                response.setContentType("application/json");
                response.setCharacterEncoding(StandardCharsets.UTF_8.name());
                Writer w = response.getReporter();
                if (w != null) {
                    w.write("{\"error\":\"" + reason.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // the client is gone: nothing to tell it
            }
        }

        /**
         * The status and nothing else, as Tomcat's page said it (set not to show its reason or its name), without
         * its inline style, which the security policy now sent with it would block.
         */
        private static void page(Response response, int status) {
            HttpStatus known = HttpStatus.resolve(status);
            String title = status + (known == null ? "" : " " + known.getReasonPhrase());
            try {
                response.setContentType("text/html");
                response.setCharacterEncoding(StandardCharsets.UTF_8.name());
                Writer w = response.getReporter();
                if (w != null) {
                    w.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Mailtrail: "
                            + title + "</title></head>\n<body><h1>" + title + "</h1>\n<p>Mailtrail could not answer "
                            + "this request.</p>\n<p><a href=\"/\">Back to the dashboard</a></p></body></html>\n");
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // the client is gone: nothing to tell it
            }
        }
    }
}
