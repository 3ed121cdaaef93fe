"""Processes started as leaders of their own session, and stopped with everything they spawned.

Shared by bench/throughput and bench/launcher: each starts start_server (or a load generator) with
start_new_session=True, so its pid is also its process group id; nobody can reuse that id while
the leader is an unreaped zombie, which is why leader_exited() looks without reaping.
"""

import os
import signal
import socket
import subprocess
import time


def leader_exited(proc):
    """True once the leader has exited, without reaping it (so its pgid stays ours)."""
    if proc is None or proc.returncode is not None:
        return True
    try:
        info = os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return True
    return info is not None


def group_members(pgid):
    """Pids of every process in the group, from /proc."""
    members = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                data = f.read()
        except OSError:
            continue
        rest = data[data.rindex(")") + 2:].split()
        if int(rest[2]) == pgid:
            members.append(int(d))
    return members


def stop_session(proc, grace_s, poll_s=0.02, reap_s=None, members_gone_s=0.0):
    """TERM the leader, wait up to grace_s for it, then SIGKILL whatever is left of its group and
    reap the leader (waiting at most reap_s, None: as long as it takes). With members_gone_s, also
    wait that long for the group's other members to be gone."""
    if proc is None or proc.returncode is not None:
        return
    pgid = proc.pid
    try:
        if not leader_exited(proc):
            try:
                os.kill(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            end = time.monotonic() + grace_s
            while not leader_exited(proc) and time.monotonic() < end:
                time.sleep(poll_s)
    finally:
        # The leader is not reaped yet, so nobody else can have this pgid.
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            proc.wait(timeout=reap_s)
        except subprocess.TimeoutExpired:
            pass
        end = time.monotonic() + members_gone_s
        while members_gone_s > 0 and group_members(pgid) and time.monotonic() < end:
            time.sleep(0.01)


def pick_port():
    """A loopback port free at this instant."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()
