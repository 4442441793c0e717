package io.tributary.client.consumer;

import io.tributary.client.common.TopicPartition;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the classic group protocol's requests for a negotiated version. Fields a version lacks stay at
 * their defaults (writing one throws), so e.g. group.instance.id needs JoinGroup v5+, which every broker
 * with static membership has.
 */
final class GroupRequests {
    /** Kafka's key type for a consumer group in FindCoordinator (1 would be a transaction). */
    private static final byte GROUP_KEY_TYPE = 0;

    private GroupRequests() {
    }

    static FindCoordinatorRequestData findCoordinator(short version, String groupId) {
        FindCoordinatorRequestData data = new FindCoordinatorRequestData().setKeyType(GROUP_KEY_TYPE);
        // v4+ batches keys (KIP-699) and drops the single key field.
        return version >= 4 ? data.setCoordinatorKeys(List.of(groupId)) : data.setKey(groupId);
    }

    static JoinGroupRequestData joinGroup(short version, GroupConfig config, String memberId, Map<String, byte[]> protocols,
                                          String reason) {
        JoinGroupRequestData.JoinGroupRequestProtocolCollection collection = new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.forEach((name, metadata) -> collection.add(new JoinGroupRequestData.JoinGroupRequestProtocol()
                .setName(name).setMetadata(metadata)));
        JoinGroupRequestData data = new JoinGroupRequestData()
                .setGroupId(config.groupId().orElseThrow())
                .setSessionTimeoutMs(config.sessionTimeoutMs())
                .setRebalanceTimeoutMs(config.maxPollIntervalMs())
                .setMemberId(memberId)
                .setProtocolType(ConsumerProtocolCodec.PROTOCOL_TYPE)
                .setProtocols(collection);
        if (version >= 5) {
            data.setGroupInstanceId(config.groupInstanceId().orElse(null));
        }
        if (version >= 8) {
            data.setReason(reason);
        }
        return data;
    }

    static SyncGroupRequestData syncGroup(short version, GroupConfig config, int generation, String memberId, String protocolName,
                                          Map<String, byte[]> assignments) {
        List<SyncGroupRequestData.SyncGroupRequestAssignment> list = new ArrayList<>();
        assignments.forEach((member, bytes) -> list.add(new SyncGroupRequestData.SyncGroupRequestAssignment()
                .setMemberId(member).setAssignment(bytes)));
        SyncGroupRequestData data = new SyncGroupRequestData()
                .setGroupId(config.groupId().orElseThrow())
                .setGenerationId(generation)
                .setMemberId(memberId)
                .setAssignments(list);
        if (version >= 3) {
            data.setGroupInstanceId(config.groupInstanceId().orElse(null));
        }
        if (version >= 5) {
            data.setProtocolType(ConsumerProtocolCodec.PROTOCOL_TYPE).setProtocolName(protocolName);
        }
        return data;
    }

    static HeartbeatRequestData heartbeat(short version, GroupConfig config, int generation, String memberId) {
        HeartbeatRequestData data = new HeartbeatRequestData().setGroupId(config.groupId().orElseThrow())
                .setGenerationId(generation).setMemberId(memberId);
        if (version >= 3) {
            data.setGroupInstanceId(config.groupInstanceId().orElse(null));
        }
        return data;
    }

    static LeaveGroupRequestData leaveGroup(short version, GroupConfig config, String memberId, String reason) {
        LeaveGroupRequestData data = new LeaveGroupRequestData().setGroupId(config.groupId().orElseThrow());
        if (version < 3) {
            return data.setMemberId(memberId);
        }
        LeaveGroupRequestData.MemberIdentity member = new LeaveGroupRequestData.MemberIdentity().setMemberId(memberId)
                .setGroupInstanceId(config.groupInstanceId().orElse(null));
        if (version >= 5) {
            member.setReason(reason);
        }
        return data.setMembers(List.of(member));
    }

    static List<Integer> partitionsOf(String topic, java.util.Collection<TopicPartition> partitions) {
        return partitions.stream().filter(tp -> tp.topic().equals(topic)).map(TopicPartition::partition).sorted().toList();
    }
}
