#!/bin/bash
# boot-counts.sh: what start_server and its agent add to a Spring Boot (extracted) boot from the AOT
# cache on JDK 25, counted rather than timed (valid on a loaded machine): start_server records and
# makes the cache, a later generation boots from it; then the same command line (read from that
# generation's /proc/PID/cmdline) runs bare, without SERVER_STARTER_PORT, so that the agent stays
# idle. For each run: classes loaded from the cache and from elsewhere, by source, and which JDK
# classes of the cache were loaded from their class files instead.
#   bench/classcache/boot-counts.sh     (build first: mvn -q -B -pl launcher,agent,test-apps/spring-boot -am package)
# Environment: JAVA25, KEEP=yes keeps the work directory (its path is printed), AGENT_JAR=path runs
# start_server with that agent jar (--java-agent) instead of its own, e.g. an older build to compare.
J=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
REPO=$(cd "$(dirname "$0")/../.." && pwd -P)
START_SERVER=$REPO/launcher/target/dist/bin/start_server
W=$(mktemp -d)
SS=
cleanup() {
    [ -n "$SS" ] && kill -TERM "$SS" 2>/dev/null && wait "$SS" 2>/dev/null
    [ "$KEEP" = yes ] && echo "work directory: $W" || rm -rf "$W"
}
trap cleanup EXIT
cd "$W" || exit 1
$J -Djarmode=tools -jar "$REPO/test-apps/spring-boot/target/test-app-spring-boot.jar" extract --destination "$W/x" >/dev/null
JAR=$(ls "$W"/x/*.jar)
port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
P=$(port)
served_by() { # the pid of the generation whose READY=1 start_server recorded, once it serves alone
    for _ in $(seq 1 1200); do
        local n
        n=$(grep -c '^generation ' "$W/pid.state" 2>/dev/null)
        if [ "$n" = 1 ] && grep -q '^generation [0-9]* [0-9]* SERVING' "$W/pid.state"; then
            awk '$1 == "generation" {print $3}' "$W/pid.state"; return 0
        fi
        sleep 0.1
    done
    return 1
}
mkdir -p "$W/logs"
# -Xlog:class+load is part of the command (and so of the cache's key) from the first generation on.
$START_SERVER --port=127.0.0.1:$P ${AGENT_JAR:+--java-agent=$AGENT_JAR} --class-cache=auto --cache-dir="$W/cache" --pid-file="$W/pid" \
    --status-file="$W/status" --log-file="$W/start_server.log" -- \
    "$J" "-Xlog:class+load=info:file=$W/logs/class-load-%p.log" "-Xlog:aot=info,cds=info:file=$W/logs/aot-%p.log" \
    -jar "$JAR" --port=$P &
SS=$!
served_by >/dev/null || { echo "generation 1 never served"; exit 1; }
$START_SERVER --restart --pid-file="$W/pid" --status-file="$W/status" >/dev/null
for _ in $(seq 1 6000); do grep -q 'class cache: made ' "$W/start_server.log" && break; sleep 0.1; done
grep -q 'class cache: made ' "$W/start_server.log" || { echo "no cache made"; tail "$W/start_server.log"; exit 1; }
$START_SERVER --restart --pid-file="$W/pid" --status-file="$W/status" >/dev/null
G=$(served_by)
cp "$W/logs/class-load-$G.log" "$W/ready.log" # serving alone: READY=1 came, its transformer is gone
curl -fs -o /dev/null "http://127.0.0.1:$P/" # one request, as the bare run gets below
cp "$W/logs/class-load-$G.log" "$W/serving.log" # what it loaded before the stop (the drain's at the stop)
tr '\0' '\n' < /proc/$G/cmdline > "$W/cmdline"
kill -TERM $SS; wait $SS; SS=

mapfile -t ARGV < "$W/cmdline"
P2=$(port)
# The same command, bare: the agent is on it but idle (no SERVER_STARTER_PORT); the app binds its own port.
ARGV=("${ARGV[@]/--port=$P/--port=$P2}")
env -u SERVER_STARTER_PORT "${ARGV[@]}" > "$W/bare.out" 2>&1 &
B=$!
for _ in $(seq 1 1200); do curl -fs -o /dev/null "http://127.0.0.1:$P2/" && break; sleep 0.1; done
kill -TERM $B; wait $B 2>/dev/null

summary() { # class-load log
    local f=$1
    printf '%6d loaded, %6d from the cache, %5d from jrt:/ (JDK class files), %5d from jars (%d of them the agent'"'"'s), %5d redefined, %5d defined at run time (lambdas, proxies, generated)\n' \
        "$(grep -c ' source: ' "$f")" "$(grep -c 'source: shared objects file' "$f")" \
        "$(grep -c 'source: jrt:/' "$f")" "$(grep -c 'source: \(file:\|jar:\|nested:\)' "$f")" \
        "$(grep -c 'source: .*server-starter-agent.jar' "$f")" "$(grep -c 'source: __VM_RedefineClasses__' "$f")" \
        "$(grep ' source: ' "$f" | grep -vc 'shared objects file\|source: jrt:/\|source: file:\|source: jar:\|source: nested:\|__VM_RedefineClasses__')"
}
echo "start_server's generation $G from the cache:"
summary "$W/logs/class-load-$G.log"
echo "the same command bare (pid $B, agent idle):"
summary "$W/logs/class-load-$B.log"
AJ='source: .*server-starter-agent.jar'
echo "the agent's classes in generation $G: $(grep -c "$AJ" "$W/serving.log") before the stop" \
    "($(grep "$AJ" "$W/serving.log" | grep -c 'agent\.drain\.') of its drain package, $(grep "$AJ" "$W/serving.log" \
    | grep -c 'jar\.asm\.') of them ASM's), $(grep -c "$AJ" "$W/logs/class-load-$G.log") with the drain's at the stop"
# The transformer is registered from premain (just after its HookTransformer class loads) to READY,
# which follows the bind (sun.nio.ch.ServerSocketChannelImpl loads right before it) and the acceptor's start.
awk_window() { awk -v aj="server-starter-agent.jar" '/ source: / && index($0, aj) == 0 {
        if (on) { n++; if (!bound) before++ }
        if ($0 ~ /sun\.nio\.ch\.ServerSocketChannelImpl source/) bound = 1 }
    /agent\.instrument\.HookTransformer source/ { on = 1 }
    END { printf "%d, %d of them before the bind\n", n, before }'; }
printf "classes loaded after the agent's transformer came (its own excluded), to the generation serving alone: %s\n" \
    "$(awk_window < "$W/ready.log")"
printf "the same, to the request answered: %s\n" "$(awk_window < "$W/serving.log")"
echo "JDK classes from jrt:/ under start_server, not in the bare run's jrt:/ list:"
grep 'source: jrt:/' "$W/logs/class-load-$G.log" | awk '{print $(NF-2)}' | sort > "$W/g.jrt"
grep 'source: jrt:/' "$W/logs/class-load-$B.log" | awk '{print $(NF-2)}' | sort > "$W/b.jrt"
comm -23 "$W/g.jrt" "$W/b.jrt" | head -50
G1=$(grep -m1 -o 'starting new worker [0-9]*' "$W/start_server.log" | awk '{print $4}')
echo "what the recording generation 1 (pid $G1) left out of the cache, by the JVM's reason:"
grep -h 'Skipping' "$W/logs/aot-$G1.log" | grep -v 'because it is dynamically generated' \
    | sed -E 's/^.*Skipping ([^:]+): (.*)$/\1\t\2/' \
    | awk -F'\t' '{n[$2]++; if ($1 ~ /^io\/github\/hotdeploy\/agent\//) a[$2]++}
        END {for (r in n) printf "%6d %s (%d of them the agent'"'"'s classes)\n", n[r], r, a[r]}' | sort -rn
echo "JDK classes left out because the agent hooks them:"
grep -h 'From ClassFileLoadHook' "$W/logs/aot-$G1.log" | sed -E 's/^.*Skipping ([^:]+):.*/  \1/'
for pid in "$G" "$B"; do # a cache refused or partly disabled would say so here
    echo "the JVM's warnings about the cache (pid $pid): $(grep -c '\[warning\]\|\[error' "$W/logs/aot-$pid.log")"
    grep '\[warning\]\|\[error' "$W/logs/aot-$pid.log" | head -5
done
