package io.hookgate.camel;

import io.hookgate.intake.FanOut;
import io.hookgate.intake.FanOutWorker;
import io.hookgate.toloka.TopicTemplate;
import io.hookgate.totp.LoginCodes;
import io.hookgate.totp.RelayedCodes;
import io.hookgate.totp.TotpGenerator;
import io.hookgate.totp.TotpKey;
import io.hookgate.wire.HookgateHeaders;
import io.vertx.core.VertxOptions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.spi.FactoryFinder;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds every bean the YAML routes call, by name, from hookgate's settings. It is the only Java a
 * Camel deployment needs besides the jar: camel-main picks it up with
 * {@code camel.main.configuration-classes=io.hookgate.camel.HookgateBeans}; any other runtime calls
 * {@link #configure(CamelContext)} before loading the routes.
 *
 * <p>Misconfiguration fails here, at start-up, with the property to fix. Each provider is on unless
 * {@code hookgate.<provider>.enabled=false}; one that is on needs its secrets, or hookgate refuses to
 * start, unless {@code hookgate.dev-mode=true}, where public dev secrets are used and a warning says
 * so. A provider that is off gets a verifier keyed with a random secret nobody knows (its routes do
 * not start anyway).
 */
public final class HookgateBeans implements CamelConfiguration {

    /** The Toloka secret of dev mode, key version 1. Public: anyone can sign with it. */
    public static final String DEV_TOLOKA_SECRET = "hookgate-dev-secret-not-for-production";
    /** The Skyvern API key of dev mode. Public: anyone can sign with it. */
    public static final String DEV_SKYVERN_API_KEY = "hookgate-dev-skyvern-key-not-for-production";

    private static final Logger LOG = LoggerFactory.getLogger(HookgateBeans.class);

    /** The registry name platform-http looks its engine up by. */
    private static final String PLATFORM_HTTP_ENGINE = "platform-http-engine";

    /** Registry name of an optional {@link Clock} to use instead of the system's (tests bind one). */
    public static final String CLOCK_BEAN = "hookgateClock";

    private Clock clock;
    /** Whether {@link #clock} was given (tests), rather than the system's. */
    private boolean clockGiven;

    /** Uses the {@link #CLOCK_BEAN} from the registry if there is one, else the system clock (UTC). */
    public HookgateBeans() {
        this(null);
    }

    public HookgateBeans(Clock clock) {
        this.clock = clock;
        this.clockGiven = clock != null;
    }

    @Override
    public void configure(CamelContext context) {
        if (clock == null) {
            Clock bound = context.getRegistry().lookupByNameAndType(CLOCK_BEAN, Clock.class);
            clockGiven = bound != null;
            clock = clockGiven ? bound : Clock.systemUTC();
        }
        Settings settings = new Settings(context);
        Registry registry = context.getRegistry();
        if (settings.optional("hookgate.instance-id").isEmpty()) {
            // names this instance's own consumer group for relayed codes: every instance reads every code
            context.getPropertiesComponent().addInitialProperty("hookgate.instance-id", randomHex(8));
        }

        long maxBodyBytes = settings.number("hookgate.http.max-body-bytes", 1024 * 1024, 1, Integer.MAX_VALUE - 8);
        Duration bodyReadTimeout = Duration.ofSeconds(
                settings.number("hookgate.http.body-read-timeout-seconds", 10, 1, 3600));
        Duration retryAfter = Duration.ofSeconds(settings.number("hookgate.http.retry-after-seconds", 10, 1, 3600));

        bindHttpWorkerThreads(registry, (int) settings.number("hookgate.http.worker-threads", 100, 1, 10_000));
        bindHttpEngine(context, maxBodyBytes, bodyReadTimeout);
        registry.bind("hookgateInlineExecutor", new InlineExecutor());
        registry.bind("httpAnswerHeaders", HeaderAllowList.httpAnswers());
        registry.bind("kafkaRecordHeaders", HeaderAllowList.kafkaRecords());
        registry.bind("requireJson", new RequireJson());
        registry.bind("deadLetterRecord", new DeadLetterRecord());
        HookgateMetrics metrics = new HookgateMetrics(context);
        try {
            // by then the metrics service has bound its registry
            context.addStartupListener((started, alreadyStarted) ->
                    metrics.gaugeInFlight(started.getInflightRepository(), PreReadingHttpEngine.RECEIVING_ROUTES));
        } catch (Exception e) {
            throw RuntimeCamelException.wrapRuntimeException(e);
        }
        registry.bind("answerAccepted", Answers.accepted(metrics));
        registry.bind("answerRejected", Answers.rejected(metrics));
        registry.bind("answerUnavailable", Answers.unavailable(retryAfter, metrics));
        registry.bind("limitDeadLetters", LimitDeadLetters.of(
                settings.number("hookgate.dead-letter.max-per-second", 100, 0, 1_000_000),
                settings.number("hookgate.dead-letter.burst", 1000, 1, 10_000_000),
                nanoTime(), metrics, "hookgate.dead-letter.max-per-second", "hookgate.dead-letter.burst"));

        registry.bind("readTolokaRequest", new ReadRequest("toloka",
                List.of(HookgateHeaders.TOLOKA_SIGNATURE), maxBodyBytes, bodyReadTimeout, clock));
        registry.bind("verifyTolokaSignature", new VerifyTolokaSignature(Verifiers.toloka(settings, clock)));
        FanOut fanOut = fanOut(settings);
        registry.bind("publishTolokaToIntake", PublishToIntake.toloka());

        registry.bind("readSkyvernRequest", new ReadRequest("skyvern",
                List.of(HookgateHeaders.SKYVERN_SIGNATURE, HookgateHeaders.SKYVERN_TIMESTAMP),
                maxBodyBytes, bodyReadTimeout, clock));
        registry.bind("verifySkyvernSignature", new VerifySkyvernSignature(Verifiers.skyvern(settings, clock)));
        registry.bind("publishSkyvernToIntake", PublishToIntake.skyvern(fanOut));
        RelayedCodes relayed = new RelayedCodes(Duration.ofSeconds(
                settings.number("hookgate.skyvern.relay-ttl-seconds", 600, 1, 24 * 3600)), 100, clock);
        registry.bind("describeTotpPoll", new DescribeTotpPoll(new LoginCodes(totpGenerators(settings), relayed)));
        registry.bind("answerTotpPoll", DescribeTotpPoll.answer(metrics));
        registry.bind("storeRelayedCode", new StoreRelayedCode(relayed, clock));

        if (Verifiers.tolokaEnabled(settings) || Verifiers.skyvernEnabled(settings)) {
            try {
                context.addService(new FanOutService(context, fanOutSettings(settings), fanOut, metrics, clock));
                context.addStartupListener((started, alreadyStarted) -> metrics.countFanOutFailuresFromZero());
            } catch (Exception e) {
                throw RuntimeCamelException.wrapRuntimeException(e);
            }
        }
    }

    /**
     * The size of the Vert.x worker pool the HTTP server runs the routes on. platform-http-vertx runs each
     * request's route synchronously on a worker thread ({@code executeBlocking}), from its first step
     * (the body already read, by {@link PreReadingHttpEngine}) to Kafka's acknowledgement, so this many
     * requests at most are worked on at once, and throughput is at most this many over a request's
     * latency (Vert.x's default, 20, held 100 req/s at 200 ms). The server looks the options up by type;
     * one bound by the deployment itself is left alone.
     */
    private static void bindHttpWorkerThreads(Registry registry, int threads) {
        if (registry.findByType(VertxOptions.class).isEmpty()) {
            registry.bind("hookgateVertxOptions", new VertxOptions().setWorkerPoolSize(threads));
        } else {
            LOG.info("Vert.x options bound by the deployment: hookgate.http.worker-threads is not applied");
        }
    }

    /**
     * hookgate's platform-http engine ({@link PreReadingHttpEngine}), which reads the receiving routes'
     * bodies before their worker thread takes them; platform-http looks it up by this name first. Only
     * where platform-http would use its Vert.x engine anyway (it finds no engine in the registry, and the
     * one its factory names is Vert.x's): a deployment with an engine of its own (bound, or another
     * runtime's) keeps it, and the routes then read their bodies on the route's thread.
     */
    private static void bindHttpEngine(CamelContext context, long maxBodyBytes, Duration bodyReadTimeout) {
        boolean vertxEngineByDefault = context.getCamelContextExtension().getFactoryFinder(FactoryFinder.DEFAULT_PATH)
                .findClass(PLATFORM_HTTP_ENGINE).filter(VertxPlatformHttpEngine.class::equals).isPresent();
        if (context.getRegistry().lookupByName(PLATFORM_HTTP_ENGINE) == null && vertxEngineByDefault) {
            context.getRegistry().bind(PLATFORM_HTTP_ENGINE, new PreReadingHttpEngine(maxBodyBytes, bodyReadTimeout));
        } else {
            LOG.info("platform-http engine of the deployment's own: request bodies are read on the route's thread");
        }
    }

    /** What each event of an intake record becomes (its topic, key, headers): the routes' and the replay's. */
    static FanOut fanOut(Settings settings) {
        return new FanOut(
                settings.parsed("hookgate.toloka.topic-template", "toloka.{type}", TopicTemplate::new),
                settings.string("hookgate.skyvern.runs-topic", "skyvern.runs"));
    }

    static String intakeTopic(Settings settings) {
        return settings.string("hookgate.intake.topic", "hookgate.intake");
    }

    static String deadLetterTopic(Settings settings) {
        return settings.string("hookgate.dead-letter.topic", "hookgate.dead-letter");
    }

    /** The intake topic and deduplication settings; the transactional id is this instance's own. */
    private static FanOutWorker.Settings fanOutSettings(Settings settings) {
        String instanceId = settings.optional("hookgate.instance-id").orElseThrow();
        String intakeTopic = intakeTopic(settings);
        int partitions = (int) settings.number("hookgate.intake.partitions", 1, 1, 10_000);
        String groupId = settings.string("hookgate.intake.group-id", "hookgate-fan-out");
        Duration transactionTimeout =
                Duration.ofMillis(settings.number("hookgate.intake.transaction-timeout-ms", 10_000, 1_000, 900_000));
        Duration commitInterval =
                Duration.ofMillis(settings.number("hookgate.intake.commit-interval-ms", 100, 0, 60_000));
        String deadLetterTopic = deadLetterTopic(settings);
        Duration window =
                Duration.ofSeconds(settings.number("hookgate.dedup.window-seconds", 3600, 1, 30L * 24 * 3600));
        int maxIds = (int) settings.number("hookgate.dedup.max-ids", 1_000_000, 1, 100_000_000);
        try {
            return new FanOutWorker.Settings(intakeTopic, partitions, groupId, "hookgate-fan-out-" + instanceId,
                    transactionTimeout, commitInterval, deadLetterTopic, window, maxIds);
        } catch (IllegalArgumentException e) { // the commit interval against the timeout: name both settings
            throw new IllegalArgumentException("hookgate.intake.commit-interval-ms and "
                    + "hookgate.intake.transaction-timeout-ms: " + e.getMessage(), e);
        }
    }

    /**
     * The time source of rate limits: monotonic, {@link System#nanoTime()}; when a clock was given
     * (tests), that clock's time instead, so that a test controls the limits as it controls the rest.
     */
    private LongSupplier nanoTime() {
        if (!clockGiven) {
            return System::nanoTime;
        }
        Clock given = clock;
        return () -> {
            Instant now = given.instant();
            return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
        };
    }

    /** TOTP generators by normalized login identifier, from {@code hookgate.skyvern.totp.<identifier>}. */
    private Map<String, TotpGenerator> totpGenerators(Settings settings) {
        String prefix = "hookgate.skyvern.totp.";
        Map<String, TotpGenerator> generators = new HashMap<>();
        settings.keyed(prefix, Pattern.compile("[A-Za-z0-9_-]{1,100}"),
                "a login identifier (letters, digits, '-', '_')").forEach((identifier, value) -> {
                    try {
                        generators.put(LoginCodes.normalize(identifier),
                                new TotpGenerator(TotpKey.parse(value.trim()), clock));
                    } catch (IllegalArgumentException e) { // TotpKey's messages never quote the secret
                        throw new IllegalArgumentException(prefix + identifier + ": " + e.getMessage(), e);
                    }
                });
        if (!generators.isEmpty()) {
            LOG.info("Skyvern logins with a TOTP key: {}", generators.keySet());
        }
        return generators;
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
