package io.hookgate.camel;

import io.hookgate.intake.FanOutWorker;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * {@code hookgate-fan-out} at {@code /observe/health}: {@code DOWN} while this instance's fan-out is failing
 * ({@link FanOutWorker#failing}), with since when, how many times in a row and the last failure.
 *
 * <p>Neither a readiness nor a liveness check. Requests accepted meanwhile wait in the intake topic and
 * are published once the fan-out gets through, so taking the instance out of service would only refuse
 * them; and a restart does not mend what stops a fan-out (a topic that refuses records, a missing
 * permission). What it needs is someone told: an alert on this check or on
 * {@code hookgate_fan_out_failures_total}.
 */
final class FanOutHealthCheck extends AbstractHealthCheck {

    static final String ID = "hookgate-fan-out";

    private final Supplier<Optional<FanOutWorker.Failing>> failing;

    FanOutHealthCheck(Supplier<Optional<FanOutWorker.Failing>> failing) {
        super("hookgate", ID);
        this.failing = failing;
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Optional<FanOutWorker.Failing> now = failing.get();
        if (now.isEmpty()) {
            builder.up();
            return;
        }
        FanOutWorker.Failing failure = now.get();
        builder.down()
                .message("the fan-out has failed " + failure.times() + " time(s) in a row since " + failure.since()
                        + " and publishes nothing until it gets through; accepted requests wait in the intake topic")
                .detail("failing.since", failure.since().toString())
                .detail("failing.times", failure.times())
                .detail("failing.last", failure.lastFailure());
    }
}
