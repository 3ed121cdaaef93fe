package io.github.hotdeploy.launcher.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LockHoldersTest {
    private static final String LOCKS = String.join("\n",
            "1: FLOCK  ADVISORY  WRITE 6895 fe:00:2155081 0 EOF",
            "1: -> FLOCK  ADVISORY  WRITE 7001 fe:00:2155081 0 EOF",
            "2: POSIX  ADVISORY  WRITE 4693 fe:00:2155081 0 EOF",
            "3: OFDLCK ADVISORY  READ  -1 00:05:1234 0 EOF",
            "4: FLOCK  ADVISORY  WRITE 3941 fe:00:52 0 EOF");

    @Test
    void onlyTheFlockHolderOfThatInodeNotWaitersNorRecordLocks() {
        assertThat(LockHolders.of(LOCKS, 2155081)).containsExactly(6895L);
        assertThat(LockHolders.of(LOCKS, 52)).containsExactly(3941L);
        assertThat(LockHolders.of(LOCKS, 2155)).isEmpty();
        assertThat(LockHolders.of("", 1)).isEmpty();
    }
}
