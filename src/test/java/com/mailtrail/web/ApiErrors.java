package com.mailtrail.web;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** How the API answers an error over real HTTP: this status, JSON, {"error"} and nothing else in it. */
final class ApiErrors {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ApiErrors() {
    }

    /** The {"error"} of an API answer of this status. */
    static String error(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).as(r.body())
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.propertyNames()).as(r.body()).containsExactly("error");
        return body.path("error").asString();
    }
}
