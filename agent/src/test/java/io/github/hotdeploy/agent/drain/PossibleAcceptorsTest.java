package io.github.hotdeploy.agent.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Real threads in a real accept(2), or running, found and followed through /proc. */
class PossibleAcceptorsTest {

    @Test
    void findsAThreadInAcceptAndSeesWhenItHasRunAgain() throws Exception {
        Set<String> before = fds();
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int fd = newFd(before);
            assertThat(acceptorOn(fd)).as("nobody accepts yet").isNull();
            assertThat(PossibleAcceptors.on(fd).follows(PossibleAcceptors.currentTask())).as("the caller").isFalse();

            CompletableFuture<SocketChannel> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return listener.accept();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> acceptorOn(fd) != null);
            String acceptor = acceptorOn(fd);
            PossibleAcceptors look = PossibleAcceptors.on(fd);
            assertThat(look.follows(acceptor)).isTrue();
            assertThat(PossibleAcceptors.on(fd + 1000).follows(acceptor)).as("another fd").isFalse();
            assertThat(look.hasRunAgain(acceptor)).as("still blocked").isFalse();
            String name = ReadWaits.lines("/proc/self/task/" + acceptor + "/comm").get(0);
            assertThat(look.awaitRescheduled(10)).as("named when waited for in vain").contains('"' + name + '"');

            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.socket().getLocalPort());
                    SocketChannel connection = accepted.get()) {
                assertThat(connection.isConnected()).isTrue();
                await().atMost(Duration.ofSeconds(30)).alias("it took the connection and went on")
                        .until(() -> look.hasRunAgain(acceptor));
            }
        }
    }

    /**
     * The drain's race on a loaded machine (issue 14: a reset in 2 of 200 restarts of a ServerSocket
     * app): between the first look and the dup2 the acceptor took a connection and went back into
     * accept on the shared socket. Counted from the first look it passes for released; recounted
     * after the dup2 it does not, until it runs again.
     */
    @Test
    void aThreadBackInAcceptSinceTheFirstLookIsCountedFromNow() throws Exception {
        Set<String> before = fds();
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int fd = newFd(before);
            CompletableFuture<SocketChannel> second = CompletableFuture.supplyAsync(() -> {
                try (SocketChannel first = listener.accept()) {
                    return listener.accept();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> acceptorOn(fd) != null);
            String acceptor = acceptorOn(fd);
            PossibleAcceptors firstLook = PossibleAcceptors.on(fd);

            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.socket().getLocalPort())) {
                await().atMost(Duration.ofSeconds(30)).alias("counted from the first look: released")
                        .until(() -> firstLook.hasRunAgain(acceptor));
                await().atMost(Duration.ofSeconds(30)).until(() -> acceptor.equals(acceptorOn(fd)));

                PossibleAcceptors recounted = firstLook.recountedWith(fd);
                assertThat(recounted.follows(acceptor)).isTrue();
                assertThat(recounted.hasRunAgain(acceptor)).as("back in accept on the same socket").isFalse();

                try (Socket another = new Socket(InetAddress.getLoopbackAddress(), listener.socket().getLocalPort());
                        SocketChannel connection = second.get()) {
                    await().atMost(Duration.ofSeconds(30)).alias("it took the next one and went on")
                            .until(() -> recounted.hasRunAgain(acceptor));
                }
            }
        }
    }

    /**
     * The drain's other race on a loaded machine (issue 14: a reset in 1 of 400 restarts of a
     * ServerSocket app): the kernel has woken the acceptor for a connection but it has not run yet,
     * so /proc shows it running, not in accept. A spinning thread stands for it: running, in no
     * system call.
     */
    @Test
    void followsARunningThreadUntilItBlocks() throws Exception {
        Set<String> before = fds();
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int fd = newFd(before);
            AtomicReference<String> task = new AtomicReference<>();
            AtomicBoolean spin = new AtomicBoolean(true);
            CountDownLatch release = new CountDownLatch(1);
            Thread spinner = new Thread(() -> {
                task.set(PossibleAcceptors.currentTask());
                while (spin.get()) {
                    Thread.onSpinWait();
                }
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "spinner");
            spinner.start();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> task.get() != null);
                PossibleAcceptors look = PossibleAcceptors.on(fd);
                assertThat(look.follows(task.get())).as("a running thread may be an acceptor the kernel woke").isTrue();

                spin.set(false);
                await().atMost(Duration.ofSeconds(30)).alias("blocked again").until(() -> look.hasRunAgain(task.get()));
            } finally {
                spin.set(false);
                release.countDown();
                spinner.join(30_000);
            }
        }
    }

    @Test
    void theJvmsOwnThreadsAreNoAcceptors() {
        assertThat(PossibleAcceptors.jvmOwn("GC Thread#0")).isTrue();
        assertThat(PossibleAcceptors.jvmOwn("Reference Handl")).isTrue();
        assertThat(PossibleAcceptors.jvmOwn("C2 CompilerThre")).isTrue();
        assertThat(PossibleAcceptors.jvmOwn("G1 Conc#0")).isTrue();
        assertThat(PossibleAcceptors.jvmOwn("java")).as("the launcher's main thread").isFalse();
        assertThat(PossibleAcceptors.jvmOwn("http-nio-8080-A")).isFalse();
        assertThat(PossibleAcceptors.jvmOwn("pool-1-thread-1")).isFalse();
    }

    /** The thread blocked in accept(2) on fd, or null. */
    private static String acceptorOn(int fd) {
        for (String task : new File("/proc/self/task").list()) {
            if (PossibleAcceptors.inAcceptOn(Syscalls.blockedIn(task), fd)) {
                return task;
            }
        }
        return null;
    }

    /** "fd -> target" of every open fd (a number alone may be reused: list() itself opens one). */
    private static Set<String> fds() {
        Set<String> fds = new HashSet<>();
        for (String name : new File("/proc/self/fd").list()) {
            fds.add(name + " -> " + ReadWaits.readLink("/proc/self/fd/" + name));
        }
        return fds;
    }

    /** The one socket fd opened since `before` (the test opens nothing else meanwhile). */
    private static int newFd(Set<String> before) {
        Set<String> sockets = new HashSet<>();
        for (String fd : fds()) {
            if (!before.contains(fd) && fd.contains(" -> socket:")) {
                sockets.add(fd.substring(0, fd.indexOf(' ')));
            }
        }
        assertThat(sockets).hasSize(1);
        return Integer.parseInt(sockets.iterator().next());
    }
}
