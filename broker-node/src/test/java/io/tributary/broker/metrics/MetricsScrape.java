package io.tributary.broker.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a broker's endpoints over real HTTP and picks samples out of the Prometheus text. */
final class MetricsScrape {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+(\\S+)$");

    private MetricsScrape() {
    }

    record Response(int status, String contentType, String body) {}

    static Response get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
    }

    /** The Prometheus text of {@code baseUrl/metrics}. */
    static String scrape(String baseUrl) throws IOException, InterruptedException {
        Response response = get(baseUrl + "/metrics");
        if (response.status() != 200) {
            throw new IllegalStateException(baseUrl + "/metrics answered " + response.status() + ": " + response.body());
        }
        return response.body();
    }

    /** Every sample of {@code name}: its label text (e.g. {@code {topic="t",}}) -> value. */
    static Map<String, Double> samples(String text, String name) {
        Map<String, Double> out = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line.trim());
            if (m.matches() && m.group(1).equals(name)) {
                out.put(m.group(2) == null ? "" : m.group(2), Double.parseDouble(m.group(3)));
            }
        }
        return out;
    }

    /** The value of the one sample of {@code name} whose labels contain every {@code label="value"} given, or 0 if none. */
    static double value(String text, String name, String... labels) {
        double sum = 0;
        boolean found = false;
        for (Map.Entry<String, Double> e : samples(text, name).entrySet()) {
            boolean all = true;
            for (String label : labels) {
                all &= e.getKey().contains(label);
            }
            if (all) {
                if (found) {
                    throw new IllegalStateException("more than one sample of " + name + " with " + String.join(",", labels));
                }
                found = true;
                sum = e.getValue();
            }
        }
        return sum;
    }
}
