package io.github.hotdeploy.launcher.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcNetTest {

    private static final String TCP = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:1F45 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 169553 1 00000000c3027c4f 100 0 0 10 0
               1: 00000000:1F90 00000000:0000 0A 00000000:00000064 00:00000000 00000000     0        0 167998 1 00000000ae8e8995 100 0 0 10 0
               2: 0100007F:1F90 0100007F:A829 01 00000000:00000000 00:00000000 00000000     0        0 170001 1 00000000ae8e8995 100 0 0 10 0
            """;
    private static final String TCP6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000000000000000000001000000:1F49 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 171717 1 0000000000000000 100 0 0 10 0
               1: 0000000000000000FFFF00000100007F:1F45 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 181818 1 0000000000000000 100 0 0 10 0
            """;

    @Test
    void readsTheListeningSocketsOfBothTables() throws Exception {
        List<ProcNet.Listener> v4 = ProcNet.parse(TCP);
        assertThat(v4).containsExactly(
                new ProcNet.Listener(InetAddress.getByName("127.0.0.1"), 8005, 169553),
                new ProcNet.Listener(InetAddress.getByName("0.0.0.0"), 8080, 167998));
        List<ProcNet.Listener> v6 = ProcNet.parse(TCP6);
        assertThat(v6).extracting(ProcNet.Listener::port).containsExactly(8009, 8005);
        assertThat(v6.get(0).address()).isEqualTo(InetAddress.getByName("::1"));
        assertThat(v6.get(1).inode()).isEqualTo(181818);
    }

    @Test
    void aBindConflictsOnTheSamePortWithTheSameHostOrAWildcard() throws Exception {
        ProcNet.Listener mapped = ProcNet.parse(TCP6).get(1); // ::ffff:127.0.0.1:8005
        assertThat(mapped.conflictsWith(InetAddress.getByName("127.0.0.1"), 8005)).isTrue();
        assertThat(mapped.conflictsWith(InetAddress.getByName("0.0.0.0"), 8005)).isTrue();
        assertThat(mapped.conflictsWith(InetAddress.getByName("127.0.0.2"), 8005)).isFalse();
        assertThat(mapped.conflictsWith(InetAddress.getByName("127.0.0.1"), 8006)).isFalse();
    }
}
