package io.hookgate.wire;

/**
 * Names of the headers hookgate writes on Kafka records and HTTP answers, and of the provider
 * headers it reads. Only names listed here leave hookgate (see {@code io.hookgate.camel.HeaderAllowList}).
 */
public final class HookgateHeaders {

    // on every record and answer
    public static final String SOURCE = "hookgate-source";
    public static final String REQUEST_ID = "hookgate-request-id";
    public static final String RECEIVED_AT = "hookgate-received-at";

    // on dead-letter records
    public static final String REASON = "hookgate-reason";
    public static final String DETAIL = "hookgate-detail";
    public static final String REQUEST_PATH = "hookgate-request-path";
    public static final String CONTENT_TYPE = "hookgate-content-type";
    public static final String BODY_SIZE = "hookgate-body-size";

    // on Toloka event records
    public static final String TOLOKA_EVENT_TYPE = "toloka-event-type";
    public static final String TOLOKA_EVENT_UUID = "toloka-event-uuid";
    public static final String TOLOKA_POOL_ID = "toloka-pool-id";
    public static final String TOLOKA_PROJECT_ID = "toloka-project-id";

    // on Skyvern run records
    public static final String SKYVERN_RUN_TYPE = "skyvern-run-type";
    public static final String SKYVERN_STATUS = "skyvern-status";

    // provider request headers (HTTP header names are case-insensitive)
    public static final String TOLOKA_SIGNATURE = "Toloka-Signature";
    public static final String SKYVERN_SIGNATURE = "x-skyvern-signature";
    public static final String SKYVERN_TIMESTAMP = "x-skyvern-timestamp";

    // HTTP answer headers
    public static final String HTTP_CONTENT_TYPE = "Content-Type";
    public static final String HTTP_RETRY_AFTER = "Retry-After";

    private HookgateHeaders() {
    }
}
