package io.hookgate.dropin;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.PropertyBindingSupport;
import org.apache.camel.util.StringHelper;

/**
 * Applies the {@code camel.component.<name>.*} settings to a component of a plain
 * {@code CamelContext}, which camel-main, Camel JBang, Spring Boot and Quarkus do by themselves and
 * a bare {@code DefaultCamelContext} does not.
 *
 * <p>The settings are read through the context's properties component, so every source it knows
 * counts, with its precedence: its locations (e.g. {@code application.properties}), its initial and
 * override properties, JVM system properties, and environment variables
 * ({@code CAMEL_COMPONENT_KAFKA_BROKERS} for {@code camel.component.kafka.brokers}). They are bound
 * with the component's generated property configurer, as camel-main binds them; an unknown option
 * fails, naming the key.
 */
final class ComponentProperties {

    private ComponentProperties() {
    }

    /** Configures component {@code name} (created if needed) from its {@code camel.component.<name>.*} keys. */
    static Component apply(CamelContext context, String name) {
        String prefix = "camel.component." + name + ".";
        PropertiesComponent properties = context.getPropertiesComponent();

        Set<String> keys = new TreeSet<>();
        properties.loadProperties(key -> key.startsWith(prefix)).stringPropertyNames()
                .forEach(key -> keys.add(key.substring(prefix.length())));
        System.getProperties().stringPropertyNames().stream().filter(key -> key.startsWith(prefix))
                .forEach(key -> keys.add(key.substring(prefix.length())));
        // a key may exist only as an environment variable: CAMEL_COMPONENT_KAFKA_MAX_BLOCK_MS -> max-block-ms
        String envPrefix = prefix.toUpperCase(Locale.ROOT).replace('.', '_');
        System.getenv().keySet().stream().filter(variable -> variable.startsWith(envPrefix))
                .forEach(variable -> keys.add(
                        variable.substring(envPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '-')));

        Map<String, Object> options = new LinkedHashMap<>();
        for (String key : keys) {
            // resolved again through Camel, so that an environment variable overrides the file
            properties.resolveProperty(prefix + key)
                    .ifPresent(value -> options.put(StringHelper.dashToCamelCase(key), value));
        }

        Component component = context.getComponent(name);
        try {
            PropertyBindingSupport.build()
                    .withCamelContext(context)
                    .withTarget(component)
                    .withConfigurer(component.getComponentPropertyConfigurer())
                    .withIgnoreCase(true)
                    .withMandatory(true)
                    .withProperties(options)
                    .bind();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Cannot apply " + prefix + "* to the " + name + " component: "
                    + e.getMessage(), e);
        }
        return component;
    }
}
