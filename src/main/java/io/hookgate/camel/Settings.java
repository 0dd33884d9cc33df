package io.hookgate.camel;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Reads hookgate's settings through Camel's properties component, so that every source Camel knows
 * (properties files, JVM system properties, environment variables such as
 * {@code HOOKGATE_TOLOKA_SECRETS_1} for {@code hookgate.toloka.secrets.1}) applies, with Camel's
 * precedence. A bad value fails start-up with a message naming the property.
 */
final class Settings {

    private final PropertiesComponent properties;

    Settings(CamelContext context) {
        this.properties = context.getPropertiesComponent();
    }

    Optional<String> optional(String key) {
        return properties.resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    String string(String key, String defaultValue) {
        return optional(key).orElse(defaultValue);
    }

    long number(String key, long defaultValue, long min, long max) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            long number = Long.parseLong(value.get());
            if (number < min || number > max) {
                throw new IllegalArgumentException(key + " must be between " + min + " and " + max);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number");
        }
    }

    /** A value built from a setting, e.g. a template: a refusal names the property. */
    <T> T parsed(String key, String defaultValue, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(string(key, defaultValue));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    boolean flag(String key, boolean defaultValue) {
        Optional<String> value = optional(key);
        if (value.isEmpty()) {
            return defaultValue;
        }
        return switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false");
        };
    }

    /**
     * The values of {@code prefix + N} for every key version N (digits, no leading zero, as Toloka
     * writes {@code v}) found in any source.
     */
    Map<String, String> numbered(String prefix) {
        return keyed(prefix, Pattern.compile("0|[1-9]\\d{0,8}"), "a key version number without leading zeros");
    }

    /**
     * The values of {@code prefix + suffix} for every suffix found in any source: the properties
     * files, system properties, and environment variables (a key may exist only as a variable, so
     * listing the files alone would miss it; its suffix then comes in the variable's upper case with
     * {@code _}). Values resolve through Camel, keeping its precedence, and are taken as written (not
     * trimmed: they are secrets, where a space may belong); blank ones are left out.
     *
     * @throws IllegalArgumentException naming the key whose suffix does not match {@code suffixes}
     */
    Map<String, String> keyed(String prefix, Pattern suffixes, String suffixMeaning) {
        Map<String, String> values = new TreeMap<>();
        Pattern envName = Pattern.compile(
                Pattern.quote(prefix.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_')) + "(.+)");
        properties.loadProperties(key -> key.startsWith(prefix)).stringPropertyNames()
                .forEach(key -> values.put(key.substring(prefix.length()), ""));
        System.getProperties().stringPropertyNames().stream().filter(key -> key.startsWith(prefix))
                .forEach(key -> values.put(key.substring(prefix.length()), ""));
        for (String name : System.getenv().keySet()) {
            Matcher m = envName.matcher(name);
            if (m.matches()) {
                values.put(m.group(1), "");
            }
        }
        for (String suffix : values.keySet()) {
            if (!suffixes.matcher(suffix).matches()) {
                throw new IllegalArgumentException(prefix + suffix + ": the part after '" + prefix
                        + "' must be " + suffixMeaning);
            }
        }
        values.replaceAll((suffix, ignored) -> properties.resolveProperty(prefix + suffix).orElse(""));
        values.values().removeIf(String::isBlank);
        return values;
    }
}
