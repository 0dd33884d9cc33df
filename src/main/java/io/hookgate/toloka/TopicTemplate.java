package io.hookgate.toloka;

import java.util.Locale;
import java.util.Objects;

/**
 * Names the Kafka topic of an event type from a template such as {@code toloka.{type}}, where
 * {@code {type}} becomes the type in lower-case kebab form: {@code ASSIGNMENT_APPROVED} →
 * {@code toloka.assignment-approved}. Event types are validated as letters, digits and underscores
 * by {@link TolokaBatch}, so every name this produces is a legal topic name.
 */
public final class TopicTemplate {

    public static final String PLACEHOLDER = "{type}";

    private final String template;

    /**
     * @throws IllegalArgumentException if the template lacks {@code {type}} or has characters that
     *     are not legal in a topic name
     */
    public TopicTemplate(String template) {
        Objects.requireNonNull(template, "template");
        if (!template.contains(PLACEHOLDER)
                || !template.replace(PLACEHOLDER, "x").matches("[A-Za-z0-9._-]{1,200}")) {
            throw new IllegalArgumentException("topic template '" + template
                    + "' must contain " + PLACEHOLDER + " and otherwise only letters, digits, '.', '_' and '-'");
        }
        this.template = template;
    }

    public String topicFor(String eventType) {
        return template.replace(PLACEHOLDER, eventType.toLowerCase(Locale.ROOT).replace('_', '-'));
    }
}
