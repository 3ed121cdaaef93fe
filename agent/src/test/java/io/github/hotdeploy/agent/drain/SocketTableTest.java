package io.github.hotdeploy.agent.drain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SocketTableTest {

    private static final String HEADER_LESS_LINE =
            "   3: 0100007F:1F90 0100007F:D2F4 01 000000AA:00000053 00:00000000 00000000  1000        0 4242 1 0000000000000000 20 4 30 10 -1";

    @Test
    void readsStateAndQueuesOfOurConnection() {
        SocketTable.Connection c = SocketTable.parse(HEADER_LESS_LINE, Set.of(8080), Map.of(4242L, 17));
        assertThat(c).isNotNull();
        assertThat(c.fd).isEqualTo(17);
        assertThat(c.state).isEqualTo(SocketTable.ESTABLISHED);
        assertThat(c.unsent).isEqualTo(0xAA);
        assertThat(c.unread).isEqualTo(0x53);
    }

    @Test
    void ignoresOtherPortsOtherProcessesAndListeners() {
        assertThat(SocketTable.parse(HEADER_LESS_LINE, Set.of(8081), Map.of(4242L, 17))).isNull();
        assertThat(SocketTable.parse(HEADER_LESS_LINE, Set.of(8080), Map.of(1L, 17))).isNull();
        String listener = HEADER_LESS_LINE.replace(" 01 000000AA", " 0A 000000AA");
        assertThat(SocketTable.parse(listener, Set.of(8080), Map.of(4242L, 17))).isNull();
    }

    @Test
    void readsIpv6Lines() {
        String v6 = "   0: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000100007F:D2F4 08 "
                + "00000010:00000002 00:00000000 00000000  1000        0 99 1 0000000000000000 20 4 30 10 -1";
        SocketTable.Connection c = SocketTable.parse(v6, Set.of(8080), Map.of(99L, 5));
        assertThat(c).isNotNull();
        assertThat(c.fd).isEqualTo(5);
        assertThat(c.inode).isEqualTo(99L);
        assertThat(c.state).isEqualTo(0x08); // CLOSE_WAIT: the peer closed its side
        assertThat(c.unsent).isEqualTo(0x10);
        assertThat(c.unread).isEqualTo(0x02);
    }

    @Test
    void readsTheInodeOfASocketLinkOnly() {
        assertThat(SocketTable.socketInode("socket:[4242]")).isEqualTo(4242L);
        assertThat(SocketTable.socketInode("anon_inode:[eventpoll]")).isEqualTo(-1L);
        assertThat(SocketTable.socketInode("/dev/null")).isEqualTo(-1L);
        assertThat(SocketTable.socketInode("socket:[x]")).isEqualTo(-1L);
    }

    @Test
    void readsTheInodesOfUnixSockets() {
        String table = "Num       RefCount Protocol Flags    Type St Inode Path\n"
                + "0000000000000000: 00000002 00000000 00010000 0001 01 27 /run/x.sock\n"
                + "0000000000000000: 00000003 00000000 00000000 0001 03 9\n"
                + "0000000000000000: 00000003 00000000 00000000 0002 01 12 @abstract\n";
        assertThat(SocketTable.unixInodes(table)).containsExactly(9L, 12L, 27L);
    }

    @Test
    void theLiveTableHasAUnixSocketThisProcessJustOpened() throws Exception {
        Set<Long> before = ownSocketInodes();
        Path path = Files.createTempDirectory("socket-table-test-").resolve("s.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            Set<Long> opened = ownSocketInodes();
            opened.removeAll(before);
            assertThat(opened).hasSize(1);
            long[] live = SocketTable.unixInodes();
            assertThat(live).isSorted().contains(opened.iterator().next());
        } finally {
            Files.deleteIfExists(path);
            Files.deleteIfExists(path.getParent());
        }
    }

    /** The socket inodes of this JVM's open descriptors, read as the agent reads them. */
    private static Set<Long> ownSocketInodes() throws Exception {
        Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    long inode = SocketTable.socketInode(Files.readSymbolicLink(fd).toString());
                    if (inode >= 0) {
                        inodes.add(inode);
                    }
                } catch (java.nio.file.NoSuchFileException closedMeanwhile) {
                    // the directory stream's own fd, or one another thread closed
                }
            }
        }
        return inodes;
    }
}
