package io.hookgate.testing;

import io.hookgate.Hookgate;
import io.hookgate.camel.HookgateBeans;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.main.Main;

/**
 * hookgate started the way a user starts it (camel-main, application.properties, the YAML routes in
 * routes/), on a free port, with the test's overrides, and an HTTP/1.1 client to call it.
 */
public final class HookgateInstance implements AutoCloseable {

    private final Main main;
    private final int port;
    private final int managementPort;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private HookgateInstance(Main main, int port, int managementPort) {
        this.main = main;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** Starts hookgate against {@code brokers} with the given extra properties (override everything). */
    public static HookgateInstance start(String brokers, Map<String, String> properties) {
        return start(brokers, properties, null);
    }

    /** As {@link #start(String, Map)}, with hookgate's time taken from {@code clock} when not null. */
    public static HookgateInstance start(String brokers, Map<String, String> properties, Clock clock) {
        int port = freePort();
        int managementPort = freePort();
        Main main = Hookgate.createMain();
        if (clock != null) {
            main.bind(HookgateBeans.CLOCK_BEAN, clock);
        }
        main.addOverrideProperty("camel.server.port", Integer.toString(port));
        main.addOverrideProperty("camel.management.port", Integer.toString(managementPort));
        main.addOverrideProperty("camel.component.kafka.brokers", brokers);
        properties.forEach(main::addOverrideProperty);
        try {
            main.start();
        } catch (Exception e) {
            throw new IllegalStateException("hookgate did not start", e);
        }
        return new HookgateInstance(main, port, managementPort);
    }

    public URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /** POSTs {@code body} with the given headers (name, value, name, value, ...). */
    public HttpResponse<String> post(String path, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GETs a path of the management server (health, metrics). */
    public HttpResponse<String> management(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        main.stop();
        main.getCamelContext().stop();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
