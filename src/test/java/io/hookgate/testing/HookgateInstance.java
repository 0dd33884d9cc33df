package io.hookgate.testing;

import static io.hookgate.testing.TestHttp.freePort;
import io.hookgate.Hookgate;
import io.hookgate.camel.HookgateBeans;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * hookgate started the way a user starts it (camel-main, application.properties, the YAML routes in
 * routes/), on a free port, with the test's overrides, and an HTTP/1.1 client to call it.
 */
public final class HookgateInstance implements AutoCloseable {

    private final Main main;
    private final int port;
    private final int managementPort;

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

    /** POSTs {@code body} to hookgate with the given headers (name, value, name, value, ...). */
    public HttpResponse<String> post(String path, byte[] body, String... headers) {
        return TestHttp.post(uri(path), body, headers);
    }

    /** hookgate's Camel context, for what a test does to its routes. */
    public CamelContext context() {
        return main.getCamelContext();
    }

    /** GETs a path of the management server (health, metrics). */
    public HttpResponse<String> management(String path) {
        return TestHttp.get(URI.create("http://localhost:" + managementPort + path));
    }

    @Override
    public void close() {
        main.stop();
        main.getCamelContext().stop();
    }
}
