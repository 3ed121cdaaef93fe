#!/usr/bin/env python3
"""Restarts under start_server with and without the class cache, side by side in one run.

    python3 bench/classcache/run.py [RESTARTS]     (default 3, fixed before any data; build first:
        mvn -q -B -pl launcher,bench,demo-app,test-apps/spring-boot,test-apps/distributions,test-apps/wiremock -am package)

For each app and JDK (in this order: the apps of APPS, each on every JDK of JDKS), two start_servers
side by side, restarted in turn: --class-cache=off (every generation boots cold) and
--class-cache=auto (generation 1 records, generation 2 starts while it still records and boots
cold, generations 3+ boot from the cache). Each restart is a HUP; its time is the one start_server
itself records, from the HUP to the new generation counting as started (its READY=1 through the
agent: there is no 1 s floor), read from the state file beside the pid file. Also measured: how
long the old generation takes to be gone after the take-over, cold and recording; how long the
recording JVM wrote its recording as it exited, after its application had shut down (JDK 25;
start_server's log: "wrote what it loaded in"); how long start_server took to make the cache in
the background, at nice 19. ONESTEP=yes adds, on JDK 25, a third start_server whose command records
the one-step way start_server used before (-XX:AOTCacheOutput), for its exit time.

Apps: boot-extracted (the Spring Boot test app extracted: java -Djarmode=tools -jar app.jar
extract), boot-jar (its executable fat jar), tomcat-dist (the Apache Tomcat distribution's JVM as
catalina.sh run starts it, run directly: java ... org.apache.catalina.startup.Bootstrap start; the
script itself gets no cache, see docs/benchmarks/classcache.md), jetty-dist (java -jar
$JETTY_HOME/start.jar on the build's jetty.base), wiremock (WireMock's standalone jar as Maven Central
publishes it, Jetty 11 inside, no stubs), demo (the demo app).

Then the stop: on JDK 25, for the apps of STOP_APPS (default boot-extracted,demo; no to skip),
STOP_ROUNDS (3) rounds of three start_servers in turn, each stopped (TERM) while generation 1
serves: cache off; cache on (generation 1 records; start_server cuts its writing short); and a
recording start_server does not watch (--class-cache=off with -XX:AOTMode=record on the command
line, as every stop was before: it waits for the JVM to write its recording). Seconds from TERM to
start_server's exit.

Then, with HARNESS=SERVERS (default demo,spring-boot; no to skip), the restart harness
(scripts/restart-under-load.sh) on JDK 25 with the cache on, then off (START_SERVER_CLASS_CACHE),
HARNESS_RESTARTS restarts each (default RESTARTS + 2), HARNESS_INTERVAL seconds apart (default 10):
its HUP-to-take-over times per restart (which ones booted from the cache, from start_server's log)
and the restart windows' p99.

Each restart begins once the machine is idle (SETTLE_CORES, default 0.1 cores over half a second,
waited for at most SETTLE_MAX seconds, default 30): otherwise the other start_server's generation,
just started and still compiling, would slow whichever restart comes next. Every restart's time is
printed on stderr, and the CPU time the new generation had used by then, by thread (main, the
JIT's C2 and C1 compilers, the rest), with what start_server and the old generation used during
the restart. The machine's load average is printed with the numbers; compare only the ratios
of one run.
Environment: JAVA17, JAVA25 (the JDKs), DEMO_JAR, BOOT_JAR (other builds of the apps), APPS (comma
list; default boot-extracted,boot-jar,tomcat-dist,jetty-dist,wiremock,demo; no for the harness alone), JDKS (default 25,17), ONESTEP
(no), WRAP (words before java in each start_server's command, e.g. "env A=1 nice -n 0": wrappers start_server
sees through), SETTLE_CORES, SETTLE_MAX, STOP_APPS, STOP_ROUNDS, HARNESS, HARNESS_RESTARTS, HARNESS_INTERVAL, OUT (where the harness writes; default
bench/results/tmp/classcache-TIMESTAMP). Standard library only. Prints Markdown tables.
"""
import os
import json
import re
import shlex
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
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "common"))
import procstat  # noqa: E402
START_SERVER = os.path.join(REPO, "launcher/target/dist/bin/start_server")
DEMO = os.environ.get("DEMO_JAR", os.path.join(REPO, "demo-app/target/demo-app.jar"))
BOOT = os.environ.get("BOOT_JAR", os.path.join(REPO, "test-apps/spring-boot/target/test-app-spring-boot.jar"))
WIREMOCK = os.path.join(REPO, "test-apps/wiremock/target/wiremock-standalone.jar")
WRAP = shlex.split(os.environ.get("WRAP", ""))  # words before java: exec wrappers start_server sees through
JDK_PATHS = {"17": os.environ.get("JAVA17", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java"),
             "25": os.environ.get("JAVA25", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")}
TIMEOUT = 300
RUNNING = []  # start_servers to stop whichever way the script ends
# A restart begins once the machine is idle: below SETTLE_CORES of CPU (default 0.1) over half a
# second, at most SETTLE_MAX seconds (default 30). A server is restarted in production when its
# generation has long been serving; here the other start_server's newest generation has just started
# and is still compiling its hot code, which would otherwise land on whichever restart comes next.
SETTLE_CORES = float(os.environ.get("SETTLE_CORES", "0.1"))
SETTLE_MAX = float(os.environ.get("SETTLE_MAX", "30"))
UNSETTLED = []  # restarts that began after SETTLE_MAX without the machine being idle


def cpu_ticks():
    """(busy, total) jiffies of all CPUs, from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def thread_cpu(pid):
    """CPU seconds of a process by thread kind: the main thread (named after the program), the JIT's
    C2 and C1 compiler threads, and the rest."""
    kinds = {"main": 0.0, "C2": 0.0, "C1": 0.0, "rest": 0.0}
    for tid, (name, seconds) in (procstat.threads(pid) or {}).items():
        kind = "main" if tid == pid or name == "java" else name[:2] if name.startswith(("C2 ", "C1 ")) else "rest"
        kinds[kind] += seconds
    return kinds


def process_cpu(pid):
    """CPU seconds of a process, all its threads (None once it is gone)."""
    found = procstat.stat("/proc/%d/stat" % pid)
    return found[1] if found else None


def settle():
    """Waits until the machine is idle (see SETTLE_CORES); returns the seconds waited."""
    begun = time.monotonic()
    cores = os.cpu_count() or 1
    busy, total = cpu_ticks()
    while time.monotonic() - begun < SETTLE_MAX:
        time.sleep(0.5)
        b, t = cpu_ticks()
        if t > total and (b - busy) / (t - total) * cores < SETTLE_CORES:
            return time.monotonic() - begun
        busy, total = b, t
    UNSETTLED.append(time.monotonic() - begun)
    return time.monotonic() - begun


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
        args += WRAP + [java] + list(jvm_options) + [a.replace("PORT", str(port)) for a in command]
        self.log = open(self.log_path, "w")
        self.threads = []  # per restart, the new generation's CPU seconds by thread at its take-over
        env = dict(os.environ)
        env.pop("START_SERVER_CLASS_CACHE", None)
        self.process = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        RUNNING.append(self.process)
        wait("generation 1", lambda: any(r == "SERVING" for _, r in state(self.pid_file)[0].values()))

    def restart(self, sequence):
        """Seconds from HUP to the new generation counting as started; then waits for the old one to go,
        and returns also how long it took to exit after it was told to (seconds)."""
        old = [p for p, r in state(self.pid_file)[0].values() if r == "SERVING"][0]
        settle()
        before = process_cpu(self.process.pid), process_cpu(old)
        self.process.send_signal(1)
        requested, _, ended = wait("restart %d" % sequence, lambda: (state(self.pid_file)[1].get(sequence) or (0, "", 0))[1]
                                   == "SUCCEEDED" and state(self.pid_file)[1][sequence])
        told = time.monotonic()
        new = [p for p, r in state(self.pid_file)[0].values() if r == "SERVING" and p != old]
        if new:
            self.threads.append(thread_cpu(new[0]))
            self.threads[-1]["start_server"] = process_cpu(self.process.pid) - before[0]
            old_now = process_cpu(old)  # an old generation that exited fast is gone by now: not counted
            if old_now is not None and before[1] is not None:
                self.threads[-1]["old"] = old_now - before[1]
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


DISTRIBUTIONS = os.path.join(REPO, "test-apps/distributions/target")


def tomcat_command(work):
    """The JVM that catalina.sh run execs (read from its /proc/PID/cmdline, Tomcat 11 on JDK 25), on
    a copy of the build's CATALINA_BASE: the same options and class path, without the script."""
    home = os.path.join(DISTRIBUTIONS, "tomcat")
    base = os.path.join(work, "catalina-base")
    shutil.copytree(os.path.join(DISTRIBUTIONS, "catalina-base"), base)
    os.makedirs(os.path.join(base, "temp"), exist_ok=True)
    os.makedirs(os.path.join(base, "logs"), exist_ok=True)
    return ["-Djava.util.logging.config.file=" + os.path.join(base, "conf/logging.properties"),
            "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
            "-Djdk.tls.ephemeralDHKeySize=2048", "-Dorg.apache.catalina.security.SecurityListener.UMASK=0027",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED", "--add-opens=java.rmi/sun.rmi.transport=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED", "-Dhttp.host=127.0.0.1", "-Dhttp.port=PORT",
            "-classpath", os.path.join(home, "bin/bootstrap.jar") + ":" + os.path.join(home, "bin/tomcat-juli.jar"),
            "-Dcatalina.base=" + base, "-Dcatalina.home=" + home, "-Djava.io.tmpdir=" + os.path.join(base, "temp"),
            "org.apache.catalina.startup.Bootstrap", "start"]


def jetty_command(work):
    """java -jar $JETTY_HOME/start.jar on a copy of the build's jetty.base (http, ee10-deploy, ROOT.war)."""
    home = os.path.join(DISTRIBUTIONS, "jetty-home")
    base = os.path.join(work, "jetty-base")
    shutil.copytree(os.path.join(DISTRIBUTIONS, "jetty-base"), base)
    tmp = os.path.join(work, "jetty-tmp")
    os.makedirs(tmp, exist_ok=True)
    return ["-Djava.io.tmpdir=" + tmp, "-Djetty.home=" + home, "-Djetty.base=" + base, "-jar",
            os.path.join(home, "start.jar"), "jetty.http.host=127.0.0.1", "jetty.http.port=PORT"]


def apps(work, wanted):
    """(name, command after java) for each wanted app that is built, in the order asked."""
    found = []
    for app in wanted:
        d = tempfile.mkdtemp(dir=work)
        if app == "demo" and os.path.isfile(DEMO):
            found.append(("demo app", ["-jar", DEMO, "--host=127.0.0.1", "--port=PORT"]))
        elif app == "boot-jar" and os.path.isfile(BOOT):
            found.append(("Spring Boot, fat jar", ["-jar", BOOT, "--port", "PORT"]))
        elif app == "boot-extracted" and os.path.isfile(BOOT):
            target = os.path.join(d, "boot-extracted")
            subprocess.run([JDK_PATHS["25"], "-Djarmode=tools", "-jar", BOOT, "extract", "--destination", target],
                           check=True, stdout=subprocess.DEVNULL)
            jar = [os.path.join(target, n) for n in os.listdir(target) if n.endswith(".jar")][0]
            found.append(("Spring Boot, extracted", ["-jar", jar, "--port", "PORT"]))
        elif app == "wiremock" and os.path.isfile(WIREMOCK):
            for sub in ("mappings", "__files"):
                os.makedirs(os.path.join(d, sub))
            found.append(("WireMock standalone (as published)", ["-jar", WIREMOCK, "--port", "PORT", "--bind-address",
                          "127.0.0.1", "--root-dir", d, "--no-request-journal", "--disable-banner"]))
        elif app == "tomcat-dist" and os.path.isfile(os.path.join(DISTRIBUTIONS, "tomcat/bin/bootstrap.jar")):
            found.append(("Tomcat distribution (its JVM, without catalina.sh)", tomcat_command(d)))
        elif app == "jetty-dist" and os.path.isfile(os.path.join(DISTRIBUTIONS, "jetty-home/start.jar")):
            found.append(("Jetty distribution (java -jar start.jar)", jetty_command(d)))
        else:
            print("skipped %s: not built (see the build command at the top)" % app, file=sys.stderr)
    return [(name + " behind " + " ".join(WRAP), command) if WRAP else (name, command) for name, command in found]


def seconds_in(lines, needle):
    """The seconds of the first log line with needle, as start_server prints them ("in 4.5 s")."""
    for line in lines:
        if needle in line:
            return float(re.findall(r" in (\d+(?:\.\d+)?) s\b", line)[-1])
    return None


def harness(servers, restarts, interval, out):
    """The restart harness on JDK 25, cache on then off: per server, its restarts' take-over times
    and the restart windows' p99 (the harness's results.json)."""
    found = {}
    for cache in ("on", "off"):
        env = dict(os.environ)
        env["START_SERVER_CLASS_CACHE"] = "auto" if cache == "on" else "off"
        if cache == "on":
            env["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="classcache-harness-")  # an empty cache
        where = os.path.join(out, "harness-cache-" + cache)
        command = [os.path.join(REPO, "scripts/restart-under-load.sh"), "--servers", servers, "--jdk", "25",
                   "--restarts", str(restarts), "--interval", str(interval), "--modes", "keepalive",
                   "--contrast", "no", "--in-flight", "no", "--out", where]
        print("running " + " ".join(command) + " (cache " + cache + ")", file=sys.stderr, flush=True)
        subprocess.run(command, env=env, stdout=sys.stderr, check=False)
        try:
            with open(os.path.join(where, "results.json")) as f:
                for scenario in json.load(f)["scenarios"]:
                    scenario["cached"] = cached_generations(os.path.join(where, scenario["id"], "start_server.log"))
                    found[(scenario["server"], cache)] = scenario
        except (OSError, ValueError, KeyError) as e:
            print("harness, cache %s: no results (%s)" % (cache, e), file=sys.stderr)
        if cache == "on":
            shutil.rmtree(env["XDG_CACHE_HOME"], ignore_errors=True)
    return found


def stop_times(work, app_commands, rounds):
    """JDK 25: seconds from TERM to start_server's exit while generation 1 serves, interleaved:
    cache off; cache on (generation 1 records; start_server cuts its writing); and a generation
    that records unwatched (--class-cache=off and the recording options on its command line, as
    start_server was before: the stop waits for the JVM to write its recording)."""
    times = {}
    for name, command in app_commands:
        for _ in range(rounds):
            for variant in ("off", "auto", "unwatched"):
                d = tempfile.mkdtemp(dir=work)
                options = ["-XX:AOTMode=record", "-XX:AOTConfiguration=" + os.path.join(d, "app.aotconf"),
                           "-Xlog:aot=error"] if variant == "unwatched" else []
                run = Run(d, JDK_PATHS["25"], command, "auto" if variant == "auto" else "off", options)
                time.sleep(1)  # serving (Run waits for READY=1); a moment more for the application's own start
                told = time.monotonic()
                run.stop()
                times.setdefault((name, variant), []).append(time.monotonic() - told)
    return times


def cpu_medians(samples):
    def median(kind):
        values = [x[kind] for x in samples if kind in x]
        return "%.2f" % statistics.median(values) if values else "-"
    return ", ".join(median(k) for k in ("main", "C2", "C1", "rest", "start_server", "old")) if samples else "-"


def cached_generations(log):
    """The generations start_server booted from the class cache, from its log."""
    try:
        with open(log) as f:
            return {int(m) for m in re.findall(r"class cache: generation (\d+) boots from ", f.read())}
    except OSError:
        return set()


def main(argv):
    restarts = int(argv[1]) if len(argv) > 1 else 3
    wanted = [a for a in os.environ.get("APPS", "boot-extracted,boot-jar,tomcat-dist,jetty-dist,wiremock,demo").split(",")
              if a and a != "no"]
    jdks = os.environ.get("JDKS", "25,17").split(",")
    harness_servers = os.environ.get("HARNESS", "demo,spring-boot")
    harness_restarts = int(os.environ.get("HARNESS_RESTARTS", str(restarts + 2)))
    harness_interval = os.environ.get("HARNESS_INTERVAL", "10")
    out = os.environ.get("OUT", os.path.join(REPO, "bench/results/tmp/classcache-" + time.strftime("%Y%m%d-%H%M%S", time.gmtime())))
    os.makedirs(out, exist_ok=True)
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
                if jdk == "25" and os.environ.get("ONESTEP", "no") == "yes":
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
                on.logged("class cache: made ", "without a cache", "could not", "recording is discarded")
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
                rows.append((name, jdk, statistics.median(cold), first, statistics.median(cached) if used else None,
                             statistics.median(cold_exit), recording_exit, used, lines,
                             seconds_in(lines, ": made "), onestep_exit[0] if onestep_exit else None,
                             seconds_in(lines, "wrote what it loaded in "), len(cold), len(cached)))
                print(rows[-1][:8], file=sys.stderr, flush=True)
                print("%s, JDK %s: CPU seconds of the new generation at its take-over, median by thread (main, C2, "
                      "C1, rest), and start_server's and the old generation's during the restart: cache off %s; cache on, cached %s" % (name, jdk, cpu_medians(off.threads),
                                                                       cpu_medians(on.threads[1:])),
                      file=sys.stderr, flush=True)
                print("%s, JDK %s: cache off %s; cache on, cached %s (s)" % (
                    name, jdk, ", ".join("%.2f" % t for t in cold), ", ".join("%.2f" % t for t in cached)),
                    file=sys.stderr, flush=True)
        stop_apps = [a for a in os.environ.get("STOP_APPS", "boot-extracted,demo").split(",") if a and a != "no"]
        stops = stop_times(work, apps(work, stop_apps), int(os.environ.get("STOP_ROUNDS", "3"))) if stop_apps else {}
        runs = harness(harness_servers, harness_restarts, harness_interval, out) if harness_servers != "no" else {}
    finally:
        for process in RUNNING:  # start_server stops its generations on TERM
            process.terminate()
            process.wait(TIMEOUT)
        shutil.rmtree(work, ignore_errors=True)
    load_after = os.getloadavg()
    print("Run %s, %d+1 restarts per start_server (with the cache: 1 cold while generation 1 records, then %d cached), "
          "load average %.1f/%.1f/%.1f before, %.1f/%.1f/%.1f after; each restart once the machine used less than %.2f "
          "cores for 0.5 s (%s).\n" % ((started, restarts, restarts) + load_before + load_after + (SETTLE_CORES,
          "%d waited the %d s limit instead" % (len(UNSETTLED), SETTLE_MAX) if UNSETTLED else "every one")))
    if rows:
        print("| app | JDK | HUP to take-over, cache off (median of %d) | cache on: first restart (cold, generation 1 "
              "recording) | cache on: later restarts (median of %d) | cached / cold | old generation gone after the take-over: "
              "cold (median) / recording%s | recording written at exit (nice 19) | cache made in the background (nice 19) |"
              % (restarts + 1, restarts, " / one-step recording (before)" if os.environ.get("ONESTEP") == "yes" else ""))
        print("|---|---|---|---|---|---|---|---|---|")
        for name, jdk, cold, first, cached, cold_exit, rec_exit, used, lines, made, onestep, wrote, _, _ in rows:
            exits = "%.1f s / %.1f s" % (cold_exit, rec_exit)
            if onestep is not None:
                exits += " / %.1f s" % onestep
            made = "%.1f s" % made if made is not None else "-"
            wrote = "%.1f s" % wrote if wrote is not None else "-"
            if used:
                print("| %s | %s | %.2f s | %.2f s | %.2f s | %.2fx | %s | %s | %s |"
                      % (name, jdk, cold, first, cached, cached / cold, exits, wrote, made))
            else:
                why = next((l.split(": ", 2)[-1] for l in lines if "off" in l or "discarded" in l), "no cache used")
                print("| %s | %s | %.2f s | %.2f s | (%s) | - | %s | %s | %s |"
                      % (name, jdk, cold, first, why, exits, wrote, made))
    if stops:
        print("\nStopping start_server (TERM to its exit) while generation 1 serves, JDK 25, %s rounds interleaved:\n"
              % os.environ.get("STOP_ROUNDS", "3"))
        print("| app | cache off | cache on, generation 1 recording (its writing cut) | recording unwatched (as before) |")
        print("|---|---|---|---|")
        for name in dict.fromkeys(n for n, _ in stops):
            print("| %s | %s |" % (name, " | ".join(", ".join("%.2f s" % t for t in stops[(name, v)])
                                                     for v in ("off", "auto", "unwatched"))))
    if runs:
        print_harness(runs, harness_restarts, harness_interval, out)

def print_harness(runs, harness_restarts, harness_interval, out):
    print("\nThe restart harness, JDK 25, %d restarts %s s apart, keep-alive load (results in %s):\n"
          % (harness_restarts, harness_interval, os.path.relpath(out, REPO)))
    print("| server | cache | requests | failed or resent | HUP to take-over per restart (ms; * booted from the cache) "
          "| median, all | median, restarts booted from the cache (the same restarts with it off) | p99 restart windows "
          "| max restart windows | p99 between restarts |")
    print("|---|---|---:|---:|---|---:|---:|---:|---:|---:|")
    on_cached = {server: {x["n"] for x in r["restarts"] if x["n"] + 1 in r["cached"]}
                 for (server, cache), r in runs.items() if cache == "on"}
    for (server, cache), r in sorted(runs.items()):
        ready = [x["toReadyMs"] for x in r["restarts"]]
        marked = ", ".join("%d%s" % (x["toReadyMs"], "*" if x["n"] + 1 in r["cached"] else "") for x in r["restarts"])
        same = [x["toReadyMs"] for x in r["restarts"] if x["n"] in on_cached.get(server, set())]
        print("| %s | %s | %d | %d | %s | %s | %s | %s | %s | %s |" % (
            server, cache, r["all"]["requests"], r["failedOrResent"], marked,
            "%d" % statistics.median(ready) if ready else "-", "%d" % statistics.median(same) if same else "-",
            ms(r["restartWindows"], "p99"), ms(r["restartWindows"], "max"), ms(r["steady"], "p99")))


def ms(stats, key):
    value = stats.get(key + "Ms", stats.get(key)) if stats else None
    return "-" if value is None else "%d ms" % value


if __name__ == "__main__":
    main(sys.argv)
