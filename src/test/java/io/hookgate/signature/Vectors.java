package io.hookgate.signature;

import java.nio.charset.StandardCharsets;

/** Published test vectors (CONTRACTS.md and the seeds), shared by the scheme tests. */
final class Vectors {

    /** Toloka's documented example: secret, key version, timestamp and header. */
    static final String TOLOKA_SECRET = "12345";
    static final String TOLOKA_KEY_VERSION = "1";
    static final long TOLOKA_TS = 946_728_000_000L;
    static final String TOLOKA_SIGN = "609af3eefd4c12b6afad30ab456efcd21fe82f4247d3340151a3ca0c97a6cbcb";
    static final String TOLOKA_HEADER = "{v=1, ts=946728000000, sign=" + TOLOKA_SIGN + "}";

    /** The compact form of the documented body: the only form the documented signature matches. */
    static final String TOLOKA_BODY_COMPACT = "{\"events\":[{\"event_time\":\"2000-01-01T12:00:00\","
            + "\"project_id\":\"project-1\",\"pool_id\":\"pool-1\","
            + "\"uuid\":\"00000000-0000-0000-0000-000000000000\",\"task_suite_id\":\"task-suite-1\","
            + "\"assignment_id\":\"assignment-1\",\"webhook_subscription_id\":\"subscription-1\","
            + "\"type\":\"ASSIGNMENT_APPROVED\"}]}";

    /** The pretty-printed form shown on the same page (its Content-Length, 355). */
    static final String TOLOKA_BODY_PRETTY = "{\n"
            + "  \"events\": [\n"
            + "    {\n"
            + "      \"event_time\": \"2000-01-01T12:00:00\",\n"
            + "      \"project_id\": \"project-1\",\n"
            + "      \"pool_id\": \"pool-1\",\n"
            + "      \"uuid\": \"00000000-0000-0000-0000-000000000000\",\n"
            + "      \"task_suite_id\": \"task-suite-1\",\n"
            + "      \"assignment_id\": \"assignment-1\",\n"
            + "      \"webhook_subscription_id\": \"subscription-1\",\n"
            + "      \"type\": \"ASSIGNMENT_APPROVED\"\n"
            + "    }\n"
            + "  ]\n"
            + "}";

    /** Skyvern: API key and (body, signature) pairs. */
    static final String SKYVERN_KEY = "sk_test_key";
    static final String SKYVERN_TASK_BODY = "{\"task_id\":\"tsk_123456\"}";
    static final String SKYVERN_TASK_SIGNATURE =
            "e22418a210b544b14d2b5e82b68a42f0933952205a1773b16209cd633d9b8035";
    static final String SKYVERN_WORKFLOW_BODY = "{\"task_id\":\"tsk_123456\",\"workflow_run_id\":\"wr_123456\","
            + "\"workflow_permanent_id\":\"wpid_123456\"}";
    static final String SKYVERN_WORKFLOW_SIGNATURE =
            "18b742b0bb4749f6a4743541c4e4480fd3b55444e4a03c902908e6b0cd8315f9";
    /** Non-ASCII body as Skyvern sends it (raw UTF-8); signature computed independently with Python's hmac. */
    static final String SKYVERN_NON_ASCII_BODY =
            "{\"task_id\":\"tsk_123456\",\"extracted_information\":{\"name\":\"Zoë\",\"city\":\"東京\"}}";
    static final String SKYVERN_NON_ASCII_SIGNATURE =
            "41da93a9d7a92a25225ff5ef8b18b918f19e3abee3bc2e68a899ed6cd126ff71";

    private Vectors() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
