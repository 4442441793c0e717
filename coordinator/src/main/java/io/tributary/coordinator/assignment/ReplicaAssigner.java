package io.tributary.coordinator.assignment;

import io.tributary.zk.model.BrokerRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * Chooses replicas for new partitions the way Kafka does, so load spreads the same way:
 * <ul>
 *   <li>leaders (first replicas) go round-robin over the brokers, starting at {@code startIndex};</li>
 *   <li>followers sit at a distance from their leader that changes after every full round of
 *       brokers, so the followers of one broker's leaders do not all land on the same neighbour;</li>
 *   <li>when every broker has a rack, the brokers are ordered alternating between racks, and a
 *       follower is skipped while its rack already holds a replica of the partition and some rack
 *       does not.</li>
 * </ul>
 */
public final class ReplicaAssigner {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaAssigner.class);

    private ReplicaAssigner() {
    }

    /**
     * @param startIndex index (in broker order) of the first partition's leader; negative picks a
     *                   random one, as Kafka does, so topics created one after another do not all
     *                   start on the same broker
     * @return partition -> replica broker ids (first = preferred leader), for partitions 0..n-1
     */
    public static Map<Integer, List<Integer>> assign(int partitions, int replicationFactor,
                                                     List<BrokerRegistration> liveBrokers, int startIndex) {
        if (partitions < 1) {
            throw new InvalidPartitionsException("number of partitions must be at least 1, got: " + partitions);
        }
        List<BrokerRegistration> brokers = distinctById(liveBrokers);
        if (replicationFactor < 1) {
            throw new InvalidReplicationFactorException("replication factor must be at least 1, got: " + replicationFactor);
        }
        if (replicationFactor > brokers.size()) {
            throw new InvalidReplicationFactorException("replication factor " + replicationFactor + " is larger than the "
                    + brokers.size() + " live brokers " + brokers.stream().map(BrokerRegistration::brokerId).toList());
        }
        boolean rackAware = allHaveRacks(brokers);
        List<BrokerRegistration> order = rackAware ? alternateRacks(brokers) : brokers;
        int n = order.size();
        int start = startIndex >= 0 ? startIndex % n : ThreadLocalRandom.current().nextInt(n);
        int racks = (int) brokers.stream().map(BrokerRegistration::rack).distinct().count();

        SortedMap<Integer, List<Integer>> result = new TreeMap<>();
        for (int p = 0; p < partitions; p++) {
            int leaderIndex = (start + p) % n;
            // The follower offset grows by one after each full round of brokers.
            int roundShift = start + p / n;
            result.put(p, replicasFor(order, leaderIndex, roundShift, replicationFactor, rackAware ? racks : 0));
        }
        return Collections.unmodifiableSortedMap(result);
    }

    private static List<Integer> replicasFor(List<BrokerRegistration> order, int leaderIndex, int roundShift,
                                             int replicationFactor, int racks) {
        int n = order.size();
        List<Integer> replicas = new ArrayList<>(replicationFactor);
        Set<String> usedRacks = new HashSet<>();
        BrokerRegistration leader = order.get(leaderIndex);
        replicas.add(leader.brokerId());
        usedRacks.add(leader.rack());
        // Candidate k sits at offset 1 + (roundShift + k) mod (n - 1) from the leader: offsets are
        // distinct and never 0, so no broker appears twice.
        List<BrokerRegistration> candidates = new ArrayList<>(n - 1);
        for (int k = 0; k < n - 1; k++) {
            int offset = 1 + Math.floorMod(roundShift + k, n - 1);
            candidates.add(order.get((leaderIndex + offset) % n));
        }
        for (BrokerRegistration candidate : candidates) {
            if (replicas.size() == replicationFactor) {
                break;
            }
            boolean rackFree = racks == 0 || usedRacks.size() >= racks || !usedRacks.contains(candidate.rack());
            if (rackFree) {
                replicas.add(candidate.brokerId());
                usedRacks.add(candidate.rack());
            }
        }
        // Only reachable when racks hold unequal numbers of brokers: fill with whoever is left.
        for (BrokerRegistration candidate : candidates) {
            if (replicas.size() == replicationFactor) {
                break;
            }
            if (!replicas.contains(candidate.brokerId())) {
                replicas.add(candidate.brokerId());
            }
        }
        return List.copyOf(replicas);
    }

    private static List<BrokerRegistration> distinctById(List<BrokerRegistration> liveBrokers) {
        Map<Integer, BrokerRegistration> byId = new TreeMap<>();
        for (BrokerRegistration broker : liveBrokers) {
            byId.putIfAbsent(broker.brokerId(), broker);
        }
        return List.copyOf(byId.values());
    }

    private static boolean allHaveRacks(List<BrokerRegistration> brokers) {
        long withRack = brokers.stream().filter(b -> b.rack() != null).count();
        if (withRack > 0 && withRack < brokers.size()) {
            LOG.warn("only {} of {} live brokers have a rack; assigning replicas without rack awareness", withRack, brokers.size());
        }
        return withRack == brokers.size();
    }

    /** Brokers ordered rack by rack in turn: r1's first, r2's first, r3's first, r1's second, ... */
    static List<BrokerRegistration> alternateRacks(List<BrokerRegistration> brokers) {
        Map<String, List<BrokerRegistration>> byRack = brokers.stream()
                .sorted(Comparator.comparing(BrokerRegistration::rack).thenComparingInt(BrokerRegistration::brokerId))
                .collect(Collectors.groupingBy(BrokerRegistration::rack, LinkedHashMap::new, Collectors.toList()));
        List<BrokerRegistration> order = new ArrayList<>(brokers.size());
        for (int i = 0; order.size() < brokers.size(); i++) {
            for (List<BrokerRegistration> rack : byRack.values()) {
                if (i < rack.size()) {
                    order.add(rack.get(i));
                }
            }
        }
        return order;
    }
}
