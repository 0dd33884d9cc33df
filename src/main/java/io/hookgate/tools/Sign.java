package io.hookgate.tools;

import io.hookgate.signature.SkyvernSigner;
import io.hookgate.signature.TolokaSigner;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * hookgate's signer CLI: signs a JSON body as Toloka or Skyvern would, with hookgate's own signers
 * ({@link TolokaSigner}, {@link SkyvernSigner}), and POSTs it, or prints the equivalent curl command.
 *
 * <pre>
 * java -cp target/classes io.hookgate.tools.Sign toloka  [options] (--file FILE | --data JSON | -)
 * java -cp target/classes io.hookgate.tools.Sign skyvern [options] (--file FILE | --data JSON | -)
 * </pre>
 *
 * <p>It depends on the JDK and {@code io.hookgate.signature} only, so that it runs from
 * {@code target/classes} with no dependency on the classpath. Secrets come from the environment (the
 * variables hookgate itself reads), never from a flag, and are never printed. See {@link #HELP}.
 */
public final class Sign {

    /*
     * hookgate's public dev-mode secrets, the same as io.hookgate.camel.HookgateBeans.DEV_TOLOKA_SECRET
     * and DEV_SKYVERN_API_KEY. Duplicated, not imported: HookgateBeans pulls in Camel, and this tool
     * must run without it. SignTest fails if the two ever differ.
     */
    static final String DEV_TOLOKA_SECRET = "hookgate-dev-secret-not-for-production";
    static final String DEV_SKYVERN_API_KEY = "hookgate-dev-skyvern-key-not-for-production";

    static final String TOLOKA_SECRET_VARIABLE = "HOOKGATE_TOLOKA_SECRETS_";
    static final String SKYVERN_KEYS_VARIABLE = "HOOKGATE_SKYVERN_API_KEYS";

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private static final String COMMAND = "java -cp target/classes io.hookgate.tools.Sign";

    /** Key versions as hookgate accepts them in {@code hookgate.toloka.secrets.N}: no leading zero. */
    private static final Pattern KEY_VERSION = Pattern.compile("0|[1-9][0-9]{0,8}");
    /** Timestamps: 1 to 15 digits, what both verifiers accept. */
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,15}");
    private static final Pattern TOLOKA_VARIABLE = Pattern.compile(Pattern.quote(TOLOKA_SECRET_VARIABLE) + "(.+)");

    static final String SYNOPSIS = ""
            + "Usage: " + COMMAND + " toloka  [--url URL] [--key-version N] [--timestamp-ms MS]\n"
            + "                                  [--dev] [--curl] (--file FILE | --data JSON | -)\n"
            + "       " + COMMAND + " skyvern [--url URL] [--timestamp-s S]\n"
            + "                                  [--dev] [--curl] (--file FILE | --data JSON | -)\n"
            + "       " + COMMAND + " --help\n";

    static final String HELP = SYNOPSIS + "\n"
            + "Signs a JSON body the way Toloka or Skyvern does, with hookgate's own signers, and POSTs it\n"
            + "over HTTP/1.1 with Content-Type: application/json and the provider's signature headers; with\n"
            + "--curl, prints the equivalent curl command instead of sending.\n"
            + "\n"
            + "Body (exactly one):\n"
            + "  --file FILE        the bytes of FILE\n"
            + "  --data JSON        the argument itself, in UTF-8 (needs a UTF-8 locale for non-ASCII)\n"
            + "  -                  the bytes of standard input\n"
            + "  The signature covers exactly these bytes and exactly these bytes are sent: nothing is\n"
            + "  re-serialized, re-encoded or trimmed. A trailing newline (editors and `echo` add one) is part\n"
            + "  of the body and of the signature; Toloka and Skyvern send compact JSON without one.\n"
            + "\n"
            + "Options:\n"
            + "  --url URL          where to POST (http or https). Defaults:\n"
            + "                       toloka   http://localhost:8080/webhooks/toloka\n"
            + "                       skyvern  http://localhost:8080/webhooks/skyvern (a run webhook);\n"
            + "                                a TOTP poll goes to http://localhost:8080/skyvern/totp/<login>\n"
            + "  --key-version N    toloka: the key version v, which also picks the secret (default 1)\n"
            + "  --timestamp-ms MS  toloka: ts, Unix time in milliseconds (default: now). hookgate refuses a ts\n"
            + "                     further than hookgate.toloka.tolerance-seconds (300) from its clock.\n"
            + "  --timestamp-s S    skyvern: x-skyvern-timestamp, Unix seconds (default: now). Not signed.\n"
            + "  --dev              sign with hookgate's public dev-mode secret (toloka: key version 1) instead\n"
            + "                     of the environment; matches `mvn compile exec:java`. Said on stderr.\n"
            + "  --curl             print a curl command sending the same signed request, and send nothing.\n"
            + "                     It carries the signature, never the secret. The body goes as\n"
            + "                     --data-binary @FILE with --file, else inline.\n"
            + "  -h, --help         print this help\n"
            + "\n"
            + "Secrets come from the environment only, never from a flag (shell history, `ps`), and from the\n"
            + "variables hookgate itself reads, so one export serves both:\n"
            + "  toloka   " + TOLOKA_SECRET_VARIABLE + "<N>, N = --key-version (the subscription's secret_key)\n"
            + "  skyvern  the first key of " + SKYVERN_KEYS_VARIABLE + " (comma-separated; the API key)\n"
            + "The secret is never printed.\n"
            + "\n"
            + "Output: the response's status line and body on stdout. Connect timeout "
            + CONNECT_TIMEOUT.toSeconds() + " s, answer timeout " + REQUEST_TIMEOUT.toSeconds() + " s;\n"
            + "redirects are not followed.\n"
            + "Exit status: 0 on a 2xx answer; 1 on any other answer or when the request could not be sent;\n"
            + "2 on a usage error, a missing secret or an unreadable body.\n"
            + "\n"
            + "Examples:\n"
            + "  read -rs " + TOLOKA_SECRET_VARIABLE + "1 && export " + TOLOKA_SECRET_VARIABLE
            + "1    # paste the secret_key: no echo, no history\n"
            + "  " + COMMAND + " toloka --file batch.json\n"
            + "  " + COMMAND + " toloka --dev --curl --file batch.json\n"
            + "  " + COMMAND + " skyvern --dev --url http://localhost:8080/skyvern/totp/demo-login \\\n"
            + "      --data '{\"task_id\":\"tsk_123456\"}'\n";

    private Sign() {
    }

    public static void main(String[] args) {
        // UTF-8 whatever the locale: a curl command quotes the body's UTF-8 text, and must show those bytes.
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int status = run(args, System.getenv(), System.in, out, err);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /**
     * The whole command, without {@code System.exit}.
     *
     * @param env the environment to read secrets from
     * @return the exit status: 0 sent and answered 2xx (or {@code --help}, or {@code --curl} printed),
     *     1 answered otherwise or not sent, 2 usage error, missing secret or unreadable body
     */
    public static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(env, "env");
        try {
            Invocation invocation = Invocation.parse(args);
            if (invocation.help) {
                out.print(HELP);
                return 0;
            }
            Secret secret = secret(invocation, env);
            byte[] body = readBody(invocation, in);
            SignedRequest request = sign(invocation, secret, body);
            err.println("sign: " + invocation.provider.name + ": signed " + body.length + " bytes with " + secret.description);
            if (invocation.curl) {
                String command;
                try {
                    command = CurlCommand.render(request);
                } catch (IllegalArgumentException e) {
                    throw new Failure(2, e.getMessage() + ": pass it with --file");
                }
                out.print(command);
                if (invocation.provider == Provider.TOLOKA) {
                    err.println("sign: run it soon: hookgate refuses a ts further than"
                            + " hookgate.toloka.tolerance-seconds (default 300) from its clock");
                }
                return 0;
            }
            return send(request, out, err);
        } catch (Usage e) {
            err.println("sign: " + e.getMessage());
            err.print(SYNOPSIS);
            return 2;
        } catch (Failure e) {
            err.println("sign: " + e.getMessage());
            return e.status;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static Secret secret(Invocation invocation, Map<String, String> env) throws Failure {
        if (invocation.provider == Provider.TOLOKA) {
            String variable = TOLOKA_SECRET_VARIABLE + invocation.keyVersion;
            if (invocation.dev) {
                return new Secret(DEV_TOLOKA_SECRET,
                        "hookgate's PUBLIC dev-mode Toloka secret, key version 1 (--dev, not " + variable + ")");
            }
            String value = env.get(variable);
            if (value == null || value.isBlank()) {
                throw new Failure(2, variable + " is not set: export the Toloka secret_key of key version "
                        + invocation.keyVersion + " in it" + otherTolokaVersions(env, invocation.keyVersion)
                        + ", or use --dev for hookgate's dev mode");
            }
            // As hookgate reads it: taken as written, not trimmed.
            return new Secret(value, variable + ", key version " + invocation.keyVersion);
        }
        if (invocation.dev) {
            return new Secret(DEV_SKYVERN_API_KEY,
                    "hookgate's PUBLIC dev-mode Skyvern API key (--dev, not " + SKYVERN_KEYS_VARIABLE + ")");
        }
        String value = env.get(SKYVERN_KEYS_VARIABLE);
        if (value != null) {
            String[] keys = value.split(",");
            for (String key : keys) {
                if (!key.isBlank()) { // as hookgate reads it: comma-separated, each trimmed, blanks skipped
                    return new Secret(key.trim(), "the first key of " + SKYVERN_KEYS_VARIABLE);
                }
            }
        }
        throw new Failure(2, SKYVERN_KEYS_VARIABLE + " is not set: export the Skyvern API key in it"
                + " (several comma-separated: the first signs), or use --dev for hookgate's dev mode");
    }

    /** A hint naming the Toloka key versions that are set, when the asked one is not. Names only. */
    private static String otherTolokaVersions(Map<String, String> env, String asked) {
        TreeSet<String> versions = new TreeSet<>();
        env.forEach((name, value) -> {
            Matcher m = TOLOKA_VARIABLE.matcher(name);
            if (m.matches() && !m.group(1).equals(asked) && value != null && !value.isBlank()) {
                versions.add(m.group(1));
            }
        });
        if (versions.isEmpty()) {
            return "";
        }
        return " (set: " + String.join(", ", versions.stream().map(v -> TOLOKA_SECRET_VARIABLE + v).toList())
                + "; pick one with --key-version)";
    }

    private static byte[] readBody(Invocation invocation, InputStream in) throws Failure {
        if (invocation.file != null) {
            try {
                return Files.readAllBytes(Path.of(invocation.file));
            } catch (IOException | RuntimeException e) {
                throw new Failure(2, "cannot read " + invocation.file + ": " + describe(e));
            }
        }
        if (invocation.data != null) {
            if (invocation.data.indexOf('\uFFFD') >= 0) {
                throw new Failure(2, "--data holds bytes that could not be decoded in this locale (sun.jnu.encoding="
                        + System.getProperty("sun.jnu.encoding") + "), so its exact bytes are lost:"
                        + " pass the body with --file or on standard input");
            }
            return invocation.data.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Objects.requireNonNull(in, "in").readAllBytes();
        } catch (IOException e) {
            throw new Failure(2, "cannot read standard input: " + describe(e));
        }
    }

    private static SignedRequest sign(Invocation invocation, Secret secret, byte[] body) {
        byte[] key = secret.value.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        if (invocation.provider == Provider.TOLOKA) {
            long ts = invocation.timestamp != null ? Long.parseLong(invocation.timestamp) : System.currentTimeMillis();
            headers.put("Toloka-Signature", new TolokaSigner(invocation.keyVersion, key).signatureHeader(body, ts));
        } else {
            String ts = invocation.timestamp != null ? invocation.timestamp
                    : Long.toString(System.currentTimeMillis() / 1000);
            headers.put("x-skyvern-signature", new SkyvernSigner(key).signature(body));
            headers.put("x-skyvern-timestamp", ts);
        }
        java.util.Arrays.fill(key, (byte) 0);
        return new SignedRequest(invocation.url, headers, body, invocation.file);
    }

    private static int send(SignedRequest request, PrintStream out, PrintStream err) throws Failure {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.url())
                .timeout(REQUEST_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(builder::header);
        HttpResponse<byte[]> response;
        try {
            response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new Failure(1, "could not POST to " + request.url() + ": " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(1, "interrupted while waiting for " + request.url());
        }
        int status = response.statusCode();
        out.println(statusLine(response.version(), status));
        byte[] answer = response.body();
        out.write(answer, 0, answer.length); // as received: no decoding
        if (answer.length > 0 && answer[answer.length - 1] != '\n') {
            out.println();
        }
        if (status < 200 || status > 299) {
            err.println("sign: " + request.url() + " answered " + status);
            return 1;
        }
        return 0;
    }

    static String statusLine(HttpClient.Version version, int status) {
        String reason = switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "";
        };
        String protocol = version == HttpClient.Version.HTTP_2 ? "HTTP/2" : "HTTP/1.1";
        return reason.isEmpty() ? protocol + " " + status : protocol + " " + status + " " + reason;
    }

    /** An exception's message, else its first cause's that has one, else its type. */
    private static String describe(Throwable e) {
        if (e instanceof java.net.ConnectException && (e.getMessage() == null || e.getMessage().isBlank())) {
            return "cannot connect (is hookgate running there?)"; // HttpClient's usually has no message
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    enum Provider {
        TOLOKA("toloka", "http://localhost:8080/webhooks/toloka", "--timestamp-ms"),
        SKYVERN("skyvern", "http://localhost:8080/webhooks/skyvern", "--timestamp-s");

        final String name;
        final String defaultUrl;
        final String timestampFlag;

        Provider(String name, String defaultUrl, String timestampFlag) {
            this.name = name;
            this.defaultUrl = defaultUrl;
            this.timestampFlag = timestampFlag;
        }

        static Provider named(String name) {
            for (Provider provider : values()) {
                if (provider.name.equals(name)) {
                    return provider;
                }
            }
            return null;
        }
    }

    /** The secret, and how to name it in messages (a variable name, never the value). */
    private record Secret(String value, String description) {

        @Override
        public String toString() {
            return description;
        }
    }

    /** A parsed command line. */
    private static final class Invocation {
        boolean help;
        Provider provider;
        URI url;
        String keyVersion = "1";
        String timestamp;
        boolean dev;
        boolean curl;
        String file;
        String data;
        boolean stdin;

        static Invocation parse(String[] args) throws Usage {
            Invocation invocation = new Invocation();
            if (args.length == 0) {
                throw new Usage("say which provider: toloka or skyvern");
            }
            String first = args[0];
            if (first.equals("-h") || first.equals("--help") || first.equals("help")) {
                invocation.help = true;
                return invocation;
            }
            invocation.provider = Provider.named(first);
            if (invocation.provider == null) {
                throw new Usage("unknown provider '" + first + "': toloka or skyvern");
            }
            String url = null;
            String keyVersion = null;
            int sources = 0;
            for (int i = 1; i < args.length; i++) {
                String arg = args[i];
                String name = arg;
                String inlineValue = null;
                int equals = arg.indexOf('=');
                if (arg.startsWith("--") && equals > 2) {
                    name = arg.substring(0, equals);
                    inlineValue = arg.substring(equals + 1);
                }
                switch (name) {
                    case "-h", "--help" -> {
                        invocation.help = true;
                        return invocation;
                    }
                    case "-" -> {
                        invocation.stdin = true;
                        sources++;
                    }
                    case "--dev" -> invocation.dev = flag(name, inlineValue, invocation.dev);
                    case "--curl" -> invocation.curl = flag(name, inlineValue, invocation.curl);
                    case "--url", "--key-version", "--timestamp-ms", "--timestamp-s", "--file", "--data" -> {
                        String value;
                        if (inlineValue != null) {
                            value = inlineValue;
                        } else if (i + 1 < args.length) {
                            value = args[++i];
                        } else {
                            throw new Usage(name + " needs a value");
                        }
                        switch (name) {
                            case "--url" -> url = once(name, url, value);
                            case "--key-version" -> keyVersion = once(name, keyVersion, value);
                            case "--file" -> {
                                invocation.file = once(name, invocation.file, value);
                                sources++;
                            }
                            case "--data" -> {
                                invocation.data = once(name, invocation.data, value);
                                sources++;
                            }
                            default -> { // a timestamp
                                if (!name.equals(invocation.provider.timestampFlag)) {
                                    throw new Usage(name + " is not for " + invocation.provider.name + ": "
                                            + invocation.provider.name + " takes " + invocation.provider.timestampFlag);
                                }
                                invocation.timestamp = once(name, invocation.timestamp, value);
                            }
                        }
                    }
                    default -> throw new Usage(arg.startsWith("-")
                            ? "unknown option " + name
                            : "unexpected argument '" + arg + "' (the body goes with --file, --data or -)");
                }
            }
            if (sources == 0) {
                throw new Usage("no body: give --file FILE, --data JSON or - (standard input)");
            }
            if (sources > 1) {
                throw new Usage("give exactly one body: --file FILE, --data JSON or -");
            }
            if (keyVersion != null) {
                if (invocation.provider != Provider.TOLOKA) {
                    throw new Usage("--key-version is for toloka only");
                }
                if (!KEY_VERSION.matcher(keyVersion).matches()) {
                    throw new Usage("--key-version must be 1 to 9 digits without a leading zero, as in "
                            + TOLOKA_SECRET_VARIABLE + "<N>: '" + keyVersion + "'");
                }
                if (invocation.dev && !keyVersion.equals("1")) {
                    throw new Usage("--dev signs with key version 1 only: hookgate's dev mode has no other");
                }
                invocation.keyVersion = keyVersion;
            }
            if (invocation.timestamp != null && !TIMESTAMP.matcher(invocation.timestamp).matches()) {
                throw new Usage(invocation.provider.timestampFlag + " must be 1 to 15 digits: '"
                        + invocation.timestamp + "'");
            }
            invocation.url = url(url != null ? url : invocation.provider.defaultUrl);
            return invocation;
        }

        private static boolean flag(String name, String inlineValue, boolean already) throws Usage {
            if (inlineValue != null) {
                throw new Usage(name + " takes no value");
            }
            if (already) {
                throw new Usage(name + " is given twice");
            }
            return true;
        }

        private static String once(String name, String previous, String value) throws Usage {
            if (previous != null) {
                throw new Usage(name + " is given twice");
            }
            return value;
        }

        private static URI url(String value) throws Usage {
            try {
                URI uri = new URI(value);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                    throw new Usage("--url must be an http:// or https:// URL with a host: '" + value + "'");
                }
                return uri;
            } catch (URISyntaxException e) {
                throw new Usage("--url is not a valid URL: " + e.getMessage());
            }
        }
    }

    /** A usage error: exit 2 with the synopsis. */
    private static final class Usage extends Exception {
        private static final long serialVersionUID = 1L;

        Usage(String message) {
            super(message, null, false, false);
        }
    }

    /** Any other refusal or failure, with its exit status. Messages never hold a secret. */
    private static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Failure(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }
}
