package io.hookgate.totp;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one-time code to answer for a login, by its identifier (the last segment of the URL the
 * customer registers in Skyvern): computed from the login's TOTP key when one is configured, else the
 * newest unexpired code relayed for it (from e-mail or SMS) that the polling run may have.
 *
 * <p>Identifiers are letters, digits, {@code -} and {@code _}, compared case-insensitively with
 * {@code _} and {@code -} the same ({@link #normalize}), so that {@code hookgate.skyvern.totp.github-bot},
 * the environment variable {@code HOOKGATE_SKYVERN_TOTP_GITHUB_BOT} and the URL
 * {@code /skyvern/totp/github-bot} all name one login.
 */
public final class LoginCodes {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    private final Map<String, TotpGenerator> generators;
    private final RelayedCodes relayed;

    /** @param generators TOTP generators by normalized identifier */
    public LoginCodes(Map<String, TotpGenerator> generators, RelayedCodes relayed) {
        this.generators = Map.copyOf(generators);
        this.relayed = Objects.requireNonNull(relayed, "relayed");
    }

    /** The canonical form of an identifier, or null if it is not one. */
    public static String normalize(String identifier) {
        if (identifier == null || !IDENTIFIER.matcher(identifier).matches()) {
            return null;
        }
        return identifier.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether the login has a configured TOTP key. */
    public boolean hasTotpKey(String identifier) {
        return generators.containsKey(identifier);
    }

    /**
     * @param identifier a normalized identifier
     * @param taskId the polling run's task id, or null
     * @param workflowRunId the polling run's workflow run id, or null
     * @return the code to answer, or empty while there is none ("not yet")
     */
    public Optional<String> codeFor(String identifier, String taskId, String workflowRunId) {
        TotpGenerator generator = generators.get(identifier);
        if (generator != null) {
            return Optional.of(generator.currentCode());
        }
        return relayed.newestFor(identifier, taskId, workflowRunId).map(RelayedCode::code);
    }
}
