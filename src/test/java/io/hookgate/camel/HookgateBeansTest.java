package io.hookgate.camel;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookgate.signature.TolokaSigner;
import io.hookgate.signature.VerificationException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HookgateBeansTest {

    private static final String SECRET = "configured-secret-0f9e8d7c";
    private static final Instant NOW = Instant.parse("2031-05-04T03:02:01Z");
    private static final byte[] BODY = "{\"events\":[{\"type\":\"TEST_EVENT\"}]}".getBytes(StandardCharsets.UTF_8);

    private final CamelContext context = new DefaultCamelContext();
    private final HookgateBeans beans = new HookgateBeans(Clock.fixed(NOW, ZoneOffset.UTC));

    @AfterEach
    void closeContext() throws Exception {
        context.close();
    }

    @Test
    void shouldRefuseToStartWithoutASecretNamingThePropertyAndVariable() {
        configure(Map.of());

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> beans.configure(context));

        assertTrue(e.getMessage().contains("hookgate.toloka.secrets.1"), e.getMessage());
        assertTrue(e.getMessage().contains("HOOKGATE_TOLOKA_SECRETS_1"), e.getMessage());
        assertFalse(e.getMessage().contains(HookgateBeans.DEV_TOLOKA_SECRET), e.getMessage());
    }

    @Test
    void shouldRefuseToStartWithABlankSecret() {
        configure(Map.of("hookgate.toloka.secrets.1", "   ", "hookgate.dev-mode", "false"));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> beans.configure(context));

        assertTrue(e.getMessage().contains("hookgate.toloka.secrets.1"), e.getMessage());
    }

    @Test
    void shouldBindEveryBeanTheRoutesCallInDevMode() {
        configure(Map.of("hookgate.dev-mode", "true"));

        beans.configure(context);

        assertInstanceOf(ReadRequest.class, lookup("readTolokaRequest"));
        assertInstanceOf(VerifyTolokaSignature.class, lookup("verifyTolokaSignature"));
        assertInstanceOf(PublishToIntake.class, lookup("publishTolokaToIntake"));
        assertInstanceOf(DeadLetterRecord.class, lookup("deadLetterRecord"));
        assertInstanceOf(LimitDeadLetters.class, lookup("limitDeadLetters"));
        assertInstanceOf(RequireJson.class, lookup("requireJson"));
        assertInstanceOf(Processor.class, lookup("answerAccepted"));
        assertInstanceOf(Processor.class, lookup("answerRejected"));
        assertInstanceOf(Processor.class, lookup("answerUnavailable"));
        assertInstanceOf(HeaderFilterStrategy.class, lookup("httpAnswerHeaders"));
        assertInstanceOf(HeaderFilterStrategy.class, lookup("kafkaRecordHeaders"));
        assertInstanceOf(PreReadingHttpEngine.class, lookup("platform-http-engine"));
    }

    @Test
    void shouldLeaveThePlatformHttpEngineOfTheDeploymentAlone() {
        configure(Map.of("hookgate.dev-mode", "true"));
        Object theirs = new org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine();
        context.getRegistry().bind("platform-http-engine", theirs);

        beans.configure(context);

        assertSame(theirs, lookup("platform-http-engine"));
    }

    @Test
    void shouldVerifyWithThePublicDevSecretInDevMode() {
        configure(Map.of("hookgate.dev-mode", "true"));

        beans.configure(context);

        assertDoesNotThrow(() -> verify(HookgateBeans.DEV_TOLOKA_SECRET));
    }

    @Test
    void shouldVerifyWithTheConfiguredSecretEvenInDevMode() throws Exception {
        configure(Map.of("hookgate.toloka.secrets.1", SECRET, "hookgate.dev-mode", "true"));

        beans.configure(context);

        assertDoesNotThrow(() -> verify(SECRET));
        VerificationException e = assertThrows(VerificationException.class, () -> verify(HookgateBeans.DEV_TOLOKA_SECRET));
        assertEquals(VerificationException.Reason.SIGNATURE_MISMATCH, e.reason());
    }

    @Test
    void shouldVerifyWithEveryConfiguredKeyVersion() throws Exception {
        configure(Map.of("hookgate.toloka.secrets.1", SECRET, "hookgate.toloka.secrets.2", "next-secret"));

        beans.configure(context);

        assertDoesNotThrow(() -> verify("1", SECRET));
        assertDoesNotThrow(() -> verify("2", "next-secret"));
        VerificationException e = assertThrows(VerificationException.class, () -> verify("3", SECRET));
        assertEquals(VerificationException.Reason.UNKNOWN_KEY_VERSION, e.reason());
    }

    @ParameterizedTest
    @CsvSource({
        "hookgate.toloka.tolerance-seconds, abc",
        "hookgate.toloka.tolerance-seconds, -1",
        "hookgate.toloka.tolerance-seconds, 1.5",
        "hookgate.http.max-body-bytes, 0",
        "hookgate.http.max-body-bytes, 1MB",
        "hookgate.http.body-read-timeout-seconds, 0",
        "hookgate.http.retry-after-seconds, 99999999999999999999",
        "hookgate.dead-letter.max-per-second, -1",
        "hookgate.dead-letter.max-per-second, 1000001",
        "hookgate.dead-letter.burst, 0",
        "hookgate.intake.commit-interval-ms, -1"
    })
    void shouldRefuseABadNumberNamingTheProperty(String key, String value) {
        configure(Map.of("hookgate.toloka.secrets.1", SECRET, key, value));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> beans.configure(context));

        assertTrue(e.getMessage().contains(key), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    }

    @Test
    void shouldRefuseACommitIntervalOfHalfTheTransactionTimeoutNamingBoth() {
        configure(Map.of("hookgate.toloka.secrets.1", SECRET, "hookgate.intake.commit-interval-ms", "6000",
                "hookgate.intake.transaction-timeout-ms", "12000"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> beans.configure(context));

        assertTrue(e.getMessage().startsWith("hookgate.intake.commit-interval-ms and "
                + "hookgate.intake.transaction-timeout-ms: the commit interval (6000 ms)"), e.getMessage());
    }

    @Test
    void shouldRefuseABadDevModeFlagNamingTheProperty() {
        configure(Map.of("hookgate.dev-mode", "yes"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> beans.configure(context));

        assertTrue(e.getMessage().contains("hookgate.dev-mode"), e.getMessage());
    }

    @Test
    void shouldRefuseASecretKeyThatIsNotAKeyVersionNamingIt() {
        configure(Map.of("hookgate.toloka.secrets.1", SECRET, "hookgate.toloka.secrets.abc", "other-secret-value"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> beans.configure(context));

        assertTrue(e.getMessage().contains("hookgate.toloka.secrets.abc"), e.getMessage());
        assertFalse(e.getMessage().contains("other-secret-value"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    }

    @Test
    void shouldRefuseABadTopicTemplateNamingIt() {
        configure(Map.of("hookgate.toloka.secrets.1", SECRET, "hookgate.toloka.topic-template", "toloka/{type}"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> beans.configure(context));

        assertTrue(e.getMessage().contains("toloka/{type}"), e.getMessage());
    }

    @Test
    void shouldRefuseABadTopicTemplateNamingTheProperty() {
        configure(Map.of("hookgate.toloka.secrets.1", SECRET, "hookgate.toloka.topic-template", "toloka/{type}"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> beans.configure(context));

        assertTrue(e.getMessage().contains("hookgate.toloka.topic-template"), e.getMessage());
    }

    /** Toloka's settings under test; Skyvern is off unless a test says otherwise. */
    private void configure(Map<String, String> settings) {
        Properties properties = new Properties();
        properties.put("hookgate.skyvern.enabled", "false");
        properties.putAll(settings);
        context.getPropertiesComponent().setInitialProperties(properties);
    }

    private Object lookup(String name) {
        Object bean = context.getRegistry().lookupByName(name);
        assertNotNull(bean, name);
        return bean;
    }

    private void verify(String secret) throws Exception {
        verify("1", secret);
    }

    /** Runs the bound verifyTolokaSignature on a request signed now with the given key version and secret. */
    private void verify(String keyVersion, String secret) throws Exception {
        String header = new TolokaSigner(keyVersion, secret.getBytes(StandardCharsets.UTF_8))
                .signatureHeader(BODY, NOW.toEpochMilli());
        context.start(); // after configure(), as camel-main does
        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(InboundRequest.PROPERTY, new InboundRequest("request-1", "toloka", NOW,
                "/webhooks/toloka", "application/json", Map.of("Toloka-Signature", header), BODY, BODY.length));
        exchange.getMessage().setBody(BODY);
        ((Processor) lookup("verifyTolokaSignature")).process(exchange);
    }
}
