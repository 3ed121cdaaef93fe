package io.github.hotdeploy.agent.drain;

import static io.github.hotdeploy.agent.drain.ConnectionVerdict.CLOSE_IDLE;
import static io.github.hotdeploy.agent.drain.ConnectionVerdict.RELEASE;
import static io.github.hotdeploy.agent.drain.ConnectionVerdict.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The drain's rules, one connection at a time, driven by scripted looks (times in ms). */
class ConnectionVerdictTest {

    private static final long MS = 1_000_000L;
    private static final long GRACE = 1000 * MS;
    private static final long LINGER = 1000 * MS;
    private static final long START = 5_000 * MS;

    private final ConnectionVerdict verdict = new ConnectionVerdict();

    private static ConnectionVerdict.Look idle() {
        ConnectionVerdict.Look look = new ConnectionVerdict.Look();
        look.appWaits = ConnectionVerdict.APP_WAITS_TO_READ;
        return look;
    }

    private static ConnectionVerdict.Look busy() {
        ConnectionVerdict.Look look = idle();
        look.appWaits = ConnectionVerdict.APP_BUSY;
        return look;
    }

    private int at(long ms, ConnectionVerdict.Look look) {
        return verdict.decide(look, START + ms * MS, START, GRACE, LINGER);
    }

    @Test
    void anIdleHttpConnectionIsClosedOnlyAfterTheGracePeriodOfIdleness() {
        ConnectionVerdict.Look look = idle();
        look.http = true;
        assertThat(at(0, look)).isEqualTo(WAIT);
        assertThat(at(999, look)).isEqualTo(WAIT);
        assertThat(at(1000, look)).isEqualTo(CLOSE_IDLE);
    }

    @Test
    void beingBusyStartsTheGracePeriodAgain() {
        ConnectionVerdict.Look idle = idle();
        idle.http = true;
        assertThat(at(0, idle)).isEqualTo(WAIT);
        assertThat(at(600, busy())).isEqualTo(WAIT);
        assertThat(at(1200, idle)).isEqualTo(WAIT);
        assertThat(at(2199, idle)).isEqualTo(WAIT);
        assertThat(at(2200, idle)).isEqualTo(CLOSE_IDLE);
    }

    @Test
    void aWriteSinceTheLastLookCountsAsActivityEvenIfEveryLookSawItIdle() {
        ConnectionVerdict.Look look = idle();
        look.http = true;
        assertThat(at(0, look)).isEqualTo(WAIT);
        look.lastWriteNanos = START + 900 * MS; // a whole exchange between two looks
        assertThat(at(1000, look)).isEqualTo(WAIT);
        assertThat(at(1899, look)).isEqualTo(WAIT);
        assertThat(at(1900, look)).isEqualTo(CLOSE_IDLE);
    }

    @Test
    void everySignOfWorkIsBusy() {
        ConnectionVerdict.Look[] looks = new ConnectionVerdict.Look[4];
        for (int i = 0; i < looks.length; i++) {
            looks[i] = idle();
            looks[i].http = true;
        }
        looks[0].unread = true;
        looks[1].inResponse = true;
        looks[2].answerOwed = true;
        looks[3].appWaits = ConnectionVerdict.APP_BUSY;
        for (ConnectionVerdict.Look look : looks) {
            ConnectionVerdict v = new ConnectionVerdict();
            assertThat(v.decide(look, START + 60_000 * MS, START, GRACE, LINGER)).isEqualTo(WAIT);
            assertThat(v.idleSince()).isEqualTo(-1);
        }
    }

    @Test
    void anIdleConnectionOfAnotherOrUnknownProtocolIsLeftToTheApp() {
        ConnectionVerdict.Look look = idle();
        assertThat(at(0, look)).isEqualTo(WAIT);
        assertThat(at(1000, look)).isEqualTo(RELEASE);
    }

    @Test
    void aConnectionWhoseClientClosedIsNotWaitedForOnceIdle() {
        ConnectionVerdict.Look look = idle();
        look.peerClosed = true;
        assertThat(at(0, look)).isEqualTo(RELEASE);
        ConnectionVerdict.Look busy = busy();
        busy.peerClosed = true;
        assertThat(new ConnectionVerdict().decide(busy, START, START, GRACE, LINGER))
                .as("a request it sent before closing its side is still answered").isEqualTo(WAIT);
    }

    @Test
    void anotherProtocolIsLeftToTheAppAfterTheGracePeriodEvenWhenBusy() {
        ConnectionVerdict.Look look = busy();
        look.otherProtocol = true;
        assertThat(at(999, look)).isEqualTo(WAIT);
        assertThat(at(1000, look)).isEqualTo(RELEASE);
    }

    @Test
    void anUpgradedConnectionIsWaitedForWhateverElse() {
        ConnectionVerdict.Look look = idle();
        look.upgraded = true;
        look.http = true;
        look.peerClosed = true;
        assertThat(at(60_000, look)).isEqualTo(WAIT);
    }

    @Test
    void aConnectionEndedByTheProtocolIsWaitedForItsClientsCloseThenNoLonger() {
        ConnectionVerdict.Look look = busy();
        look.finSentNanos = START + 200 * MS;
        assertThat(at(1199, look)).isEqualTo(WAIT);
        assertThat(at(1200, look)).isEqualTo(RELEASE);
    }

    @Test
    void onlyAConnectionThatShowsNoWorkItselfIsWorthAskingTheAppAbout() {
        assertThat(ConnectionVerdict.mayBeIdle(busy())).as("the app's view is what is asked").isTrue();
        ConnectionVerdict.Look[] looks = new ConnectionVerdict.Look[4];
        for (int i = 0; i < looks.length; i++) {
            looks[i] = idle();
        }
        looks[0].unread = true;
        looks[1].inResponse = true;
        looks[2].finSentNanos = START;
        looks[3].upgraded = true;
        for (ConnectionVerdict.Look look : looks) {
            assertThat(ConnectionVerdict.mayBeIdle(look)).isFalse();
        }
    }

    @Test
    void theGraceRunsOnlyForAConnectionIdleAtTheLastLookAndNotEndedOrUpgraded() {
        ConnectionVerdict.Look look = idle();
        look.http = true;
        assertThat(verdict.graceRunning(look)).as("never looked at").isFalse();
        assertThat(at(0, look)).isEqualTo(WAIT);
        assertThat(verdict.graceRunning(look)).isTrue();
        assertThat(at(100, busy())).isEqualTo(WAIT);
        assertThat(verdict.graceRunning(busy())).isFalse();
        assertThat(at(200, look)).isEqualTo(WAIT);
        look.finSentNanos = START + 250 * MS;
        assertThat(at(300, look)).isEqualTo(WAIT);
        assertThat(verdict.graceRunning(look)).as("ended: waiting for the client's close").isFalse();
        look.finSentNanos = 0;
        look.upgraded = true;
        assertThat(verdict.graceRunning(look)).isFalse();
    }
}
