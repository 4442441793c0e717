package io.tributary.client.consumer;

import io.tributary.client.network.FutureWaits;
import io.tributary.client.network.MonotonicClock;
import io.tributary.client.network.WakeupSignal;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the member alive between polls: a Heartbeat every heartbeat.interval.ms while the member is in a
 * generation, so a slow record handler does not cost the group its partitions. It also enforces
 * max.poll.interval.ms, as Kafka's heartbeat thread does: a consumer that has not polled for that long is
 * considered stuck and leaves the group (LeaveGroup for a dynamic member; a static member just stops
 * heartbeating and is removed when its session times out), so its partitions go to members that make progress.
 *
 * <p>Heartbeat errors are handed to {@link GroupMembership}; the consumer thread acts on them at its next poll.
 * A coordinator that does not answer for session.timeout.ms is forgotten and looked up again.
 */
final class HeartbeatThread implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HeartbeatThread.class);

    private final GroupConfig config;
    private final CoordinatorChannel channel;
    private final GroupMembership membership;
    private final Runnable leaveGroup;
    private final WakeupSignal consumerWakeup;
    private final int requestTimeoutMs;
    private final long retryBackoffMs;
    private final Thread thread;
    private final Object monitor = new Object();
    private volatile boolean closed;
    private volatile long lastPollMs = MonotonicClock.nowMs();
    private long lastHeartbeatSentMs;
    private volatile long lastHeartbeatOkMs = MonotonicClock.nowMs();
    private boolean inFlight; // guarded by monitor

    HeartbeatThread(String clientId, GroupConfig config, CoordinatorChannel channel, GroupMembership membership,
                    Runnable leaveGroup, WakeupSignal consumerWakeup, int requestTimeoutMs, long retryBackoffMs) {
        this.config = config;
        this.channel = channel;
        this.membership = membership;
        this.leaveGroup = leaveGroup;
        this.consumerWakeup = consumerWakeup;
        this.requestTimeoutMs = requestTimeoutMs;
        this.retryBackoffMs = retryBackoffMs;
        this.thread = new Thread(this::run, "tributary-" + clientId + "-heartbeat-" + config.groupId().orElse(""));
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** The consumer polled: it is alive and processing. */
    void polled() {
        lastPollMs = MonotonicClock.nowMs();
    }

    /** A new generation began: heartbeats restart their clock. */
    void generationStarted() {
        synchronized (monitor) {
            lastHeartbeatOkMs = MonotonicClock.nowMs();
            lastHeartbeatSentMs = 0;
            monitor.notifyAll();
        }
    }

    private void run() {
        while (!closed) {
            try {
                long now = MonotonicClock.nowMs();
                if (membership.heartbeatsActive()) {
                    tick(now);
                } else {
                    lastHeartbeatOkMs = now; // the session clock runs only while in a generation
                }
                synchronized (monitor) {
                    if (!closed) {
                        monitor.wait(Math.max(10, Math.min(config.heartbeatIntervalMs(), retryBackoffMs)));
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("Group {}: heartbeat thread error, continuing: {}", config.groupId().orElse(""), e.toString());
            }
        }
    }

    private void tick(long now) {
        if (now - lastPollMs > config.maxPollIntervalMs()) {
            log.warn("Group {}: member {} did not poll for {} ms (max.poll.interval.ms = {}); leaving the group so its "
                            + "partitions go to other members. Process records faster, lower max.poll.records or raise max.poll.interval.ms.",
                    config.groupId().orElse(""), membership.memberId(), now - lastPollMs, config.maxPollIntervalMs());
            leaveGroup.run();
            consumerWakeup.signal();
            return;
        }
        if (now - lastHeartbeatOkMs > config.sessionTimeoutMs()) {
            channel.markUnknown("no heartbeat answered for session.timeout.ms");
            lastHeartbeatOkMs = now;
        }
        if (channel.known().isEmpty()) {
            channel.ensureKnown();
            return;
        }
        synchronized (monitor) {
            if (inFlight || now - lastHeartbeatSentMs < config.heartbeatIntervalMs()) {
                return;
            }
            inFlight = true;
            lastHeartbeatSentMs = now;
        }
        GroupMembership.Generation generation = membership.generation();
        channel.send(ApiKeys.HEARTBEAT, v -> GroupRequests.heartbeat(v, config, generation.id(), generation.memberId()), requestTimeoutMs)
                .whenComplete((response, error) -> {
                    synchronized (monitor) {
                        inFlight = false;
                    }
                    if (error != null) {
                        log.debug("Group {}: heartbeat failed: {}", config.groupId().orElse(""), FutureWaits.asTributary(error).getMessage());
                        return;
                    }
                    Errors e = Errors.forCode(response.body(HeartbeatResponseData.class).errorCode());
                    if (e == Errors.NONE || e == Errors.REBALANCE_IN_PROGRESS) {
                        lastHeartbeatOkMs = MonotonicClock.nowMs(); // the coordinator knows us: the session is alive
                    }
                    GroupMembership.Reaction reaction = membership.memberRequestFailed("Heartbeat", e, generation);
                    if (reaction == GroupMembership.Reaction.FIND_COORDINATOR_AND_RETRY) {
                        channel.markUnknown("Heartbeat answered " + e);
                    }
                    if (reaction != GroupMembership.Reaction.IGNORE) {
                        consumerWakeup.signal();
                    }
                });
    }

    @Override
    public void close() {
        closed = true;
        synchronized (monitor) {
            monitor.notifyAll();
        }
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
