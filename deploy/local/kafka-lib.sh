# Sourced by kafka.sh and kafka-cluster.sh: the parts of running a local broker they share.
# Expects $here (deploy/local/kafka) and $heap to be set by the caller.

# The pid in a pid file, if that process is a live Kafka broker.
broker_pid() {
  local pid_file="$1" pid
  [ -f "$pid_file" ] || return 1
  pid="$(cat "$pid_file")"
  kill -0 "$pid" 2>/dev/null && grep -q 'kafka.Kafka' "/proc/$pid/cmdline" 2>/dev/null && { echo "$pid"; return 0; }
  return 1
}

# A Kafka command-line tool (StorageTool, TopicCommand) on the broker's classpath.
kafka_tool() {
  local classpath="$1"; shift
  java -Xmx256m -Dlog4j2.configurationFile="$here/tools-log4j2.properties" -cp "$classpath" "$@"
}

# Starts a broker in the background, detached from this shell: launch_broker DIR CONFIG LOG PID_FILE CLASSPATH
launch_broker() {
  local dir="$1" config="$2" log="$3" pid_file="$4" classpath="$5"
  # shellcheck disable=SC2086
  setsid nohup java $heap -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExplicitGCInvokesConcurrent \
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$here/log4j2.properties" -Dkafka.logs.dir="$dir" \
    -cp "$classpath" kafka.Kafka "$config" >"$log" 2>&1 < /dev/null &
  echo $! > "$pid_file"
}

# The server.properties lines every local broker has, whatever its role in a cluster.
common_properties() {
  cat <<PROPS
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
num.network.threads=2
PROPS
}
