package io.hookgate.toloka;

import java.util.Locale;
import java.util.Objects;

/**
 * Names the Kafka topic of an event type from a template such as {@code toloka.{type}}, where
 * {@code {type}} becomes the type in lower-case kebab form: {@code ASSIGNMENT_APPROVED} →
 * {@code toloka.assignment-approved}. Event types are validated as letters, digits and underscores
 * (up to 100 of them) by {@link TolokaBatch}, and the template's length is checked, so every name
 * this produces is a legal topic name.
 */
public final class TopicTemplate {

    public static final String PLACEHOLDER = "{type}";

    /** Kafka's limit on a topic name. */
    static final int MAX_TOPIC_LENGTH = 249;
    /** The longest event type {@link TolokaBatch} accepts. */
    static final int MAX_TYPE_LENGTH = 100;

    private final String template;

    /**
     * @throws IllegalArgumentException if the template lacks {@code {type}} or has characters that
     *     are not legal in a topic name
     */
    public TopicTemplate(String template) {
        Objects.requireNonNull(template, "template");
        if (!template.contains(PLACEHOLDER)
                || !template.replace(PLACEHOLDER, "x").matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("topic template '" + template
                    + "' must contain " + PLACEHOLDER + " and otherwise only letters, digits, '.', '_' and '-'");
        }
        int longest = template.length() + (MAX_TYPE_LENGTH - PLACEHOLDER.length())
                * (template.split(java.util.regex.Pattern.quote(PLACEHOLDER), -1).length - 1);
        if (longest > MAX_TOPIC_LENGTH) {
            throw new IllegalArgumentException("topic template '" + template + "' can name topics of "
                    + longest + " characters (event types have up to " + MAX_TYPE_LENGTH
                    + "); Kafka allows " + MAX_TOPIC_LENGTH);
        }
        this.template = template;
    }

    public String topicFor(String eventType) {
        return template.replace(PLACEHOLDER, eventType.toLowerCase(Locale.ROOT).replace('_', '-'));
    }
}
