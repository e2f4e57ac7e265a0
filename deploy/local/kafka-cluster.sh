#!/usr/bin/env bash
# A three-node Apache Kafka cluster (KRaft, each node broker+controller) on loopback, no Docker:
# replication factor 3 and min.insync.replicas 2 by default, so losing one node loses nothing.
#   deploy/local/kafka-cluster.sh start|stop|status|brokers|kill N|start-node N
# Settings (environment): KAFKA_CLUSTER_PORT (19092: nodes listen on it, +1, +2; controllers
#   on +100…+102), KAFKA_CLUSTER_DIR (.local/kafka-cluster), KAFKA_HEAP (-Xms256m -Xmx768m),
#   KAFKA_START_TIMEOUT (seconds, 120).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/deploy/local/kafka"
base_port="${KAFKA_CLUSTER_PORT:-19092}"
home="${KAFKA_CLUSTER_DIR:-$root/.local/kafka-cluster}"
heap="${KAFKA_HEAP:--Xms256m -Xmx768m}"
timeout_s="${KAFKA_START_TIMEOUT:-120}"
nodes=(1 2 3)

say() { printf '[kafka-cluster] %s\n' "$*" >&2; }
client_port() { echo $((base_port + $1 - 1)); }
controller_port() { echo $((base_port + 99 + $1)); }
node_home() { echo "$home/node$1"; }
brokers() { local list=() n; for n in "${nodes[@]}"; do list+=("127.0.0.1:$(client_port "$n")"); done; (IFS=,; echo "${list[*]}"); }
classpath() { bash "$root/deploy/local/kafka.sh" classpath; }

# shellcheck source=deploy/local/kafka-lib.sh
. "$root/deploy/local/kafka-lib.sh"

java_tool() { kafka_tool "$(classpath)" "$@"; }
running_pid() { broker_pid "$(node_home "$1")/broker.pid"; }

write_config() {
  local n="$1" dir voters=() v
  dir="$(node_home "$n")"
  for v in "${nodes[@]}"; do voters+=("$v@127.0.0.1:$(controller_port "$v")"); done
  mkdir -p "$dir/data"
  cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=$n
controller.quorum.voters=$(IFS=,; echo "${voters[*]}")
listeners=PLAINTEXT://127.0.0.1:$(client_port "$n"),CONTROLLER://127.0.0.1:$(controller_port "$n")
advertised.listeners=PLAINTEXT://127.0.0.1:$(client_port "$n")
log.dirs=$dir/data
default.replication.factor=3
min.insync.replicas=2
offsets.topic.replication.factor=3
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
share.coordinator.state.topic.replication.factor=3
share.coordinator.state.topic.min.isr=2
unclean.leader.election.enable=false
num.partitions=6
num.io.threads=2
PROPS
  common_properties >> "$dir/server.properties"
}

launch() {
  local n="$1" dir
  dir="$(node_home "$n")"
  if pid="$(running_pid "$n")"; then say "node $n already running (pid $pid)"; return 0; fi
  launch_broker "$dir" "$dir/server.properties" "$dir/broker.log" "$dir/broker.pid" "$(classpath)"
}

wait_started() {
  local n="$1" dir deadline
  dir="$(node_home "$n")"
  deadline=$(( $(date +%s) + timeout_s ))
  until grep -q 'Kafka Server started' "$dir/broker.log" 2>/dev/null; do
    if ! kill -0 "$(cat "$dir/broker.pid")" 2>/dev/null; then say "node $n exited; last lines:"; tail -20 "$dir/broker.log" >&2; exit 1; fi
    [ "$(date +%s)" -lt "$deadline" ] || { say "node $n not ready after ${timeout_s}s"; exit 1; }
    sleep 0.2
  done
}

start() {
  local started n id
  started="$(date +%s%N)"
  bash "$root/deploy/local/kafka.sh" fetch
  mkdir -p "$home"
  [ -s "$home/cluster-id" ] || java_tool kafka.tools.StorageTool random-uuid > "$home/cluster-id"
  id="$(cat "$home/cluster-id")"
  for n in "${nodes[@]}"; do
    write_config "$n"
    java_tool kafka.tools.StorageTool format -t "$id" -c "$(node_home "$n")/server.properties" --ignore-formatted >/dev/null
  done
  say "starting three nodes on $(brokers) (logs under $home)"
  # all at once: the controllers need a quorum of two before any node finishes starting
  for n in "${nodes[@]}"; do launch "$n"; done
  for n in "${nodes[@]}"; do wait_started "$n"; done
  until java_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$(brokers)" --list >/dev/null 2>&1; do
    sleep 0.5
  done
  say "ready in $(( ($(date +%s%N) - started) / 1000000 )) ms"
}

start_node() {
  local n="$1"
  launch "$n"
  wait_started "$n"
  say "node $n started"
}

kill_node() {
  local n="$1" pid
  if pid="$(running_pid "$n")"; then kill -KILL "$pid"; say "node $n killed (SIGKILL, pid $pid)"; else say "node $n not running"; fi
}

stop() {
  local n pid
  for n in "${nodes[@]}"; do
    if pid="$(running_pid "$n")"; then kill -TERM "$pid" 2>/dev/null || true; fi
  done
  for n in "${nodes[@]}"; do
    if pid="$(running_pid "$n")"; then
      for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$(node_home "$n")/broker.pid"
  done
  say "stopped"
}

status() {
  local n up=0
  for n in "${nodes[@]}"; do
    if pid="$(running_pid "$n")"; then echo "node $n running pid=$pid port=$(client_port "$n")"; up=$((up + 1)); else echo "node $n stopped"; fi
  done
  [ "$up" -gt 0 ] || return 3
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  brokers) brokers ;;
  kill) kill_node "${2:?node 1, 2 or 3}" ;;
  start-node) start_node "${2:?node 1, 2 or 3}" ;;
  *) echo "usage: $0 start|stop|status|brokers|kill N|start-node N" >&2; exit 2 ;;
esac
