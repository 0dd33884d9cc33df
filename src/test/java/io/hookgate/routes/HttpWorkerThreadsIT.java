package io.hookgate.routes;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.hookgate.camel.ReadRequest;
import io.hookgate.signature.TolokaSigner;
import io.hookgate.testing.HookgateInstance;
import io.hookgate.testing.SharedKafka;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code hookgate.http.worker-threads} sizes how many requests hookgate works on at once. platform-http
 * runs a route on a Vert.x worker thread from reading the body to Kafka's acknowledgement; with Vert.x's
 * default pool (20) twenty slow senders held every thread and a valid request waited for their
 * body-read timeout, and throughput was capped at 20 over the request latency.
 */
class HttpWorkerThreadsIT {

    static final String PATH = "/webhooks/toloka";
    static final String SECRET = "worker-threads-secret";
    static final int WORKERS = 40;
    static final int STALLED = 30; // more than Vert.x's default pool, fewer than WORKERS
    static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void shouldWorkOnAsManyRequestsAtOnceAsConfigured() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try (HookgateInstance hookgate = HookgateInstance.start(SharedKafka.bootstrapServers(), Map.of(
                "hookgate.skyvern.enabled", "false",
                "hookgate.toloka.secrets.1", SECRET,
                "hookgate.http.worker-threads", Integer.toString(WORKERS),
                // a stalled body holds its thread far longer than this test waits
                "hookgate.http.body-read-timeout-seconds", "120"))) {
            for (int i = 0; i < STALLED; i++) {
                stalled.add(startRequestWithoutItsBody(hookgate));
            }
            awaitThreadsReadingABody(STALLED);

            byte[] body = ("{\"events\":[{\"uuid\":\"worker-threads-1\",\"pool_id\":\"pool\","
                    + "\"type\":\"ASSIGNMENT_APPROVED\"}]}").getBytes(UTF_8);
            long started = System.nanoTime();
            HttpResponse<String> answer = hookgate.post(PATH, body, "Content-Type", "application/json",
                    "Toloka-Signature", new TolokaSigner("1", SECRET.getBytes(UTF_8))
                            .signatureHeader(body, System.currentTimeMillis()));

            closeAll(stalled);
            assertEquals(200, answer.statusCode(), answer.body());
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(took.compareTo(WAIT) < 0, "answered only after " + took);
        } finally {
            closeAll(stalled); // before hookgate stops: its graceful stop would wait for them
        }
    }

    private static void closeAll(List<Socket> sockets) throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
    }

    /** A POST whose headers announce a body that never comes: hookgate waits for it on a worker thread. */
    private static Socket startRequestWithoutItsBody(HookgateInstance hookgate) throws IOException {
        Socket socket = new Socket(hookgate.uri(PATH).getHost(), hookgate.uri(PATH).getPort());
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + PATH + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100\r\n\r\n{").getBytes(US_ASCII));
        out.flush();
        return socket;
    }

    /** Waits until {@code count} threads wait for a body in {@link ReadRequest}: that many requests are held. */
    private static void awaitThreadsReadingABody(int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long reading = 0;
        while (System.nanoTime() < deadline) {
            reading = Thread.getAllStackTraces().values().stream()
                    .filter(stack -> Arrays.stream(stack)
                            .anyMatch(frame -> frame.getClassName().equals(ReadRequest.class.getName())))
                    .count();
            if (reading >= count) {
                return;
            }
            Thread.sleep(50); // polling a condition with a deadline
        }
        fail("only " + reading + " of " + count + " stalled requests are being worked on");
    }
}
