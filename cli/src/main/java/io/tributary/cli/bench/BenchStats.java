package io.tributary.cli.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Median, min and max of a benchmark's runs; the median of an even count is the mean of the middle two. */
public record BenchStats(int runs, double median, double min, double max) {

    public static BenchStats of(List<? extends Number> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        List<Double> sorted = new ArrayList<>();
        values.forEach(v -> sorted.add(v.doubleValue()));
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new BenchStats(n, median, sorted.get(0), sorted.get(n - 1));
    }

    /** "median 412 ms (min 380, max 455, 5 runs)". */
    public String describe(String unit) {
        return String.format("median %.0f %s (min %.0f, max %.0f, %d runs)", median, unit, min, max, runs);
    }
}
