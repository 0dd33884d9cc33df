package io.hookgate.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.server.Server;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka 3.9.1 broker (combined broker + controller, {@code kafka.server.KafkaRaftServer})
 * running inside this JVM.
 *
 * <p>The log directory is formatted on first use (Kafka's {@code Formatter}, not {@code StorageTool}, which exits
 * the JVM on errors) with a random cluster id; an already formatted directory is reused as it is, so a restart on
 * the same directory keeps topics, records and committed offsets.
 *
 * <p>Several brokers may run in one JVM at the same time (a freshly formatted directory gets a node id that no
 * live broker of this JVM uses, so their JMX app-info beans do not clash), and a broker may be started again after
 * {@link #close()} on the same port and directory.
 *
 * <p>Like a stand-alone broker, Kafka halts the JVM ({@code Exit.halt(1)}) on the faults it treats as fatal
 * (a corrupt metadata log, a failed metadata log directory). Formatting, start-up and port conflicts are reported
 * as {@link IllegalStateException} instead.
 *
 * <p>kafka_2.13's POM declares the broker's other modules (kafka-metadata, kafka-raft, kafka-server, ...) with
 * runtime scope, so the few calls into them ({@code KafkaConfig.fromProps}, the {@code Formatter}) go through
 * reflection; see {@link Reflect}.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    /** Deadline for {@link #start} to have a broker that answers client requests. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String META_PROPERTIES = "meta.properties";
    /** Attempts when a port picked as free is taken before the broker binds it. */
    private static final int PORT_ATTEMPTS = 5;

    /** Keys that define the node's identity and wiring; {@code extraBrokerProperties} may not override them. */
    private static final Set<String> RESERVED_KEYS = Set.of(
            "process.roles", "node.id", "broker.id", "listeners", "advertised.listeners",
            "listener.security.protocol.map", "controller.listener.names", "inter.broker.listener.name",
            "controller.quorum.voters", "controller.quorum.bootstrap.servers",
            "log.dir", "log.dirs", "metadata.log.dir");

    /** Guards {@link #LIVE_NODE_IDS} and {@link #LIVE_DIRS}. */
    private static final Object LIVE_LOCK = new Object();
    /** Node ids of the brokers running (or starting) in this JVM; a list, as two directories may share one. */
    private static final List<Integer> LIVE_NODE_IDS = new ArrayList<>();
    /** Data directories of the brokers running (or starting) in this JVM. */
    private static final Set<Path> LIVE_DIRS = new HashSet<>();

    private final int port;
    private final Path dataDir;
    private final int nodeId;
    private final String bootstrapServers;
    private final Server server;

    private final Object closeLock = new Object();
    private volatile boolean closed;

    private EmbeddedKafkaBroker(int port, Path dataDir, int nodeId, Server server) {
        this.port = port;
        this.dataDir = dataDir;
        this.nodeId = nodeId;
        this.bootstrapServers = "localhost:" + port;
        this.server = server;
    }

    /** Same as {@link #start(int, Path, Map)} without extra properties. */
    public static EmbeddedKafkaBroker start(int port, Path dataDir) {
        return start(port, dataDir, Map.of());
    }

    /**
     * Formats {@code dataDir} if needed, starts the broker and blocks until it answers client requests.
     *
     * @param port the client (PLAINTEXT) port on localhost; 0 picks a free one (see {@link #port()})
     * @param dataDir the log directory; created if missing, formatted on first use, reused afterwards
     * @param extraBrokerProperties broker properties applied over the defaults (not the listener, node or
     *     directory settings, which are fixed)
     * @throws IllegalStateException if the broker cannot be formatted, started or reached within 60 s
     * @throws IllegalArgumentException for a bad port or a reserved key in {@code extraBrokerProperties}
     */
    public static EmbeddedKafkaBroker start(int port, Path dataDir, Map<String, String> extraBrokerProperties) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(extraBrokerProperties, "extraBrokerProperties");
        for (String key : extraBrokerProperties.keySet()) {
            if (RESERVED_KEYS.contains(key)) {
                throw new IllegalArgumentException("extraBrokerProperties may not set " + key
                        + " (listeners, node id and directories are managed by EmbeddedKafkaBroker)");
            }
        }
        long startNanos = System.nanoTime();
        long deadlineNanos = startNanos + START_TIMEOUT.toNanos();
        Path dir = dataDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create Kafka data directory " + dir + ": " + e, e);
        }

        Properties stored;
        int nodeId;
        String clusterId;
        synchronized (LIVE_LOCK) {
            if (LIVE_DIRS.contains(dir)) {
                throw new IllegalStateException("Kafka data directory " + dir
                        + " is in use by an embedded broker running in this JVM; close that one first");
            }
            checkNotLockedByAnotherProcess(dir);
            stored = readMetaProperties(dir);
            if (stored != null) {
                nodeId = parseNodeId(stored, dir);
                clusterId = stored.getProperty("cluster.id");
            } else {
                nodeId = 1;
                while (LIVE_NODE_IDS.contains(nodeId)) {
                    nodeId++;
                }
                clusterId = Uuid.randomUuid().toString();
            }
            // Reserved now so that a concurrent start picks another node id and cannot take the directory.
            LIVE_NODE_IDS.add(nodeId);
            LIVE_DIRS.add(dir);
        }
        boolean formatted = stored != null;

        boolean success = false;
        EmbeddedKafkaBroker started = null;
        try {
            if (!formatted) {
                format(dir, nodeId, clusterId);
            }
            long formattedNanos = System.nanoTime();
            for (int attempt = 1; started == null; attempt++) {
                int brokerPort = port != 0 ? port : freePort();
                int controllerPort = freePort();
                while (controllerPort == brokerPort) {
                    controllerPort = freePort();
                }
                Properties props = brokerProperties(brokerPort, controllerPort, dir, nodeId, extraBrokerProperties,
                        remainingMillis(deadlineNanos));
                try {
                    started = new EmbeddedKafkaBroker(brokerPort, dir, nodeId, startServer(props));
                } catch (RuntimeException e) {
                    boolean pickedPortTaken = isBindFailure(e, controllerPort) || (port == 0 && isBindFailure(e, brokerPort));
                    if (pickedPortTaken && attempt < PORT_ATTEMPTS) {
                        LOG.debug("A port picked as free was taken meanwhile ({}); retrying with others", rootMessage(e));
                        continue;
                    }
                    if (isBindFailure(e, brokerPort)) {
                        throw new IllegalStateException("Embedded Kafka broker cannot listen on localhost:" + brokerPort
                                + " (port in use?): " + rootMessage(e), e);
                    }
                    throw new IllegalStateException("Embedded Kafka broker failed to start in " + dir + ": "
                            + rootMessage(e), e);
                }
            }
            long serverStartedNanos = System.nanoTime();
            try {
                started.awaitClientRequests(deadlineNanos);
            } catch (RuntimeException | Error e) {
                started.close();
                throw e;
            }
            success = true;
            long readyNanos = System.nanoTime();
            LOG.info("Embedded Kafka broker {} at {} (node {}, cluster {}, data {}) in {} ms"
                            + " (format {} ms, server start-up {} ms, first client answer {} ms)",
                    formatted ? "restarted" : "started", started.bootstrapServers, nodeId, clusterId, dir,
                    TimeUnit.NANOSECONDS.toMillis(readyNanos - startNanos),
                    TimeUnit.NANOSECONDS.toMillis(formattedNanos - startNanos),
                    TimeUnit.NANOSECONDS.toMillis(serverStartedNanos - formattedNanos),
                    TimeUnit.NANOSECONDS.toMillis(readyNanos - serverStartedNanos));
            return started;
        } finally {
            if (!success && started == null) {
                release(nodeId, dir); // a started broker released them in close()
            }
        }
    }

    /** {@code localhost:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The client port the broker listens on (the chosen one when {@code start} was given 0). */
    public int port() {
        return port;
    }

    /** The absolute log directory. */
    public Path dataDir() {
        return dataDir;
    }

    /** Stops the broker and the controller and waits until they are down. Idempotent. */
    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
            long startNanos = System.nanoTime();
            stop(server);
            release(nodeId, dataDir);
            LOG.info("Embedded Kafka broker at {} stopped in {} ms", bootstrapServers,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker[" + bootstrapServers + ", node " + nodeId + ", " + dataDir
                + (closed ? ", closed" : "") + "]";
    }

    // ------------------------------------------------------------------------------------------------------

    private static Server startServer(Properties props) {
        Server server = new KafkaRaftServer(Reflect.kafkaConfig(props), Time.SYSTEM);
        try {
            // Controller first, then the broker; returns once the broker is unfenced (or throws at
            // server.max.startup.time.ms).
            server.startup();
        } catch (RuntimeException | Error e) {
            stop(server);
            throw e;
        }
        return server;
    }

    /** Broker first (its controlled shutdown talks to the controller), then the controller. */
    private static void stop(Server server) {
        try {
            server.shutdown();
        } catch (RuntimeException | Error e) {
            LOG.warn("Embedded Kafka broker: shutdown failed: {}", e.toString(), e);
        }
        try {
            server.awaitShutdown();
        } catch (RuntimeException | Error e) {
            LOG.warn("Embedded Kafka broker: awaitShutdown failed: {}", e.toString(), e);
        }
    }

    /** Blocks until an AdminClient gets this one-node cluster described, or throws at the deadline. */
    private void awaitClientRequests(long deadlineNanos) {
        Map<String, Object> adminProps = new LinkedHashMap<>();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        adminProps.put(AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-readiness-" + nodeId);
        adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        adminProps.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 50);
        adminProps.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 50);
        adminProps.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        Throwable lastFailure = null;
        String lastState = "";
        try (Admin admin = Admin.create(adminProps)) {
            while (true) {
                long remainingMs = remainingMillis(deadlineNanos);
                if (remainingMs <= 0) {
                    throw new IllegalStateException("Embedded Kafka broker at " + bootstrapServers
                            + " did not answer client requests within " + START_TIMEOUT.toSeconds() + " s"
                            + (lastState.isEmpty() ? "" : " (" + lastState + ")")
                            + (lastFailure == null ? "" : ": " + lastFailure), lastFailure);
                }
                int timeoutMs = (int) Math.min(5_000, remainingMs);
                try {
                    Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
                            .nodes().get(timeoutMs, TimeUnit.MILLISECONDS);
                    if (nodes.stream().anyMatch(n -> n.id() == nodeId)) {
                        return;
                    }
                    lastState = "cluster nodes " + nodes;
                } catch (ExecutionException e) {
                    lastFailure = e.getCause();
                } catch (java.util.concurrent.TimeoutException e) {
                    lastFailure = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while waiting for the embedded Kafka broker", e);
                }
                pauseBetweenProbes();
            }
        }
    }

    private static void release(int nodeId, Path dir) {
        synchronized (LIVE_LOCK) {
            LIVE_NODE_IDS.remove(Integer.valueOf(nodeId));
            LIVE_DIRS.remove(dir);
            if (LIVE_NODE_IDS.isEmpty()) {
                Reflect.clearYammerMetrics();
            }
        }
    }

    /**
     * Refuses a directory whose Kafka {@code .lock} another process holds. Kafka takes that lock only when the
     * broker part starts, after the controller has opened (and written to) the metadata log in the same
     * directory, so without this check a second process would corrupt the first one's metadata log before
     * failing. Only called for directories no broker of this JVM uses: closing a channel releases the JVM's
     * locks on that file.
     */
    private static void checkNotLockedByAnotherProcess(Path dir) {
        Path lockFile = dir.resolve(".lock");
        if (!Files.isRegularFile(lockFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new IllegalStateException("Kafka data directory " + dir
                        + " is in use by another process (its .lock is held)");
            }
            lock.release();
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException("Kafka data directory " + dir + " is in use in this JVM", e);
        } catch (IOException e) {
            LOG.debug("Could not check the lock of {}", lockFile, e);
        }
    }

    private static Properties brokerProperties(int port, int controllerPort, Path dir, int nodeId,
                                               Map<String, String> extra, long startupTimeoutMs) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(nodeId));
        p.put("controller.quorum.voters", nodeId + "@localhost:" + controllerPort);
        p.put("listeners", BROKER_LISTENER + "://localhost:" + port + "," + CONTROLLER_LISTENER + "://localhost:"
                + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://localhost:" + port);
        p.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("log.dirs", dir.toString());

        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("min.insync.replicas", "1");
        p.put("default.replication.factor", "1");
        // One partition instead of 50 for the internal topics: created on first use, 50 take seconds.
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        p.put("num.partitions", "1");
        // The log cleaner would otherwise allocate a 128 MiB dedupe buffer on the heap at start.
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("server.max.startup.time.ms", Long.toString(Math.max(1, startupTimeoutMs)));
        p.putAll(extra);
        return p;
    }

    private static void format(Path dir, int nodeId, String clusterId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream printStream = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            Reflect.format(printStream, nodeId, clusterId, CONTROLLER_LISTENER, dir.toString());
        } catch (Exception e) {
            throw new IllegalStateException("Cannot format Kafka data directory " + dir + ": " + e.getMessage(), e);
        }
        LOG.debug("Formatted {} with cluster id {}: {}", dir, clusterId, out.toString(StandardCharsets.UTF_8).trim());
    }

    /** The directory's meta.properties, or null when it has not been formatted. */
    private static Properties readMetaProperties(Path dir) {
        Path file = dir.resolve(META_PROPERTIES);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        return props;
    }

    private static int parseNodeId(Properties stored, Path dir) {
        String value = stored.getProperty("node.id", stored.getProperty("broker.id"));
        try {
            return Integer.parseInt(Objects.requireNonNull(value, "node.id").trim());
        } catch (RuntimeException e) {
            throw new IllegalStateException(dir.resolve(META_PROPERTIES) + " has no valid node.id (" + value
                    + "); use an empty directory", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName("localhost"), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot find a free port: " + e, e);
        }
    }

    /** Whether {@code e} reports that the listener on {@code port} could not be bound. */
    private static boolean isBindFailure(Throwable e, int port) {
        boolean bindFailure = false;
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = String.valueOf(t.getMessage());
            messages.append(message).append('\n');
            bindFailure |= t instanceof BindException || message.contains("failed to bind");
        }
        return bindFailure && messages.toString().contains(":" + port);
    }

    /** Polling interval between readiness probes (the loop is bounded by the start deadline). */
    private static void pauseBetweenProbes() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the embedded Kafka broker", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (caused by " + root + ")";
    }

    private static long remainingMillis(long deadlineNanos) {
        return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    }

    /**
     * Calls into Kafka classes that javac cannot see: kafka_2.13 depends on kafka-server, kafka-metadata, ...
     * with runtime scope, and {@code KafkaConfig} extends {@code AbstractKafkaConfig} from kafka-server.
     */
    static final class Reflect {
        private Reflect() {
        }

        static KafkaConfig kafkaConfig(Properties props) {
            try {
                Method fromProps = KafkaConfig.class.getMethod("fromProps", Properties.class, boolean.class);
                return (KafkaConfig) fromProps.invoke(null, props, false);
            } catch (InvocationTargetException e) {
                throw unwrap(e);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Kafka 3.9 KafkaConfig.fromProps not found: " + e, e);
            }
        }

        static void format(PrintStream out, int nodeId, String clusterId, String controllerListener, String dir)
                throws Exception {
            Class<?> type;
            Object formatter;
            try {
                type = Class.forName("org.apache.kafka.metadata.storage.Formatter");
                formatter = type.getConstructor().newInstance();
                type.getMethod("setPrintStream", PrintStream.class).invoke(formatter, out);
                type.getMethod("setNodeId", int.class).invoke(formatter, nodeId);
                type.getMethod("setClusterId", String.class).invoke(formatter, clusterId);
                type.getMethod("setControllerListenerName", String.class).invoke(formatter, controllerListener);
                type.getMethod("setMetadataLogDirectory", String.class).invoke(formatter, dir);
                type.getMethod("addDirectory", String.class).invoke(formatter, dir);
                type.getMethod("setIgnoreFormatted", boolean.class).invoke(formatter, false);
                type.getMethod("run").invoke(formatter);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                throw cause instanceof Exception ? (Exception) cause : e;
            }
        }

        /**
         * Removes what the last broker left in Kafka's static Yammer registry. Kafka leaves about 50 gauges
         * registered after shutdown; as Yammer keeps the existing gauge when a new one of the same name is
         * registered, a broker restarted in the same JVM would otherwise report (over JMX) the stopped broker's
         * values, e.g. {@code kafka.server:type=KafkaServer,name=BrokerState} stuck at 7 (SHUTTING_DOWN), and keep
         * that broker's objects reachable. (With two brokers running at once they share these gauges: a JVM-wide
         * registry, nothing to do about it.)
         */
        static void clearYammerMetrics() {
            try {
                Object registry = Class.forName("org.apache.kafka.server.metrics.KafkaYammerMetrics")
                        .getMethod("defaultRegistry").invoke(null);
                Map<?, ?> metrics = (Map<?, ?>) registry.getClass().getMethod("allMetrics").invoke(registry);
                Method removeMetric = registry.getClass()
                        .getMethod("removeMetric", Class.forName("com.yammer.metrics.core.MetricName"));
                for (Object name : metrics.keySet()) {
                    removeMetric.invoke(registry, name);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.debug("Could not clear Kafka's Yammer metrics registry", e);
            }
        }

        private static RuntimeException unwrap(InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                return (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            return new IllegalStateException(String.valueOf(cause), cause);
        }
    }
}
