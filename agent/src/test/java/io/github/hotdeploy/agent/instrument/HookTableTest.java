package io.github.hotdeploy.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
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
    void aLoadedClassIsAskedByItsBinaryNameAsTheTransformerWouldBeByItsInternalOne() {
        HookTable startUp = HookTable.forStartUp(true, true, true);
        HookTable writes = HookTable.drainWrites();
        for (String binaryName : List.of("sun.nio.ch.Net", "sun.nio.ch.SelectorImpl", "java.lang.ProcessImpl",
                "org.apache.commons.daemon.support.DaemonLoader", "io.netty.channel.unix.Socket",
                "io.grpc.netty.shaded.io.netty.channel.unix.Socket", "sun.nio.ch.IOUtil",
                "io.netty.handler.codec.http.HttpResponseEncoder", "shaded.io.netty.handler.codec.http.HttpResponseEncoder",
                "io.netty.channel.unix.SocketWritableByteChannel", "my.io.netty.channel.unixSocket",
                "xio.netty.channel.unix.Socket", "sun.nio.ch.NetHooks", "java.lang.String", "Socket", "")) {
            String internalName = binaryName.replace('.', '/');
            assertThat(startUp.hooks(binaryName)).as("start-up: " + binaryName)
                    .isEqualTo(!startUp.forClass(internalName).isEmpty());
            assertThat(writes.hooks(binaryName)).as("drain writes: " + binaryName)
                    .isEqualTo(!writes.forClass(internalName).isEmpty());
        }
        assertThat(startUp.hooks("io.grpc.netty.shaded.io.netty.channel.unix.Socket")).isTrue();
        assertThat(startUp.hooks("xio.netty.channel.unix.Socket")).isFalse();
        assertThat(writes.hooks("shaded.io.netty.handler.codec.http.HttpResponseEncoder")).isTrue();
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
    void processesTheAppStartsAreReportedOnlyWithANotifyFd() {
        assertThat(new HookTable(false, true).forClass(HookTable.PROCESS_IMPL)).isEmpty();
        assertThat(new HookTable(true, false).forClass(HookTable.PROCESS_IMPL))
                .allMatch(hook -> hook.atReturn && hook.methodName.equals("<init>")).hasSize(2);
        assertThat(new HookTable(true, false).forClass(HookTable.UNIX_PROCESS)).hasSize(2);
    }

    @Test
    void jsvcsCallOfTheDaemonsStopIsHookedOnlyInsideJsvcWithADrain() {
        assertThat(HookTable.forStartUp(true, true, true).forClass(HookTable.DAEMON_LOADER)).singleElement()
                .matches(hook -> hook.matches("stop", "()Z") && !hook.skipsOnTrue() && !hook.atReturn);
        assertThat(HookTable.forStartUp(true, false, true).forClass(HookTable.DAEMON_LOADER)).as("no drain").isEmpty();
        assertThat(HookTable.forStartUp(true, true, false).forClass(HookTable.DAEMON_LOADER)).as("not jsvc").isEmpty();
        assertThat(HookTable.isOutsideTheJdk(HookTable.DAEMON_LOADER)).as("gets access to the bridge").isTrue();
    }

    @Test
    void theDrainLearnsSelectorsAsTheyAreOpenedNotOnEachRegistration() {
        assertThat(new HookTable(true, true).forClass(HookTable.SELECTOR))
                .noneMatch(hook -> hook.methodName.equals("register"))
                .anyMatch(hook -> hook.methodName.equals("<init>") && hook.atReturn);
        assertThat(new HookTable(true, false).forClass(HookTable.SELECTOR)).noneMatch(hook -> hook.atReturn);
    }

    @Test
    void everyHookCallsAPublicStaticMethodTheShippedBridgeHas() throws IOException {
        Set<String> bridgeMethods = new HashSet<>();
        try (InputStream in = io.github.hotdeploy.agent.bootstrap.BridgeInstaller.class
                .getResourceAsStream("StartServerAgentBridge.bin")) {
            new ClassReader(in.readAllBytes()).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                        String[] exceptions) {
                    if ((access & Opcodes.ACC_PUBLIC) != 0 && (access & Opcodes.ACC_STATIC) != 0) {
                        bridgeMethods.add(name + descriptor);
                    }
                    return null;
                }
            }, ClassReader.SKIP_CODE);
        }
        List<String> missing = new ArrayList<>();
        for (HookTable table : List.of(HookTable.forStartUp(true, true, true), HookTable.drainWrites())) {
            List<String> classes = new ArrayList<>();
            table.namedClasses().forEach(classes::add);
            classes.add(HookTable.NETTY_SOCKET_SUFFIX);
            classes.add(HookTable.NETTY_RESPONSE_ENCODER_SUFFIX);
            for (String owner : classes) {
                for (Hook hook : table.forClass(owner)) {
                    if (!bridgeMethods.contains(hook.bridgeMethod + hook.bridgeDescriptor)) {
                        missing.add(owner + "." + hook + " -> " + hook.bridgeMethod + hook.bridgeDescriptor);
                    }
                }
            }
        }
        assertThat(missing).as("hooks calling a bridge method that does not exist").isEmpty();
    }

    @Test
    void theDrainsWritePathIsHookedOnlyInItsOwnTable() {
        HookTable startUp = new HookTable(true, true);
        HookTable drain = HookTable.drainWrites();
        assertThat(startUp.forClass(HookTable.IO_UTIL)).isEmpty();
        assertThat(startUp.forClass(HookTable.SSL_ENGINE)).isEmpty();
        // Two writes (one buffer, gathering) and two reads (one buffer, scattering): the reads tell a
        // connection that speaks another protocol from one that is merely slow.
        assertThat(drain.forClass(HookTable.IO_UTIL)).hasSize(4).allMatch(hook -> hook.around);
        assertThat(drain.forClass(HookTable.IO_UTIL)).filteredOn(hook -> hook.toString().startsWith("read"))
                .hasSize(2);
        assertThat(drain.forClass(HookTable.SSL_ENGINE)).hasSize(1);
        assertThat(drain.forClass("io/grpc/netty/shaded/io/netty/handler/codec/http/HttpResponseEncoder")).hasSize(1);
        assertThat(drain.forClass(HookTable.NET)).isEmpty();
    }

    @Test
    void aShadedNettysDescriptorMatchesTheHooksDescriptor() {
        String shaded = "(Lio/grpc/netty/shaded/io/netty/buffer/ByteBuf;Lio/grpc/netty/shaded/io/netty/handler/codec/http/HttpResponse;)V";
        assertThat(Hook.unshaded(shaded)).isEqualTo("(Lio/netty/buffer/ByteBuf;Lio/netty/handler/codec/http/HttpResponse;)V");
        assertThat(Hook.unshaded("(Ljava/lang/String;I)V")).isEqualTo("(Ljava/lang/String;I)V");
        Hook hook = HookTable.drainWrites().forClass(HookTable.NETTY_RESPONSE_ENCODER_SUFFIX).get(0);
        assertThat(hook.matches("encodeInitialLine", shaded)).isTrue();
        assertThat(hook.matches("encodeInitialLine", "(Lio/netty/buffer/ByteBuf;Lio/netty/handler/codec/http/HttpMessage;)V")).isFalse();
    }
}
