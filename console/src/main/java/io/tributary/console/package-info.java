/** The web console: watches a cluster through the Kafka protocol and the brokers' /metrics and serves live pages. */
package io.tributary.console;
