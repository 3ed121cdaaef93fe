#!/usr/bin/env bash
# systemd-check.sh: the shipped unit files, run under systemd itself.
#
# Boots Debian's systemd as PID 1 of a podman container holding the distribution in
# /opt/start_server, the demo app as /opt/app/app.jar and the shipped app.socket and
# app.service as they are (user app, Type=notify, ExecReload through start_server --restart;
# only the program's arguments get the demo app's --host=0.0.0.0),
# then checks what docs/systemd.md promises: the socket unit listens and the service starts on the
# passed socket with a status line a person can read; `systemctl reload` brings the next
# generation; `systemctl restart` under a request loop fails no request (the socket lives in
# systemd); a reload whose new generation cannot start fails with the reason in the journal while
# the old generation serves on; `systemctl stop` ends with Result=success. SystemdUnitsIT and
# SystemdNotifyIT (in CI) check the units and the notify protocol without a systemd; this is the
# long proof with the real one.
#
#   mvn -q -B -pl launcher,demo-app -am -DskipTests package && scripts/systemd-check.sh
#
# Environment (defaults in brackets):
#   SYSTEMD_ROOT [/var/cache/server-starter-check/bookworm-systemd]
#                      a Debian root file system with systemd; made with debootstrap (from
#                      deb.debian.org, ~2 min) when the directory does not exist
#   PODMAN_FLAGS []    global podman flags, e.g. --runtime=runc
#   PODMAN_LIMITS []   podman build/run flags, e.g. "--ulimit=nofile=1024:1024
#                      --ulimit=nproc=1024:1024" where the runtime may not raise limits
#
# The image gets this machine's JDK 17 (the one `java` runs) as /usr/bin/java.
# Exit status: 0 all checks passed; 1 a check failed; 2 could not build or start.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd -P)
# shellcheck source=lib/copy-jdk.sh
. "$repo/scripts/lib/copy-jdk.sh"
dist="$repo/launcher/target/dist"
app="$repo/demo-app/target/demo-app.jar"
root=${SYSTEMD_ROOT:-/var/cache/server-starter-check/bookworm-systemd}
# shellcheck disable=SC2206
podman=(podman ${PODMAN_FLAGS:-})
# shellcheck disable=SC2206
limits=(${PODMAN_LIMITS:-})
image=localhost/start-server-systemd-check
name=start-server-systemd-check-$$

fail() {
  echo "FAIL: $*" >&2
  "${podman[@]}" exec "$name" journalctl --no-pager -u app.service -n 25 >&2 2>/dev/null || true
  exit 1
}
ok() { echo "ok: $*"; }

for tool in podman debootstrap curl; do
  command -v "$tool" >/dev/null || { echo "systemd-check: $tool is not installed" >&2; exit 2; }
done
for f in "$dist/bin/start_server" "$dist/systemd/app.service" "$dist/systemd/app.socket" "$app"; do
  [ -e "$f" ] || { echo "missing $f: mvn -q -B -pl launcher,demo-app -am -DskipTests package" >&2; exit 2; }
done

if [ ! -x "$root/lib/systemd/systemd" ]; then
  echo "== debootstrap: a Debian 12 root with systemd in $root"
  rm -rf "$root.tmp"
  mkdir -p "$(dirname "$root")"
  debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,curl,passwd,procps \
    bookworm "$root.tmp" http://deb.debian.org/debian >"$root.log" 2>&1 \
    || { tail -20 "$root.log" >&2; echo "systemd-check: debootstrap failed (log: $root.log)" >&2; exit 2; }
  mv "$root.tmp" "$root"
fi

work=$(mktemp -d)
cleanup() {
  "${podman[@]}" rm -f -t 0 "$name" >/dev/null 2>&1 || true
  "${podman[@]}" rmi -f "$image" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap "exit 130" INT
trap "exit 143" TERM

echo "== image: $root, the distribution, the demo app, the shipped units"
layer="$work/layer"
mkdir -p "$layer/opt/start_server" "$layer/opt/app" "$layer/etc/systemd/system" "$layer/usr/lib/jvm"
cp -a "$dist/bin" "$dist/lib" "$layer/opt/start_server/"
rm -f "$layer"/opt/start_server/lib/*.jsa "$layer"/opt/start_server/lib/*.jsa.for
cp "$app" "$layer/opt/app/app.jar"
cp "$dist/systemd/app.service" "$dist/systemd/app.socket" "$layer/etc/systemd/system/"
# The one line a user edits: the program. The demo app binds loopback unless told otherwise, and
# the unit's --port=8080 (the socket unit's ListenStream) is every address.
sed -i 's#-jar /opt/app/app.jar$#-jar /opt/app/app.jar --host=0.0.0.0#' "$layer/etc/systemd/system/app.service"
grep -q 'app.jar --host=0.0.0.0$' "$layer/etc/systemd/system/app.service" || { echo "app.service: no ExecStart program to point at the demo app" >&2; exit 2; }
copy_jdk "$layer/usr/lib/jvm/java-17" >/dev/null
tar -C "$root" -cf "$work/root.tar" .
"${podman[@]}" import -q "$work/root.tar" "$image-base" >/dev/null
rm -f "$work/root.tar"
cat >"$work/Containerfile" <<EOF
FROM $image-base
COPY layer/ /
RUN ln -sf /usr/lib/jvm/java-17/bin/java /usr/bin/java \\
 && useradd --system --user-group --home-dir /nonexistent --shell /usr/sbin/nologin app \\
 && systemctl enable app.socket \\
 && systemctl mask getty@tty1.service systemd-logind.service console-getty.service
CMD ["/lib/systemd/systemd"]
EOF
"${podman[@]}" build -q --pull=never --layers=false --force-rm "${limits[@]}" -f "$work/Containerfile" -t "$image" "$work" >"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; exit 2; }
"${podman[@]}" rmi -f "$image-base" >/dev/null 2>&1 || true

echo "== systemd as PID 1"
"${podman[@]}" run -d --systemd=always "${limits[@]}" --name "$name" "$image" >/dev/null || exit 2
inside() { "${podman[@]}" exec "$name" "$@"; }
await() { # await SECONDS DESCRIPTION COMMAND...
  local deadline=$((SECONDS + $1)) what=$2
  shift 2
  while [ $SECONDS -lt $deadline ]; do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  fail "$what: not within the time"
}
status_text() { inside systemctl show -p StatusText --value app.service; }
generation_serves() { inside curl -s --max-time 5 http://127.0.0.1:8080/ | grep -q "\"generation\":\"$1\""; }

system_up() { case $(inside systemctl is-system-running) in running|degraded) return 0 ;; *) return 1 ;; esac; }
service_active() { [ "$(inside systemctl is-active app.service)" = active ]; }
await 60 "systemd up" system_up
[ "$(inside systemctl is-active app.socket)" = active ] || fail "app.socket is not active"
ok "systemd $(inside systemctl --version | sed -n '1s/systemd \([0-9]*\).*/\1/p') is PID 1; app.socket listens"

inside curl -s --max-time 30 -o /dev/null http://127.0.0.1:8080/ || fail "the first request (socket activation) failed"
await 60 "app.service active" service_active
generation_serves 1 || fail "generation 1 does not answer"
text=$(status_text)
case "$text" in "generation 1 (pid "*") serving") ;; *) fail "status text: $text" ;; esac
ok "the first connection started app.service (Type=notify): \"$text\""

start=$(date +%s%N)
inside systemctl reload app.service || fail "systemctl reload exited non-zero"
took=$((($(date +%s%N) - start) / 1000000))
generation_serves 2 || fail "generation 2 does not answer after the reload"
ok "systemctl reload: exit 0 after $took ms; \"$(status_text)\""

# A request loop inside the container across a restart of start_server itself: the socket stays
# in systemd, so connections wait in its queue instead of being refused.
inside sh -c 'rm -f /tmp/loop.*; (n=0; f=0; while [ ! -e /tmp/loop.stop ]; do
    if curl -s --max-time 30 -o /dev/null -w "%{http_code}" http://127.0.0.1:8080/ | grep -q 200; then n=$((n+1)); else f=$((f+1)); fi
  done; echo "$n $f" >/tmp/loop.out) >/dev/null 2>&1 &'
sleep 1
start=$(date +%s%N)
inside systemctl restart app.service || fail "systemctl restart exited non-zero"
took=$((($(date +%s%N) - start) / 1000000))
await 60 "a generation serving after the restart" generation_serves 1
sleep 1
inside touch /tmp/loop.stop
await 60 "the request loop's count" inside test -s /tmp/loop.out
read -r served failed < <(inside cat /tmp/loop.out)
[ "$failed" = 0 ] || fail "systemctl restart: $failed of $((served + failed)) requests failed"
ok "systemctl restart under a request loop: $took ms, $served requests, 0 failed"

inside mv /opt/app/app.jar /opt/app/app.jar.away
start=$(date +%s%N)
if inside systemctl reload app.service; then fail "a reload whose generation cannot start exited 0"; fi
took=$((($(date +%s%N) - start) / 1000000))
inside mv /opt/app/app.jar.away /opt/app/app.jar
reason=$(inside journalctl --no-pager -u app.service -g 'restart failed' -o cat | tail -1)
[ -n "$reason" ] || fail "no 'restart failed' line in the journal"
generation_serves 1 || fail "the serving generation stopped after a failed reload"
ok "a reload that cannot start: exit non-zero after $took ms; journal: $reason; generation 1 serves on"

start=$(date +%s%N)
inside systemctl stop app.service app.socket || fail "systemctl stop exited non-zero"
took=$((($(date +%s%N) - start) / 1000000))
result=$(inside systemctl show -p Result --value app.service)
code=$(inside systemctl show -p ExecMainStatus --value app.service)
[ "$result" = success ] || fail "after systemctl stop: Result=$result"
[ "$code" = 0 ] || fail "after systemctl stop: ExecMainStatus=$code"
ok "systemctl stop: $took ms, Result=success, ExecMainStatus=0"
echo "all checks passed"
