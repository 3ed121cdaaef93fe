package io.github.hotdeploy.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HookTableTest {

    @Test
    void nettySocketIsMatchedByNameSuffixSoShadedCopiesAreCaught() {
        assertThat(HookTable.isNettySocket("io/netty/channel/unix/Socket")).isTrue();
        assertThat(HookTable.isNettySocket("io/grpc/netty/shaded/io/netty/channel/unix/Socket")).isTrue();
        assertThat(HookTable.isNettySocket("com/example/myio/netty/channel/unix/Socket")).isFalse();
        assertThat(HookTable.isNettySocket("io/netty/channel/unix/SocketWritableByteChannel")).isFalse();
    }

    @Test
    void acceptHooksOnlyWhenReadinessIsWanted() {
        assertThat(new HookTable(false).forClass(HookTable.SELECTION_KEY)).isEmpty();
        assertThat(new HookTable(true).forClass(HookTable.SELECTION_KEY)).hasSize(1);
        // The drain keeps OP_ACCEPT off adopted listeners through the same hook.
        assertThat(new HookTable(false, true).forClass(HookTable.SELECTION_KEY)).hasSize(1);
        assertThat(new HookTable(false).forClass(HookTable.NET)).hasSize(1);
        assertThat(new HookTable(false).forClass("java/lang/String")).isEmpty();
    }

    @Test
    void theDrainLearnsSelectorsAsTheyAreOpenedNotOnEachRegistration() {
        assertThat(new HookTable(true, true).forClass(HookTable.SELECTOR))
                .noneMatch(hook -> hook.methodName.equals("register"))
                .anyMatch(hook -> hook.methodName.equals("<init>") && hook.atReturn);
        assertThat(new HookTable(true, false).forClass(HookTable.SELECTOR)).noneMatch(hook -> hook.atReturn);
    }
}
