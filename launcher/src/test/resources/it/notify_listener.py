#!/usr/bin/env python3
"""Stands in for systemd's end of NOTIFY_SOCKET in the integration tests.

Binds a unix datagram socket at argv[1] (a leading '@' means the abstract namespace), with
SO_PASSCRED on as systemd has it, prints "listening", then one line per datagram:
  "<sender pid> <message with each newline written as |>"
flushed at once. The sender's pid is the kernel's (SCM_CREDENTIALS): systemd accepts a
message only from the service's main process (NotifyAccess=main), so the tests check it too.
"""
import socket
import struct
import sys

path = sys.argv[1]
if path.startswith("@"):
    path = "\0" + path[1:]
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
sock.bind(path)
print("listening", flush=True)
ucred = struct.calcsize("3i")
while True:
    data, ancillary, _, _ = sock.recvmsg(65536, socket.CMSG_SPACE(ucred))
    pid = -1
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
            pid = struct.unpack("3i", payload[:ucred])[0]
    print("%d %s" % (pid, data.decode("utf-8", "replace").replace("\n", "|")), flush=True)
