#!/usr/bin/env bash
# exit-cost.sh: what a JDK 25 recording generation costs at exit, and what recording options change.
#
#   bench/classcache/exit-cost.sh [ROUNDS]      (default 3; build first:
#       mvn -q -B -pl agent,demo-app -am package)
#
# The demo app with the agent, no start_server, once per variant and round, the variants
# interleaved: started in -XX:AOTMode=record, 5 requests, TERM. Prints the time from TERM to
# exit, the JVM's own time writing the configuration (from its -Xlog:aot=info log: from
# "Rewriting and linking classes", which comes after the shutdown hooks, to its last line), and the
# configuration's size. Variants: start_server's options; without the method profiles
# (-XX:-AOTRecordTraining); without AOT class linking (-XX:-AOTClassLinking).
#
# Environment: JAVA25 (default /usr/lib/jvm/temurin-25-jdk-amd64/bin/java), APP (a jar run as
# java -jar APP --host=127.0.0.1 --port=PORT; default the demo app). Leaves nothing behind.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd -P)
java=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
agent=$repo/agent/target/server-starter-agent.jar
app=${APP:-$repo/demo-app/target/demo-app.jar}
rounds=${1:-3}
work=$(mktemp -d)
pid=
cleanup() { [[ -n $pid ]] && kill -9 "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
uptime_of() { sed -n 's/^\[\([0-9.]*\)s\].*/\1/p' | head -1; }

echo "| round | recording options | TERM to exit | writing (JVM log) | configuration | load |"
echo "|---|---|---|---|---|---|"
for round in $(seq 1 "$rounds"); do
  for variant in record no-training no-class-linking; do
    case $variant in
      record) extra=() ;;
      no-training) extra=(-XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining) ;;
      no-class-linking) extra=(-XX:-AOTClassLinking) ;;
    esac
    port=$(free_port)
    "$java" -javaagent:"$agent" -XX:AOTMode=record -XX:AOTConfiguration="$work/$variant.conf" -Xlog:aot=error \
      -Xlog:aot=info:file="$work/$variant.log":uptime:filecount=0 "${extra[@]}" \
      -jar "$app" --host=127.0.0.1 --port="$port" > "$work/$variant.out" 2>&1 &
    pid=$!
    for _ in $(seq 1 300); do curl -fs -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
    for _ in 1 2 3 4 5; do curl -fs -o /dev/null "http://127.0.0.1:$port/"; done
    t0=$(date +%s%N); kill -TERM "$pid"; wait "$pid" || true; t1=$(date +%s%N); pid=
    began=$(grep "linking classes" "$work/$variant.log" | uptime_of)
    ended=$(tail -1 "$work/$variant.log" | uptime_of)
    printf '| %s | %s | %.1f s | %s | %s MB | %s |\n' "$round" "$variant" "$(( (t1 - t0) / 1000000 ))e-3" \
      "$(python3 -c "print('%.1f s' % ($ended - $began))" 2>/dev/null || echo -)" \
      "$(( $(stat -c %s "$work/$variant.conf" 2>/dev/null || echo 0) / 1000000 ))" "$(cut -d' ' -f1 /proc/loadavg)"
    rm -f "$work/$variant".*
  done
done
