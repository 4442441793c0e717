# Shared functions for the benchmark scripts (bin/bench-*). Sourced after common.sh, never run.
#
# The benchmarks compare Tributary with Apache Kafka 3.9.1 from the reference harness
# (a directory with its setup.sh, start-zk.sh, start-brokers.sh and bench.sh, set in KAFKA_REFERENCE), measured in turn on the
# same machine and never at the same time. Tributary runs from its own run directory (run/bench/),
# so a benchmark never touches the data of the cluster bin/cluster-start keeps in run/.

KAFKA_REFERENCE="${KAFKA_REFERENCE:-}"
KAFKA_REF_WORK="${KAFKA_REF_WORK:-${TMPDIR:-/tmp}/kafka-reference}"
export KAFKA_REF_WORK
BENCH_RUN="$TRIBUTARY_ROOT/run/bench"
# Both systems run with a 6 s ZooKeeper session (Tributary's default; Kafka's is 18 s since 2.5).
BENCH_ZK_SESSION_MS=${BENCH_ZK_SESSION_MS:-6000}
BENCH_MAX_LOAD=${BENCH_MAX_LOAD:-1.0}
BENCH_QUIET_WAIT_S=${BENCH_QUIET_WAIT_S:-900}

# Waits until the 1-minute load average is below BENCH_MAX_LOAD and no surefire test JVM runs (other
# engineers' test suites share the two cores), at most BENCH_QUIET_WAIT_S. Prints the state it went on in.
wait_quiet() {
  local deadline=$((SECONDS + BENCH_QUIET_WAIT_S)) load sure next=0
  while :; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    sure=$(pgrep -fc surefire || true)
    if awk -v l="$load" -v m="$BENCH_MAX_LOAD" 'BEGIN { exit !(l < m) }' && ((sure == 0)); then
      printf 'load %s, no surefire' "$load"
      return 0
    fi
    if ((SECONDS >= deadline)); then
      printf 'load %s, %s surefire JVM(s): NOT quiet after %ss' "$load" "$sure" "$BENCH_QUIET_WAIT_S"
      return 0
    fi
    if ((SECONDS >= next)); then
      warn "waiting for a quiet machine (load $load, $sure surefire JVM(s); want load < $BENCH_MAX_LOAD and none)"
      next=$((SECONDS + 60))
    fi
    sleep 5
  done
}

require_ports_free() {
  local port
  for port in "$@"; do
    port_is_open localhost "$port" && die "port $port is in use: stop whatever listens there first (bin/cluster-stop, or the reference's stop-all.sh)"
  done
  return 0
}

# --- Tributary, from run/bench --------------------------------------------------------------

tributary_start() {  # N
  require_ports_free 2181 9092 9093 9094
  rm -rf "$BENCH_RUN"
  mkdir -p "$BENCH_RUN"
  # The build stamp lives in the run directory: carry it over so the benchmark does not rebuild.
  [[ -f $TRIBUTARY_RUN/build.stamp ]] && cp -p "$TRIBUTARY_RUN/build.stamp" "$BENCH_RUN/build.stamp"
  # No console: its polls would be load the benchmark measures.
  TRIBUTARY_CONSOLE=0 TRIBUTARY_RUN="$BENCH_RUN" "$TRIBUTARY_ROOT/bin/cluster-start" "$1" >"$BENCH_RUN/cluster-start.log" 2>&1 \
    || { cat "$BENCH_RUN/cluster-start.log" >&2; die "Tributary did not start"; }
  info "Tributary: ZooKeeper and $1 brokers up (data in $BENCH_RUN)" >&2
}

tributary_stop() {
  TRIBUTARY_RUN="$BENCH_RUN" "$TRIBUTARY_ROOT/bin/cluster-stop" >"$BENCH_RUN/cluster-stop.log" 2>&1 \
    || { cat "$BENCH_RUN/cluster-stop.log" >&2; warn "bin/cluster-stop reported a problem"; }
}

# --- Apache Kafka, from the reference harness --------------------------------------------------

kafka_check() {
  [[ -n $KAFKA_REFERENCE ]] || die "set KAFKA_REFERENCE to the directory of a Kafka reference harness (start-zk.sh, start-brokers.sh, bench.sh)"
  [[ -x $KAFKA_REFERENCE/start-brokers.sh ]] || die "the Kafka reference harness is not at $KAFKA_REFERENCE (set KAFKA_REFERENCE)"
  if [[ ! -d $KAFKA_REF_WORK/lib ]]; then
    info "Fetching Kafka 3.9.1 with $KAFKA_REFERENCE/setup.sh ..." >&2
    "$KAFKA_REFERENCE/setup.sh" >&2 || die "the reference's setup.sh failed"
  fi
}

# start-brokers.sh leaves zookeeper.session.timeout.ms at Kafka's default (18000). kafka.Kafka takes
# --override key=value after its properties file, so the harness's brokers are started through a
# `java` that appends the override when it starts kafka.Kafka (JAVA_HOME is how env.sh finds java).
kafka_java_home() {
  local home="$BENCH_RUN/kafka-java" real
  real=$(command -v java)
  mkdir -p "$home/bin"
  cat >"$home/bin/java" <<JAVA
#!/usr/bin/env bash
for a in "\$@"; do
  [[ \$a == kafka.Kafka ]] && exec "$real" "\$@" --override zookeeper.session.timeout.ms=$BENCH_ZK_SESSION_MS
done
exec "$real" "\$@"
JAVA
  chmod +x "$home/bin/java"
  printf '%s' "$home"
}

kafka_start() {  # N
  kafka_check
  require_ports_free 2191 19092 19093 19094
  mkdir -p "$BENCH_RUN"
  "$KAFKA_REFERENCE/stop-all.sh" --wipe >/dev/null 2>&1 || true
  "$KAFKA_REFERENCE/start-zk.sh" >&2 || die "the reference's ZooKeeper did not start"
  JAVA_HOME=$(kafka_java_home) "$KAFKA_REFERENCE/start-brokers.sh" "$1" >&2 || die "the reference's Kafka brokers did not start"
  info "Kafka 3.9.1: ZooKeeper and $1 brokers up (zookeeper.session.timeout.ms=$BENCH_ZK_SESSION_MS)" >&2
}

kafka_stop() {
  "$KAFKA_REFERENCE/stop-all.sh" --wipe >&2 || warn "the reference's stop-all.sh reported a problem"
}

# Command lines the Java benchmarks use to find, restart and stop a broker {id} of each system.
tributary_pid_file() { printf '%s' "$BENCH_RUN/broker-{id}/broker.pid"; }
tributary_start_cmd() { printf 'TRIBUTARY_RUN=%q %q {id} >&2' "$BENCH_RUN" "$TRIBUTARY_ROOT/bin/broker-start"; }
tributary_stop_cmd() { printf 'TRIBUTARY_RUN=%q %q {id} >&2' "$BENCH_RUN" "$TRIBUTARY_ROOT/bin/broker-stop"; }
kafka_pid_file() { printf '%s' "$KAFKA_REF_WORK/cluster/run/broker-{id}.pid"; }
kafka_start_cmd() { printf 'JAVA_HOME=%q %q 3 {id} >&2' "$BENCH_RUN/kafka-java" "$KAFKA_REFERENCE/start-brokers.sh"; }

# Runs a benchmark main class of the cli module (client logging off: the figures go to stdout).
run_bench_class() {
  local main=$1
  shift
  build_if_needed >&2
  java -Xmx512m -Dtributary.cli.log.level=ERROR -cp "$(module_classpath cli)" "io.tributary.cli.bench.$main" "$@"
}

# --- results ----------------------------------------------------------------------------------

# Prints one line for a run of the reference's bench.sh, read from its result directory:
#   system run a_recs b_recs b_p50 b_p99 c1_msgs c3_msgs d_p50 d_p99 "state"
# (a: producer RF=1 acks=1 rec/s; b: producer RF=3 acks=all rec/s, p50 ms, p99 ms; c: consumer msg/s on
# the RF=1 and RF=3 topics; d: end-to-end acks=all p50 ms, p99 ms). NA where a tool printed nothing.
bench_parse_run() {  # system run resultdir state
  local d=$3 a b c1 c e
  a=$(grep -h ' records sent, ' "$d"/a-producer-*.txt 2>/dev/null | tail -1 | sed -E 's/.* ([0-9.]+) records\/sec.*/\1/')
  b=$(grep -h ' records sent, ' "$d"/b-producer-*.txt 2>/dev/null | tail -1 | sed -E 's/.* ([0-9.]+) records\/sec.*, ([0-9]+) ms 50th, [0-9]+ ms 95th, ([0-9]+) ms 99th.*/\1 \2 \3/')
  c1=$(grep -hE '^[0-9]{4}-' "$d"/c-consumer-rf1-*.txt 2>/dev/null | tail -1 | awk -F', ' '{print $6}')
  c=$(grep -hE '^[0-9]{4}-' "$d"/c-consumer-rf3-*.txt 2>/dev/null | tail -1 | awk -F', ' '{print $6}')
  e=$(sed -nE 's/^Percentiles: 50th = ([0-9]+), 99th = ([0-9]+).*/\1 \2/p' "$d"/d-e2e-*.txt 2>/dev/null)
  printf '%s %s %s %s %s %s %s "%s"\n' "$1" "$2" "${a:-NA}" "${b:-NA NA NA}" "${c1:-NA}" "${c:-NA}" "${e:-NA NA}" "$4"
}

# From the lines of bench_parse_run, prints per figure the median of each of two systems, each
# system's range over its runs (min-max), and the ratio of the medians second / first.
bench_medians() {  # runs_file first_system second_system
  awk -v first="$2" -v second="$3" '
    function sorted(sys, c, a,   m, i, j, t) {
      m = 0
      for (i = 1; i <= n[sys]; i++) if (v[sys, i, c] != "NA") a[++m] = v[sys, i, c] + 0
      for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return m
    }
    function summary(sys, c,   a, m) {
      m = sorted(sys, c, a)
      if (!m) { med[sys] = "NA"; return "NA" }
      med[sys] = (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
      return sprintf("%s (%s-%s)", med[sys], a[1], a[m])
    }
    { k = ++n[$1]; for (c = 3; c <= 10; c++) v[$1, k, c] = $c }
    END {
      split("producer_rf1_acks1_rec_s producer_rf3_acksall_rec_s producer_rf3_acksall_p50_ms producer_rf3_acksall_p99_ms consumer_rf1_msg_s consumer_rf3_msg_s e2e_acksall_rf3_p50_ms e2e_acksall_rf3_p99_ms", name, " ")
      for (c = 3; c <= 10; c++) {
        s1 = summary(first, c); s2 = summary(second, c)
        printf "%-30s %s %-26s %s %-26s", name[c - 2], first, s1, second, s2
        if (med[first] != "NA" && med[second] != "NA" && med[first] > 0) printf "  %s/%s %.2f", second, first, med[second] / med[first]
        printf "\n"
      }
    }' "$1"
}
