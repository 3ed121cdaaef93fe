#!/usr/bin/env bash
# wrappers-matrix.sh: issue 15's exhaustive check of Java behind wrappers and of extra ports.
#
#   scripts/wrappers-matrix.sh [--prebuilt] [--jdk 17|25]
#
# Runs integration-tests' WrappersIT, ExtraPortsIT and DiagnosisIT with -Dit.matrix=full: every
# wrapper Debian packages (sh -c, env, nice, ionice, taskset, numactl, setsid, authbind, tini,
# dumb-init, chpst, setuidgid, runuser, gosu, su -c, su -s /bin/sh nobody -c, jsvc, Python and
# Perl launchers) alone in front of java, plus the three chains CI runs; the Spring Boot
# management-port app's restarts besides the cases CI runs. About 2.5 minutes on an idle two-core machine (CI runs the short version, about
# 75 s). The user switches need root; a wrapper that is not installed is skipped with a message
# (.ci/run installs them all).
#
# --prebuilt   test what is built already (-Dit.prebuilt) instead of building launcher, agent and
#              test-apps first
# --jdk N      the wrappers' server JVM on JDK N (17, the default, or 25: Temurin 25 at
#              /usr/lib/jvm/temurin-25-jdk-amd64); ExtraPortsIT and DiagnosisIT keep their own JDKs
#
# Reports: integration-tests/target/failsafe-reports/; each case's start_server.log is under
# integration-tests/target/it-work/. Exit status: Maven's (0: every case passed or was skipped).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$repo"
build=(-pl integration-tests -am)
jdk=17
while [ $# -gt 0 ]; do
  case $1 in
    --prebuilt) build=(-pl integration-tests -am -Dit.prebuilt) ;;
    --jdk)
      case ${2:-} in
        17|25) jdk=$2; shift ;;
        *) printf 'wrappers-matrix: --jdk takes 17 or 25, not: %s\n' "${2:-(nothing)}" >&2; exit 2 ;;
      esac ;;
    --help|-h) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) printf 'wrappers-matrix: unexpected argument: %s (see --help)\n' "$1" >&2; exit 2 ;;
  esac
  shift
done
exec mvn -B "${build[@]}" verify -Dit.matrix=full -Dit.jdk="$jdk" -Dit.test='WrappersIT,ExtraPortsIT,DiagnosisIT' -Dtest=NONE \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
