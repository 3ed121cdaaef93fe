package io.github.hotdeploy.launcher.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunningServerTest {
    @TempDir
    Path tmp;

    @Test
    void aFlockIsFoundInProcLocksUnderItsHoldersPidOnly() throws Exception {
        Path file = Files.writeString(tmp.resolve("pid"), "1\n");
        assertThat(RunningServer.flockHeldBy(ProcessHandle.current().pid(), file)).isFalse();
        // flock(1) takes a real flock (a JDK FileChannel lock is a POSIX record lock, not listed as FLOCK).
        Process holder = new ProcessBuilder("flock", file.toString(), "sleep", "30").start();
        try {
            long pid = holder.pid();
            org.awaitility.Awaitility.await().until(() -> RunningServer.flockHeldBy(pid, file));
            assertThat(RunningServer.flockHeldBy(1, file)).isFalse();
            assertThat(RunningServer.flockHeldBy(pid, tmp)).as("another inode").isFalse();
        } finally {
            holder.destroyForcibly().waitFor();
        }
    }
}
