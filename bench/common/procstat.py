"""CPU time of processes and their threads, from Linux /proc. Standard library only."""
import os

TICKS = os.sysconf("SC_CLK_TCK")


def stat(path):
    """(name, cpu seconds: utime + stime) of a /proc stat file, or None once it is gone."""
    try:
        with open(path) as f:
            s = f.read()
    except OSError:
        return None
    # The name is in parentheses and may hold spaces and parentheses itself: the last ')' ends it.
    fields = s[s.rindex(")") + 2:].split()
    return s[s.index("(") + 1:s.rindex(")")], (int(fields[11]) + int(fields[12])) / TICKS


def threads(pid):
    """{tid: (name, cpu seconds)} of a process's live threads, or None once it is gone."""
    try:
        tids = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return None
    out = {}
    for t in tids:
        r = stat("/proc/%d/task/%s/stat" % (pid, t))
        if r:
            out[int(t)] = r
    return out
