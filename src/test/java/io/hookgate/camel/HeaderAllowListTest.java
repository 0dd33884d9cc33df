package io.hookgate.camel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeaderAllowListTest {

    private static CamelContext context;
    private static Exchange exchange;

    @BeforeAll
    static void createExchange() {
        context = new DefaultCamelContext();
        exchange = new DefaultExchange(context);
    }

    @AfterAll
    static void closeContext() throws Exception {
        context.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Content-Type", "content-type", "CONTENT-TYPE",
        "Retry-After", "retry-after",
        "hookgate-request-id", "Hookgate-Request-Id", "HOOKGATE-REQUEST-ID",
        // Answers.rejected() sets "Connection: close" when the body was left unread (too large, stalled)
        "Connection"
    })
    void shouldLetTheAnswerHeadersOutOfAnHttpAnswer(String name) {
        assertFalse(HeaderAllowList.httpAnswers().applyFilterToCamelHeaders(name, "value", exchange));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Toloka-Signature", "toloka-signature", "CamelHttpResponseCode", "CamelHttpPath", "User-Agent", "Host",
        "Authorization", "Cookie", "Content-Length", "kafka.KEY", "hookgate-source", "hookgate-reason",
        "hookgate-request-id-x", "x-skyvern-signature", "Content-Type2"
    })
    void shouldFilterEveryOtherHeaderFromAnHttpAnswer(String name) {
        assertTrue(HeaderAllowList.httpAnswers().applyFilterToCamelHeaders(name, "value", exchange));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "hookgate-source", "hookgate-reason", "HOOKGATE-REQUEST-ID",
        "toloka-event-type", "toloka-signature", "Toloka-Signature",
        "skyvern-run-id", "x-skyvern-signature", "X-Skyvern-Timestamp"
    })
    void shouldLetHookgateAndProviderHeadersOntoAKafkaRecord(String name) {
        assertFalse(HeaderAllowList.kafkaRecords().applyFilterToCamelHeaders(name, "value".getBytes(), exchange));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "kafka.KEY", "kafka.OVERRIDE_TOPIC", "kafka.PARTITION_KEY", "Content-Type", "CamelHttpPath",
        "CamelHttpResponseCode", "User-Agent", "Authorization", "hookgate", "toloka", "x-hookgate-source",
        "x-skyvern", "my-toloka-header"
    })
    void shouldFilterEveryOtherHeaderFromAKafkaRecord(String name) {
        assertTrue(HeaderAllowList.kafkaRecords().applyFilterToCamelHeaders(name, "value", exchange));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Toloka-Signature", "User-Agent", "Host", "Content-Type", "Content-Length", "Authorization",
        "kafka.KEY", "CamelHttpPath", "anything-at-all"
    })
    void shouldNeverFilterIncomingHeaders(String name) {
        assertFalse(HeaderAllowList.httpAnswers().applyFilterToExternalHeaders(name, "value", exchange));
        assertFalse(HeaderAllowList.kafkaRecords().applyFilterToExternalHeaders(name, "value", exchange));
    }

    @Test
    void shouldMatchCustomNamesAndPrefixesWhateverTheirCase() {
        HeaderAllowList allowList = new HeaderAllowList(Set.of("X-Exact"), List.of("My-"));

        assertFalse(allowList.applyFilterToCamelHeaders("x-exact", null, exchange));
        assertFalse(allowList.applyFilterToCamelHeaders("MY-ANYTHING", null, exchange));
        assertTrue(allowList.applyFilterToCamelHeaders("X-Exact-Not", null, exchange));
    }
}
