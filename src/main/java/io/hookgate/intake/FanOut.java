package io.hookgate.intake;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookgate.json.ReceivedJson;
import io.hookgate.toloka.MalformedBatchException;
import io.hookgate.toloka.TolokaBatch;
import io.hookgate.toloka.TolokaEvent;
import io.hookgate.toloka.TopicTemplate;
import io.hookgate.wire.HookgateHeaders;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one place that says what hookgate publishes for an accepted request: per Toloka event, a record on
 * the topic of its type; per Skyvern run webhook, one record on the runs topic. Topic, key, headers,
 * value and the id that recognizes a redelivery are all decided here, for the fan-out and the Kamelets
 * alike.
 */
public final class FanOut {

    private final TopicTemplate tolokaTopics;
    private final String skyvernRunsTopic;

    public FanOut(TopicTemplate tolokaTopics, String skyvernRunsTopic) {
        this.tolokaTopics = Objects.requireNonNull(tolokaTopics, "tolokaTopics");
        this.skyvernRunsTopic = Objects.requireNonNull(skyvernRunsTopic, "skyvernRunsTopic");
    }

    /**
     * The records an intake record becomes, in body order.
     *
     * @throws MalformedBatchException when the body is not what its source sends (the HTTP path checked
     *     it, so only a record written to the intake topic by something else can fail here)
     */
    public List<Published> recordsOf(IntakeRecord intake) throws MalformedBatchException {
        return switch (intake.source()) {
            case IntakeRecord.TOLOKA -> tolokaEvents(TolokaBatch.parse(intake.body()), intake.requestId(),
                    intake.receivedAt());
            case IntakeRecord.SKYVERN -> List.of(skyvernRun(intake.body(), intake.requestId(), intake.receivedAt()));
            default -> throw new MalformedBatchException("unknown source on the intake topic");
        };
    }

    /**
     * One record per event: topic from the template; key {@code assignment_id}, else {@code pool_id};
     * value the event's object as received; headers source, type, uuid, pool, project, request id,
     * received-at (the optional ones only when the event has the field).
     */
    public List<Published> tolokaEvents(List<TolokaEvent> events, String requestId, Instant receivedAt) {
        List<Published> records = new ArrayList<>(events.size());
        String receivedAtText = receivedAt.toString(); // once per request: formatting an Instant is not free
        for (TolokaEvent event : events) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put(HookgateHeaders.SOURCE, IntakeRecord.TOLOKA);
            headers.put(HookgateHeaders.TOLOKA_EVENT_TYPE, event.type());
            putIfPresent(headers, HookgateHeaders.TOLOKA_EVENT_UUID, event.uuid());
            putIfPresent(headers, HookgateHeaders.TOLOKA_POOL_ID, event.poolId());
            putIfPresent(headers, HookgateHeaders.TOLOKA_PROJECT_ID, event.projectId());
            headers.put(HookgateHeaders.REQUEST_ID, requestId);
            headers.put(HookgateHeaders.RECEIVED_AT, receivedAtText);
            records.add(new Published(tolokaTopics.topicFor(event.type()), event.key(), headers, event.json(),
                    event.uuid() == null ? null : "toloka:" + event.uuid()));
        }
        return records;
    }

    /**
     * The run's record: value the body untouched; key {@code run_id}, else {@code workflow_run_id}, else
     * {@code task_id}; headers source, run type and status (when present), request id, received-at.
     *
     * @throws MalformedBatchException when the body is not a JSON object
     */
    public Published skyvernRun(byte[] body, String requestId, Instant receivedAt) throws MalformedBatchException {
        JsonNode run;
        try {
            run = ReceivedJson.tree(body);
        } catch (ReceivedJson.NotUtf8Exception e) {
            throw new MalformedBatchException(e.getMessage());
        } catch (IOException e) {
            throw new MalformedBatchException("the body is not valid JSON");
        }
        if (run == null || !run.isObject()) {
            throw new MalformedBatchException("the body is not a JSON object");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(HookgateHeaders.SOURCE, IntakeRecord.SKYVERN);
        putIfPresent(headers, HookgateHeaders.SKYVERN_RUN_TYPE, firstText(run, "run_type"));
        putIfPresent(headers, HookgateHeaders.SKYVERN_STATUS, firstText(run, "status"));
        headers.put(HookgateHeaders.REQUEST_ID, requestId);
        headers.put(HookgateHeaders.RECEIVED_AT, receivedAt.toString());
        return new Published(skyvernRunsTopic, firstText(run, "run_id", "workflow_run_id", "task_id"), headers, body,
                "skyvern:" + IntakeRecord.sha256(body));
    }

    private static void putIfPresent(Map<String, String> headers, String name, String value) {
        if (value != null) {
            headers.put(name, value);
        }
    }

    /** The first of the fields that holds a non-empty scalar, as text. */
    private static String firstText(JsonNode run, String... fields) {
        for (String field : fields) {
            JsonNode value = run.get(field);
            if (value != null && value.isValueNode() && !value.isNull() && !value.asText().isEmpty()) {
                return value.asText();
            }
        }
        return null;
    }
}
