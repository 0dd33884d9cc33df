package io.hookgate.camel;

import static io.hookgate.wire.RejectedRequestException.Reason.UNSUPPORTED_MEDIA_TYPE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hookgate.wire.RejectedRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequireJsonTest {

    private static final byte[] BODY = "{\"events\":[]}".getBytes(StandardCharsets.UTF_8);

    private final CamelContext context = new DefaultCamelContext();
    private final RequireJson requireJson = new RequireJson();

    /** Started, as in a running route: message headers are then case-insensitive. */
    @BeforeEach
    void startContext() {
        context.start();
    }

    @AfterEach
    void closeContext() throws Exception {
        context.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "application/json",
        "application/json; charset=utf-8",
        "application/json;charset=UTF-8",
        "Application/JSON",
        " application/json ",
        "application/cloudevents+json",
        "application/problem+json; charset=utf-8"
    })
    void shouldAcceptJson(String contentType) {
        Exchange exchange = exchange(contentType);

        assertDoesNotThrow(() -> requireJson.process(exchange));
        assertArrayEquals(BODY, exchange.getMessage().getBody(byte[].class));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {
        "",
        "application/x-www-form-urlencoded",
        "text/plain",
        "text/json",
        "multipart/form-data; boundary=x",
        "application/jsonp",
        "application/json-patch",
        "application/octet-stream",
        "text/plain; note=application/json"
    })
    void shouldRefuseAnythingElseAsUnsupportedMediaType(String contentType) {
        Exchange exchange = exchange(contentType);

        RejectedRequestException e = assertThrows(RejectedRequestException.class, () -> requireJson.process(exchange));

        assertEquals(UNSUPPORTED_MEDIA_TYPE, e.reason());
        assertEquals(415, Rejection.of(e).status());
    }

    private Exchange exchange(String contentType) {
        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(InboundRequest.PROPERTY, new InboundRequest("request-1", "toloka",
                Instant.parse("2031-01-01T00:00:00Z"), "/webhooks/toloka", contentType, Map.of(), BODY, BODY.length));
        exchange.getMessage().setBody(BODY);
        return exchange;
    }
}
