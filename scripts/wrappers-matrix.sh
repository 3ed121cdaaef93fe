#!/usr/bin/env bash
# wrappers-matrix.sh: issue 15's exhaustive check of Java behind wrappers and of extra ports.
#
#   scripts/wrappers-matrix.sh [--prebuilt]
#
# Runs integration-tests' WrappersIT, ExtraPortsIT and DiagnosisIT with -Dit.matrix=full: every
# wrapper Debian packages (sh -c, env, nice, ionice, taskset, numactl, setsid, authbind, tini,
# dumb-init, chpst, setuidgid, runuser, gosu, jsvc, Python and Perl launchers) alone in front of
# java, plus the three chains CI runs; the Spring Boot management-port app's restarts besides the
# cases CI runs. About 2.5 minutes on an idle two-core machine (CI runs the short version, about
# 75 s). The user switches need root; a wrapper that is not installed is skipped with a message
# (.ci/run installs them all).
#
# --prebuilt   test what is built already (-Dit.prebuilt) instead of building launcher, agent and
#              test-apps first
#
# Reports: integration-tests/target/failsafe-reports/; each case's start_server.log is under
# integration-tests/target/it-work/. Exit status: Maven's (0: every case passed or was skipped).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$repo"
build=(-pl integration-tests -am)
case ${1:-} in
  --prebuilt) build=(-pl integration-tests -am -Dit.prebuilt) ;;
  "") ;;
  --help|-h) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) printf 'wrappers-matrix: unexpected argument: %s (see --help)\n' "$1" >&2; exit 2 ;;
esac
exec mvn -B "${build[@]}" verify -Dit.matrix=full -Dit.test='WrappersIT,ExtraPortsIT,DiagnosisIT' -Dtest=NONE \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
