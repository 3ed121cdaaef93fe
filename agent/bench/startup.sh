#!/bin/bash
# Start-up cost of the agent, side by side with a plain JVM, on JDK 17 and 25.
# usage: agent/bench/startup.sh [RUNS] (build first: mvn -q -B -pl agent,demo-app -am package)
# Also times the demo app (exec to first HTTP response) when demo-app/target/demo-app.jar is
# built; APP_JAR=other.jar times another app that takes --host= and --port=, APP_JAR= skips it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
runs=${1:-21}
agent="$here/../target/server-starter-agent.jar"
[ -f "$agent" ] || { echo "build the agent first: mvn -q -B -pl agent -am package" >&2; exit 1; }
classes=$(mktemp -d)
trap 'rm -rf "$classes"' EXIT
javac --release 8 -d "$classes" "$here/StartupProbe.java" 2>/dev/null
demo="$here/../../demo-app/target/demo-app.jar"
[ -f "$demo" ] || demo=""
export APP_JAR=${APP_JAR-$demo}
java17=${JAVA17:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}
java25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
perl "$here/startup-bench.pl" "$runs" "${PORT:-18979}" "$classes" "$agent" "$java17" "$java25"
