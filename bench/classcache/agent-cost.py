#!/usr/bin/env python3
"""What the agent at work adds to a Spring Boot (extracted) boot on JDK 25, cold and from the AOT cache.

    python3 bench/classcache/agent-cost.py [ROUNDS]    (default 3; build first:
        mvn -q -B -pl launcher,test-apps/spring-boot -am package)

No start_server: each JVM is started here, with the agent on its command line as start_server puts
it there. "idle": no SERVER_STARTER_PORT, the agent returns at once and the app binds its own port
(bench/classcache/boot-linking.sh's runs). "active": what a generation gets from start_server, a
listening socket inherited in SERVER_STARTER_PORT and a notify socket in SERVER_STARTER_NOTIFY_FD:
the agent hooks the JDK's socket classes, adopts the socket and reports READY=1. Each cache is
recorded the way its boots run (agent idle or active: the classes the agent hooks are left out of
the second, "From ClassFileLoadHook"), made with -XX:AOTMode=create, then used. Four variants,
interleaved for ROUNDS rounds: time from the launch to the first 200 (polled every 20 ms), for
active also to READY=1 (what start_server waits for), and Spring's own "Started ... in" (from
SpringApplication.run, the measure issue 19 set its goal in) with its "process running for" (JVM
uptime then); "outside Spring's count" is the first 200 less Spring's count: the JVM's start, the
agent's premain, the app's main up to SpringApplication.run, and the first request. Timings:
valid on a quiet machine only. Environment: JAVA25, BOOT_JAR, AGENT_JAR (default: start_server's),
BEFORE_JAR: another build of the agent (e.g. main's before a change) timed side by side, two more
variants (cold and cached, active), each cache recorded with that agent. Standard library only.
"""
import os
import re
import signal
import socket
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
JAVA = os.environ.get("JAVA25", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")
BOOT = os.environ.get("BOOT_JAR", os.path.join(REPO, "test-apps/spring-boot/target/test-app-spring-boot.jar"))
AGENT = os.environ.get("AGENT_JAR", os.path.join(REPO, "launcher/target/dist/lib/server-starter-agent.jar"))
BEFORE = os.environ.get("BEFORE_JAR")


def agent_option(jar):
    """As start_server puts it on a java command line (AgentInjection), with its default options."""
    return "-agentlib:instrument=%s=drainTimeoutMs=30000,drainGraceMs=1000" % jar
RUNNING = []  # stopped whichever way the script ends


def launch(work, jar, options, active, name, agent=AGENT):
    """Starts the app; returns (ms to the first 200, ms to READY=1 or None, Spring's seconds, process)."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SERVER_STARTER")}
    fds, notify = [], None
    if active:
        listener.listen(128)
        notify, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
        for s in (listener, theirs):
            os.set_inheritable(s.fileno(), True)
            fds.append(s.fileno())
        env["SERVER_STARTER_PORT"] = "127.0.0.1:%d=%d" % (port, listener.fileno())
        env["SERVER_STARTER_NOTIFY_FD"] = str(theirs.fileno())
        notify.settimeout(300)
    else:
        listener.close()  # the app binds the port itself
    out = open(os.path.join(work, name + ".out"), "w")
    start = time.monotonic()
    process = subprocess.Popen([JAVA, agent_option(agent)] + options + ["-jar", jar, "--port", str(port)],
                               env=env, pass_fds=fds, stdout=out, stderr=subprocess.STDOUT)
    RUNNING.append(process)
    ready = []
    if active:
        theirs.close()

        def await_ready():  # timed as it arrives, whatever the polling below is doing
            try:
                while b"READY=1" not in notify.recv(4096):
                    pass
                ready.append((time.monotonic() - start) * 1000)
            except OSError:
                pass
        watcher = threading.Thread(target=await_ready, daemon=True)
        watcher.start()
    first = None
    while first is None and time.monotonic() - start < 300 and process.poll() is None:
        try:
            # Against the inherited socket a request waits in its queue until the app accepts.
            urllib.request.urlopen("http://127.0.0.1:%d/" % port, timeout=30).read()
            first = (time.monotonic() - start) * 1000
        except OSError:
            time.sleep(0.02)
    if active:
        watcher.join(5)
        notify.close()
    listener.close()
    return first, ready[0] if ready else None, process


def stop(process, work, name):
    """Spring's own two figures: (seconds from SpringApplication.run to started, JVM uptime then)."""
    process.terminate()
    process.wait(120)
    with open(os.path.join(work, name + ".out")) as f:
        m = re.search(r"Started \S+ in ([0-9.]+) seconds(?: \(process running for ([0-9.]+)\))?", f.read())
    if not m:
        return None, None
    return float(m.group(1)), float(m.group(2)) if m.group(2) else None


def kill_running():
    for process in RUNNING:
        if process.poll() is None:
            process.kill()
            process.wait()


def extract_app(work):
    """Spring Boot's extracted layout (java -Djarmode=tools -jar app.jar extract) in WORK/x: its jar."""
    subprocess.run([JAVA, "-Djarmode=tools", "-jar", BOOT, "extract", "--destination", os.path.join(work, "x")],
                   check=True, stdout=subprocess.DEVNULL)
    return [os.path.join(work, "x", n) for n in os.listdir(os.path.join(work, "x")) if n.endswith(".jar")][0]


def make_cache(work, jar, active, agent, name):
    """Records a run the way its boots will run (agent idle or active), makes its AOT cache: its path."""
    config, cache = os.path.join(work, name + ".conf"), os.path.join(work, name + ".aot")
    _, _, p = launch(work, jar, ["-XX:AOTMode=record", "-XX:AOTConfiguration=" + config, "-Xlog:aot=error"],
                     active, "record-" + name, agent)
    stop(p, work, "record-" + name)
    subprocess.run([JAVA, agent_option(agent), "-XX:AOTMode=create", "-XX:AOTConfiguration=" + config,
                    "-XX:AOTCache=" + cache, "-Xlog:aot=error", "-jar", jar], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    return cache


def main(argv):
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))
    try:
        measure(int(argv[1]) if len(argv) > 1 else 3)
    finally:
        kill_running()


def measure(rounds):
    work = tempfile.mkdtemp(prefix="agent-cost-")
    try:
        jar = extract_app(work)
        modes = [("idle", AGENT, False), ("active", AGENT, True)] + ([("before", BEFORE, True)] if BEFORE else [])
        for mode, agent, active in modes:
            make_cache(work, jar, active, agent, mode)
        # (label, JVM options, agent active, agent jar, the cold variant its ratio is to)
        variants = [("cold, agent idle", [], False, AGENT, None),
                    ("cold, agent active", [], True, AGENT, None),
                    ("cache, agent idle", ["-XX:AOTCache=" + os.path.join(work, "idle.aot")], False, AGENT,
                     "cold, agent idle"),
                    ("cache, agent active (start_server's case)", ["-XX:AOTCache=" + os.path.join(work, "active.aot")],
                     True, AGENT, "cold, agent active")]
        if BEFORE:
            variants += [("cold, agent active, BEFORE_JAR", [], True, BEFORE, None),
                         ("cache, agent active, BEFORE_JAR", ["-XX:AOTCache=" + os.path.join(work, "before.aot")],
                          True, BEFORE, "cold, agent active, BEFORE_JAR")]
        results = {v[0]: [] for v in variants}
        for r in range(rounds):
            for label, options, active, agent, _ in variants:
                name = "%d-%s" % (r, re.sub(r"\W+", "-", label))
                first, ready, p = launch(work, jar, options, active, name, agent)
                started, uptime = stop(p, work, name)
                results[label].append((first, ready, started, uptime, os.getloadavg()[0]))
                print(r + 1, label, results[label][-1], file=sys.stderr, flush=True)
        print("| variant | launch to the first 200 (ms) | launch to READY=1 (ms) | Spring's \"Started ... in\" (s) "
              "| Spring's \"process running for\" (s) | outside Spring's count, median (ms) | load |")
        print("|---|---|---|---|---|---|---|")
        base, spring = {}, {}
        for label, _, _, _, cold in variants:
            runs = results[label]
            firsts = [x[0] for x in runs if x[0] is not None]
            median = statistics.median(firsts) if firsts else None
            base[label] = median
            ratio = " (%.2fx)" % (median / base[cold]) if median and cold and base.get(cold) else ""
            counted = [x[2] for x in runs if x[2] is not None]
            spring[label] = statistics.median(counted) if counted else None
            spring_ratio = " (%.2fx)" % (spring[label] / spring[cold]) if spring[label] and cold and spring.get(cold) else ""
            # JVM start, premain, the app's main up to SpringApplication.run, and the first request
            outside = [x[0] - 1000 * x[2] for x in runs if x[0] is not None and x[2] is not None]
            print("| %s | %s%s | %s | %s%s | %s | %s | %s |" % (
                label, ", ".join("%d" % x[0] if x[0] is not None else "-" for x in runs), ratio,
                ", ".join("%d" % x[1] if x[1] is not None else "-" for x in runs),
                ", ".join("%.2f" % x[2] if x[2] is not None else "-" for x in runs), spring_ratio,
                ", ".join("%.2f" % x[3] if x[3] is not None else "-" for x in runs),
                "%d" % statistics.median(outside) if outside else "-",
                ", ".join("%.1f" % x[4] for x in runs)))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv)
