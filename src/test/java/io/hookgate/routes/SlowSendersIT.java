package io.hookgate.routes;

import static io.hookgate.testing.TopicReader.header;
import static io.hookgate.testing.TopicReader.only;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookgate.signature.TolokaSigner;
import io.hookgate.testing.HookgateInstance;
import io.hookgate.testing.SharedKafka;
import io.hookgate.testing.TopicReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Bodies that arrive slowly, never, or in chunks, over real HTTP. hookgate reads a receiving route's body
 * on the event loop before the route gets a worker thread (io.hookgate.camel.PreReadingHttpEngine), so a
 * sender that stalls mid-body holds no thread; the body-read timeout still refuses it, and a chunked body
 * (no Content-Length to refuse it by) is still cut off at the limit.
 */
class SlowSendersIT {

    static final String PATH = "/webhooks/toloka";
    static final String SECRET = "slow-senders-secret";
    static final String DEAD_LETTER = "hookgate.dead-letter";
    static final int WORKERS = 2;
    static final int STALLED = 30; // far more than the worker threads
    static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void shouldAnswerOthersWhileMoreSendersThanWorkerThreadsStallMidBody() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try (HookgateInstance hookgate = start(Map.of(
                "hookgate.http.worker-threads", Integer.toString(WORKERS),
                // a stalled body would hold a thread reading it far longer than this test waits
                "hookgate.http.body-read-timeout-seconds", "300"))) {
            for (int i = 0; i < STALLED; i++) {
                stalled.add(startRequestWithoutItsBody(hookgate));
            }
            // sent after theirs: were the stalled ones holding the worker threads, this one would wait for a
            // thread until their 300 s read timeout (as it did before the engine read bodies itself)
            byte[] body = batch("slow-senders-" + UUID.randomUUID());
            long started = System.nanoTime();
            HttpResponse<String> answer = hookgate.post(PATH, body, "Content-Type", "application/json",
                    "Toloka-Signature", sign(body));

            assertEquals(200, answer.statusCode(), answer.body());
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(took.compareTo(WAIT) < 0, "answered only after " + took);
            for (Socket socket : stalled) {
                assertTrue(socket.isConnected() && !socket.isClosed());
            }
        } finally {
            for (Socket socket : stalled) {
                socket.close(); // before hookgate stops: its graceful stop would wait for them
            }
        }
    }

    @Test
    void shouldRefuseABodyThatStopsArrivingWith400AfterTheReadTimeout() throws Exception {
        try (HookgateInstance hookgate = start(Map.of("hookgate.http.body-read-timeout-seconds", "1"));
                TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), DEAD_LETTER);
                Socket socket = startRequestWithoutItsBody(hookgate)) {
            String answer = readAnswer(socket);

            assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
            assertTrue(answer.contains("incomplete-body"), answer);
            ConsumerRecord<String, byte[]> dead = only(reader.awaitRecords(DEAD_LETTER, 1, WAIT));
            assertEquals("incomplete-body", header(dead, "hookgate-reason"));
            assertEquals("toloka", header(dead, "hookgate-source"));
        }
    }

    @Test
    void shouldRefuseAChunkedBodyOverTheLimitWith413() throws Exception {
        try (HookgateInstance hookgate = start(Map.of("hookgate.http.max-body-bytes", "65536"));
                TopicReader reader = new TopicReader(SharedKafka.bootstrapServers(), DEAD_LETTER);
                Socket socket = connect(hookgate)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + PATH + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Toloka-Signature: t=1,v1=00\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(US_ASCII));
            byte[] chunk = new byte[16 * 1024];
            Arrays.fill(chunk, (byte) ' ');
            try {
                for (int i = 0; i < 5; i++) { // 80 KiB in all
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(US_ASCII));
                out.flush();
            } catch (IOException closedBeforeTheEnd) {
                // hookgate may answer and close as soon as the limit is passed
            }
            String answer = readAnswer(socket);

            assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
            ConsumerRecord<String, byte[]> dead = only(reader.awaitRecords(DEAD_LETTER, 1, WAIT));
            assertEquals("payload-too-large", header(dead, "hookgate-reason"));
            assertEquals(0, dead.value().length, "the reason and size only, not the body");
        }
    }

    @Test
    void shouldAcceptAValidChunkedBody() throws Exception {
        try (HookgateInstance hookgate = start(Map.of());
                Socket socket = connect(hookgate)) {
            byte[] body = batch("slow-senders-chunked-" + UUID.randomUUID());
            int half = body.length / 2;
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + PATH + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Toloka-Signature: " + sign(body) + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(US_ASCII));
            writeChunk(out, body, 0, half);
            writeChunk(out, body, half, body.length - half);
            out.write("0\r\n\r\n".getBytes(US_ASCII));
            out.flush();

            String answer = readAnswer(socket);
            assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
        }
    }

    private static HookgateInstance start(Map<String, String> overrides) {
        Map<String, String> properties = new HashMap<>(Map.of(
                "hookgate.skyvern.enabled", "false",
                "hookgate.toloka.secrets.1", SECRET));
        properties.putAll(overrides);
        return HookgateInstance.start(SharedKafka.bootstrapServers(), properties);
    }

    private static byte[] batch(String uuid) {
        return ("{\"events\":[{\"uuid\":\"" + uuid + "\",\"pool_id\":\"pool\",\"type\":\"ASSIGNMENT_APPROVED\"}]}")
                .getBytes(UTF_8);
    }

    private static String sign(byte[] body) {
        return new TolokaSigner("1", SECRET.getBytes(UTF_8)).signatureHeader(body, System.currentTimeMillis());
    }

    private static Socket connect(HookgateInstance hookgate) throws IOException {
        Socket socket = new Socket(hookgate.uri(PATH).getHost(), hookgate.uri(PATH).getPort());
        socket.setSoTimeout((int) WAIT.toMillis()); // a read that waits longer fails the test
        return socket;
    }

    /** A POST whose headers announce a body that never comes. */
    private static Socket startRequestWithoutItsBody(HookgateInstance hookgate) throws IOException {
        Socket socket = connect(hookgate);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + PATH + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Toloka-Signature: t=1,v1=00\r\nContent-Length: 100\r\n\r\n{").getBytes(US_ASCII));
        out.flush();
        return socket;
    }

    private static void writeChunk(OutputStream out, byte[] body, int from, int length) throws IOException {
        out.write((Integer.toHexString(length) + "\r\n").getBytes(US_ASCII));
        out.write(body, from, length);
        out.write("\r\n".getBytes(US_ASCII));
    }

    /** The answer as received: status line, headers and body (by Content-Length, chunked, or up to the close). */
    private static String readAnswer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        int headerEnd = -1;
        long contentLength = -1;
        while (true) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            answer.write(buffer, 0, n);
            String text = answer.toString(US_ASCII);
            if (headerEnd < 0 && (headerEnd = text.indexOf("\r\n\r\n")) >= 0) {
                for (String line : text.substring(0, headerEnd).split("\r\n")) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        contentLength = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                    }
                }
            }
            boolean whole = contentLength >= 0
                    ? answer.size() >= headerEnd + 4 + contentLength
                    : text.endsWith("\r\n0\r\n\r\n"); // the last chunk of a chunked answer
            if (headerEnd >= 0 && whole) {
                break;
            }
        }
        return answer.toString(UTF_8);
    }
}
