package io.github.hotdeploy.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerStarterPortTest {

    @Test
    void ipv6AddressesAreWrittenAsRfc5952Says() {
        assertThat(ServerStarterPort.ipv6Text(new byte[16])).isEqualTo("::");
        assertThat(ServerStarterPort.ipv6Text(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}))
                .isEqualTo("::1");
        assertThat(ServerStarterPort.ipv6Text(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1}))
                .isEqualTo("2001:db8::1:0:0:1");
        assertThat(ServerStarterPort.ipv6Text(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1}))
                .as("a single zero group stays").isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(ServerStarterPort.ipv6Text(new byte[] {(byte) 0xfe, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}))
                .isEqualTo("fe80::");
    }
}
