package io.github.hotdeploy.launcher.supervision;

/**
 * Who watches the supervisor: the state file, systemd. Called on the supervisor's loop, so an
 * implementation must not block (a full notify socket drops a message rather than stall).
 */
public interface Observer {

    /** The state changed (only called when it did). */
    void changed(Snapshot snapshot);

    /** The loop is alive: due every heartbeat given to the {@link Supervisor}, when one is. */
    default void heartbeat() {
    }

    /** Watches nothing. */
    Observer NONE = snapshot -> { };

    /** Both, in order. */
    static Observer both(Observer first, Observer second) {
        return new Observer() {
            @Override
            public void changed(Snapshot snapshot) {
                first.changed(snapshot);
                second.changed(snapshot);
            }

            @Override
            public void heartbeat() {
                first.heartbeat();
                second.heartbeat();
            }
        };
    }
}
