#!/usr/bin/env python3
"""Start-up cost of the agent, side by side with a plain JVM, on JDK 17 and 25.

    python3 bench/startup/run.py [RUNS]      (default 21; build first:
                                              mvn -q -B -pl agent,demo-app -am package)

Interleaves JVM runs with and without the agent under the same inherited listening socket and
notify socket, and prints the median wall time and the mean child CPU (user+sys) of each
variant and what the agent adds. The agent goes in as start_server puts it on such a command
line, -agentlib:instrument=JAR; one more variant adopts with the classic -javaagent:JAR, which
gives up CDS's archived module graph. Two apps:
- StartupProbe (beside this file): binds the port, one non-blocking accept, exits; the whole
  process is timed;
- the demo app (demo-app/target/demo-app.jar when built; APP_JAR=other.jar times another app
  that takes --host= and --port=, APP_JAR= skips it), from exec to its first answered
  GET /health.

Environment: JAVA17, JAVA25 (the JDKs), PORT (18979; the app without the agent binds PORT+1),
BENCH_VERBOSE=1 (the children's stderr). Standard library only.
"""
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
AGENT = os.path.join(REPO, "agent/target/server-starter-agent.jar")
DEMO = os.path.join(REPO, "demo-app/target/demo-app.jar")
VARIANTS = (  # (label, with agent, with SERVER_STARTER_PORT, agent form)
    ("without agent", False, True, None),
    ("with agent, adopting + READY", True, True, "agentlib"),
    ("with agent, no SERVER_STARTER_PORT", True, False, "agentlib"),
    ("  the same as -javaagent:", True, True, "javaagent"),
)
SHOWN = (0, 2, 1, 3)  # print order: without, no port, adopting, -javaagent:


class Bench:
    def __init__(self, port, classes, agent):
        self.port, self.classes, self.agent = port, classes, agent
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", port))
        self.listener.listen(128)
        self.mine, self.theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
        for s in (self.listener, self.theirs):
            s.set_inheritable(True)

    def agent_option(self, form):
        return ("-javaagent:" if form == "javaagent" else "-agentlib:instrument=") + self.agent

    def env(self, with_env):
        env = dict(os.environ)
        env.pop("JAVA_TOOL_OPTIONS", None)
        env.pop("SERVER_STARTER_PORT", None)
        env.pop("SERVER_STARTER_NOTIFY_FD", None)
        if with_env:
            env["SERVER_STARTER_PORT"] = "127.0.0.1:%d=%d" % (self.port, self.listener.fileno())
            env["SERVER_STARTER_NOTIFY_FD"] = str(self.theirs.fileno())
        return env

    def spawn(self, cmd, with_env):
        return subprocess.Popen(cmd, env=self.env(with_env), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=None if os.environ.get("BENCH_VERBOSE") else subprocess.DEVNULL,
                                pass_fds=(self.listener.fileno(), self.theirs.fileno()))

    def await_ready(self):
        """Drain the READY datagram, and insist on it."""
        self.mine.settimeout(2)
        try:
            buf = self.mine.recv(4096)
        except socket.timeout:
            raise SystemExit("no READY from the agent")
        if b"READY=1" not in buf:
            raise SystemExit("unexpected notify %r" % buf)

    def probe(self, java, with_agent, with_env, form):
        """Wall ms and child CPU ms of one probe run."""
        cmd = [java, "-Xshare:auto"] + ([self.agent_option(form)] if with_agent else [])
        # Without adoption the inherited port is taken: bind an ephemeral one instead.
        cmd += ["-cp", self.classes, "StartupProbe", str(self.port if with_agent and with_env else 0)]
        before = os.times()
        start = time.monotonic()
        code = self.spawn(cmd, with_env).wait()
        elapsed = (time.monotonic() - start) * 1000
        after = os.times()
        if code:
            raise SystemExit("%s failed: exit %d" % (" ".join(cmd), code))
        if with_agent and with_env:
            self.await_ready()
        cpu = (after.children_user + after.children_system - before.children_user - before.children_system) * 1000
        return elapsed, cpu

    def app(self, java, with_agent, with_env, form, jar):
        """Wall ms from exec to the first 200 of GET /health. With the agent the request goes to the
        inherited socket at once (the kernel queues it until the app accepts); without, the app
        binds the next port itself and the request waits for that port to accept connections."""
        target = self.port if with_agent and with_env else self.port + 1
        cmd = [java, "-Xshare:auto"] + ([self.agent_option(form)] if with_agent else [])
        cmd += ["-jar", jar, "--host=127.0.0.1", "--port=%d" % target]
        start = time.monotonic()
        child = self.spawn(cmd, with_env)
        answer = b""
        try:
            while time.monotonic() - start < 30:
                try:
                    with socket.create_connection(("127.0.0.1", target), timeout=5) as c:
                        c.sendall(b"GET /health HTTP/1.0\r\nHost: x\r\n\r\n")
                        answer = c.makefile("rb").readline()
                except OSError:
                    answer = b""
                if re.match(rb"HTTP/1\.\d 200", answer):
                    break
                time.sleep(0.001)
            elapsed = (time.monotonic() - start) * 1000
        finally:
            child.kill()  # not timed; KILL so that no drain or shutdown hook lingers into the next run
            child.wait()
        if not re.match(rb"HTTP/1\.\d 200", answer):
            raise SystemExit("%s: no 200 from /health within 30 s" % " ".join(cmd))
        if with_agent and with_env:
            self.await_ready()
        return elapsed


def version(java):
    out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    return out.splitlines()[0] if out else java


def main(argv):
    runs = int(argv[0]) if argv else 21
    if not os.path.isfile(AGENT):
        print("build the agent first: mvn -q -B -pl agent -am package", file=sys.stderr)
        return 1
    javas = [os.environ.get("JAVA17", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java"),
             os.environ.get("JAVA25", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")]
    app_jar = os.environ.get("APP_JAR", DEMO if os.path.isfile(DEMO) else "")
    classes = tempfile.mkdtemp(prefix="startup-bench-")
    try:
        subprocess.run(["javac", "--release", "8", "-d", classes, os.path.join(HERE, "StartupProbe.java")],
                       check=True, stderr=subprocess.DEVNULL)
        bench = Bench(int(os.environ.get("PORT", "18979")), classes, AGENT)
        for java in javas:
            for _ in range(2):  # warm the page cache and CDS archive
                bench.probe(java, True, True, "agentlib")
                bench.probe(java, False, True, None)
            wall, cpu = {v: [] for v in VARIANTS}, {v: 0.0 for v in VARIANTS}
            for _ in range(runs):
                for v in VARIANTS:
                    w, c = bench.probe(java, *v[1:])
                    wall[v].append(w)
                    cpu[v] += c
            base, base_cpu = statistics.median(wall[VARIANTS[0]]), cpu[VARIANTS[0]] / runs
            print("%s (%d runs each, interleaved)" % (version(java), runs))
            print("  %-36s %10s %9s %14s %9s" % ("", "wall median", "added", "cpu (user+sys)", "added"))
            for i in SHOWN:
                v = VARIANTS[i]
                w, c = statistics.median(wall[v]), cpu[v] / runs
                if i == 0:
                    print("  %-36s %8.1f ms %9s %11.1f ms %9s" % (v[0], w, "", c, ""))
                else:
                    print("  %-36s %8.1f ms %+6.1f ms %11.1f ms %+6.1f ms" % (v[0], w, w - base, c, c - base_cpu))
            if not app_jar:
                continue
            for _ in range(2):
                bench.app(java, True, True, "agentlib", app_jar)
            times = {v: [] for v in VARIANTS}
            for _ in range(runs):
                for v in VARIANTS:
                    times[v].append(bench.app(java, *v[1:], app_jar))
            base = statistics.median(times[VARIANTS[0]])
            print("  demo app, exec to first response   %10s %9s" % ("wall median", "added"))
            for i in SHOWN:
                v = VARIANTS[i]
                w = statistics.median(times[v])
                print("  %-36s %8.1f ms" % (v[0], w) if i == 0 else "  %-36s %8.1f ms %+6.1f ms" % (v[0], w, w - base))
    finally:
        shutil.rmtree(classes, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
