#!/bin/bash
# boot-linking.sh: Spring Boot extracted on JDK 25 with the agent, no start_server: cold, from an AOT cache
# made with AOT class linking (the default) and from one made with -XX:-AOTClassLinking, 3 rounds
# interleaved; time from the launch to the first 200, and Spring's own "Started ... in".
#   bench/classcache/boot-linking.sh      (build first: mvn -q -B -pl agent,test-apps/spring-boot -am package)
J=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
REPO=$(cd "$(dirname "$0")/../.." && pwd -P)
AGENT=$REPO/agent/target/server-starter-agent.jar
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT; cd "$W"
$J -Djarmode=tools -jar $REPO/test-apps/spring-boot/target/test-app-spring-boot.jar extract --destination $W/x >/dev/null
JAR=$(ls $W/x/*.jar)
port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
P=$(port); $J -javaagent:$AGENT -XX:AOTMode=record -XX:AOTConfiguration=$W/app.conf -Xlog:aot=error -jar $JAR --port $P > rec.out 2>&1 & PID=$!
for i in $(seq 1 300); do curl -fs -o /dev/null http://127.0.0.1:$P/ && break; sleep 0.1; done; kill $PID; wait $PID
$J -javaagent:$AGENT -XX:AOTMode=create -XX:AOTConfiguration=$W/app.conf -XX:AOTCache=$W/linked.aot -Xlog:aot=warning:file=$W/linked.log:none -jar $JAR > c1.out 2>&1; echo "linked rc=$? unlinked-warnings=$(grep -c 'Unlinked class' $W/linked.log)"
$J -javaagent:$AGENT -XX:AOTMode=create -XX:-AOTClassLinking -XX:AOTConfiguration=$W/app.conf -XX:AOTCache=$W/unlinked.aot -Xlog:aot=error -jar $JAR > c2.out 2>&1; echo "unlinked rc=$?"
for round in 1 2 3; do for v in cold linked unlinked; do
  case $v in cold) X="";; *) X="-XX:AOTCache=$W/$v.aot";; esac
  P=$(port); T0=$(date +%s%N); $J -javaagent:$AGENT $X -jar $JAR --port $P > $v.$round.out 2>&1 & PID=$!
  for i in $(seq 1 600); do curl -fs -o /dev/null http://127.0.0.1:$P/ && break; sleep 0.02; done; T1=$(date +%s%N)
  alive=$(kill -0 $PID 2>/dev/null && echo up || echo DEAD); kill $PID; wait $PID 2>/dev/null
  echo "$round $v first-200=$(( (T1-T0)/1000000 ))ms $alive $(grep -o 'Started SpringBootApp in [0-9.]* seconds' $v.$round.out) load=$(cut -d' ' -f1 /proc/loadavg)"
done; done
