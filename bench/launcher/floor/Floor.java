// The JVM floor for bench/launcher/run.py --floor: the least a Java start_server has to do
// (parse --port/--status-file/--interval, bind+listen, print, spawn the program, restart it on HUP,
// stop on TERM) with no library at all. Not a launcher: its child does not even get the socket fd.
// Comparing it with ours under the same JVM flags separates the JVM's own cost from the launcher's.
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

public final class Floor {
    public static void main(String[] args) throws Exception {
        String host = "0.0.0.0";
        int port = 0;
        String status = null;
        long intervalMs = 1000;
        int i = 0;
        for (; i < args.length && !args[i].equals("--"); i++) {
            String a = args[i];
            if (a.startsWith("--port=")) {
                String v = a.substring(7);
                int c = v.lastIndexOf(':');
                if (c >= 0) { host = v.substring(0, c); v = v.substring(c + 1); }
                port = Integer.parseInt(v);
            } else if (a.startsWith("--status-file=")) {
                status = a.substring(14);
            } else if (a.startsWith("--interval=")) {
                intervalMs = (long) (Double.parseDouble(a.substring(11)) * 1000);
            }
        }
        List<String> cmd = Arrays.asList(args).subList(i + 1, args.length);
        ServerSocketChannel ch = ServerSocketChannel.open();
        ch.bind(new InetSocketAddress(host, port), 4096);
        System.err.println("start_server (pid:" + ProcessHandle.current().pid() + ") starting now...");

        LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        Signal.handle(new Signal("HUP"), s -> events.add("HUP"));
        Signal.handle(new Signal("TERM"), s -> events.add("TERM"));
        Signal.handle(new Signal("INT"), s -> events.add("TERM"));

        int generation = 0;
        List<Process> live = new ArrayList<>();
        List<Integer> gens = new ArrayList<>();
        Process current = spawn(cmd, ++generation);
        live.add(current);
        gens.add(generation);
        writeStatus(status, gens, live);
        for (long n = 0; n < Long.MAX_VALUE; n++) {
            String ev = events.poll(1, TimeUnit.HOURS);
            if (ev == null) continue;
            if (ev.equals("TERM")) break;
            Process next = spawn(cmd, ++generation);
            live.add(next);
            gens.add(generation);
            writeStatus(status, gens, live);
            if (next.waitFor(intervalMs, TimeUnit.MILLISECONDS)) continue;
            for (int k = 0; k < live.size(); k++) {
                if (live.get(k) != next) live.get(k).destroy();
            }
            for (int k = 0; k < live.size(); k++) {
                if (live.get(k) != next) live.get(k).waitFor();
            }
            live.retainAll(List.of(next));
            gens.retainAll(List.of(generation));
            writeStatus(status, gens, live);
        }
        for (Process p : live) p.destroy();
        for (Process p : live) p.waitFor();
        if (status != null) Files.deleteIfExists(Path.of(status));
        System.exit(0);
    }

    private static Process spawn(List<String> cmd, int generation) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put("SERVER_STARTER_GENERATION", Integer.toString(generation));
        return pb.start();
    }

    private static void writeStatus(String status, List<Integer> gens, List<Process> live) throws IOException {
        if (status == null) return;
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < gens.size(); k++) sb.append(gens.get(k)).append(':').append(live.get(k).pid()).append('\n');
        Path tmp = Path.of(status + ".tmp");
        Files.writeString(tmp, sb);
        Files.move(tmp, Path.of(status), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
