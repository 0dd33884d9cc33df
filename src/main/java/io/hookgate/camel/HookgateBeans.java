package io.hookgate.camel;

import io.hookgate.signature.TolokaVerifier;
import io.hookgate.toloka.TopicTemplate;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds every bean the YAML routes call, by name, from hookgate's settings. It is the only Java a
 * Camel deployment needs besides the jar: camel-main picks it up with
 * {@code camel.main.configuration-classes=io.hookgate.camel.HookgateBeans}; any other runtime calls
 * {@link #configure(CamelContext)} before loading the routes.
 *
 * <p>Misconfiguration fails here, at start-up, with the property to fix. Without a Toloka secret
 * hookgate refuses to start, unless {@code hookgate.dev-mode=true}, where the public
 * {@link #DEV_TOLOKA_SECRET} is used and a warning says so.
 */
public final class HookgateBeans implements CamelConfiguration {

    /** The Toloka secret of dev mode, key version 1. Public: anyone can sign with it. */
    public static final String DEV_TOLOKA_SECRET = "hookgate-dev-secret-not-for-production";

    private static final Logger LOG = LoggerFactory.getLogger(HookgateBeans.class);

    private final Clock clock;

    public HookgateBeans() {
        this(Clock.systemUTC());
    }

    public HookgateBeans(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void configure(CamelContext context) {
        Settings settings = new Settings(context);
        Registry registry = context.getRegistry();

        long maxBodyBytes = settings.number("hookgate.http.max-body-bytes", 1024 * 1024, 1, Integer.MAX_VALUE - 8);
        Duration bodyReadTimeout = Duration.ofSeconds(
                settings.number("hookgate.http.body-read-timeout-seconds", 30, 1, 3600));
        Duration retryAfter = Duration.ofSeconds(settings.number("hookgate.http.retry-after-seconds", 10, 1, 3600));

        registry.bind("httpAnswerHeaders", HeaderAllowList.httpAnswers());
        registry.bind("kafkaRecordHeaders", HeaderAllowList.kafkaRecords());
        registry.bind("requireJson", new RequireJson());
        registry.bind("deadLetterRecord", new DeadLetterRecord());
        registry.bind("answerAccepted", Answers.accepted());
        registry.bind("answerRejected", Answers.rejected());
        registry.bind("answerUnavailable", Answers.unavailable(retryAfter));

        registry.bind("readTolokaRequest", new ReadRequest("toloka",
                List.of(HookgateHeaders.TOLOKA_SIGNATURE), maxBodyBytes, bodyReadTimeout, clock));
        registry.bind("verifyTolokaSignature", new VerifyTolokaSignature(tolokaVerifier(settings)));
        registry.bind("splitTolokaEvents", new SplitTolokaEvents(
                settings.parsed("hookgate.toloka.topic-template", "toloka.{type}", TopicTemplate::new)));
    }

    private TolokaVerifier tolokaVerifier(Settings settings) {
        Map<String, byte[]> secrets = new LinkedHashMap<>();
        settings.numbered("hookgate.toloka.secrets.")
                .forEach((version, secret) -> secrets.put(version, secret.getBytes(StandardCharsets.UTF_8)));
        if (secrets.isEmpty()) {
            if (!settings.flag("hookgate.dev-mode", false)) {
                throw new IllegalStateException("No Toloka secret is configured: set hookgate.toloka.secrets.1 "
                        + "(environment variable HOOKGATE_TOLOKA_SECRETS_1) to the subscription's secret_key, "
                        + "or hookgate.dev-mode=true to try hookgate with the public dev secret");
            }
            LOG.warn("DEV MODE: no Toloka secret configured; key version 1 uses the public dev secret "
                    + "(HookgateBeans.DEV_TOLOKA_SECRET, see the README). Anyone can sign requests with it.");
            secrets.put("1", DEV_TOLOKA_SECRET.getBytes(StandardCharsets.UTF_8));
        } else {
            LOG.info("Toloka key versions configured: {}", secrets.keySet());
        }
        Duration tolerance = Duration.ofSeconds(
                settings.number("hookgate.toloka.tolerance-seconds", 300, 0, 366L * 24 * 3600));
        return new TolokaVerifier(secrets, tolerance, clock);
    }
}
