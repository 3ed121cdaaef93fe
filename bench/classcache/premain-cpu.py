#!/usr/bin/env python3
"""Where the agent's premain spends the main thread's CPU, step by step, in a cold and a cached boot.

    python3 bench/classcache/premain-cpu.py [ROUNDS]    (default 5; build first:
        mvn -q -B -pl launcher,test-apps/spring-boot -am package)

Builds, in a temporary clone of this checkout's HEAD (and with BEFORE=REV of that revision too),
the agent with a mark after each step of StartServerAgent.start (inserted here, before the build:
see MARKS) printing the main thread's CPU time since the last mark (ThreadMXBean, loaded before
the first step so that its own loading is not counted). Then boots Spring Boot extracted on JDK
25 with that agent at work, as agent-cost.py does (an inherited listening socket and a notify
socket): cold, and from an AOT cache recorded the same way, for each build, interleaved for ROUNDS
rounds; prints the median of each step. CPU time, not wall time: it holds on a loaded machine (a
thread waiting for a core is not charged), unlike agent-cost.py's timings. The main thread only:
the preload thread's work and the VM thread's part of a retransformation are not in it.
Environment: as agent-cost.py (JAVA25, BOOT_JAR); BEFORE; MVN (default
mvn); this checkout's .mvn/maven.config is used for the build too.
"""
import importlib.util
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def agent_cost():
    spec = importlib.util.spec_from_file_location("agent_cost", os.path.join(HERE, "agent-cost.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


AGENT = "agent/src/main/java/io/github/hotdeploy/agent/"
# (file, the line a mark goes before, the mark's step: what ran since the previous mark)
MARKS = [
    ("StartServerAgent.java", "        final JdkInternals jdk;\n", "options-variables-preload-thread"),
    ("StartServerAgent.java", "        InheritedListeners inherited = InheritedListeners.validate", "bridge"),
    ("StartServerAgent.java", "        NotifySocket notify = null;\n", "fd-checks"),
    ("StartServerAgent.java", "        final boolean drain = options.drainTimeoutMs() > 0;\n", "notify-socket"),
    ("StartServerAgent.java", "        Adopter adopter = new Adopter(", "transformer-and-tracker"),
    ("StartServerAgent.java", "            transformer.install(inst);\n", "adopter-and-selector-classes"),
    ("instrument/HookTransformer.java", "        if (!loaded.isEmpty()) {\n", "install:finding-loaded-classes"),
    ("StartServerAgent.java", "            proveBindHook(jdk, adopter);\n", "install:retransforming"),
    ("StartServerAgent.java", "        if (!transformer.failed().isEmpty()) {", "bind-hook-proof"),
]
MARKER = """    private static java.lang.management.ThreadMXBean cpu;
    private static long last;

    public static void mark(String step) {
        long now = cpu.getCurrentThreadCpuTime();
        System.err.println("premain-cpu " + step + " " + (now - last) / 1000);
        last = cpu.getCurrentThreadCpuTime();
    }

"""


def insert(path, anchor, text):
    with open(path) as f:
        source = f.read()
    if source.count(anchor) != 1:
        sys.exit("premain-cpu.py: %r is not once in %s: update MARKS" % (anchor, path))
    with open(path, "w") as f:
        f.write(source.replace(anchor, text + anchor))


def build_marked_agent(work, revision, name):
    clone = os.path.join(work, name)
    subprocess.run(["git", "clone", "-q", REPO, clone], check=True)
    subprocess.run(["git", "-C", clone, "checkout", "-q", revision], check=True)
    main = os.path.join(clone, AGENT, "AgentMain.java")
    insert(main, "    private static void start(String args, Instrumentation inst) {", MARKER)
    insert(main, "        try {\n            StartServerAgent.start(args, inst);\n",
           "        cpu = java.lang.management.ManagementFactory.getThreadMXBean();\n"
           "        last = cpu.getCurrentThreadCpuTime();\n")
    insert(main, "        } catch (Throwable t) {\n            // Never stop", "            AgentMain.mark(\"the-rest\");\n")
    for file, anchor, step in MARKS:
        qualified = "" if file.startswith("StartServerAgent") else "io.github.hotdeploy.agent."
        insert(os.path.join(clone, AGENT, file), anchor, "        %sAgentMain.mark(\"%s\");\n" % (qualified, step))
    config = os.path.join(REPO, ".mvn", "maven.config")
    if os.path.exists(config):
        os.makedirs(os.path.join(clone, ".mvn"), exist_ok=True)
        shutil.copy(config, os.path.join(clone, ".mvn", "maven.config"))
    subprocess.run([os.environ.get("MVN", "mvn"), "-q", "-B", "-pl", "agent", "-am", "package", "-DskipTests"],
                   cwd=clone, check=True, stdout=sys.stderr)  # stdout is the table
    return os.path.join(clone, "agent", "target", "server-starter-agent.jar")


def steps(work, name):
    with open(os.path.join(work, name + ".out")) as f:
        return [(m.group(1), int(m.group(2))) for m in re.finditer(r"^premain-cpu (\S+) (\d+)$", f.read(), re.M)]


def main(argv):
    rounds = int(argv[1]) if len(argv) > 1 else 5
    ac = agent_cost()
    work = tempfile.mkdtemp(prefix="premain-cpu-")
    try:
        builds = [("HEAD", "HEAD")] + ([(os.environ["BEFORE"], os.environ["BEFORE"])] if os.environ.get("BEFORE") else [])
        jar = ac.extract_app(work)
        variants = []  # (label, JVM options, agent jar)
        for i, (label, revision) in enumerate(builds):
            agent = build_marked_agent(work, revision, "clone%d" % i)
            cache = ac.make_cache(work, jar, True, agent, "build%d" % i)
            variants += [(label + ", cold", [], agent), (label + ", cached", ["-XX:AOTCache=" + cache], agent)]
        seen = {label: {} for label, _, _ in variants}
        order = []
        for r in range(rounds):
            for label, options, agent in variants:
                name = "%d-%s" % (r, re.sub(r"\W+", "-", label))
                _, _, p = ac.launch(work, jar, options, True, name, agent)
                ac.stop(p, work, name)
                marks = steps(work, name)
                for step, us in marks:
                    seen[label].setdefault(step, []).append(us)
                    if step not in order:
                        order.append(step)
                seen[label].setdefault("all", []).append(sum(us for _, us in marks))
                print(r + 1, label, sum(us for _, us in marks), "us", file=sys.stderr, flush=True)
        print("| step of premain (main thread CPU, ms, median of %d) | %s |" % (
            rounds, " | ".join(label for label, _, _ in variants)))
        print("|---|%s" % ("---:|" * len(variants)))
        for step in order + ["all"]:
            print("| %s | %s |" % (step, " | ".join(
                "%.1f" % (statistics.median(seen[label][step]) / 1000) if seen[label].get(step) else "-"
                for label, _, _ in variants)))
    finally:
        ac.kill_running()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv)
