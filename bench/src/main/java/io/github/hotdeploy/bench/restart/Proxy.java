package io.github.hotdeploy.bench.restart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * A real reverse proxy from Debian in front of start_server, configured the way production runs
 * one: nginx with an upstream keep-alive pool ({@code keepalive}, HTTP/1.1, {@code Connection ""}),
 * HAProxy with {@code http-reuse always}. Loopback only; the configuration is generated into the
 * scenario's directory and logs go there too, so that {@link ProxyLog} can read what the proxy
 * saw: the statuses it answered and the upstream requests it retried.
 */
final class Proxy implements AutoCloseable {

    static final Set<String> NAMES = Set.of("nginx", "haproxy");
    /** Idle upstream connections each proxy may keep: more than the clients' connections, so none is closed for lack of room. */
    static final int POOL = 64;

    private final String name;
    private final Path dir;
    private final int port;
    private Child process;

    private Proxy(String name, Path dir, int port) {
        this.name = name;
        this.dir = dir;
        this.port = port;
    }

    /** Writes the configuration for a proxy on {@code port} in front of {@code upstreamPort}. */
    static Proxy prepare(String name, Path dir, int port, int upstreamPort) throws IOException {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown proxy '" + name + "'; known: " + String.join(",", NAMES));
        }
        Path d = Files.createDirectories(dir.resolve(name));
        Proxy p = new Proxy(name, d, port);
        if (name.equals("nginx")) {
            p.writeNginx(upstreamPort);
        } else {
            p.writeHaproxy(upstreamPort);
        }
        return p;
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    Path dir() {
        return dir;
    }

    private void writeNginx(int upstreamPort) throws IOException {
        // Workers run as nobody when nginx starts as root: their temp files need a directory they may write.
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        String conf = """
                # written by the restart harness: nginx in front of start_server, upstream keep-alive
                daemon off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;
                events { worker_connections 4096; }
                http {
                    # Every upstream try of a request: "502, 200" is a request nginx sent again.
                    log_format upstream '$status $request_method "$upstream_status" "$upstream_addr" $request_time "$request_uri"';
                    access_log %1$s/access.log upstream;
                    client_body_temp_path %2$s/body;
                    proxy_temp_path %2$s/proxy;
                    fastcgi_temp_path %2$s/fastcgi;
                    uwsgi_temp_path %2$s/uwsgi;
                    scgi_temp_path %2$s/scgi;
                    upstream app {
                        server 127.0.0.1:%3$d;
                        keepalive %4$d;
                    }
                    server {
                        listen 127.0.0.1:%5$d;
                        location / {
                            proxy_pass http://app;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                        }
                    }
                }
                """.formatted(dir, tmp, upstreamPort, POOL, port);
        Files.writeString(dir.resolve("nginx.conf"), conf, StandardCharsets.UTF_8);
    }

    private void writeHaproxy(int upstreamPort) throws IOException {
        String conf = """
                # written by the restart harness: HAProxy in front of start_server, server connections reused
                global
                    log stdout format raw local0
                    maxconn 4096
                defaults
                    mode http
                    log global
                    # status, retries (%%rc), termination state (%%tsc: ---- when nothing went wrong), method,
                    # time to the response, the request line
                    log-format "HAPROXY %%ST %%rc %%tsc %%HM %%Tr %%b/%%s \\"%%HU\\""
                    timeout connect 5s
                    timeout client 60s
                    timeout server 60s
                    http-reuse always
                frontend front
                    bind 127.0.0.1:%1$d
                    default_backend app
                backend app
                    server app 127.0.0.1:%2$d maxconn %3$d
                """.formatted(port, upstreamPort, POOL);
        Files.writeString(dir.resolve("haproxy.cfg"), conf, StandardCharsets.UTF_8);
    }

    void start() throws IOException, InterruptedException {
        List<String> cmd = name.equals("nginx")
                ? List.of("nginx", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(), "-e", dir.resolve("error.log").toString())
                : List.of("haproxy", "-db", "-f", dir.resolve("haproxy.cfg").toString());
        process = Child.start(name, cmd, dir.resolve("process.log"), null);
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                if (!process.alive()) {
                    throw new IOException(name + " exited at start (see " + dir.resolve("process.log") + ")");
                }
                Thread.sleep(50);
            }
        }
        throw new IOException(name + " did not listen on " + port + " within 15 s (see " + dir + ")");
    }

    /** What the proxy logged: read once it has stopped (nginx flushes its access log on exit). */
    ProxyLog log() throws IOException {
        return name.equals("nginx")
                ? ProxyLog.nginx(dir.resolve("access.log"), dir.resolve("error.log"))
                : ProxyLog.haproxy(dir.resolve("process.log"));
    }

    @Override
    public void close() {
        if (process != null) {
            // nginx: TERM is its fast shutdown; HAProxy in -db mode stops on TERM as well.
            process.stop(10_000);
            try {
                process.awaitOutput(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
