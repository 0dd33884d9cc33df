package io.hookgate.testing;

import static io.hookgate.testing.TestHttp.freePort;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * hookgate as a user runs it: {@code java -jar target/hookgate.jar} in its own JVM (the runtime
 * classpath only, no test jars), from a directory that holds nothing of hookgate's, configured only by
 * a properties file named by {@code HOOKGATE_CONFIG} (no inherited {@code HOOKGATE_*} or
 * {@code CAMEL_*} variables), on free ports, its stdout and stderr in {@link #log()}.
 */
public final class HookgateProcess implements AutoCloseable {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final Path log;
    private final int port;
    private final int managementPort;

    private HookgateProcess(Process process, Path log, int port, int managementPort) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** Starts hookgate with {@code properties} (on top of its defaults) in {@code dir}, and waits until ready. */
    public static HookgateProcess start(Path dir, Map<String, String> properties) throws IOException {
        int port = freePort();
        int managementPort = freePort();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("camel.server.port", Integer.toString(port));
        all.put("camel.management.port", Integer.toString(managementPort));
        all.putAll(properties);
        Path config = Files.writeString(dir.resolve("hookgate.properties"), all.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n")));
        Path workDir = Files.createDirectories(dir.resolve("anywhere"));
        Path log = dir.resolve("hookgate.log");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target/hookgate.jar").toAbsolutePath().toString()))
                .directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("HOOKGATE_") || name.startsWith("CAMEL_"));
        builder.environment().put("HOOKGATE_CONFIG", config.toString());
        HookgateProcess hookgate = new HookgateProcess(builder.start(), log, port, managementPort);
        try {
            hookgate.awaitReady();
        } catch (RuntimeException | Error e) {
            hookgate.close();
            throw e;
        }
        return hookgate;
    }

    private void awaitReady() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() -> {
            if (!process.isAlive()) {
                throw new AssertionError("hookgate exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                return management("/observe/health/ready").statusCode() == 200;
            } catch (UncheckedIOException notYet) {
                return false;
            }
        });
    }

    public Process process() {
        return process;
    }

    public int port() {
        return port;
    }

    public URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /** GETs a path of the management server (health, metrics). */
    public HttpResponse<String> management(String path) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Path log() {
        return log;
    }

    /** Everything the process wrote so far. */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, then at most 30 s for it to exit, then SIGKILL. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
