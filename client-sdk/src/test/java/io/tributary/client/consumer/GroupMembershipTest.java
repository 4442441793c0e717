package io.tributary.client.consumer;

import io.tributary.client.consumer.GroupMembership.Generation;
import io.tributary.client.consumer.GroupMembership.Reaction;
import io.tributary.client.consumer.GroupMembership.State;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The member's state machine and its reaction to every error code of the classic protocol, as Kafka's client reacts. */
class GroupMembershipTest {
    private final GroupMembership m = new GroupMembership("g");

    private Generation stableIn(int generation, String memberId) {
        m.joinStarted();
        m.joined(generation, memberId, "range");
        m.synced();
        return m.generation();
    }

    @Test
    void aNewMemberNeedsToJoinAndTheFirstJoinOnlyObtainsAMemberId() {
        assertEquals(State.UNJOINED, m.state());
        assertTrue(m.needsRejoin());
        assertFalse(m.heartbeatsActive());

        m.joinStarted();
        assertEquals(State.PREPARING_REBALANCE, m.state());
        assertFalse(m.heartbeatsActive(), "no heartbeats while JoinGroup waits, as Kafka");
        assertEquals(Reaction.RETRY, m.joinFailed(Errors.MEMBER_ID_REQUIRED, "member-1"));
        assertEquals("member-1", m.memberId(), "KIP-394: the next JoinGroup carries the id the coordinator gave");
        assertTrue(m.needsRejoin());

        m.joinStarted();
        m.joined(1, "member-1", "range");
        assertEquals(State.COMPLETING_REBALANCE, m.state());
        assertTrue(m.heartbeatsActive());
        assertFalse(m.needsRejoin());
        m.synced();
        assertEquals(State.STABLE, m.state());
        assertEquals(new Generation(1, "member-1", "range"), m.generation());
        assertFalse(m.needsRejoin());
    }

    @Test
    void joinErrorsRetryRediscoverOrFail() {
        m.joinStarted();
        assertEquals(Reaction.FIND_COORDINATOR_AND_RETRY, m.joinFailed(Errors.NOT_COORDINATOR, ""));
        m.joinStarted();
        assertEquals(Reaction.FIND_COORDINATOR_AND_RETRY, m.joinFailed(Errors.COORDINATOR_NOT_AVAILABLE, ""));
        m.joinStarted();
        assertEquals(Reaction.BACKOFF_AND_RETRY, m.joinFailed(Errors.COORDINATOR_LOAD_IN_PROGRESS, ""));
        m.joinStarted();
        assertEquals(Reaction.BACKOFF_AND_RETRY, m.joinFailed(Errors.REBALANCE_IN_PROGRESS, ""));
        assertNull(m.fatalError());
        m.joinStarted();
        assertEquals(Reaction.FATAL, m.joinFailed(Errors.INCONSISTENT_GROUP_PROTOCOL, ""));
        assertNotNull(m.fatalError());
        assertEquals(State.UNJOINED, m.state());
    }

    @Test
    void unknownMemberOnJoinStartsOverWithoutAnIdAndIllegalGenerationKeepsTheId() {
        stableIn(3, "member-1");
        m.requestRejoin("test");
        m.joinStarted();
        assertEquals(Reaction.RETRY, m.joinFailed(Errors.ILLEGAL_GENERATION, ""));
        assertEquals(new Generation(-1, "member-1", null), m.generation());
        m.joinStarted();
        assertEquals(Reaction.RETRY, m.joinFailed(Errors.UNKNOWN_MEMBER_ID, ""));
        assertEquals(Generation.NONE, m.generation());
    }

    @Test
    void fencedInstanceIsFatal() {
        Generation g = stableIn(2, "m");
        assertEquals(Reaction.FATAL, m.memberRequestFailed("Heartbeat", Errors.FENCED_INSTANCE_ID, g));
        assertTrue(m.fatalError().getMessage().contains("group.instance.id"), m.fatalError().getMessage());
    }

    @Test
    void heartbeatRebalanceInProgressKeepsThePartitionsAndRejoins() {
        Generation g = stableIn(4, "m");
        assertEquals(Reaction.REJOIN, m.memberRequestFailed("Heartbeat", Errors.REBALANCE_IN_PROGRESS, g));
        assertTrue(m.needsRejoin());
        assertFalse(m.takePartitionsLost(), "a normal rebalance revokes, it does not lose");
        assertEquals(g, m.generation(), "the member rejoins in its generation, with its id");
    }

    @Test
    void heartbeatIllegalGenerationOrUnknownMemberLosesThePartitions() {
        Generation g = stableIn(4, "m");
        assertEquals(Reaction.REJOIN, m.memberRequestFailed("Heartbeat", Errors.ILLEGAL_GENERATION, g));
        assertTrue(m.takePartitionsLost());
        assertFalse(m.takePartitionsLost(), "reported once");
        assertEquals(State.UNJOINED, m.state());
        assertEquals("m", m.memberId());

        Generation g2 = stableIn(5, "m");
        assertEquals(Reaction.REJOIN, m.memberRequestFailed("OffsetCommit", Errors.UNKNOWN_MEMBER_ID, g2));
        assertTrue(m.takePartitionsLost());
        assertEquals(GroupMembership.UNKNOWN_MEMBER_ID, m.memberId(), "the coordinator forgot us: join as a new member");
    }

    @Test
    void errorsAboutAnEndedGenerationAreIgnored() {
        Generation old = stableIn(4, "m");
        Generation current = stableIn(5, "m");
        assertEquals(Reaction.IGNORE, m.memberRequestFailed("Heartbeat", Errors.ILLEGAL_GENERATION, old));
        assertEquals(Reaction.IGNORE, m.memberRequestFailed("Heartbeat", Errors.REBALANCE_IN_PROGRESS, old));
        assertEquals(current, m.generation());
        assertEquals(State.STABLE, m.state());
        assertFalse(m.takePartitionsLost());
    }

    @Test
    void coordinatorErrorsOnHeartbeatOrCommitRediscoverWithoutLeaving() {
        Generation g = stableIn(2, "m");
        assertEquals(Reaction.FIND_COORDINATOR_AND_RETRY, m.memberRequestFailed("Heartbeat", Errors.NOT_COORDINATOR, g));
        assertEquals(Reaction.BACKOFF_AND_RETRY, m.memberRequestFailed("OffsetCommit", Errors.COORDINATOR_LOAD_IN_PROGRESS, g));
        assertEquals(State.STABLE, m.state());
        assertEquals(g, m.generation());
    }

    @Test
    void syncErrors() {
        m.joinStarted();
        m.joined(7, "m", "range");
        assertEquals(Reaction.REJOIN, m.syncFailed(Errors.REBALANCE_IN_PROGRESS));
        assertEquals(State.UNJOINED, m.state());
        assertFalse(m.takePartitionsLost());
        m.joinStarted();
        m.joined(8, "m", "range");
        assertEquals(Reaction.FIND_COORDINATOR_AND_RETRY, m.syncFailed(Errors.NOT_COORDINATOR));
        m.joinStarted();
        m.joined(9, "m", "range");
        assertEquals(Reaction.REJOIN, m.syncFailed(Errors.UNKNOWN_MEMBER_ID));
        assertEquals(Generation.NONE, m.generation());
    }

    @Test
    void aPollTimeoutResetsTheMemberAndLosesItsPartitions() {
        stableIn(3, "m");
        m.reset("max.poll.interval.ms passed", true);
        assertEquals(State.UNJOINED, m.state());
        assertEquals(Generation.NONE, m.generation());
        assertTrue(m.takePartitionsLost());
        assertTrue(m.needsRejoin());
        assertFalse(m.heartbeatsActive());
    }
}
