package io.github.hotdeploy.agent.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.protocol.InheritedSocket;
import io.github.hotdeploy.protocol.ServerStarterPort;
import io.github.hotdeploy.testsupport.ManagedProcess;
import io.github.hotdeploy.testsupport.ProcFs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Assertions about who holds which listening socket, from the kernel's point of view. */
public final class Adoption {

    private Adoption() {
    }

    /**
     * The only socket listening on the port is the launcher's, and the app serves it from an fd
     * of its own (the channel's fd the agent dup2'ed over), not only from the inherited fd.
     */
    public static void assertAdoptedTcp(long launcherPid, long appPid, int port) throws IOException {
        List<Long> listeners = ProcFs.listeningTcpInodes(port);
        assertThat(listeners).as("sockets listening on port %d", port).hasSize(1);
        assertAdopted(launcherPid, appPid, listeners.get(0));
    }

    public static void assertAdoptedUnix(long launcherPid, long appPid, String path) throws IOException {
        List<Long> listeners = ProcFs.listeningUnixInodes(Path.of(path));
        assertThat(listeners).as("unix sockets listening on %s", path).hasSize(1);
        assertAdopted(launcherPid, appPid, listeners.get(0));
    }

    /**
     * O_NONBLOCK of the app's own fd for the listening socket on the port: what the app's code
     * expects (non-blocking for selector and async users), not what start_server's socket had.
     */
    public static boolean appFdIsNonBlocking(long appPid, int port) throws IOException {
        long inode = ProcFs.listeningTcpInodes(port).get(0);
        Set<Integer> inherited = inheritedFds(appPid);
        for (Map.Entry<Integer, Long> fd : ProcFs.socketFds(appPid).entrySet()) {
            if (fd.getValue() == inode && !inherited.contains(fd.getKey())) {
                for (String line : java.nio.file.Files.readAllLines(
                        java.nio.file.Paths.get("/proc", Long.toString(appPid), "fdinfo", fd.getKey().toString()))) {
                    if (line.startsWith("flags:")) {
                        return (Integer.parseInt(line.substring(6).trim(), 8) & 04000) != 0;
                    }
                }
            }
        }
        throw new AssertionError("no adopted fd in " + appPid);
    }

    private static void assertAdopted(long launcherPid, long appPid, long inode) throws IOException {
        assertThat(ProcFs.socketFds(launcherPid).values()).as("socket inodes of the launcher").contains(inode);
        Set<Integer> inherited = inheritedFds(appPid);
        Map<Integer, Long> appFds = ProcFs.socketFds(appPid);
        assertThat(appFds.entrySet())
                .as("fds of the app (inherited: %s) holding socket:[%d]", inherited, inode)
                .anySatisfy(fd -> {
                    assertThat(inherited).doesNotContain(fd.getKey());
                    assertThat(fd.getValue()).isEqualTo(inode);
                });
    }

    private static Set<Integer> inheritedFds(long appPid) {
        if (!ProcessHandle.of(appPid).map(ProcessHandle::isAlive).orElse(false)) {
            // a gone app has no environment to read: not "nothing inherited"
            throw new IllegalStateException("cannot read the environment of " + appPid + ": it has exited");
        }
        Set<Integer> fds = new HashSet<>();
        for (InheritedSocket socket : ServerStarterPort.parse(ManagedProcess.environment(appPid, ServerStarterPort.ENV))) {
            fds.add(socket.fd());
        }
        return fds;
    }

    /** The agent's warnings in a process's output. */
    public static List<String> warnings(ManagedProcess process) {
        return process.linesStartingWith("start_server-agent: warning");
    }

    /**
     * The agent's warnings for a listener the drain cannot stop (its fd sits in an epoll set
     * that is no JDK selector: AsynchronousServerSocketChannel, Netty's epoll transport), minus
     * the one warning the drain's fail-safe rule prints at TERM for each old generation there.
     */
    public static List<String> warningsBesidesNoDrain(ManagedProcess process) {
        List<String> all = new java.util.ArrayList<>(warnings(process));
        all.removeIf(line -> line.contains("cannot stop accepting on") && line.contains("no drain"));
        return all;
    }
}
