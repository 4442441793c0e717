package io.tributary.zk.model;

/**
 * The JSON records stored in znodes. Each carries a "version" (1 today) so a later format can be
 * told apart; readers ignore fields they do not know, so adding a field needs no version bump.
 */
public sealed interface ZkRecord
        permits BrokerRegistration, TopicAssignment, PartitionState, TopicConfig, ProducerIdBlock, ClusterId,
        PreferredLeaderElection {

    /** The format version written by this code. */
    int CURRENT_VERSION = 1;

    int version();
}
