package io.hookgate.camel;

import static io.hookgate.camel.HookgateBeans.DEV_SKYVERN_API_KEY;
import static io.hookgate.camel.HookgateBeans.DEV_TOLOKA_SECRET;

import io.hookgate.signature.SkyvernVerifier;
import io.hookgate.signature.TolokaVerifier;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that builds the signature verifiers from hookgate's settings, for the routes
 * ({@link HookgateBeans}) and the dead-letter replay alike: which secrets count, dev mode, and a
 * provider that is switched off. Each provider is on unless {@code hookgate.<provider>.enabled=false};
 * one that is on needs its secrets, or this refuses, unless {@code hookgate.dev-mode=true}, where
 * public dev secrets are used and a warning says so. A provider that is off gets a verifier keyed with
 * a random secret nobody knows (its routes do not start, and the replay skips its records).
 */
final class Verifiers {

    private static final Logger LOG = LoggerFactory.getLogger(Verifiers.class);

    private Verifiers() {
    }

    static boolean tolokaEnabled(Settings settings) {
        return settings.flag("hookgate.toloka.enabled", true);
    }

    static boolean skyvernEnabled(Settings settings) {
        return settings.flag("hookgate.skyvern.enabled", true);
    }

    static TolokaVerifier toloka(Settings settings, Clock clock) {
        Duration tolerance = Duration.ofSeconds(
                settings.number("hookgate.toloka.tolerance-seconds", 300, 0, 366L * 24 * 3600));
        Map<String, byte[]> secrets = new LinkedHashMap<>();
        settings.numbered("hookgate.toloka.secrets.")
                .forEach((version, secret) -> secrets.put(version, secret.getBytes(StandardCharsets.UTF_8)));
        if (!tolokaEnabled(settings)) {
            LOG.info("Toloka is switched off (hookgate.toloka.enabled=false)");
            return new TolokaVerifier(Map.of("1", randomSecret()), tolerance, clock);
        }
        if (secrets.isEmpty()) {
            requireDevMode(settings, "No Toloka secret is configured: set hookgate.toloka.secrets.1 "
                    + "(environment variable HOOKGATE_TOLOKA_SECRETS_1) to the subscription's secret_key");
            LOG.warn("DEV MODE: no Toloka secret configured; key version 1 uses the public dev secret "
                    + "(HookgateBeans.DEV_TOLOKA_SECRET, see the README). Anyone can sign requests with it.");
            secrets.put("1", DEV_TOLOKA_SECRET.getBytes(StandardCharsets.UTF_8));
        } else {
            LOG.info("Toloka key versions configured: {}", secrets.keySet());
        }
        return new TolokaVerifier(secrets, tolerance, clock);
    }

    static SkyvernVerifier skyvern(Settings settings, Clock clock) {
        Duration tolerance = Duration.ofSeconds(
                settings.number("hookgate.skyvern.tolerance-seconds", 0, 0, 366L * 24 * 3600));
        List<byte[]> keys = new ArrayList<>();
        settings.optional("hookgate.skyvern.api-keys").ifPresent(value -> {
            for (String key : value.split(",")) {
                if (!key.isBlank()) {
                    keys.add(key.trim().getBytes(StandardCharsets.UTF_8));
                }
            }
        });
        if (!skyvernEnabled(settings)) {
            LOG.info("Skyvern is switched off (hookgate.skyvern.enabled=false)");
            return new SkyvernVerifier(List.of(randomSecret()), tolerance, clock);
        }
        if (keys.isEmpty()) {
            requireDevMode(settings, "No Skyvern API key is configured: set hookgate.skyvern.api-keys "
                    + "(environment variable HOOKGATE_SKYVERN_API_KEYS, comma-separated)");
            LOG.warn("DEV MODE: no Skyvern API key configured; using the public dev key "
                    + "(HookgateBeans.DEV_SKYVERN_API_KEY, see the README). Anyone can sign requests with it.");
            keys.add(DEV_SKYVERN_API_KEY.getBytes(StandardCharsets.UTF_8));
        } else {
            LOG.info("Skyvern API keys configured: {}", keys.size());
        }
        return new SkyvernVerifier(keys, tolerance, clock);
    }

    private static void requireDevMode(Settings settings, String problem) {
        if (!settings.flag("hookgate.dev-mode", false)) {
            throw new IllegalStateException(problem + "; or switch the provider off (hookgate.<provider>.enabled"
                    + "=false), or set hookgate.dev-mode=true to try hookgate with public dev secrets");
        }
    }

    private static byte[] randomSecret() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return secret;
    }
}
