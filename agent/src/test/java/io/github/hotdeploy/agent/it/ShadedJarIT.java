package io.github.hotdeploy.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.hotdeploy.agent.it.support.Jdks;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The jar we ship: self-contained, relocated, Java 8 bytecode with no lambda or method reference
 * (docs/agent.md, "Rules for code in the agent"), with the agent manifest.
 */
class ShadedJarIT {

    @Test
    void manifestDeclaresTheAgent() throws IOException {
        try (JarFile jar = new JarFile(Jdks.agentJar())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertThat(main.getValue("Premain-Class")).isEqualTo("io.github.hotdeploy.agent.AgentMain");
            assertThat(main.getValue("Agent-Class")).isEqualTo("io.github.hotdeploy.agent.AgentMain");
            assertThat(main.getValue("Can-Retransform-Classes")).isEqualTo("true");
        }
    }

    @Test
    void everythingIsOursOrRelocatedAndJava8() throws IOException {
        List<String> foreign = new ArrayList<>();
        List<String> tooNew = new ArrayList<>();
        List<String> lambdas = new ArrayList<>();
        try (JarFile jar = new JarFile(Jdks.agentJar())) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                String name = entry.getName();
                if (name.startsWith("META-INF/versions/") || name.equals("module-info.class")) {
                    foreign.add(name);
                }
                if (!name.endsWith(".class")) {
                    continue;
                }
                if (!name.startsWith("io/github/hotdeploy/agent/")) {
                    foreign.add(name);
                }
                byte[] bytes;
                try (InputStream in = jar.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                DataInputStream data = new DataInputStream(new ByteArrayInputStream(bytes));
                data.readInt();
                data.readUnsignedShort();
                if (data.readUnsignedShort() > 52) {
                    tooNew.add(name);
                }
                // A lambda or method reference is an invokedynamic bootstrapped by LambdaMetafactory:
                // each one spins a class at first use, tens of ms per start-up on JDK 18+.
                if (name.startsWith("io/github/hotdeploy/agent/") && !name.startsWith("io/github/hotdeploy/agent/shaded/net/")
                        && new String(bytes, StandardCharsets.ISO_8859_1).contains("java/lang/invoke/LambdaMetafactory")) {
                    lambdas.add(name);
                }
            }
            assertThat(jar.getEntry("io/github/hotdeploy/agent/shaded/net/bytebuddy/jar/asm/ClassReader.class")).isNotNull();
            assertThat(jar.getEntry("io/github/hotdeploy/agent/shaded/protocol/ServerStarterPort.class")).isNotNull();
            assertThat(jar.getEntry("io/github/hotdeploy/agent/bootstrap/StartServerAgentBridge.bin"))
                    .as("the java.base bridge ships as a resource, never as a loadable class").isNotNull();
        }
        assertThat(foreign).isEmpty();
        assertThat(tooNew).isEmpty();
        assertThat(lambdas).as("classes of ours with a lambda or method reference").isEmpty();
    }
}
