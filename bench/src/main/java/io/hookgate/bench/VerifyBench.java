package io.hookgate.bench;

import io.hookgate.signature.TolokaSignatureHeader;
import io.hookgate.signature.TolokaSigner;
import io.hookgate.signature.TolokaVerifier;
import io.hookgate.signature.VerificationException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * hookgate's verification path against the cost floor, over the same bytes:
 * <ul>
 *   <li>{@code verify}: {@link TolokaVerifier#verify(String, byte[], Instant)} as a request gets it: parse the
 *   {@code Toloka-Signature} header, look up the key version, HMAC-SHA256 over {@code ts.v.} + body,
 *   constant-time compare, timestamp window against the request's arrival time (which the route reads from
 *   the clock once per request anyway, when it starts reading the request: not part of verification);</li>
 *   <li>{@code rawHmac}: a {@link Mac} initialised once, {@code update(prefix)} then {@code doFinal(body)}: the
 *   JDK's HMAC alone over the same signed message (hookgate's own HMAC starts from precomputed keyed states,
 *   see {@code HmacSha256}, and is part of {@code verify}).</li>
 * </ul>
 * Bodies of 300 B, 3 KB and 30 KB (about 1, 10 and 100 events). The ratio verify/rawHmac is the overhead of
 * everything that is not the JDK's HMAC. Short settings, so that bench/run stays under 10 minutes: 2 forks (the
 * spread between JVMs is the larger one), each 3 warm-up and 5 measured iterations of 1 s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class VerifyBench {

    private static final byte[] SECRET = "bench-secret-for-jmh".getBytes(StandardCharsets.UTF_8);

    @Param({"300", "3000", "30000"})
    public int bodyBytes;

    private byte[] body;
    private String header;
    private byte[] prefix;
    private TolokaVerifier verifier;
    private Instant receivedAt;
    private Mac mac;

    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException, VerificationException {
        body = Events.bodyOfSize(bodyBytes);
        long ts = System.currentTimeMillis(); // a trial lasts seconds: well inside the 300 s window
        header = new TolokaSigner("1", SECRET).signatureHeader(body, ts);
        prefix = (ts + ".1.").getBytes(StandardCharsets.US_ASCII);
        verifier = new TolokaVerifier(Map.of("1", SECRET), Duration.ofSeconds(300), Clock.systemUTC());
        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
        receivedAt = Instant.ofEpochMilli(ts);
        verifier.verify(header, body, receivedAt); // fail the trial now if the set-up is wrong
    }

    @Benchmark
    public TolokaSignatureHeader verify() throws VerificationException {
        return verifier.verify(header, body, receivedAt);
    }

    @Benchmark
    public byte[] rawHmac() {
        mac.update(prefix);
        return mac.doFinal(body);
    }
}
