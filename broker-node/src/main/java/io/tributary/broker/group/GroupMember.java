package io.tributary.broker.group;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;

/**
 * One member of a classic group, as the coordinator knows it: who it is, the protocols it supports (name ->
 * metadata, in its order of preference), its timeouts and assignment, and the join or sync answer it waits for.
 * Guarded by its group's lock.
 */
final class GroupMember {

    final String memberId;
    final String groupInstanceId;
    final String clientId;
    final String clientHost;
    int rebalanceTimeoutMs;
    int sessionTimeoutMs;
    String protocolType;
    /** Protocol name -> metadata, in the member's order of preference. */
    Map<String, byte[]> protocols;
    byte[] assignment = new byte[0];
    /** Parked JoinGroup answer while the group is preparing a rebalance. */
    CompletableFuture<JoinGroupResponseData> awaitingJoin;
    /** Parked SyncGroup answer while the leader's assignment is awaited. */
    CompletableFuture<SyncGroupResponseData> awaitingSync;
    /** Fires when no heartbeat (or join, sync, commit) arrived within the session timeout. */
    ScheduledFuture<?> sessionTimer;
    /** Joined in the current rebalance for the first time (the initial delay waits for more of these). */
    boolean isNew;
    /** The JoinGroup and SyncGroup versions of the parked answers (they decide which fields may be set). */
    short joinVersion;
    short syncVersion;
    /** Counts session restarts, so a timer that fired late after a heartbeat does nothing. */
    long sessionToken;

    GroupMember(String memberId, String groupInstanceId, String clientId, String clientHost, int rebalanceTimeoutMs,
                int sessionTimeoutMs, String protocolType, Map<String, byte[]> protocols) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.protocolType = protocolType;
        this.protocols = new LinkedHashMap<>(protocols);
    }

    /** The same member under a new id: a static member that rejoined without its old id (KIP-345). */
    GroupMember withNewId(String newMemberId) {
        GroupMember copy = new GroupMember(newMemberId, groupInstanceId, clientId, clientHost, rebalanceTimeoutMs,
                sessionTimeoutMs, protocolType, protocols);
        copy.assignment = assignment;
        return copy;
    }

    boolean isStatic() {
        return groupInstanceId != null;
    }

    /** Whether the member asks for exactly the protocols (names, order and metadata) it already has. */
    boolean sameProtocols(Map<String, byte[]> other) {
        if (!protocols.keySet().stream().toList().equals(other.keySet().stream().toList())) {
            return false;
        }
        for (Map.Entry<String, byte[]> entry : protocols.entrySet()) {
            if (!Arrays.equals(entry.getValue(), other.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    byte[] metadata(String protocol) {
        return Objects.requireNonNull(protocols.get(protocol), "member " + memberId + " does not support " + protocol);
    }

    void cancelSessionTimer() {
        if (sessionTimer != null) {
            sessionTimer.cancel(false);
            sessionTimer = null;
        }
    }
}
