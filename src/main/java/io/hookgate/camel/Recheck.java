package io.hookgate.camel;

import io.hookgate.intake.FanOut;
import io.hookgate.intake.IntakeRecord;
import io.hookgate.signature.SkyvernVerifier;
import io.hookgate.signature.TolokaVerifier;
import io.hookgate.signature.VerificationException;
import io.hookgate.toloka.MalformedBatchException;
import io.hookgate.wire.HookgateHeaders;
import io.hookgate.wire.RejectedRequestException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * Decides what the dead-letter replay does with one dead-letter record: the checks of the live path,
 * in its order, with the keys configured now, and never the timestamp window (the records are old).
 * A record that passes becomes the very {@link IntakeRecord} the live path would have written (same
 * key, so the same intake partition, so the fan-out's deduplication applies); its request id and
 * received-at are the original ones. Reasons are the live path's codes ({@link Rejection},
 * {@link VerificationException.Reason}, {@link RejectedRequestException.Reason}); the few that only the
 * replay can give are the constants here.
 */
public final class Recheck {

    /** Skipped: a TOTP poll is answered while Skyvern waits; replaying it later means nothing. */
    public static final String TOTP_POLL = "totp-poll";
    /** Skipped: the record's provider is switched off in the configuration now. */
    public static final String PROVIDER_DISABLED = "provider-disabled";
    /** Still failing: the record lacks what hookgate writes on a dead letter of a read request. */
    public static final String NOT_A_REQUEST = "not-a-request";

    /** What becomes of a record. */
    public enum Verdict {
        REPUBLISH("republished"), STILL_FAILING("still-failing"), SKIPPED("skipped");

        private final String word;

        Verdict(String word) {
            this.word = word;
        }

        /** The report's word for it. */
        public String word() {
            return word;
        }
    }

    /**
     * @param verdict what to do
     * @param reason null when republished, else a machine-readable code
     * @param intake the intake record to write, when republished
     */
    public record Outcome(Verdict verdict, String reason, IntakeRecord intake) {
        static Outcome republish(IntakeRecord intake) {
            return new Outcome(Verdict.REPUBLISH, null, intake);
        }

        static Outcome failing(String reason) {
            return new Outcome(Verdict.STILL_FAILING, reason, null);
        }

        static Outcome skipped(String reason) {
            return new Outcome(Verdict.SKIPPED, reason, null);
        }
    }

    private final TolokaVerifier toloka;
    private final SkyvernVerifier skyvern;
    private final FanOut fanOut;
    private final boolean tolokaEnabled;
    private final boolean skyvernEnabled;
    private final String skyvernPollPath;

    public Recheck(TolokaVerifier toloka, boolean tolokaEnabled, SkyvernVerifier skyvern, boolean skyvernEnabled,
            FanOut fanOut, String skyvernPollPath) {
        this.toloka = Objects.requireNonNull(toloka, "toloka");
        this.skyvern = Objects.requireNonNull(skyvern, "skyvern");
        this.fanOut = Objects.requireNonNull(fanOut, "fanOut");
        this.tolokaEnabled = tolokaEnabled;
        this.skyvernEnabled = skyvernEnabled;
        this.skyvernPollPath = Objects.requireNonNull(skyvernPollPath, "skyvernPollPath");
    }

    /**
     * @param header a dead-letter record header by name, or null when absent
     * @param value the record's value: the raw body (empty when it was not read)
     */
    public Outcome check(Function<String, String> header, byte[] value) {
        String source = header.apply(HookgateHeaders.SOURCE);
        String requestId = header.apply(HookgateHeaders.REQUEST_ID);
        Instant receivedAt = instant(header.apply(HookgateHeaders.RECEIVED_AT));
        String reason = header.apply(HookgateHeaders.REASON);
        if (bodyUnread(reason)) { // 413 and the like: the body was never read, nothing to re-verify
            return Outcome.failing(reason);
        }
        if (source == null || requestId == null || receivedAt == null || value == null) {
            return Outcome.failing(NOT_A_REQUEST);
        }
        boolean isToloka = IntakeRecord.TOLOKA.equals(source);
        boolean isSkyvern = IntakeRecord.SKYVERN.equals(source);
        if (!isToloka && !isSkyvern) {
            return Outcome.failing(NOT_A_REQUEST);
        }
        if (isToloka ? !tolokaEnabled : !skyvernEnabled) {
            return Outcome.skipped(PROVIDER_DISABLED);
        }
        String path = header.apply(HookgateHeaders.REQUEST_PATH);
        if (isSkyvern && path != null && path.startsWith(skyvernPollPath + "/")) {
            return Outcome.skipped(TOTP_POLL);
        }
        if (!RequireJson.isJson(header.apply(HookgateHeaders.CONTENT_TYPE))) {
            return Outcome.failing(RejectedRequestException.Reason.UNSUPPORTED_MEDIA_TYPE.code());
        }
        try {
            if (isToloka) {
                toloka.verifyIgnoringTimestamp(signatureHeader(header, HookgateHeaders.TOLOKA_SIGNATURE), value);
                return Outcome.republish(PublishToIntake.toloka(value, requestId, receivedAt).intake());
            }
            skyvern.verifyIgnoringTimestamp(signatureHeader(header, HookgateHeaders.SKYVERN_SIGNATURE), value);
            return Outcome.republish(PublishToIntake.skyvern(fanOut, value, requestId, receivedAt).intake());
        } catch (VerificationException | MalformedBatchException e) {
            return Outcome.failing(Rejection.of(e).reason());
        }
    }

    /** A provider header as the dead-letter record holds it: under its own name, lower-cased. */
    private static String signatureHeader(Function<String, String> header, String name) {
        return header.apply(name.toLowerCase(Locale.ROOT));
    }

    private static boolean bodyUnread(String reason) {
        for (RejectedRequestException.Reason r : RejectedRequestException.Reason.values()) {
            if (r.bodyUnread() && r.code().equals(reason)) {
                return true;
            }
        }
        return false;
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
