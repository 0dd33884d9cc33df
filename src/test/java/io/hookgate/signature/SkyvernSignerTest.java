package io.hookgate.signature;

import static io.hookgate.signature.Vectors.SKYVERN_KEY;
import static io.hookgate.signature.Vectors.SKYVERN_NON_ASCII_BODY;
import static io.hookgate.signature.Vectors.SKYVERN_NON_ASCII_SIGNATURE;
import static io.hookgate.signature.Vectors.SKYVERN_TASK_BODY;
import static io.hookgate.signature.Vectors.SKYVERN_TASK_SIGNATURE;
import static io.hookgate.signature.Vectors.SKYVERN_WORKFLOW_BODY;
import static io.hookgate.signature.Vectors.SKYVERN_WORKFLOW_SIGNATURE;
import static io.hookgate.signature.Vectors.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SkyvernSignerTest {

    private final SkyvernSigner signer = new SkyvernSigner(utf8(SKYVERN_KEY));

    @Test
    void shouldReproduceTheVectors() {
        assertEquals(SKYVERN_TASK_SIGNATURE, signer.signature(utf8(SKYVERN_TASK_BODY)));
        assertEquals(SKYVERN_WORKFLOW_SIGNATURE, signer.signature(utf8(SKYVERN_WORKFLOW_BODY)));
        assertEquals(SKYVERN_NON_ASCII_SIGNATURE, signer.signature(utf8(SKYVERN_NON_ASCII_BODY)));
    }

    @Test
    void shouldRejectEmptyKey() {
        assertThrows(IllegalArgumentException.class, () -> new SkyvernSigner(new byte[0]));
    }
}
