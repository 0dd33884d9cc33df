package io.hookgate.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReceivedJsonTest {

    @Test
    void shouldReadAWellFormedBody() throws IOException {
        assertEquals("r1", ReceivedJson.tree(utf8("{\"run_id\":\"r1\",\"note\":\"caf\u00e9\"}")).get("run_id").textValue());
    }

    /** The name Jackson would otherwise take for "run_id": its last group "id" padded with 0xFF is "\xFF\xFFid". */
    @Test
    void shouldRefuseANameThatIsNotUtf8AfterTheNameItsBytesPadTo() throws IOException {
        ReceivedJson.tree(utf8("{\"run_id\":\"r1\"}"));
        byte[] body = {'{', '"', 'r', 'u', 'n', '_', (byte) 0xFF, (byte) 0xFF, 'i', 'd', '"', ':', '1', '}'};

        ReceivedJson.NotUtf8Exception refused =
                assertThrows(ReceivedJson.NotUtf8Exception.class, () -> ReceivedJson.tree(body));
        assertEquals("the body is not UTF-8 (at byte 6)", refused.getMessage());
        assertThrows(ReceivedJson.NotUtf8Exception.class, () -> ReceivedJson.parser(body));
    }

    @Test
    void shouldRefuseARepeatedKey() {
        IOException refused = assertThrows(IOException.class,
                () -> ReceivedJson.tree(utf8("{\"run_id\":\"r1\",\"run_id\":\"r2\"}")));
        assertFalse(refused instanceof ReceivedJson.NotUtf8Exception);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
