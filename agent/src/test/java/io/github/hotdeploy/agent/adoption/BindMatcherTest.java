package io.github.hotdeploy.agent.adoption;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BindMatcherTest {

    private static final InheritedListener WILDCARD_8080 =
            InheritedListener.forTest("8080", 3, new InetSocketAddress("0.0.0.0", 8080), null);
    private static final InheritedListener LOOPBACK_8081 =
            InheritedListener.forTest("127.0.0.1:8081", 4, new InetSocketAddress("127.0.0.1", 8081), null);
    private static final InheritedListener V6_WILDCARD_8082 =
            InheritedListener.forTest("[::]:8082", 5, new InetSocketAddress("::", 8082), null);
    private static final InheritedListener UNIX =
            InheritedListener.forTest("/run/app.sock", 6, null, "/run/app.sock");
    private static final List<InheritedListener> ALL =
            Arrays.asList(WILDCARD_8080, LOOPBACK_8081, V6_WILDCARD_8082, UNIX);

    @Test
    void wildcardBindTakesTheWildcardSocket() throws Exception {
        assertThat(BindMatcher.inet(ALL, InetAddress.getByName("0.0.0.0"), 8080).listener).isSameAs(WILDCARD_8080);
        assertThat(BindMatcher.inet(ALL, InetAddress.getByName("::"), 8080).listener).isSameAs(WILDCARD_8080);
        assertThat(BindMatcher.inet(ALL, InetAddress.getByName("0.0.0.0"), 8082).listener).isSameAs(V6_WILDCARD_8082);
    }

    @Test
    void sameSpecificAddressMatches() throws Exception {
        assertThat(BindMatcher.inet(ALL, InetAddress.getByName("127.0.0.1"), 8081).listener).isSameAs(LOOPBACK_8081);
    }

    @Test
    void wildcardBindTakesASpecificSocketOnTheSamePort() throws Exception {
        // The operator chose the address on start_server's command line; it only narrows.
        assertThat(BindMatcher.inet(ALL, InetAddress.getByName("0.0.0.0"), 8081).listener).isSameAs(LOOPBACK_8081);
    }

    @Test
    void specificBindNeverTakesAWildcardSocketAndSaysWhy() throws Exception {
        BindMatcher.Match match = BindMatcher.inet(ALL, InetAddress.getByName("127.0.0.1"), 8080);
        assertThat(match.listener).isNull();
        assertThat(match.mismatch).contains("127.0.0.1:8080").contains("'8080'");
    }

    @Test
    void otherPortsAndEphemeralBindsMatchNothingSilently() throws Exception {
        for (int port : new int[] {0, 9999}) {
            BindMatcher.Match match = BindMatcher.inet(ALL, InetAddress.getByName("0.0.0.0"), port);
            assertThat(match.listener).isNull();
            assertThat(match.mismatch).isNull();
        }
        assertThat(BindMatcher.inet(ALL, InetAddress.getByName("10.1.2.3"), 8081).listener).isNull();
    }

    @Test
    void unixSocketsMatchByPath() {
        assertThat(BindMatcher.unix(ALL, "/run/app.sock").listener).isSameAs(UNIX);
        assertThat(BindMatcher.unix(ALL, "/run/../run/app.sock").listener).isSameAs(UNIX);
        assertThat(BindMatcher.unix(ALL, "/run/other.sock").listener).isNull();
        assertThat(BindMatcher.unix(ALL, "").listener).isNull();
    }
}
