package io.hookgate.tools;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Renders a {@link SignedRequest} as a copy-pasteable curl command for a POSIX shell (bash, zsh, sh)
 * that sends the very same bytes and headers.
 *
 * <p>The body goes as {@code --data-binary @FILE} when it came from a file (curl then reads the file
 * itself, byte for byte), else inline:
 * <ul>
 *   <li>in single quotes, each {@code '} written as {@code '\''}, when the body is valid UTF-8 with
 *       no control character but newline and tab: a shell passes everything between single quotes
 *       through untouched, non-ASCII and newlines included;</li>
 *   <li>otherwise (invalid UTF-8, a carriage return, other control characters) in ANSI-C quotes
 *       {@code $'...'} (bash, zsh, ksh; not dash), every byte that needs it as {@code \xHH};</li>
 *   <li>never for a body holding a NUL byte, which no shell argument can carry:
 *       {@link IllegalArgumentException}, and the caller asks for {@code --file}.</li>
 * </ul>
 * An inline body starting with {@code @} goes with {@code --data-raw} (curl 7.43 or later), which
 * sends it as it is, where {@code --data-binary} would read a file of that name.
 */
final class CurlCommand {

    /** Words a shell takes literally without quotes. */
    private static final Pattern SAFE_WORD = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private CurlCommand() {
    }

    /** The command, one option per line joined with {@code \}, ending with a newline. */
    static String render(SignedRequest request) {
        StringBuilder command = new StringBuilder("curl -sS -i ").append(quote(request.url().toString()));
        for (Map.Entry<String, String> header : request.headers().entrySet()) {
            command.append(" \\\n  -H ").append(quote(header.getKey() + ": " + header.getValue()));
        }
        if (request.bodyFile() != null) {
            // "@-" would make curl read standard input: a file named "-" is written "./-".
            String file = request.bodyFile().equals("-") ? "./-" : request.bodyFile();
            command.append(" \\\n  --data-binary ").append(quote("@" + file));
        } else {
            boolean at = request.body().length > 0 && request.body()[0] == '@';
            command.append(at ? " \\\n  --data-raw " : " \\\n  --data-binary ").append(inlineBody(request.body()));
        }
        return command.append('\n').toString();
    }

    /** One shell word for {@code s}: bare when safe, else single-quoted. */
    static String quote(String s) {
        if (SAFE_WORD.matcher(s).matches()) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /**
     * The body as one shell word whose value is exactly {@code body}.
     *
     * @throws IllegalArgumentException if the body holds a NUL byte
     */
    static String inlineBody(byte[] body) {
        for (byte b : body) {
            if (b == 0) {
                throw new IllegalArgumentException("the body contains a NUL byte, which no shell argument can carry");
            }
        }
        String text = strictUtf8(body);
        if (text != null && text.chars().noneMatch(CurlCommand::needsEscape)) {
            return "'" + text.replace("'", "'\\''") + "'";
        }
        return ansiC(body);
    }

    /** ANSI-C quoting, {@code $'...'}: printable ASCII as is, everything else as an escape. */
    private static String ansiC(byte[] body) {
        StringBuilder word = new StringBuilder(body.length + 16).append("$'");
        for (byte b : body) {
            int c = b & 0xff;
            switch (c) {
                case '\\' -> word.append("\\\\");
                case '\'' -> word.append("\\'");
                case '\n' -> word.append("\\n");
                case '\t' -> word.append("\\t");
                case '\r' -> word.append("\\r");
                default -> {
                    if (c < 0x20 || c >= 0x7f) {
                        word.append(String.format("\\x%02x", c));
                    } else {
                        word.append((char) c);
                    }
                }
            }
        }
        return word.append('\'').toString();
    }

    private static boolean needsEscape(int c) {
        return (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f || (c >= 0x80 && c < 0xa0);
    }

    /** The UTF-8 text of {@code bytes}, or null if they are not valid UTF-8. */
    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
