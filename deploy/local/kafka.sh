#!/usr/bin/env bash
# A single-node Apache Kafka broker (KRaft, combined broker+controller) on loopback, no Docker.
#   deploy/local/kafka.sh fetch|start|stop|status|classpath
# Settings (environment): KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093),
#   KAFKA_HOME_DIR (.local/kafka: data, log, pid), KAFKA_HEAP (-Xms256m -Xmx1g),
#   KAFKA_START_TIMEOUT (seconds, 120).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/deploy/local/kafka"
port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-9093}"
home="${KAFKA_HOME_DIR:-$root/.local/kafka}"
heap="${KAFKA_HEAP:--Xms256m -Xmx1g}"
timeout_s="${KAFKA_START_TIMEOUT:-120}"
classpath_file="$home/classpath.txt"
pid_file="$home/broker.pid"
log_file="$home/broker.log"

say() { printf '[kafka] %s\n' "$*" >&2; }

fetch() {
  mkdir -p "$home"
  if [ -s "$classpath_file" ] && [ "$classpath_file" -nt "$here/pom.xml" ] && all_jars_present; then
    return 0
  fi
  say "resolving Kafka broker jars from Maven Central (cached in ~/.m2; first run downloads about 60 MB)"
  mvn -B -Dstyle.color=never -f "$here/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=runtime \
    | grep -E 'Downloaded from|\[ERROR\]' >&2 || true
  [ -s "$classpath_file" ] && all_jars_present || { say "could not resolve the broker jars (is Maven Central reachable?)"; exit 1; }
}

all_jars_present() {
  local jar
  while IFS= read -r -d ':' jar; do [ -f "$jar" ] || return 1; done < <(cat "$classpath_file"; printf ':')
}

# shellcheck source=deploy/local/kafka-lib.sh
. "$root/deploy/local/kafka-lib.sh"

running_pid() { broker_pid "$pid_file"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

java_tool() { kafka_tool "$(cat "$classpath_file")" "$@"; }

write_config() {
  mkdir -p "$home/data"
  cat > "$home/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
log.dirs=$home/data
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
num.partitions=3
num.io.threads=4
PROPS
  common_properties >> "$home/server.properties"
}

start() {
  if pid="$(running_pid)"; then say "already running (pid $pid) on 127.0.0.1:$port"; return 0; fi
  if port_open "$port"; then say "127.0.0.1:$port is taken by another process; set KAFKA_PORT or KAFKA_BROKERS"; exit 1; fi
  fetch
  write_config
  [ -s "$home/cluster-id" ] || java_tool kafka.tools.StorageTool random-uuid > "$home/cluster-id"
  java_tool kafka.tools.StorageTool format -t "$(cat "$home/cluster-id")" -c "$home/server.properties" --ignore-formatted >/dev/null
  say "starting broker on 127.0.0.1:$port (log: $log_file)"
  local started; started="$(date +%s%N)"
  launch_broker "$home" "$home/server.properties" "$log_file" "$pid_file" "$(cat "$classpath_file")"
  local deadline=$(( $(date +%s) + timeout_s ))
  until grep -q 'Kafka Server started' "$log_file" 2>/dev/null; do
    # the process itself, not running_pid: until the shell has exec'd java its cmdline is the shell's
    if ! kill -0 "$(cat "$pid_file")" 2>/dev/null; then say "broker exited during start-up; last lines of $log_file:"; tail -20 "$log_file" >&2; exit 1; fi
    [ "$(date +%s)" -lt "$deadline" ] || { say "broker not ready after ${timeout_s}s"; stop; exit 1; }
    sleep 0.2
  done
  # a real client round trip, not only the log line
  until java_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$port" --list >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || { say "broker does not answer clients after ${timeout_s}s"; stop; exit 1; }
    sleep 0.5
  done
  say "ready in $(( ($(date +%s%N) - started) / 1000000 )) ms"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then rm -f "$pid_file"; say "not running"; return 0; fi
  say "stopping broker (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then say "broker did not stop in 60 s; killing it"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$pid_file"
}

status() {
  if pid="$(running_pid)"; then echo "running pid=$pid port=$port"; else echo "stopped"; return 3; fi
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  classpath) fetch; cat "$classpath_file" ;;
  *) echo "usage: $0 fetch|start|stop|status|classpath" >&2; exit 2 ;;
esac
