package com.mailtrail.system;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A parameter given more than once is refused, naming it. Spring binds {@code recipient=a&recipient=b} to a String as
 * "a,b": a search for an address no one has, which found 0 without a word, while a repeated status or sort was
 * refused only because "a,b" is no status. No page or API address takes several values of a parameter (a search is
 * one value per field; a second recipient is a second search), so each is taken once, on every page and API address,
 * before the controller binds anything. Only for GET (and HEAD): an upload's form may carry several files under one
 * name.
 */
@Configuration(proxyBeanMethods = false)
class RepeatedParameters implements WebMvcConfigurer, HandlerInterceptor {

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        // the error page's own dispatch sees the request's parameters again: checked once, on the request itself
        if (request.getDispatcherType() != DispatcherType.REQUEST || !(handler instanceof HandlerMethod)
                || !(request.getMethod().equals("GET") || request.getMethod().equals("HEAD"))) {
            return true;
        }
        for (Map.Entry<String, String[]> p : request.getParameterMap().entrySet()) {
            if (p.getValue().length > 1) {
                throw new Repeated(p.getKey(), p.getValue());
            }
        }
        return true;
    }

    /** A parameter given more than once: RequestErrors answers it with a 400 in the request's own form. */
    static final class Repeated extends RuntimeException {

        Repeated(String name, String[] values) {
            super(RequestErrors.shown(name) + " may be given only once; got " + values.length + " values: "
                    + RequestErrors.shown(Stream.of(values).map(v -> "'" + v + "'").collect(Collectors.joining(", "))));
        }
    }
}
