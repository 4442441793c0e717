package io.tributary.client.consumer;

import io.tributary.client.common.TopicPartition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Kafka's {@code cooperative-sticky}: a balanced assignment that moves as few partitions as possible, handed
 * over with incremental cooperative rebalancing (KIP-429).
 *
 * <p>Steps: (1) every member keeps the partitions it owns and still subscribes to; a partition claimed by two
 * members goes to the claim of the higher generation (equal generations: neither keeps it). (2) Partitions
 * nobody keeps go, one at a time, to the eligible member holding the fewest. (3) While some member holds at
 * least two more than a member that could take one of its partitions, one moves from the fullest to the
 * emptiest, preferring a partition that was not already owned (so a move costs no revocation). Every move
 * lowers the sum of squared counts, so this ends, and it ends balanced as far as subscriptions allow.
 *
 * <p>(4) Cooperative hand-over: a partition that moves away from a member that still owns it is left out of
 * the new owner's assignment in this generation. Its old owner sees it missing, revokes it and rejoins; the
 * follow-up rebalance then gives it to the new owner, so no partition is ever read by two members at once.
 */
public final class CooperativeStickyAssignor implements PartitionAssignor {
    public static final String NAME = "cooperative-sticky";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RebalanceProtocol rebalanceProtocol() {
        return RebalanceProtocol.COOPERATIVE;
    }

    @Override
    public Map<String, List<TopicPartition>> assign(Map<String, Integer> partitionsPerTopic,
                                                    Map<String, MemberSubscription> subscriptions) {
        List<String> members = MemberOrder.sorted(subscriptions);
        Map<String, Set<String>> topicsOf = new HashMap<>();
        Set<TopicPartition> all = new TreeSet<>();
        for (String m : members) {
            Set<String> topics = new HashSet<>();
            for (String t : subscriptions.get(m).topics()) {
                Integer count = partitionsPerTopic.get(t);
                if (count != null) {
                    topics.add(t);
                    for (int p = 0; p < count; p++) {
                        all.add(new TopicPartition(t, p));
                    }
                }
            }
            topicsOf.put(m, topics);
        }

        Map<TopicPartition, String> previousOwner = previousOwners(members, subscriptions, all, topicsOf);
        Map<String, TreeSet<TopicPartition>> assignment = new LinkedHashMap<>();
        members.forEach(m -> assignment.put(m, new TreeSet<>()));
        previousOwner.forEach((tp, owner) -> assignment.get(owner).add(tp));

        for (TopicPartition tp : all) {
            if (!previousOwner.containsKey(tp)) {
                members.stream().filter(m -> topicsOf.get(m).contains(tp.topic()))
                        .min(Comparator.comparingInt(m -> assignment.get(m).size()))
                        .ifPresent(m -> assignment.get(m).add(tp));
            }
        }
        balance(members, topicsOf, assignment, previousOwner);

        Map<String, List<TopicPartition>> result = new HashMap<>();
        assignment.forEach((member, partitions) -> {
            List<TopicPartition> given = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                String owner = previousOwner.get(tp);
                if (owner == null || owner.equals(member)) {
                    given.add(tp);
                }
                // else: still owned by another member, which must revoke it first (step 4)
            }
            result.put(member, given);
        });
        return result;
    }

    /** Step 1: who keeps what. A claim of a partition the member no longer subscribes to, or that no longer exists, is dropped. */
    private static Map<TopicPartition, String> previousOwners(List<String> members, Map<String, MemberSubscription> subscriptions,
                                                              Set<TopicPartition> all, Map<String, Set<String>> topicsOf) {
        Map<TopicPartition, String> owner = new HashMap<>();
        Map<TopicPartition, Integer> ownerGeneration = new HashMap<>();
        Set<TopicPartition> contested = new HashSet<>();
        for (String m : members) {
            MemberSubscription s = subscriptions.get(m);
            for (TopicPartition tp : s.ownedPartitions()) {
                if (!all.contains(tp) || !topicsOf.get(m).contains(tp.topic())) {
                    continue;
                }
                Integer other = ownerGeneration.get(tp);
                if (other == null || s.generation() > other) {
                    owner.put(tp, m);
                    ownerGeneration.put(tp, s.generation());
                    contested.remove(tp);
                } else if (s.generation() == other && !owner.get(tp).equals(m)) {
                    contested.add(tp);
                }
            }
        }
        contested.forEach(owner::remove);
        return owner;
    }

    /** Step 3. */
    private static void balance(List<String> members, Map<String, Set<String>> topicsOf,
                                Map<String, TreeSet<TopicPartition>> assignment, Map<TopicPartition, String> previousOwner) {
        while (true) {
            List<String> byCountDesc = new ArrayList<>(members);
            byCountDesc.sort(Comparator.comparingInt((String m) -> assignment.get(m).size()).reversed());
            List<String> byCountAsc = new ArrayList<>(byCountDesc);
            java.util.Collections.reverse(byCountAsc);
            boolean moved = false;
            search:
            for (String from : byCountDesc) {
                for (String to : byCountAsc) {
                    if (assignment.get(from).size() <= assignment.get(to).size() + 1) {
                        break; // nobody emptier enough for this "from"
                    }
                    TopicPartition candidate = movable(assignment.get(from), topicsOf.get(to), from, previousOwner);
                    if (candidate != null) {
                        assignment.get(from).remove(candidate);
                        assignment.get(to).add(candidate);
                        moved = true;
                        break search;
                    }
                }
            }
            if (!moved) {
                return;
            }
        }
    }

    /** A partition of {@code held} the receiver can read: one {@code from} did not own before if possible. */
    private static TopicPartition movable(TreeSet<TopicPartition> held, Set<String> receiverTopics, String from,
                                          Map<TopicPartition, String> previousOwner) {
        TopicPartition fallback = null;
        for (TopicPartition tp : held.descendingSet()) {
            if (!receiverTopics.contains(tp.topic())) {
                continue;
            }
            if (!from.equals(previousOwner.get(tp))) {
                return tp;
            }
            if (fallback == null) {
                fallback = tp;
            }
        }
        return fallback;
    }
}
