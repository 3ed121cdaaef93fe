package io.github.hotdeploy.launcher.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.launcher.os.SocketAddresses;
import io.github.hotdeploy.launcher.sockets.ListenSpec;
import io.github.hotdeploy.launcher.sockets.PortSpecParser;
import io.github.hotdeploy.launcher.sockets.UnixListenSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SocketActivationTest {
    private static final Path CWD = Path.of("/srv/app");
    private static final Function<String, byte[]> RESOLVER = host -> host.equals("localhost")
            ? new byte[] {127, 0, 0, 1} : host.matches("[0-9.]+") ? ipv4(host) : null;

    private static byte[] ipv4(String dotted) {
        String[] parts = dotted.split("\\.");
        return new byte[] {(byte) Integer.parseInt(parts[0]), (byte) Integer.parseInt(parts[1]),
            (byte) Integer.parseInt(parts[2]), (byte) Integer.parseInt(parts[3])};
    }

    private static PassedSocket tcp4(int fd, String ip, int port) {
        return new PassedSocket(fd, "", SocketAddresses.AF_INET, SocketAddresses.SOCK_STREAM, true, ipv4(ip), port, null);
    }

    private static PassedSocket tcp6(int fd, byte[] ip, int port) {
        return new PassedSocket(fd, "", SocketAddresses.AF_INET6, SocketAddresses.SOCK_STREAM, true, ip, port, null);
    }

    private static PassedSocket udp4(int fd, String ip, int port) {
        return new PassedSocket(fd, "", SocketAddresses.AF_INET, SocketAddresses.SOCK_DGRAM, false, ipv4(ip), port, null);
    }

    private static PassedSocket unix(int fd, String path) {
        return new PassedSocket(fd, "", SocketAddresses.AF_UNIX, SocketAddresses.SOCK_STREAM, true, null, -1, path);
    }

    private static ListenSpec port(String spec) {
        return PortSpecParser.parse(spec);
    }

    private static final byte[] ANY6 = new byte[16];
    private static final byte[] LOOPBACK6 = new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

    @Test
    void withoutOptionsEverySocketIsTakenWithTheKeyItWouldHaveHad() {
        SocketActivation.Plan plan = SocketActivation.plan(List.of(), List.of(tcp4(3, "0.0.0.0", 8080),
                tcp4(4, "127.0.0.1", 8081), tcp6(5, ANY6, 8082), tcp6(6, LOOPBACK6, 8083), udp4(7, "0.0.0.0", 53),
                unix(8, "/run/app.sock")), RESOLVER, CWD);
        assertThat(plan.specs()).extracting(ListenSpec::key)
                .containsExactly("8080", "127.0.0.1:8081", "[::]:8082", "[::1]:8083", "53", "/run/app.sock");
        assertThat(plan.specs()).extracting(ListenSpec::requestedFd).allMatch(fd -> fd.isEmpty());
        assertThat(plan.inherited()).containsExactly(3, 4, 5, 6, 7, 8);
        assertThat(plan.unused()).isEmpty();
    }

    @Test
    void eachOptionTakesTheSocketOnItsAddressInTheOptionsOrder() {
        List<ListenSpec> specs = List.of(new UnixListenSpec("app.sock"), port("localhost:8081"), port("8080"));
        SocketActivation.Plan plan = SocketActivation.plan(specs, List.of(tcp6(3, ANY6, 8080),
                tcp4(4, "127.0.0.1", 8081), unix(5, "/srv/app/app.sock")), RESOLVER, CWD);
        assertThat(plan.specs()).isEqualTo(specs);
        assertThat(plan.inherited()).as("a bare port takes systemd's dual-stack ListenStream=8080").containsExactly(5, 4, 3);
    }

    @Test
    void anOptionNothingWasPassedForIsBoundAndAPassedSocketNoOptionTakesIsLeftOut() {
        PassedSocket admin = tcp4(4, "127.0.0.1", 9090);
        SocketActivation.Plan plan = SocketActivation.plan(List.of(port("8080"), port("127.0.0.1:8081")),
                List.of(tcp4(3, "0.0.0.0", 8080), admin), RESOLVER, CWD);
        assertThat(plan.inherited()).containsExactly(3, -1);
        assertThat(plan.unused()).containsExactly(admin);
    }

    @Test
    void addressProtocolAndFamilyMustAgree() {
        PassedSocket loopback = tcp4(3, "127.0.0.1", 8080);
        assertThat(SocketActivation.matches(port("8080"), loopback, RESOLVER, CWD))
                .as("a wildcard option never takes a narrower socket").isFalse();
        assertThat(SocketActivation.matches(port("127.0.0.2:8080"), loopback, RESOLVER, CWD)).isFalse();
        assertThat(SocketActivation.matches(port("127.0.0.1:8081"), loopback, RESOLVER, CWD)).isFalse();
        assertThat(SocketActivation.matches(port("127.0.0.1:u8080"), loopback, RESOLVER, CWD)).as("UDP").isFalse();
        assertThat(SocketActivation.matches(port("u53"), udp4(3, "0.0.0.0", 53), RESOLVER, CWD)).isTrue();
        assertThat(SocketActivation.matches(port("[::1]:8080"), tcp6(3, LOOPBACK6, 8080), RESOLVER, CWD)).isTrue();
        assertThat(SocketActivation.matches(port("[::1]:8080"), tcp6(3, ANY6, 8080), RESOLVER, CWD)).isFalse();
        assertThat(SocketActivation.matches(port("[::]:8080"), tcp6(3, ANY6, 8080), RESOLVER, CWD)).isTrue();
        assertThat(SocketActivation.matches(port("0.0.0.0:8080"), tcp6(3, ANY6, 8080), RESOLVER, CWD)).isTrue();
        assertThat(SocketActivation.matches(port("unknown.invalid:8080"), loopback, RESOLVER, CWD)).isFalse();
        assertThat(SocketActivation.matches(new UnixListenSpec("/srv/app/./app.sock"), unix(3, "/srv/app/app.sock"),
                RESOLVER, CWD)).isTrue();
        assertThat(SocketActivation.matches(new UnixListenSpec("app.sock"), unix(3, "@app.sock"), RESOLVER, CWD)).isFalse();
    }

    @Test
    void aUnixSocketsAddressAsTheKernelGivesIt() {
        byte[] path = SocketAddresses.unix("/run/app.sock");
        assertThat(PassedSocket.unixPath(path, path.length)).isEqualTo("/run/app.sock");
        byte[] named = SocketAddresses.unixAbstract("app");
        assertThat(PassedSocket.unixPath(named, named.length)).isEqualTo("@app");
        assertThat(PassedSocket.unixPath(new byte[] {1, 0}, 2)).isEmpty();
    }
}
