package io.hookgate.camel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookgate.totp.LoginCodes;
import io.hookgate.totp.RelayedCode;
import io.hookgate.totp.RelayedCodes;
import io.hookgate.wire.RejectedRequestException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a code relayed on the relay topic (from e-mail or SMS, published by any system): key = the
 * login identifier, value = {@code {"code":"...","task_id":"...","workflow_run_id":"...",
 * "expires_at":"2026-11-23T10:15:00Z"}}, all but {@code code} optional. The code is received at the
 * record's Kafka timestamp, not when this instance reads it, so a record read again at start-up keeps
 * its real age. A record that cannot be used is logged (never with its code) and skipped.
 */
public final class StoreRelayedCode implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(StoreRelayedCode.class);

    private final RelayedCodes codes;
    private final Clock clock;

    public StoreRelayedCode(RelayedCodes codes, Clock clock) {
        this.codes = Objects.requireNonNull(codes, "codes");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        String where = message.getHeader(KafkaConstants.PARTITION, "?", String.class) + "@"
                + message.getHeader(KafkaConstants.OFFSET, "?", String.class);
        String identifier = LoginCodes.normalize(message.getHeader(KafkaConstants.KEY, String.class));
        if (identifier == null) {
            LOG.warn("relayed code at {} skipped: the record key is not a login identifier", where);
            return;
        }
        try {
            ObjectNode value = JsonBodies.object(message.getBody(byte[].class));
            String expiresAt = JsonBodies.optionalText(value, "expires_at");
            Long timestamp = message.getHeader(KafkaConstants.TIMESTAMP, Long.class);
            RelayedCode stored = codes.add(identifier, JsonBodies.optionalText(value, "code"),
                    JsonBodies.optionalText(value, "task_id"), JsonBodies.optionalText(value, "workflow_run_id"),
                    timestamp == null ? clock.instant() : Instant.ofEpochMilli(timestamp),
                    expiresAt == null ? null : Instant.parse(expiresAt));
            LOG.debug("relayed code for '{}' kept until {}", identifier, stored.expiresAt());
        } catch (RejectedRequestException | IllegalArgumentException | DateTimeParseException e) {
            // messages of these name the problem, never the code
            LOG.warn("relayed code for '{}' at {} skipped: {}", identifier, where, e.getMessage());
        }
    }
}
