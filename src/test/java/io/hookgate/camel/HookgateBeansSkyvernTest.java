package io.hookgate.camel;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Start-up checks of the Skyvern settings: each failure names the property, never the secret. */
class HookgateBeansSkyvernTest {

    private static final String BASE32_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    private final CamelContext context = new DefaultCamelContext();
    private final HookgateBeans beans = new HookgateBeans(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));

    @AfterEach
    void closeContext() throws Exception {
        context.close();
    }

    @Test
    void shouldRefuseToStartWithoutAnApiKeyNamingThePropertyAndTheSwitch() {
        configure(Map.of());

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> beans.configure(context));

        assertTrue(e.getMessage().contains("hookgate.skyvern.api-keys"), e.getMessage());
        assertTrue(e.getMessage().contains("HOOKGATE_SKYVERN_API_KEYS"), e.getMessage());
        assertTrue(e.getMessage().contains("enabled=false"), e.getMessage());
    }

    @Test
    void shouldStartWithoutAnApiKeyWhenSkyvernIsSwitchedOff() {
        configure(Map.of("hookgate.skyvern.enabled", "false"));

        assertDoesNotThrow(() -> beans.configure(context));
        assertNotNull(context.getRegistry().lookupByName("verifySkyvernSignature"));
    }

    @Test
    void shouldStartInDevModeWithThePublicDevKey() {
        configure(Map.of("hookgate.dev-mode", "true"));

        assertDoesNotThrow(() -> beans.configure(context));
        for (String bean : new String[] {"readSkyvernRequest", "verifySkyvernSignature", "publishSkyvernToIntake",
                "describeTotpPoll", "answerTotpPoll", "storeRelayedCode"}) {
            assertNotNull(context.getRegistry().lookupByName(bean), bean);
        }
    }

    @Test
    void shouldRefuseABadTotpKeyNamingThePropertyButNotTheSecret() {
        String bad = "otpauth://totp/x?secret=" + BASE32_SECRET + "&algorithm=MD5";
        configure(Map.of("hookgate.skyvern.api-keys", "sk", "hookgate.skyvern.totp.github-bot", bad));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> beans.configure(context));

        assertTrue(e.getMessage().startsWith("hookgate.skyvern.totp.github-bot: "), e.getMessage());
        assertFalse(e.getMessage().contains(BASE32_SECRET), e.getMessage());
    }

    @Test
    void shouldRefuseInvalidBase32NamingTheProperty() {
        configure(Map.of("hookgate.skyvern.api-keys", "sk", "hookgate.skyvern.totp.mail", "NOT-BASE32-189"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> beans.configure(context));

        assertTrue(e.getMessage().startsWith("hookgate.skyvern.totp.mail: "), e.getMessage());
        assertFalse(e.getMessage().contains("189"), e.getMessage());
    }

    @Test
    void shouldRefuseAnIdentifierThatCannotBeInAUrlSegment() {
        configure(Map.of("hookgate.skyvern.api-keys", "sk", "hookgate.skyvern.totp.a.b", BASE32_SECRET));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> beans.configure(context));

        assertTrue(e.getMessage().contains("hookgate.skyvern.totp.a.b"), e.getMessage());
    }

    /** Skyvern's settings under test; Toloka in dev mode is irrelevant here, so it is switched off. */
    private void configure(Map<String, String> settings) {
        Properties properties = new Properties();
        properties.put("hookgate.toloka.enabled", "false");
        properties.putAll(settings);
        context.getPropertiesComponent().setInitialProperties(properties);
    }
}
