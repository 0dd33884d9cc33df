package io.hookgate.toloka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicTemplateTest {

    private final TopicTemplate defaultTemplate = new TopicTemplate("toloka.{type}");

    @Test
    void shouldNameTheApprovedAssignmentTopic() {
        assertEquals("toloka.assignment-approved", defaultTemplate.topicFor("ASSIGNMENT_APPROVED"));
    }

    @Test
    void shouldNameTheTestEventTopic() {
        assertEquals("toloka.test-event", defaultTemplate.topicFor("TEST_EVENT"));
    }

    @ParameterizedTest
    @CsvSource({
        "POOL_CLOSED, toloka.pool-closed",
        "DYNAMIC_OVERLAP_COMPLETED, toloka.dynamic-overlap-completed",
        "SOMETHING_NEW_2031, toloka.something-new-2031",
        "Mixed_Case, toloka.mixed-case",
        "X, toloka.x"
    })
    void shouldNameUnknownTypesByTheSameRule(String type, String topic) {
        assertEquals(topic, defaultTemplate.topicFor(type));
    }

    @Test
    void shouldApplyACustomTemplate() {
        TopicTemplate custom = new TopicTemplate("prod.toloka.{type}.v1");

        assertEquals("prod.toloka.assignment-approved.v1", custom.topicFor("ASSIGNMENT_APPROVED"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "toloka.events",
        "toloka.{TYPE}",
        "toloka.{ type }",
        "toloka/{type}",
        "toloka {type}",
        "toloka.{type}:v1",
        "toloka.{type}\n",
        "топик.{type}",
        "toloka.{type}.${env}"
    })
    void shouldRejectABadTemplateNamingIt(String template) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TopicTemplate(template));

        assertTrue(e.getMessage().contains("'" + template + "'"), e.getMessage());
    }

    @Test
    void shouldNeverNameATopicLongerThanKafkaAllows() {
        String template = "t".repeat(190) + ".{type}";
        String longestType = "A".repeat(100);

        try {
            assertTrue(new TopicTemplate(template).topicFor(longestType).length() <= 249);
        } catch (IllegalArgumentException refusedAtStartUp) {
            assertTrue(refusedAtStartUp.getMessage().contains(template));
        }
    }
}
