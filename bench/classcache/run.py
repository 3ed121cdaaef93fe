#!/usr/bin/env python3
"""Restarts under start_server with and without the class cache, side by side in one run.

    python3 bench/classcache/run.py [RESTARTS]     (default 3; build first:
        mvn -q -B -pl launcher,demo-app,test-apps/spring-boot -am package)

For each app and JDK, two start_servers side by side, restarted in turn: --class-cache=off (every
generation boots cold) and --class-cache=auto (generation 1 records the cache when it exits,
generation 2 starts while it still records and boots cold, generations 3+ boot from the cache). Each restart
is a HUP; its time is the one start_server itself records, from the HUP to the new generation
counting as started (its READY=1 through the agent: there is no 1 s floor), read from the state
file beside the pid file. Also measured: how long the old generation takes to be gone after the
take-over, cold and recording (it writes what it loaded as it exits; start_server then makes the
cache in the background, at nice 19: that time is read from start_server's log), and, on JDK 25,
the same for a third start_server whose command records the one-step way start_server used
before (-XX:AOTCacheOutput: the generation makes the cache itself as it exits).

Apps: the demo app; the Spring Boot test app as the executable fat jar and extracted
(java -Djarmode=tools -jar app.jar extract). The machine is shared: the load average is printed
with the numbers; compare only the ratios of one run.

Environment: JAVA17, JAVA25 (the JDKs), DEMO_JAR, BOOT_JAR (other builds of the apps), APPS (comma list of demo,boot-jar,boot-extracted),
JDKS (17,25), ONESTEP (yes: the third start_server on JDK 25; no). Standard library only. Prints a Markdown table.
"""
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
START_SERVER = os.path.join(REPO, "launcher/target/dist/bin/start_server")
DEMO = os.environ.get("DEMO_JAR", os.path.join(REPO, "demo-app/target/demo-app.jar"))
BOOT = os.environ.get("BOOT_JAR", os.path.join(REPO, "test-apps/spring-boot/target/test-app-spring-boot.jar"))
JDK_PATHS = {"17": os.environ.get("JAVA17", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java"),
             "25": os.environ.get("JAVA25", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")}
TIMEOUT = 300
RUNNING = []  # start_servers to stop whichever way the script ends


def state(pid_file):
    """The state file's generations and restarts: ({number: (pid, role)}, {sequence: (requested, outcome, ended)})."""
    try:
        with open(pid_file + ".state") as f:
            lines = f.read().splitlines()
    except OSError:
        return {}, {}
    generations, restarts = {}, {}
    for line in lines:
        f = line.split(" ")
        if f[0] == "generation":
            generations[int(f[1])] = (int(f[2]), f[3])
        elif f[0] == "restart":
            restarts[int(f[1])] = (int(f[3]), f[4], int(f[7]))
    return generations, restarts


def wait(what, condition):
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise SystemExit("timed out waiting for " + what)


class Run:
    """One start_server with the app; restarts it and records what each restart took."""

    def __init__(self, work, java, command, cache, jvm_options=()):
        self.pid_file = os.path.join(work, "pid")
        self.log_path = os.path.join(work, "log-" + cache)
        port = self.port = free_port()
        args = [START_SERVER, "--port=127.0.0.1:%d" % port, "--pid-file=" + self.pid_file,
                "--class-cache=" + cache, "--cache-dir=" + os.path.join(work, "cache"), "--"]
        args += [java] + list(jvm_options) + [a.replace("PORT", str(port)) for a in command]
        self.log = open(self.log_path, "w")
        env = dict(os.environ)
        env.pop("START_SERVER_CLASS_CACHE", None)
        self.process = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        RUNNING.append(self.process)
        wait("generation 1", lambda: any(r == "SERVING" for _, r in state(self.pid_file)[0].values()))

    def restart(self, sequence):
        """Seconds from HUP to the new generation counting as started; then waits for the old one to go,
        and returns also how long it took to exit after it was told to (seconds)."""
        old = [p for p, r in state(self.pid_file)[0].values() if r == "SERVING"][0]
        self.process.send_signal(1)
        requested, _, ended = wait("restart %d" % sequence, lambda: (state(self.pid_file)[1].get(sequence) or (0, "", 0))[1]
                                   == "SUCCEEDED" and state(self.pid_file)[1][sequence])
        told = time.monotonic()
        wait("old generation gone", lambda: not os.path.exists("/proc/%d" % old)
             or open("/proc/%d/stat" % old).read().split(")")[1].split()[0] == "Z")
        return (ended - requested) / 1e9, time.monotonic() - told

    def logged(self, *needles):
        """Waits until the log has a line with one of the needles."""
        def found():
            with open(self.log_path) as f:
                return any(n in line for line in f for n in needles)
        wait("a log line with " + " or ".join(needles), found)

    def stop(self):
        self.process.terminate()
        self.process.wait(TIMEOUT)
        RUNNING.remove(self.process)
        self.log.close()
        with open(self.log_path) as f:
            return [line.rstrip() for line in f if line.startswith("start_server: class cache")]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def apps(work, wanted):
    found = []
    if "demo" in wanted and os.path.isfile(DEMO):
        found.append(("demo app", ["-jar", DEMO, "--host=127.0.0.1", "--port=PORT"]))
    if os.path.isfile(BOOT):
        if "boot-jar" in wanted:
            found.append(("Spring Boot, fat jar", ["-jar", BOOT, "--port", "PORT"]))
        if "boot-extracted" in wanted:
            target = os.path.join(work, "boot-extracted")
            subprocess.run([JDK_PATHS["25"], "-Djarmode=tools", "-jar", BOOT, "extract", "--destination", target],
                           check=True, stdout=subprocess.DEVNULL)
            jar = [os.path.join(target, n) for n in os.listdir(target) if n.endswith(".jar")][0]
            found.append(("Spring Boot, extracted", ["-jar", jar, "--port", "PORT"]))
    return found


def main(argv):
    restarts = int(argv[1]) if len(argv) > 1 else 3
    wanted = os.environ.get("APPS", "demo,boot-jar,boot-extracted").split(",")
    jdks = os.environ.get("JDKS", "17,25").split(",")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))
    work = tempfile.mkdtemp(prefix="classcache-bench-")
    load_before = os.getloadavg()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    rows = []
    try:
        for name, command in apps(work, wanted):
            for jdk in jdks:
                java = JDK_PATHS[jdk]
                cold, cached, cold_exit = [], [], []
                # Both start_servers run side by side and are restarted in turn, so that the two
                # variants see the same moments of a shared machine's load.
                off = Run(tempfile.mkdtemp(dir=work), java, command, "off")
                on = Run(tempfile.mkdtemp(dir=work), java, command, "auto")
                onestep = None
                if jdk == "25" and os.environ.get("ONESTEP", "yes") == "yes":
                    d = tempfile.mkdtemp(dir=work)
                    onestep = Run(d, java, command, "off",
                                  ["-XX:AOTCacheOutput=" + os.path.join(d, "app.aot"), "-Xlog:aot=error"])
                onestep_exit = []
                took, exited = off.restart(1)
                cold.append(took)
                cold_exit.append(exited)
                first, recording_exit = on.restart(1)  # generation 2: cold, generation 1 recorded as it ran
                if onestep:
                    onestep_exit.append(onestep.restart(1)[1])
                # The cache is made at nice 19: on a busy machine that may take longer than a
                # restart; the later restarts are meant to show a cached boot.
                on.logged("class cache: made ", "without a cache", "could not")
                for n in range(2, restarts + 2):
                    took, exited = off.restart(n)
                    cold.append(took)
                    cold_exit.append(exited)
                    took, _ = on.restart(n)
                    cached.append(took)
                off.stop()
                lines = on.stop()
                if onestep:
                    onestep.stop()
                used = any("boots from" in l for l in lines)
                made = [float(l.split(" in ")[-1].split(" s")[0]) for l in lines if ": made " in l]
                rows.append((name, jdk, statistics.median(cold), first, statistics.median(cached) if used else None,
                             statistics.median(cold_exit), recording_exit, used, lines,
                             made[0] if made else None, onestep_exit[0] if onestep_exit else None))
                print(rows[-1][:8], file=sys.stderr, flush=True)
    finally:
        for process in RUNNING:  # start_server stops its generations on TERM
            process.terminate()
            process.wait(TIMEOUT)
        shutil.rmtree(work, ignore_errors=True)
    load_after = os.getloadavg()
    print("Run %s, %d+1 restarts per start_server (with the cache: 1 cold while generation 1 records, then %d cached), load average %.1f/%.1f/%.1f before, %.1f/%.1f/%.1f after "
          "(2 cores, shared).\n" % ((started, restarts, restarts) + load_before + load_after))
    print("| app | JDK | HUP to take-over, cache off (median) | cache on: first restart (cold, generation 1 "
          "recording) | cache on: later restarts (median) | cached / cold | old generation gone after the take-over: "
          "cold (median) / recording / one-step recording (before) | cache made in the background (nice 19) |")
    print("|---|---|---|---|---|---|---|---|")
    for name, jdk, cold, first, cached, cold_exit, rec_exit, used, lines, made, onestep in rows:
        exits = "%.1f s / %.1f s / %s" % (cold_exit, rec_exit, "%.1f s" % onestep if onestep is not None else "-")
        made = "%.1f s" % made if made is not None else "-"
        if used:
            print("| %s | %s | %.2f s | %.2f s | %.2f s | %.2fx | %s | %s |"
                  % (name, jdk, cold, first, cached, cached / cold, exits, made))
        else:
            why = next((l.split(": ", 2)[-1] for l in lines if "off" in l), "no cache used")
            print("| %s | %s | %.2f s | %.2f s | (%s) | - | %s | %s |"
                  % (name, jdk, cold, first, why, exits, made))


if __name__ == "__main__":
    main(sys.argv)
