#!/usr/bin/env python3
"""A deploy under load with the class cache: the new jar boots cold and records, the next is fast.

    python3 bench/classcache/deploy.py      (build first:
        mvn -q -B -pl launcher,bench,demo-app,test-apps/spring-boot -am package)

One start_server with --class-cache=auto on a copy of the app's jar, under load from bench.jar
(fixed rate, keep-alive, never sends a request again: a request that needed a resend is a failed
one) for the whole run. Restarts, each a HUP once the previous one is over and, after a
recording, once start_server has made the cache:
  1. generation 2: cold (generation 1 records)        2. generation 3: from the cache
  then the deploy: a file is added to the jar (new size and time, so a new key)
  3. generation 4: cold, records (the new jar)         4. generation 5: cold (4 still serves)
  5. generation 6: from the new cache
Prints each restart's HUP-to-take-over time (start_server's state file), what the cache did for
that generation (start_server's log), and the load's totals: 0 failed is the goal.

Environment: JAVA (default Temurin 25), APP (demo or boot: the Spring Boot test app's fat jar),
RATE (requests/s, 200), CONNECTIONS (8). Standard library only.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as classcache  # noqa: E402  (the state-file reading and the waits)

REPO = classcache.REPO
BENCH = os.path.join(REPO, "bench/target/bench.jar")
JAVA = os.environ.get("JAVA", classcache.JDK_PATHS["25"])


def wait_made(server, generation):
    """Until start_server has made (or failed to make) the cache from what that generation loaded."""
    def done():
        with open(server.log_path) as f:
            return any(("from what generation %d loaded" % generation) in line or "without a cache" in line
                       or "could not" in line for line in f)
    classcache.wait("the cache of generation %d" % generation, done)


def main():
    app = os.environ.get("APP", "demo")
    jar = classcache.DEMO if app == "demo" else classcache.BOOT
    work = tempfile.mkdtemp(prefix="classcache-deploy-")
    load = None
    server = None
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))
    try:
        deployed = os.path.join(work, "app.jar")
        shutil.copy(jar, deployed)
        command = ["-jar", deployed] + (["--host=127.0.0.1", "--port=PORT"] if app == "demo" else ["--port", "PORT"])
        server = classcache.Run(work, JAVA, command, "auto")
        port = server.port
        out = os.path.join(REPO, "bench/results/tmp", time.strftime("classcache-deploy-%Y%m%d-%H%M%S"))
        os.makedirs(out)
        load = subprocess.Popen(["java", "-jar", BENCH, "--port=%d" % port, "--connections=" + os.environ.get("CONNECTIONS", "8"),
                                 "--rate=" + os.environ.get("RATE", "200"), "--duration=3000", "--out=" + out],
                                stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        time.sleep(3)
        rows = []
        for sequence, deploy in ((1, False), (2, False), (3, True), (4, False), (5, False)):
            if deploy:
                with zipfile.ZipFile(deployed, "a") as z:  # a new build: new size and time
                    z.writestr("META-INF/deployed-at.txt", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
            took, _ = server.restart(sequence)
            with open(server.log_path) as f:
                lines = f.readlines()
            said = [line.split("class cache: ", 1)[1].strip() for line in lines
                    if "class cache: generation %d " % (sequence + 1) in line]
            rows.append((sequence + 1, deploy, took, said[0] if said else "-"))
            print(rows[-1], file=sys.stderr, flush=True)
            # The old generation (now gone) recorded: the next restart is meant to find its cache.
            if any("class cache: generation %d records" % sequence in line for line in lines):
                wait_made(server, sequence)
            time.sleep(2)
        load.send_signal(signal.SIGTERM)
        load.wait(120)
        summary = json.load(open(os.path.join(out, "summary.json")))
        made = [line.split("class cache: ", 1)[1].strip() for line in open(server.log_path) if ": made " in line]
        server.stop()
        server = None
        print("Deploy under load, %s, %s, %s req/s on %s connections (keep-alive, no resend), load average %.1f/%.1f/%.1f.\n"
              % (app, os.path.basename(os.path.dirname(os.path.dirname(JAVA))), os.environ.get("RATE", "200"),
                 os.environ.get("CONNECTIONS", "8"), *os.getloadavg()))
        print("| generation | after a deploy | HUP to take-over | class cache |")
        print("|---|---|---|---|")
        for generation, deploy, took, said in rows:
            print("| %d | %s | %.2f s | %s |" % (generation, "yes" if deploy else "", took, said))
        print("\nCaches made: " + "; ".join(made))
        print("\nLoad: %d requests, %d ok, %d failed (socket errors by kind: %s; non-2xx: %s), %d resent; "
              "p99 of the ok ones %s ms; first errors: %s. Load generator's output: %s"
              % (summary["total"], summary["ok"], summary["failed"], summary["socketErrors"]["byKind"],
                 summary["non2xx"]["total"], summary["resent"]["total"], summary["latencyMsOfOkRequests"]["p99"],
                 summary["firstErrorMessages"], os.path.relpath(out, REPO)))
    finally:
        if load is not None and load.poll() is None:
            load.terminate()
            load.wait(120)
        if server is not None:
            server.process.terminate()
            server.process.wait(classcache.TIMEOUT)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
