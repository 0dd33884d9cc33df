package io.hookgate.toloka;

/**
 * One event of a Toloka batch: the fields hookgate routes and labels by, and the event's JSON object
 * exactly as it stood in the request body.
 *
 * @param type the event type, e.g. {@code ASSIGNMENT_APPROVED}; never null
 * @param uuid the event's unique id, or null if absent
 * @param poolId the pool id, or null if absent
 * @param projectId the project id, or null if absent
 * @param assignmentId the assignment id ({@code ASSIGNMENT_*} events), or null if absent
 * @param json the bytes of this event's object, sliced from the raw body, every field kept
 */
public record TolokaEvent(
        String type, String uuid, String poolId, String projectId, String assignmentId, byte[] json) {

    /** The Kafka record key: the assignment when there is one, so an assignment's events stay in order. */
    public String key() {
        return assignmentId != null ? assignmentId : poolId;
    }
}
