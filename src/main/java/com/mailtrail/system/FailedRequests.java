package com.mailtrail.system;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.ui.ExtendedModelMap;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * What no exception handler took: the database failing under a request, or a fault of Mailtrail's own. A database
 * that cannot write or read its storage, or cannot be reached, is a 503 with the reason in the user's terms
 * ({@link DatabaseFailure}: "the database is closed: H2 closed it when it could not write its file ... (No space left
 * on device)"); anything else a 500 with a short message. The API answers {@code {"error"}}, the pages the error
 * page; the technical detail goes to the server's log once, with its stack trace, and never to the client (it was
 * Spring's default body, and Tomcat's log line). A resolver after Spring's own rather than advice: the features'
 * {@code @ExceptionHandler}s and Spring's answers to malformed requests come first, whatever order advice is in.
 */
@Component
class FailedRequests implements HandlerExceptionResolver, Ordered {

    private static final Logger log = LoggerFactory.getLogger(FailedRequests.class);

    static final String UNEXPECTED = "an unexpected error stopped this request; the server's log has the details";

    private final Path databaseFile;

    FailedRequests(@Value("${spring.datasource.url:}") String url) {
        this.databaseFile = DatabaseFailure.h2File(url);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
                                         Exception e) {
        if (response.isCommitted()) {
            return null; // part of the answer is out: nothing can replace it, and the container logs the failure
        }
        String what = request.getMethod() + " " + printable(request.getRequestURI());
        String database = DatabaseFailure.describe(e, databaseFile);
        HttpStatus status;
        String reason;
        if (database != null) {
            status = HttpStatus.SERVICE_UNAVAILABLE;
            reason = database;
            log.warn("{}: {}; the database said:", what, database, e);
        } else {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
            reason = UNEXPECTED;
            log.error("{}: unexpected failure", what, e);
        }
        if (!ApiError.api(request)) {
            ExtendedModelMap model = new ExtendedModelMap();
            return new ModelAndView(ErrorPage.show(model, status, reason), model, status);
        }
        try {
            response.setStatus(status.value());
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getWriter().write(JsonMapper.shared().writeValueAsString(Map.of("error", reason)));
        } catch (IOException | IllegalStateException gone) {
            // the client went away: there is no one to tell
        }
        return new ModelAndView(); // answered: no view to render
    }

    /** A request's address as it may go into the log: a control character in it cannot forge a line. */
    private static String printable(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), 200));
        for (int i = 0; i < s.length() && out.length() < 200; i++) {
            char c = s.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return out.toString();
    }
}
