#!/usr/bin/env bash
# container-check.sh: the shipped container/Dockerfile, built and run for real with podman.
#
# Builds the image from the distribution (launcher/target/dist) with the demo app as app.jar,
# runs it, and checks what docs/containers.md promises: start_server is PID 1 and runs as the
# image's user, the one-time CDS step ran in the image, a hot restart works from outside
# (podman kill --signal=HUP) and from inside (exec: kill -HUP 1 through sh, start_server
# --restart), --status says who serves, and podman stop (TERM to PID 1) ends with exit 0 well
# within --force-kill-after. ContainerIT (in CI) runs the same ENTRYPOINT under unshare; this
# is the long proof with the real image and a real runtime.
#
#   mvn -q -B -pl launcher,demo-app -am -DskipTests package && scripts/container-check.sh
#
# Environment (defaults in brackets):
#   CHECK_PORT [18080]      loopback port published to the container's 8080
#   PODMAN_FLAGS []         global podman flags, e.g. --runtime=runc
#   PODMAN_LIMITS []        podman build/run flags, e.g. "--ulimit=nofile=1024:1024
#                           --ulimit=nproc=1024:1024" where the runtime may not raise limits
#   STAND_IN_BASE []        a directory holding a Debian root file system (debootstrap
#                           --variant=minbase --include=passwd): with it, the image's FROM is a
#                           local stand-in for eclipse-temurin:17-jre made of that root and this
#                           machine's JDK 17 at /opt/java/openjdk (the Temurin image's layout),
#                           for machines that cannot pull from Docker Hub. Without it, podman
#                           pulls eclipse-temurin:17-jre.
#
# Exit status: 0 all checks passed; 1 a check failed; 2 could not build or start.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd -P)
# shellcheck source=lib/copy-jdk.sh
. "$repo/scripts/lib/copy-jdk.sh"
dist="$repo/launcher/target/dist"
app="$repo/demo-app/target/demo-app.jar"
port=${CHECK_PORT:-18080}
# shellcheck disable=SC2206
podman=(podman ${PODMAN_FLAGS:-})
# shellcheck disable=SC2206
limits=(${PODMAN_LIMITS:-})
image=localhost/start-server-container-check
name=start-server-container-check-$$
ss=/opt/start_server/bin/start_server
files=(--pid-file=/run/start_server/pid --status-file=/run/start_server/status)

fail() { echo "FAIL: $*" >&2; "${podman[@]}" logs "$name" 2>&1 | tail -20 >&2 || true; exit 1; }
ok() { echo "ok: $*"; }

for f in "$dist/bin/start_server" "$dist/container/Dockerfile" "$app"; do
  [ -e "$f" ] || { echo "missing $f: mvn -q -B -pl launcher,demo-app -am -DskipTests package" >&2; exit 2; }
done

work=$(mktemp -d)
cleanup() {
  "${podman[@]}" rm -f -t 0 "$name" >/dev/null 2>&1 || true
  # The images it built (~0.5 GB each) go too; the base it pulls, if any, stays as any pull does.
  "${podman[@]}" rmi -f "$image" localhost/eclipse-temurin-stand-in:17 >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap "exit 130" INT
trap "exit 143" TERM

# The build context the Dockerfile's header describes: the unpacked distribution plus app.jar.
cp -a "$dist/bin" "$dist/lib" "$dist/container" "$work/"
rm -f "$work"/lib/*.jsa "$work"/lib/*.jsa.for
cp "$app" "$work/app.jar"

build=()
if [ -n "${STAND_IN_BASE:-}" ]; then
  base="$work/base"
  mkdir -p "$base"
  tar -C "$STAND_IN_BASE" -cf "$base/root.tar" .
  mkdir -p "$base/opt/java"
  java17=$(copy_jdk "$base/opt/java/openjdk")
  tar -C "$base" -rf "$base/root.tar" ./opt/java
  "${podman[@]}" import -q --change "ENV JAVA_HOME=/opt/java/openjdk" \
    --change "ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    "$base/root.tar" localhost/eclipse-temurin-stand-in:17 >/dev/null
  rm -rf "$base"
  from=$(sed -n 's/^FROM //p' "$work/container/Dockerfile")
  # The same Dockerfile, its FROM alone pointed at the stand-in.
  sed -i "s#^FROM .*#FROM localhost/eclipse-temurin-stand-in:17#" "$work/container/Dockerfile"
  echo "base: a stand-in for $from (Debian root from $STAND_IN_BASE, $java17)"
  build+=(--pull=never)
fi

echo "== podman build"
"${podman[@]}" build -q "${build[@]}" "${limits[@]}" -f "$work/container/Dockerfile" -t "$image" "$work" \
  >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 2; }
"${podman[@]}" run --rm "${limits[@]}" --entrypoint /bin/sh "$image" -c 'test -s /opt/start_server/lib/start_server.jsa' \
  || fail "the image has no CDS archive"
ok "image built; the CDS step made lib/start_server.jsa"

echo "== podman run"
# The Dockerfile's CMD with one argument more: the demo app binds loopback unless told otherwise,
# and in a container the app must listen where --port=8080 does, on every address.
"${podman[@]}" run -d "${limits[@]}" --name "$name" -p "127.0.0.1:$port:8080" "$image" \
  java -jar /app/app.jar --host=0.0.0.0 >/dev/null || exit 2

get() { curl -s --max-time 5 "http://127.0.0.1:$port/"; }
await_generation() {
  local deadline=$((SECONDS + 60))
  while [ $SECONDS -lt $deadline ]; do
    if get 2>/dev/null | grep -q "\"generation\":\"$1\""; then return 0; fi
    sleep 0.1
  done
  fail "generation $1 did not answer within 60 s"
}
inside() { "${podman[@]}" exec "$name" "$@"; }

await_generation 1
[ "$(inside cat /proc/1/comm)" = java ] || fail "PID 1 is $(inside cat /proc/1/comm), not start_server's JVM"
uid=$(inside sh -c 'stat -c %U /proc/1')
[ "$uid" = app ] || fail "start_server runs as $uid, not app"
ok "generation 1 serves; PID 1 is start_server, user app"

"${podman[@]}" kill --signal=HUP "$name" >/dev/null
await_generation 2
ok "podman kill --signal=HUP: generation 2 serves"

inside sh -c 'kill -HUP 1'
await_generation 3
ok "exec sh -c 'kill -HUP 1': generation 3 serves"

inside "$ss" --restart "${files[@]}" >"$work/restart.out" 2>&1 || fail "--restart: $(cat "$work/restart.out")"
get | grep -q '"generation":"4"' || fail "--restart returned before generation 4 served"
ok "exec start_server --restart: exit 0, generation 4 serves"

status=$(inside "$ss" --status --pid-file=/run/start_server/pid) || fail "--status exited non-zero: $status"
case "$status" in
  "start_server (pid 1) serving: generation 4 (pid "*) ok "exec start_server --status: ${status%%$'\n'*}" ;;
  *) fail "--status said: $status" ;;
esac

echo "== podman stop"
start=$(date +%s%N)
"${podman[@]}" stop -t 40 "$name" >/dev/null
took=$((($(date +%s%N) - start) / 1000000))
code=$("${podman[@]}" inspect -f '{{.State.ExitCode}}' "$name")
[ "$code" = 0 ] || fail "exit status $code after podman stop"
[ "$took" -lt 25000 ] || fail "podman stop took $took ms, against --force-kill-after=25"
ok "podman stop: exit 0 after $took ms"
"${podman[@]}" logs "$name" 2>&1 | tail -3
echo "all checks passed"
