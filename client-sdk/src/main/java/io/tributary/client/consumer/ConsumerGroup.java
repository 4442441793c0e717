package io.tributary.client.consumer;

import io.tributary.client.common.TopicPartition;
import io.tributary.client.common.TributaryException;
import io.tributary.client.network.ClusterSnapshot;
import io.tributary.client.network.ConnectionPool;
import io.tributary.client.network.FutureWaits;
import io.tributary.client.network.MetadataCache;
import io.tributary.client.network.MonotonicClock;
import io.tributary.client.network.TopicMetadata;
import io.tributary.client.network.WakeupSignal;
import org.apache.kafka.common.protocol.ApiKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * The consumer's group membership, driven from poll() on the consumer thread: subscriptions (a list of topics
 * or a pattern), rebalances (started here, run by {@link JoinSequence}, applied here with the listener's
 * callbacks), committed offsets as starting positions, and commits, including auto-commit.
 *
 * <p>Delivery: with auto-commit, poll() commits the positions reached by the records it returned before, so
 * a record is committed only after the application had it and called poll() again; commits also happen
 * before partitions are given up and on close. A crash replays at most what was returned since the last
 * commit: at-least-once. Committing right after poll() and before processing gives at-most-once instead.
 */
final class ConsumerGroup implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConsumerGroup.class);

    private record CommitCompletion(OffsetCommitCallback callback, Map<TopicPartition, Long> offsets, Exception error) {
    }

    private final ConsumerConfig config;
    private final GroupConfig group;
    private final String groupId;
    private final MetadataCache metadata;
    private final SubscriptionState subscriptions;
    private final Runnable assignmentChanged;
    private final WakeupSignal wakeup;
    private final GroupMembership membership;
    private final CoordinatorChannel channel;
    private final OffsetCommitter committer;
    private final JoinSequence joins;
    private final PartitionAssignor.RebalanceProtocol protocol;
    private final HeartbeatThread heartbeat;
    private final ConcurrentLinkedQueue<CommitCompletion> commitCompletions = new ConcurrentLinkedQueue<>();
    private final AtomicReference<ClusterSnapshot> allTopics = new AtomicReference<>();

    private boolean subscribed;
    private Pattern pattern;
    private Set<String> subscribedTopics = Set.of();
    private RebalanceListener listener = RebalanceListener.NONE;
    private JoinSequence.Attempt join;
    private long joinNotBeforeMs;
    private boolean joinPrepared;
    private Set<String> watchedTopics = Set.of();
    private Map<String, Integer> partitionCounts = Map.of();
    private long nextAutoCommitMs;
    private long nextPatternRefreshMs;
    private volatile boolean patternRefreshInFlight;
    private TributaryException fatal;

    ConsumerGroup(ConsumerConfig config, ConnectionPool pool, MetadataCache metadata, SubscriptionState subscriptions,
                  Runnable assignmentChanged, WakeupSignal wakeup) {
        this.config = config;
        this.group = config.group();
        this.groupId = group.groupId().orElseThrow();
        this.metadata = metadata;
        this.subscriptions = subscriptions;
        this.assignmentChanged = assignmentChanged;
        this.wakeup = wakeup;
        this.membership = new GroupMembership(groupId);
        this.channel = new CoordinatorChannel(groupId, pool, metadata, config.requestTimeoutMs(), config.retryBackoffMs());
        this.committer = new OffsetCommitter(group, channel, membership, config.requestTimeoutMs(), config.retryBackoffMs());
        List<PartitionAssignor> assignors = Assignors.create(group.assignmentStrategies());
        this.protocol = Assignors.protocolOf(assignors);
        this.joins = new JoinSequence(group, channel, membership, metadata, assignors);
        this.heartbeat = new HeartbeatThread(config.clientId(), group, channel, membership, this::leaveAfterPollTimeout, wakeup,
                config.requestTimeoutMs(), config.retryBackoffMs());
        this.nextAutoCommitMs = MonotonicClock.nowMs() + group.autoCommitIntervalMs();
    }

    boolean isSubscribed() {
        return subscribed;
    }

    void subscribe(Collection<String> topics, RebalanceListener listener) {
        this.listener = listener;
        this.pattern = null;
        this.subscribed = true;
        changeSubscription(new TreeSet<>(topics));
    }

    void subscribe(Pattern pattern, RebalanceListener listener) {
        this.listener = listener;
        this.pattern = pattern;
        this.subscribed = true;
        this.nextPatternRefreshMs = 0;
        ClusterSnapshot known = allTopics.get();
        changeSubscription(known == null ? Set.of() : matching(known));
    }

    /** Gives up the partitions (committing first), leaves the group and forgets the subscription. */
    void unsubscribe() {
        if (subscribed) {
            leave("the consumer unsubscribed", MonotonicClock.nowMs() + config.requestTimeoutMs());
        }
        subscribed = false;
        pattern = null;
        subscribedTopics = Set.of();
        watchedTopics = Set.of();
        listener = RebalanceListener.NONE;
    }

    /** The consumer polled: the member is alive as far as max.poll.interval.ms is concerned. */
    void polled() {
        heartbeat.polled();
    }

    /**
     * One step of the group's work, on each turn of the poll loop; never waits on the network (the rebalance
     * runs in the background). Returns when it next wants to run.
     */
    long poll(long nowMs) {
        throwIfFatal();
        runCommitCallbacks();
        if (membership.takePartitionsLost()) {
            Set<TopicPartition> lost = subscriptions.assignment();
            if (subscribed && !lost.isEmpty()) {
                log.warn("Group {}: partitions {} were lost (the membership ended without a hand-over)", groupId, lost);
                setAssignment(List.of());
                listener.onPartitionsLost(lost);
            }
        }
        if (!subscribed) {
            maybeAutoCommit(nowMs);
            return nextAutoCommitWake();
        }
        refreshPatternIfDue(nowMs);
        watchPartitionCounts();
        if (join != null && join.outcome.isDone()) {
            JoinSequence.Outcome outcome = join.outcome.join();
            join = null;
            apply(outcome, nowMs);
            throwIfFatal();
        }
        boolean patternReady = pattern == null || allTopics.get() != null;
        if (join == null && patternReady && membership.needsRejoin() && nowMs >= joinNotBeforeMs) {
            if (!joinPrepared) {
                prepareJoin();
            }
            join = joins.start(List.copyOf(subscribedTopics), List.copyOf(subscriptions.assignment()), membership.rejoinReason());
            join.outcome.whenComplete((o, e) -> wakeup.signal());
        }
        if (join == null && membership.state() == GroupMembership.State.STABLE) {
            maybeAutoCommit(nowMs);
        }
        long wake = nextAutoCommitWake();
        if (join == null && membership.needsRejoin()) {
            wake = Math.min(wake, joinNotBeforeMs);
        }
        if (pattern != null) {
            wake = Math.min(wake, nextPatternRefreshMs);
        }
        return wake;
    }

    /** New partitions start at their committed offsets (OffsetFetch), or at auto.offset.reset without one. Blocks. */
    /**
     * The longest poll() may wait without coming back here: half of max.poll.interval.ms, so a member with nothing to
     * fetch still shows the heartbeat thread it is polling and is never taken for stuck.
     */
    long maxPollWaitMs() {
        return Math.max(1, group.maxPollIntervalMs() / 2);
    }

    void initPositions(long deadlineMs) {
        Set<TopicPartition> awaiting = subscriptions.awaitingCommitted();
        // While a JoinGroup is held by the coordinator, an OffsetFetch on the same connection would queue behind it
        // (until every member rejoined) and could time out; the positions are looked up once the join is applied.
        if (awaiting.isEmpty() || join != null) {
            return;
        }
        Map<TopicPartition, Long> committed = committer.fetchCommitted(awaiting, deadlineMs);
        for (TopicPartition tp : awaiting) {
            Long offset = committed.get(tp);
            subscriptions.completeCommitted(tp, offset);
            log.debug("Group {}: {} starts at {}", groupId, tp, offset != null ? "committed offset " + offset : config.autoOffsetReset());
        }
    }

    Map<TopicPartition, Long> committed(Set<TopicPartition> partitions, long deadlineMs) {
        return committer.fetchCommitted(partitions, deadlineMs);
    }

    void commitSync(Map<TopicPartition, Long> offsets, long deadlineMs) {
        runCommitCallbacks();
        committer.commitSync(offsets, generationForCommit(), deadlineMs);
    }

    void commitAsync(Map<TopicPartition, Long> offsets, OffsetCommitCallback callback) {
        Map<TopicPartition, Long> copy = Map.copyOf(offsets);
        GroupMembership.Generation generation;
        try {
            generation = generationForCommit();
        } catch (CommitFailedException e) {
            commitCompletions.add(new CommitCompletion(callback, copy, e));
            return;
        }
        committer.commitOnce(copy, generation).whenComplete((v, error) -> {
            commitCompletions.add(new CommitCompletion(callback, copy, error == null ? null : FutureWaits.asTributary(error)));
            wakeup.signal();
        });
    }

    @Override
    public void close() {
        long deadline = MonotonicClock.nowMs() + config.requestTimeoutMs();
        try {
            if (subscribed) {
                leave("the consumer is closing", deadline);
            } else if (group.enableAutoCommit()) {
                commitPositionsQuietly(deadline);
            }
            runCommitCallbacks();
        } finally {
            heartbeat.close();
        }
    }

    private void apply(JoinSequence.Outcome outcome, long nowMs) {
        if (outcome instanceof JoinSequence.Failed failed) {
            switch (failed.reaction()) {
                case FATAL -> fatal = failed.error() != null ? failed.error() : new TributaryException(failed.message());
                case RETRY, REJOIN, IGNORE -> joinNotBeforeMs = nowMs;
                default -> joinNotBeforeMs = nowMs + config.retryBackoffMs();
            }
            return;
        }
        JoinSequence.Joined joined = (JoinSequence.Joined) outcome;
        if (membership.state() != GroupMembership.State.STABLE || !joined.generation().equals(membership.generation())) {
            // The membership ended while this join completed in the background (the heartbeat thread left the group
            // after a missed poll, or a reset): its assignment belongs to a generation this member is no longer in.
            log.info("Group {}: dropping the outcome of generation {}: this member has left it", groupId, joined.generation().id());
            joinPrepared = false;
            joinNotBeforeMs = nowMs;
            return;
        }
        heartbeat.generationStarted();
        joinPrepared = false;
        Set<TopicPartition> owned = subscriptions.assignment();
        Set<TopicPartition> assigned = new TreeSet<>(joined.assignment());
        watchedTopics = new TreeSet<>(subscribedTopics);
        if (joined.leader()) {
            watchedTopics.addAll(joined.groupTopics());
        }
        metadata.setTopics(watchedTopics);
        partitionCounts = countsOf(metadata.snapshot(), watchedTopics);
        nextAutoCommitMs = nowMs + group.autoCommitIntervalMs();
        if (protocol == PartitionAssignor.RebalanceProtocol.COOPERATIVE) {
            Set<TopicPartition> revoked = new TreeSet<>(owned);
            revoked.removeAll(assigned);
            Set<TopicPartition> added = new TreeSet<>(assigned);
            added.removeAll(owned);
            log.info("Group {}: generation {}: keeping {}, revoking {}, adding {}", groupId, joined.generation().id(),
                    intersection(owned, assigned), revoked, added);
            // A listener that throws must not leave the member reading what it gave up, nor stall the hand-over:
            // the bookkeeping happens regardless, and the listener's exception reaches poll() afterwards.
            RuntimeException listenerFailure = null;
            if (!revoked.isEmpty()) {
                try {
                    revoke(revoked, MonotonicClock.nowMs() + config.requestTimeoutMs());
                } catch (RuntimeException e) {
                    listenerFailure = e;
                }
                // KIP-429: what we give up goes to its new owner in a follow-up rebalance, once we no longer read it.
                membership.requestRejoin("partitions " + revoked + " were revoked and must be handed over");
            }
            setAssignment(assigned);
            try {
                listener.onPartitionsAssigned(added);
            } catch (RuntimeException e) {
                if (listenerFailure == null) {
                    listenerFailure = e;
                } else {
                    listenerFailure.addSuppressed(e);
                }
            }
            if (listenerFailure != null) {
                throw listenerFailure;
            }
        } else {
            log.info("Group {}: generation {}: assigned {}", groupId, joined.generation().id(), assigned);
            setAssignment(assigned);
            listener.onPartitionsAssigned(assigned);
        }
    }

    /** Before a JoinGroup: commit, then give up what the protocol says must go before the rebalance. */
    private void prepareJoin() {
        joinPrepared = true;
        Set<TopicPartition> owned = subscriptions.assignment();
        long deadline = MonotonicClock.nowMs() + config.requestTimeoutMs();
        if (protocol == PartitionAssignor.RebalanceProtocol.EAGER) {
            if (!owned.isEmpty()) {
                try {
                    revoke(owned, deadline);
                } finally {
                    // Eager: nothing is read during a rebalance, even if the listener threw.
                    setAssignment(List.of());
                }
            }
            return;
        }
        // Cooperative: keep everything still subscribed; partitions of topics we dropped go now.
        Set<TopicPartition> dropped = new TreeSet<>();
        owned.stream().filter(tp -> !subscribedTopics.contains(tp.topic())).forEach(dropped::add);
        if (!dropped.isEmpty()) {
            revoke(dropped, deadline);
            Set<TopicPartition> kept = new TreeSet<>(owned);
            kept.removeAll(dropped);
            setAssignment(kept);
        }
    }

    /** Commits the positions of {@code partitions} (with auto-commit) and tells the listener they are going. */
    private void revoke(Set<TopicPartition> partitions, long deadlineMs) {
        if (group.enableAutoCommit()) {
            Map<TopicPartition, Long> offsets = new HashMap<>(subscriptions.positions());
            offsets.keySet().retainAll(partitions);
            try {
                committer.commitSync(offsets, membership.generation(), deadlineMs);
            } catch (TributaryException e) {
                log.warn("Group {}: committing {} before giving them up failed; their records since the last commit may "
                        + "be delivered again: {}", groupId, offsets, e.getMessage());
            }
        }
        listener.onPartitionsRevoked(partitions);
    }

    /** Leaves the group: commit and revoke (or report lost), LeaveGroup unless static, reset the membership. */
    private void leave(String reason, long deadlineMs) {
        if (join != null) {
            join.abandoned = true;
            join = null;
        }
        Set<TopicPartition> owned = subscriptions.assignment();
        GroupMembership.Generation generation = membership.generation();
        boolean inGeneration = membership.state() == GroupMembership.State.STABLE;
        if (!owned.isEmpty()) {
            if (inGeneration && !membership.takePartitionsLost()) {
                revoke(owned, deadlineMs);
            } else {
                listener.onPartitionsLost(owned);
            }
            setAssignment(List.of());
        }
        if (group.groupInstanceId().isEmpty() && !generation.memberId().isEmpty() && channel.known().isPresent()) {
            try {
                FutureWaits.await(sendLeaveGroup(generation.memberId(), reason), deadlineMs, "LeaveGroup");
                log.info("Group {}: member {} left the group ({})", groupId, generation.memberId(), reason);
            } catch (TributaryException e) {
                log.info("Group {}: LeaveGroup of member {} failed ({}); the coordinator removes it after session.timeout.ms",
                        groupId, generation.memberId(), e.getMessage());
            }
        }
        membership.reset(reason, false);
        joinPrepared = false;
    }

    /** On the heartbeat thread, when the consumer has not polled within max.poll.interval.ms. */
    private void leaveAfterPollTimeout() {
        GroupMembership.Generation generation = membership.generation();
        if (group.groupInstanceId().isEmpty() && !generation.memberId().isEmpty()) {
            sendLeaveGroup(generation.memberId(), "consumer poll timeout has expired");
        }
        membership.reset("max.poll.interval.ms passed without poll()", true);
    }

    private java.util.concurrent.CompletableFuture<?> sendLeaveGroup(String memberId, String reason) {
        return channel.send(ApiKeys.LEAVE_GROUP, v -> GroupRequests.leaveGroup(v, group, memberId, reason), config.requestTimeoutMs());
    }

    private void maybeAutoCommit(long nowMs) {
        if (!group.enableAutoCommit() || nowMs < nextAutoCommitMs) {
            return;
        }
        nextAutoCommitMs = nowMs + group.autoCommitIntervalMs();
        Map<TopicPartition, Long> positions = subscriptions.positions();
        if (positions.isEmpty()) {
            return;
        }
        commitAsync(positions, (offsets, error) -> {
            if (error != null) {
                log.warn("Group {}: auto-commit of {} failed: {}", groupId, offsets, error.getMessage());
            } else {
                log.debug("Group {}: auto-committed {}", groupId, offsets);
            }
        });
    }

    private long nextAutoCommitWake() {
        return group.enableAutoCommit() && !subscriptions.positions().isEmpty() ? nextAutoCommitMs : Long.MAX_VALUE;
    }

    private void commitPositionsQuietly(long deadlineMs) {
        Map<TopicPartition, Long> positions = subscriptions.positions();
        if (positions.isEmpty()) {
            return;
        }
        try {
            committer.commitSync(positions, generationForCommit(), deadlineMs);
        } catch (TributaryException e) {
            log.warn("Group {}: commit of {} on close failed: {}", groupId, positions, e.getMessage());
        }
    }

    /** A subscribed member commits in its generation; a consumer that assigned partitions itself commits outside any. */
    private GroupMembership.Generation generationForCommit() {
        if (!subscribed) {
            return GroupMembership.Generation.NONE;
        }
        if (membership.state() != GroupMembership.State.STABLE) {
            throw new CommitFailedException("Group " + groupId + " is rebalancing and this member has no current generation; "
                    + "poll() to complete the rebalance, then commit the partitions it still owns");
        }
        return membership.generation();
    }

    private void runCommitCallbacks() {
        CommitCompletion c;
        while ((c = commitCompletions.poll()) != null) {
            c.callback().onComplete(c.offsets(), c.error());
        }
    }

    private void changeSubscription(Set<String> topics) {
        if (topics.equals(subscribedTopics)) {
            return;
        }
        subscribedTopics = Set.copyOf(topics);
        Set<String> interest = new HashSet<>(watchedTopics);
        interest.addAll(topics);
        metadata.setTopics(interest);
        if (membership.state() != GroupMembership.State.UNJOINED) {
            membership.requestRejoin("the subscription changed to " + new TreeSet<>(topics));
        }
    }

    /** Pattern subscriptions list all topics every metadata.max.age.ms and re-match (new topics join the group). */
    private void refreshPatternIfDue(long nowMs) {
        if (pattern == null) {
            return;
        }
        ClusterSnapshot listing = allTopics.get();
        if (listing != null) {
            changeSubscription(matching(listing));
        }
        if (nowMs >= nextPatternRefreshMs && !patternRefreshInFlight) {
            patternRefreshInFlight = true;
            nextPatternRefreshMs = nowMs + config.metadataMaxAgeMs();
            metadata.fetch(null).whenComplete((snapshot, error) -> {
                patternRefreshInFlight = false;
                if (snapshot != null) {
                    allTopics.set(snapshot);
                } else {
                    nextPatternRefreshMs = 0; // retry at the next poll after the backoff below
                }
                wakeup.signal();
            });
            nextPatternRefreshMs = Math.max(nextPatternRefreshMs, nowMs + config.retryBackoffMs());
        }
    }

    private Set<String> matching(ClusterSnapshot snapshot) {
        Set<String> matched = new TreeSet<>();
        for (TopicMetadata t : snapshot.topics().values()) {
            if (!t.internal() && t.error() == org.apache.kafka.common.protocol.Errors.NONE && pattern.matcher(t.name()).matches()) {
                matched.add(t.name());
            }
        }
        return matched;
    }

    /** A topic that gained partitions or appeared needs a new assignment (Kafka's leader watches the same). */
    private void watchPartitionCounts() {
        if (membership.state() != GroupMembership.State.STABLE || watchedTopics.isEmpty()) {
            return;
        }
        Map<String, Integer> now = countsOf(metadata.snapshot(), watchedTopics);
        for (Map.Entry<String, Integer> e : now.entrySet()) {
            Integer before = partitionCounts.get(e.getKey());
            if (!e.getValue().equals(before)) {
                partitionCounts = now;
                membership.requestRejoin("topic " + e.getKey() + " now has " + e.getValue() + " partitions (was "
                        + (before == null ? "unknown" : before) + ")");
                return;
            }
        }
    }

    private static Map<String, Integer> countsOf(ClusterSnapshot snapshot, Set<String> topics) {
        Map<String, Integer> counts = new HashMap<>();
        for (String t : topics) {
            snapshot.topic(t).filter(m -> m.error() == org.apache.kafka.common.protocol.Errors.NONE && !m.partitions().isEmpty())
                    .ifPresent(m -> counts.put(t, m.partitions().size()));
        }
        return counts;
    }

    private void setAssignment(Collection<TopicPartition> partitions) {
        subscriptions.assignFromGroup(new ArrayList<>(partitions));
        assignmentChanged.run();
    }

    private void throwIfFatal() {
        if (fatal == null) {
            fatal = membership.fatalError();
        }
        if (fatal != null) {
            throw fatal;
        }
    }

    private static Set<TopicPartition> intersection(Set<TopicPartition> a, Set<TopicPartition> b) {
        Set<TopicPartition> both = new TreeSet<>(a);
        both.retainAll(b);
        return both;
    }
}
