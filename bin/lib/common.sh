# Shared functions for the scripts in bin/. Sourced, never run.
#
# Everything a script creates lives under $TRIBUTARY_RUN (default <root>/run): pid files, logs,
# generated configs and data. Nothing is written anywhere else, so `rm -rf run/` after
# bin/cluster-stop returns the checkout to a clean state.

# The project root is two levels above this file, whatever the caller's cwd.
TRIBUTARY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TRIBUTARY_RUN="${TRIBUTARY_RUN:-$TRIBUTARY_ROOT/run}"

BROKER_MAIN=io.tributary.broker.BrokerMain
ZK_MAIN=io.tributary.zk.server.ZooKeeperLauncher
ZK_TEMPLATE_DIR="$TRIBUTARY_ROOT/zk-config/src/main/resources/io/tributary/zk"

# Modules whose code ends up in the runnable distribution (broker-node, cli and console with their libs).
DIST_MODULES=(zk-config coordinator broker-node client-sdk cli console)
DIST_JARS=("$TRIBUTARY_ROOT/broker-node/target/broker-node.jar" "$TRIBUTARY_ROOT/cli/target/cli.jar"
  "$TRIBUTARY_ROOT/console/target/console.jar")

info() { printf '%s\n' "$*"; }
warn() { printf '%s\n' "$*" >&2; }
die() { printf 'Error: %s\n' "$*" >&2; exit 1; }

# --- processes and pid files ------------------------------------------------------------------

# Prints the pid stored in a pid file, or nothing when the file is missing or not a number.
read_pid() {
  local file=$1 pid
  [[ -f $file ]] || return 0
  pid=$(tr -dc '0-9' <"$file")
  [[ -n $pid ]] && printf '%s' "$pid"
  return 0
}

# True when the pid is alive AND its command line contains the marker (main class and id). The
# marker guards against a stale pid file whose pid the OS has since given to an unrelated process.
pid_is_ours() {
  local pid=$1 marker=$2
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 1
  [[ -r /proc/$pid/cmdline ]] || return 0 # no /proc (not Linux): trust kill -0
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$marker"
}

# Prints the live pid a pid file names, or nothing; removes the file when its process is gone.
live_pid() {
  local file=$1 marker=$2 pid
  pid=$(read_pid "$file")
  if [[ -n $pid ]] && pid_is_ours "$pid" "$marker"; then
    printf '%s' "$pid"
  elif [[ -f $file ]]; then
    warn "Removing stale pid file $file (process ${pid:-?} is not running)"
    rm -f "$file"
  fi
  return 0
}

# Sends SIGTERM, waits up to <bound> seconds for the process to exit, then SIGKILLs it.
# Returns 0 once the process is gone.
terminate() {
  local pid=$1 what=$2 bound=$3 waited=0
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do
    if ((waited >= bound * 10)); then
      warn "$what (pid $pid) did not exit within ${bound}s after SIGTERM; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      # A SIGKILLed process is gone once the kernel has reaped it; give it a moment.
      local k=0
      while kill -0 "$pid" 2>/dev/null && ((k < 50)); do sleep 0.1; k=$((k + 1)); done
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  ! kill -0 "$pid" 2>/dev/null
}

# Prints the last lines of a log, indented, to stderr: what an operator needs when a start fails.
show_log_tail() {
  local log=$1 lines=${2:-25}
  if [[ -s $log ]]; then
    warn "--- last $lines lines of $log ---"
    tail -n "$lines" "$log" | sed 's/^/  /' >&2
    warn "---"
  else
    warn "($log is empty)"
  fi
}

# --- ZooKeeper --------------------------------------------------------------------------------

# Sends a four-letter word to host:port and prints the answer (empty when nothing answers).
# `srvr` is used for health because it is the only command ZooKeeper 3.5+ allows by default.
zk_four_letter() {
  local host=$1 port=$2 word=$3
  timeout 3 bash -c '
    exec 3<>"/dev/tcp/$1/$2" || exit 1
    printf "%s" "$3" >&3
    cat <&3
  ' _ "$host" "$port" "$word" 2>/dev/null || true
}

# True when a ZooKeeper server at host:port is serving requests (an ensemble member only says
# "Mode: leader/follower" once it has a quorum).
zk_is_serving() {
  zk_four_letter "$1" "$2" srvr | grep -q '^Mode: '
}

# True when anything accepts TCP connections on host:port.
port_is_open() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

# --- build and classpath ----------------------------------------------------------------------

# Maven, minus the bare colour-reset codes Debian's Maven 3.8 prints even with -B -q (they garble
# the scripts' own output). Both streams go to stdout; pipefail keeps Maven's exit code.
mvn_quiet() {
  mvn -B -q "$@" 2>&1 | sed -u 's/\x1b\[0m//g'
}

# Written after every successful build. The jars themselves cannot serve as the mark: Maven leaves
# an unchanged module's jar untouched, so it would stay older than another module's new sources.
BUILD_STAMP="$TRIBUTARY_RUN/build.stamp"

# True when a distribution jar is missing or any source/pom of the distribution is newer than the
# last build by these scripts.
build_is_stale() {
  local jar newer
  [[ -f $BUILD_STAMP ]] || return 0
  for jar in "${DIST_JARS[@]}"; do
    [[ -f $jar ]] || return 0
  done
  newer=$(cd "$TRIBUTARY_ROOT" && find pom.xml "${DIST_MODULES[@]/%//pom.xml}" \
    "${DIST_MODULES[@]/%//src/main}" -newer "$BUILD_STAMP" -type f -print -quit 2>/dev/null)
  [[ -n $newer ]]
}

# Builds the distribution when it is stale. Only the modules that make up the distribution are
# built, so a work-in-progress test module cannot stop a demo cluster from starting.
build_if_needed() {
  if build_is_stale; then
    info "Building the distribution (mvn -B -q -DskipTests package) ..."
    mkdir -p "$TRIBUTARY_RUN"
    # The stamp's time is taken before the build, so a source saved during the build counts as newer.
    local stamp_next="$BUILD_STAMP.next"
    touch "$stamp_next"
    # copy-dependencies never removes a jar, so a changed dependency would leave its old version beside the new.
    rm -rf "$TRIBUTARY_ROOT/broker-node/target/lib" "$TRIBUTARY_ROOT/cli/target/lib" "$TRIBUTARY_ROOT/console/target/lib"
    (cd "$TRIBUTARY_ROOT" && mvn_quiet -DskipTests -pl broker-node,cli,console -am package) \
      || { rm -f "$stamp_next"; die "the build failed (see Maven's output above)"; }
    mv "$stamp_next" "$BUILD_STAMP"
  fi
}

# Java command line for a module's main class: target/<module>.jar plus target/lib/*.
module_classpath() {
  local module=$1
  local jar="$TRIBUTARY_ROOT/$module/target/$module.jar"
  [[ -f $jar ]] || die "$jar is missing: run bin/build first"
  printf '%s:%s' "$jar" "$TRIBUTARY_ROOT/$module/target/lib/*"
}

# Copies a module's jar and lib/ into <dest> and prints the copy's classpath. Long-running processes
# (brokers, and ZooKeeper, whose server and launcher are among the broker's libraries) run from such a copy: a rebuild replaces target/ under them, and a JVM that loads
# a class from a jar rewritten beneath it fails with ClassFormatError or NoClassDefFoundError.
snapshot_classpath() {
  local module=$1 dest=$2
  local jar="$TRIBUTARY_ROOT/$module/target/$module.jar"
  [[ -f $jar ]] || die "$jar is missing: run bin/build first"
  rm -rf "$dest"
  mkdir -p "$dest"
  cp "$jar" "$dest/"
  cp -r "$TRIBUTARY_ROOT/$module/target/lib" "$dest/lib"
  printf '%s:%s' "$dest/$module.jar" "$dest/lib/*"
}

# Runs a cli main class in the foreground, replacing the shell (exit code and signals pass through).
run_cli() {
  local main=$1
  shift
  build_if_needed >&2
  # shellcheck disable=SC2086 # the JVM options are meant to split into words
  # Serial GC and C1 only: the tools are short-lived, so start-up time matters more than peak speed.
  exec java ${TRIBUTARY_CLI_JVM_OPTS:--Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1} \
    "-Dtributary.cli.log.level=${TRIBUTARY_CLI_LOG_LEVEL:-WARN}" -cp "$(module_classpath cli)" "io.tributary.cli.$main" "$@"
}

# --- the console ------------------------------------------------------------------------------

CONSOLE_MAIN=io.tributary.console.ConsoleMain
CONSOLE_DIR="$TRIBUTARY_RUN/console"
CONSOLE_MARKER="-Dtributary.process=console "

# Prints the URL of the console bin/cluster-start runs in the background, or nothing when it is not running.
console_url() {
  local pid
  pid=$(live_pid "$CONSOLE_DIR/console.pid" "$CONSOLE_MARKER" 2>/dev/null)
  [[ -n $pid && -s $CONSOLE_DIR/console.port ]] && printf 'http://localhost:%s' "$(<"$CONSOLE_DIR/console.port")"
  return 0
}

# Starts the console in the background for <bootstrap> on <port>, with its pid, port and log under
# $TRIBUTARY_RUN/console/. Never fails the caller: when the port is taken or the console does not come up, it says
# so and returns 1, and the cluster goes on without a console.
console_start_background() {
  local bootstrap=$1 port=$2 log="$CONSOLE_DIR/console.log" pid classpath deadline
  pid=$(live_pid "$CONSOLE_DIR/console.pid" "$CONSOLE_MARKER")
  if [[ -n $pid ]]; then
    info "The console is already running (pid $pid): $(console_url)"
    return 0
  fi
  if port_is_open localhost "$port"; then
    warn "Port $port is taken, so the console is not started (the cluster runs without it);"
    warn "start it on another port with: bin/console --bootstrap-server $bootstrap --port 8081"
    return 1
  fi
  mkdir -p "$CONSOLE_DIR"
  # From a copy, like the brokers: a rebuild must not replace the jars under a running JVM.
  classpath=$(snapshot_classpath console "$CONSOLE_DIR/dist")
  # shellcheck disable=SC2086 # the JVM options are meant to split into words
  (exec nohup java ${TRIBUTARY_CONSOLE_JVM_OPTS:--Xmx256m -XX:+UseSerialGC} "-Dtributary.process=console" \
    -cp "$classpath" "$CONSOLE_MAIN" --bootstrap-server "$bootstrap" --port "$port" </dev/null >"$log" 2>&1) &
  pid=$!
  printf '%s\n' "$pid" >"$CONSOLE_DIR/console.pid"
  printf '%s\n' "$port" >"$CONSOLE_DIR/console.port"
  deadline=$((SECONDS + ${TRIBUTARY_CONSOLE_START_TIMEOUT_S:-30}))
  until grep -q '^Console: http' "$log" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null || ((SECONDS >= deadline)); then
      # SIGTERM, then SIGKILL after 10 s; the pid file stays while the process does, so console_stop finds it.
      if terminate "$pid" "the console" 10; then
        rm -f "$CONSOLE_DIR/console.pid" "$CONSOLE_DIR/console.port"
      else
        warn "the console (pid $pid) is still running after SIGKILL; its pid file stays in $CONSOLE_DIR"
      fi
      show_log_tail "$log" 10
      warn "The console did not start (see above); the cluster runs without it"
      return 1
    fi
    sleep 0.2
  done
  return 0
}

# Stops the background console, if any. Returns 1 only when it survives SIGKILL.
console_stop() {
  local pid
  pid=$(live_pid "$CONSOLE_DIR/console.pid" "$CONSOLE_MARKER")
  [[ -n $pid ]] || return 0
  if terminate "$pid" "the console" 10; then
    rm -f "$CONSOLE_DIR/console.pid" "$CONSOLE_DIR/console.port"
    info "console stopped (pid $pid)"
  else
    warn "the console (pid $pid) is still running after SIGKILL"
    return 1
  fi
}
