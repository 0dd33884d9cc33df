package io.hookgate.camel;

import io.hookgate.wire.HookgateHeaders;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * Lets out only the headers hookgate means to send: on HTTP answers and on Kafka records, every
 * header whose name is not listed (exactly or by prefix, case-insensitive) is dropped, so request
 * headers and Camel's internal headers are never echoed to a sender nor copied onto a record.
 * Incoming headers are all let in: the routes need to read them.
 */
public final class HeaderAllowList implements HeaderFilterStrategy {

    private final Set<String> names;
    private final List<String> prefixes;

    public HeaderAllowList(Set<String> names, List<String> prefixes) {
        this.names = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.prefixes = prefixes.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
    }

    /** The headers of HTTP answers. */
    public static HeaderAllowList httpAnswers() {
        return new HeaderAllowList(
                Set.of(HookgateHeaders.HTTP_CONTENT_TYPE, HookgateHeaders.HTTP_RETRY_AFTER,
                        HookgateHeaders.REQUEST_ID, "Connection"),
                List.of());
    }

    /** The headers of Kafka records: hookgate's own and the providers' (see {@link HookgateHeaders}). */
    public static HeaderAllowList kafkaRecords() {
        return new HeaderAllowList(Set.of(), List.of("hookgate-", "toloka-", "skyvern-", "x-skyvern-"));
    }

    /** {@code true} = filter out: Camel → HTTP answer or Kafka record. */
    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !allowed(headerName);
    }

    /** {@code true} = filter out: HTTP request or Kafka record → Camel. */
    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        return false;
    }

    private boolean allowed(String headerName) {
        String name = headerName.toLowerCase(Locale.ROOT);
        if (names.contains(name)) {
            return true;
        }
        for (String prefix : prefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
