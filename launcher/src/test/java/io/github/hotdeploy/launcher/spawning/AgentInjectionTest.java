package io.github.hotdeploy.launcher.spawning;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent option chosen for a java command, and proof with real JVMs that the chosen form
 * starts: the premain runs and so does the application, on the class path and as a module.
 */
class AgentInjectionTest {

    private static final Path JAVA = Path.of(ProcessHandle.current().info().command().orElseThrow());

    @TempDir
    static Path work;
    private static Path agentJar;
    private static Path appJar;
    private static Path modules;

    @BeforeAll
    static void buildAgentAndApps() throws IOException {
        Path src = Files.createDirectories(work.resolve("src/probe"));
        Files.writeString(src.resolve("Agent.java"), """
                package probe;
                public class Agent {
                    public static void premain(String args, java.lang.instrument.Instrumentation inst) {
                        System.out.println("premain " + args + " module graph " + (ModuleLayer.boot()
                                .findModule("java.instrument").isPresent() ? "has" : "lacks") + " java.instrument");
                    }
                }
                """);
        Files.writeString(src.resolve("App.java"), """
                package probe;
                public class App {
                    public static void main(String[] args) {
                        System.out.println("main");
                    }
                }
                """);
        Path modSrc = Files.createDirectories(work.resolve("modsrc/m/app"));
        Files.writeString(work.resolve("modsrc/m/module-info.java"), "module m { }\n");
        Files.writeString(modSrc.resolve("Main.java"), """
                package app;
                public class Main {
                    public static void main(String[] args) {
                        System.out.println("main");
                    }
                }
                """);
        Path classes = work.resolve("classes");
        modules = work.resolve("mods");
        compile(classes, src.resolve("Agent.java"), src.resolve("App.java"));
        compile(modules.resolve("m"), work.resolve("modsrc/m/module-info.java"), modSrc.resolve("Main.java"));
        agentJar = jar(classes, work.resolve("agent.jar"), "Premain-Class", "probe.Agent");
        appJar = jar(classes, work.resolve("app.jar"), "Main-Class", "probe.App");
    }

    @Test
    void a_class_path_launch_on_this_runtime_gets_the_agentlib_form_and_it_starts() throws Exception {
        List<String> args = List.of("-jar", appJar.toString());
        String option = AgentInjection.option(JAVA, args, Map.of(), agentJar, "x=1");

        assertThat(option).isEqualTo("-agentlib:instrument=" + agentJar + "=x=1");
        assertThat(run(option, args)).containsExactly("premain x=1 module graph has java.instrument", "main");
    }

    @Test
    void a_modular_launch_gets_the_javaagent_form_which_starts_where_the_other_would_abort() throws Exception {
        List<String> args = List.of("-p", modules.toString(), "-m", "m/app.Main");
        String option = AgentInjection.option(JAVA, args, Map.of(), agentJar, "");

        assertThat(option).isEqualTo("-javaagent:" + agentJar);
        assertThat(run(option, args)).satisfiesExactly(
                premain -> assertThat(premain).endsWith("module graph has java.instrument"),
                main -> assertThat(main).isEqualTo("main"));
        // what the check avoids: the same launch with the other form does not start
        Process aborted = start("-agentlib:instrument=" + agentJar, args);
        assertThat(aborted.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(aborted.exitValue()).isNotZero();
    }

    @Test
    void anything_that_may_shrink_the_module_graph_keeps_the_javaagent_form() {
        for (List<String> args : List.of(List.of("--module", "m/app.Main"), List.of("--module=m/app.Main"),
                List.of("--limit-modules", "java.base", "-jar", "app.jar"), List.of("--limit-modules=java.base", "-jar", "a.jar"),
                List.of("--upgrade-module-path", "x", "-jar", "a.jar"), List.of("-Djdk.module.limitmods=java.base", "-cp", "a", "A"),
                List.of("@argfile"), List.of("-XX:VMOptionsFile=opts", "-jar", "a.jar"))) {
            assertThat(AgentInjection.option(JAVA, args, Map.of(), agentJar, "")).as("%s", args).startsWith("-javaagent:");
        }
        for (Map<String, String> env : List.of(Map.of("JDK_JAVA_OPTIONS", "--limit-modules java.base"),
                Map.of("JDK_JAVA_OPTIONS", "@opts"), Map.of("JAVA_TOOL_OPTIONS", "-Djdk.module.limitmods=java.base"),
                Map.of("_JAVA_OPTIONS", "--upgrade-module-path=x"))) {
            assertThat(AgentInjection.option(JAVA, List.of("-jar", "a.jar"), env, agentJar, "")).as("%s", env)
                    .startsWith("-javaagent:");
        }
        assertThat(AgentInjection.option(JAVA, List.of("-Xmx64m", "-cp", "a.jar", "A", "arg"),
                Map.of("JAVA_TOOL_OPTIONS", "-Xss1m -Dfoo=bar"), agentJar, "")).startsWith("-agentlib:instrument=");
    }

    @Test
    void the_runtime_must_be_modular_and_list_java_instrument() throws IOException {
        assertThat(AgentInjection.modularRuntimeWithInstrument(runtime("jdk8", "JAVA_VERSION=\"1.8.0_412\"\n"))).isFalse();
        assertThat(AgentInjection.modularRuntimeWithInstrument(runtime("full",
                "JAVA_VERSION=\"21.0.5\"\nMODULES=\"java.base java.instrument java.logging\"\n"))).isTrue();
        assertThat(AgentInjection.modularRuntimeWithInstrument(runtime("jlinked",
                "JAVA_VERSION=\"21.0.5\"\nMODULES=\"java.base java.logging jdk.httpserver\"\n"))).isFalse();
        assertThat(AgentInjection.modularRuntimeWithInstrument(runtime("prefix",
                "JAVA_VERSION=\"21.0.5\"\nMODULES=\"java.base java.instrumentation\"\n"))).isFalse();
        assertThat(AgentInjection.modularRuntimeWithInstrument(runtime("unknown", "IMPLEMENTOR=\"someone\"\n"))).isFalse();
        assertThat(AgentInjection.modularRuntimeWithInstrument(work.resolve("nowhere/bin/java"))).isFalse();
    }

    private static Path runtime(String name, String release) throws IOException {
        Path home = Files.createDirectories(work.resolve(name + "/bin"));
        Path java = home.resolve("java");
        Files.writeString(java, "");
        Files.writeString(work.resolve(name + "/release"), release);
        return java;
    }

    private static List<String> run(String option, List<String> args) throws Exception {
        Process p = start(option, args);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().toList();
    }

    private static Process start(String option, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(JAVA.toString(), option));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static void compile(Path out, Path... sources) {
        List<String> args = new ArrayList<>(List.of("-d", out.toString()));
        for (Path s : sources) {
            args.add(s.toString());
        }
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(new String[0]))).isZero();
    }

    private static Path jar(Path classes, Path jar, String attribute, String value) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(new Attributes.Name(attribute), value);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (String name : List.of("probe/Agent.class", "probe/App.class")) {
                out.putNextEntry(new JarEntry(name));
                out.write(Files.readAllBytes(classes.resolve(name)));
                out.closeEntry();
            }
        }
        return jar;
    }
}
