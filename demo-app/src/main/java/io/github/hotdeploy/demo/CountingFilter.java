package io.github.hotdeploy.demo;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/** Counts every request on every endpoint, so the count in GET / includes health checks too. */
final class CountingFilter extends Filter {

    private final ServerStats stats;

    CountingFilter(ServerStats stats) {
        this.stats = stats;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        stats.countRequest();
        chain.doFilter(exchange);
    }

    @Override
    public String description() {
        return "counts requests";
    }
}
