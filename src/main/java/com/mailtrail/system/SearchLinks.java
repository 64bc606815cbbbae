package com.mailtrail.system;

import org.springframework.web.util.UriComponentsBuilder;

/** Links the server builds from log text and from what was typed: addresses, domains, channels. */
public final class SearchLinks {

    private SearchLinks() {
    }

    /**
     * The builder's URL with its query values encoded. {@code encode()} leaves a '+' as it is, legal in a query, and
     * the server reads it back as a space: john+news@shop.example was searched as "john news@shop.example". Our paths
     * and parameter names hold no '+', so every one left is a value's.
     */
    public static String of(UriComponentsBuilder link) {
        return link.build().encode().toUriString().replace("+", "%2B");
    }
}
