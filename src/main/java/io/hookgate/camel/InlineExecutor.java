package io.hookgate.camel;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An executor that runs each task at once, on the thread that submits it. The receiving routes give it
 * to camel-kafka as the intake send's {@code workerPool}: camel-kafka hands the rest of the route to
 * its worker pool when Kafka acknowledges, and with this the rest (the answer, a few microseconds of
 * CPU, no blocking) runs on the producer's thread instead of waking another thread to run it.
 */
final class InlineExecutor extends AbstractExecutorService {

    @Override
    public void execute(Runnable task) {
        task.run();
    }

    /** Nothing to stop: no thread of its own. */
    @Override
    public void shutdown() {
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return false;
    }
}
