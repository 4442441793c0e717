package io.tributary.client.consumer;

import io.tributary.client.common.ApiException;
import io.tributary.client.common.TributaryException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This member's side of the classic group protocol: its state, member id and generation, and what each
 * error code from the coordinator does to them, following Kafka's client. Pure bookkeeping (no I/O), shared
 * by the consumer thread (join, sync, commits) and the heartbeat thread, hence synchronised.
 *
 * <pre>
 * UNJOINED --joinStarted--> PREPARING_REBALANCE --joined--> COMPLETING_REBALANCE --synced--> STABLE
 *    ^                               |  (JoinGroup error: retry)          | (SyncGroup error)     |
 *    +--------- reset / left --------+------------------------------------+-----------------------+
 * </pre>
 *
 * A rebalance is needed when the member is UNJOINED or something asked for one (a heartbeat answered
 * REBALANCE_IN_PROGRESS, the subscription or the topics' partition counts changed, a cooperative member
 * revoked partitions). Errors that mean the coordinator no longer knows this member in this generation
 * (UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION) also mean its partitions are lost: other members may own them
 * already, so they are given up without committing. FENCED_INSTANCE_ID is fatal: another process runs
 * with the same group.instance.id.
 */
final class GroupMembership {
    private static final Logger log = LoggerFactory.getLogger(GroupMembership.class);
    static final String UNKNOWN_MEMBER_ID = "";
    static final int NO_GENERATION = -1;

    enum State { UNJOINED, PREPARING_REBALANCE, COMPLETING_REBALANCE, STABLE }

    /** What the caller does after an error. */
    enum Reaction {
        /** Send the same request again at once (JoinGroup after MEMBER_ID_REQUIRED). */
        RETRY,
        /** Wait retry.backoff.ms, then retry. */
        BACKOFF_AND_RETRY,
        /** The coordinator moved or is not ready: look it up again, then retry. */
        FIND_COORDINATOR_AND_RETRY,
        /** Join the group again (the generation ended or this member was reset). */
        REJOIN,
        /** Nothing to do: the error concerned a generation that is already over. */
        IGNORE,
        /** Stop: the consumer cannot go on ({@link #fatalError()}). */
        FATAL
    }

    /** The member id and generation a request was sent with, and the protocol the group picked. */
    record Generation(int id, String memberId, String protocolName) {
        static final Generation NONE = new Generation(NO_GENERATION, UNKNOWN_MEMBER_ID, null);
    }

    private final String groupId;
    private State state = State.UNJOINED;
    private Generation generation = Generation.NONE;
    private boolean rejoinRequested;
    private String rejoinReason = "joining for the first time";
    private boolean partitionsLost;
    private TributaryException fatal;

    GroupMembership(String groupId) {
        this.groupId = groupId;
    }

    synchronized State state() {
        return state;
    }

    synchronized Generation generation() {
        return generation;
    }

    synchronized String memberId() {
        return generation.memberId();
    }

    /** Whether the consumer thread should start a JoinGroup. */
    synchronized boolean needsRejoin() {
        return state == State.UNJOINED || (rejoinRequested && state == State.STABLE);
    }

    synchronized String rejoinReason() {
        return rejoinReason;
    }

    /** Whether heartbeats are due: from the JoinGroup response until the member leaves (as Kafka: not while JoinGroup waits). */
    synchronized boolean heartbeatsActive() {
        return state == State.COMPLETING_REBALANCE || state == State.STABLE;
    }

    synchronized void requestRejoin(String reason) {
        if (!rejoinRequested) {
            log.info("Group {}: member {} will rejoin: {}", groupId, generation.memberId(), reason);
        }
        rejoinRequested = true;
        rejoinReason = reason;
    }

    synchronized void joinStarted() {
        state = State.PREPARING_REBALANCE;
        rejoinRequested = false;
    }

    synchronized void joined(int generationId, String memberId, String protocolName) {
        generation = new Generation(generationId, memberId, protocolName);
        state = State.COMPLETING_REBALANCE;
    }

    synchronized void synced() {
        if (state == State.COMPLETING_REBALANCE) {
            state = State.STABLE;
        }
    }

    /** The JoinGroup failed before a generation was joined. */
    synchronized Reaction joinFailed(Errors error, String memberIdInResponse) {
        state = State.UNJOINED;
        switch (error) {
            case MEMBER_ID_REQUIRED -> {
                // KIP-394: the first JoinGroup of a dynamic member only obtains its id; join again with it at once.
                generation = new Generation(NO_GENERATION, memberIdInResponse, null);
                return Reaction.RETRY;
            }
            case UNKNOWN_MEMBER_ID -> {
                generation = Generation.NONE;
                return Reaction.RETRY;
            }
            case ILLEGAL_GENERATION -> {
                generation = new Generation(NO_GENERATION, generation.memberId(), null);
                return Reaction.RETRY;
            }
            case COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR -> {
                return Reaction.FIND_COORDINATOR_AND_RETRY;
            }
            case COORDINATOR_LOAD_IN_PROGRESS, REBALANCE_IN_PROGRESS -> {
                return Reaction.BACKOFF_AND_RETRY;
            }
            default -> {
                return unexpected("JoinGroup", error);
            }
        }
    }

    /** The SyncGroup of the current generation failed. */
    synchronized Reaction syncFailed(Errors error) {
        state = State.UNJOINED;
        return switch (error) {
            case REBALANCE_IN_PROGRESS -> Reaction.REJOIN;
            case UNKNOWN_MEMBER_ID -> resetMember(error, true);
            case ILLEGAL_GENERATION -> resetMember(error, false);
            case COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR -> Reaction.FIND_COORDINATOR_AND_RETRY;
            case COORDINATOR_LOAD_IN_PROGRESS -> Reaction.BACKOFF_AND_RETRY;
            default -> unexpected("SyncGroup", error);
        };
    }

    /**
     * A Heartbeat or OffsetCommit sent in generation {@code sentWith} got {@code error}. Errors about a generation
     * that has already ended are ignored: the member has moved on.
     */
    synchronized Reaction memberRequestFailed(String api, Errors error, Generation sentWith) {
        if (error == Errors.NONE) {
            return Reaction.IGNORE;
        }
        boolean current = sentWith.equals(generation);
        switch (error) {
            case REBALANCE_IN_PROGRESS -> {
                if (current) {
                    requestRejoin("the coordinator answered " + api + " with REBALANCE_IN_PROGRESS");
                }
                return current ? Reaction.REJOIN : Reaction.IGNORE;
            }
            case UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION -> {
                if (!current || state == State.UNJOINED) {
                    return Reaction.IGNORE;
                }
                state = State.UNJOINED;
                return resetMember(error, error == Errors.UNKNOWN_MEMBER_ID);
            }
            case COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR -> {
                return Reaction.FIND_COORDINATOR_AND_RETRY;
            }
            case COORDINATOR_LOAD_IN_PROGRESS -> {
                return Reaction.BACKOFF_AND_RETRY;
            }
            default -> {
                return unexpected(api, error);
            }
        }
    }

    /**
     * The member left (LeaveGroup sent, or max.poll.interval.ms passed without poll): a fresh join follows, with a
     * new member id for a dynamic member. Its partitions are lost if it had any.
     */
    synchronized void reset(String reason, boolean lost) {
        log.info("Group {}: member {} resets its membership: {}", groupId, generation.memberId(), reason);
        state = State.UNJOINED;
        generation = Generation.NONE;
        partitionsLost |= lost;
        rejoinReason = reason;
    }

    /** Whether the partitions were lost since the last call (the consumer thread then tells the listener). */
    synchronized boolean takePartitionsLost() {
        boolean lost = partitionsLost;
        partitionsLost = false;
        return lost;
    }

    synchronized TributaryException fatalError() {
        return fatal;
    }

    private Reaction resetMember(Errors error, boolean newMemberId) {
        log.info("Group {}: member {} of generation {} got {}; its partitions are lost and it rejoins",
                groupId, generation.memberId(), generation.id(), error);
        generation = new Generation(NO_GENERATION, newMemberId ? UNKNOWN_MEMBER_ID : generation.memberId(), null);
        partitionsLost = true;
        rejoinReason = error.name();
        return Reaction.REJOIN;
    }

    private Reaction unexpected(String api, Errors error) {
        if (error == Errors.FENCED_INSTANCE_ID || !(error.exception() instanceof RetriableException)) {
            fatal = new ApiException(error, "Group " + groupId + ": " + api + " of member " + generation.memberId() + " failed"
                    + (error == Errors.FENCED_INSTANCE_ID ? "; another consumer runs with the same group.instance.id" : ""));
            log.error("{}", fatal.getMessage());
            return Reaction.FATAL;
        }
        return Reaction.BACKOFF_AND_RETRY;
    }
}
