package io.github.hotdeploy.bench.load;

import io.github.hotdeploy.testapps.common.Bodies;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The requests a run cycles through, each with the body its answer must have. Either one GET of
 * {@code --path} (status checked, body not), or the checked kinds: {@code GET /bytes} of each
 * {@code --sizes} with a Content-Length and/or chunked ({@code --framing}), and {@code POST /echo}
 * of each {@code --post-sizes}; each kind in {@code --seeds} variants, so that a body from
 * another response is told apart. See test-apps' Bodies for what the servers answer.
 *
 * <p>Worker w sends exchange (w + n) mod size as its n-th request: every kind is sent by every
 * worker, in a fixed order, whatever the number of workers.
 */
final class Workload {

    /**
     * One request and its check.
     *
     * @param kind         index into {@link #kinds()}
     * @param expectedBody the 2xx body required byte for byte; null: any body
     * @param idempotent   whether a client may send it again on its own (GET), see --resend
     */
    record Exchange(int kind, byte[] request, byte[] expectedBody, boolean idempotent) {
    }

    /** How GET /bytes bodies are framed. */
    enum Framing {
        LENGTH, CHUNKED, BOTH;

        static Framing parse(String value) {
            return switch (value) {
                case "length" -> LENGTH;
                case "chunked" -> CHUNKED;
                case "both" -> BOTH;
                default -> throw new IllegalArgumentException("--framing expects length, chunked or both, got: " + value);
            };
        }
    }

    private final List<String> kinds;
    private final List<Exchange> exchanges;

    private Workload(List<String> kinds, List<Exchange> exchanges) {
        this.kinds = List.copyOf(kinds);
        this.exchanges = List.copyOf(exchanges);
    }

    static Workload plainGet(String host, int port, String path, Mode mode) {
        return new Workload(List.of("GET " + path), List.of(new Exchange(0, Request.get(host, port, path, mode), null, true)));
    }

    static Workload checked(String host, int port, Mode mode, List<Integer> sizes, Framing framing, List<Integer> postSizes,
                            int seeds) {
        List<String> kinds = new ArrayList<>();
        // byKind.get(k).get(seed); flattened seed by seed below, so that consecutive requests of a
        // worker are of different kinds.
        List<List<Exchange>> byKind = new ArrayList<>();
        for (int size : sizes) {
            for (boolean chunked : new boolean[] {false, true}) {
                if (chunked ? framing == Framing.LENGTH : framing == Framing.CHUNKED) {
                    continue;
                }
                int kind = kinds.size();
                kinds.add("GET " + size + " B" + (chunked ? " chunked" : ""));
                List<Exchange> variants = new ArrayList<>();
                for (int seed = 0; seed < seeds; seed++) {
                    String path = "/bytes?size=" + size + "&seed=" + seed + (chunked ? "&chunked=1" : "");
                    variants.add(new Exchange(kind, Request.get(host, port, path, mode), Bodies.pattern(seed, size), true));
                }
                byKind.add(variants);
            }
        }
        for (int size : postSizes) {
            int kind = kinds.size();
            kinds.add("POST " + size + " B");
            List<Exchange> variants = new ArrayList<>();
            for (int seed = 0; seed < seeds; seed++) {
                byte[] body = Bodies.pattern(seed, size);
                byte[] expected = Bodies.echo(body, size).getBytes(StandardCharsets.US_ASCII);
                variants.add(new Exchange(kind, Request.post(host, port, "/echo?seed=" + seed, mode, body), expected, false));
            }
            byKind.add(variants);
        }
        List<Exchange> exchanges = new ArrayList<>();
        for (int seed = 0; seed < seeds; seed++) {
            for (List<Exchange> variants : byKind) {
                exchanges.add(variants.get(seed));
            }
        }
        return new Workload(kinds, exchanges);
    }

    Exchange pick(int worker, long n) {
        return exchanges.get((int) ((worker + n) % exchanges.size()));
    }

    /** The kinds' labels, as shown in the summary ("GET 110000 B chunked", "POST 4096 B"). */
    List<String> kinds() {
        return kinds;
    }
}
