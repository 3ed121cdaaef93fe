package io.github.hotdeploy.agent.drain;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;

/**
 * Netty's HTTP/1.x responses, whatever transport (NIO, epoll, io_uring) and TLS provider (the
 * JDK's or OpenSSL) carry them: while the drain runs, each final response gets
 * {@code Connection: close} in its headers just before they are encoded, so the client closes the
 * connection after it. Reached by reflection, because the app's Netty may be any version or a
 * shaded copy; the methods used ({@code headers()}, {@code HttpHeaders.set(String, Object)},
 * {@code status().code()}) are Netty 4's public API.
 */
final class NettyResponses {

    private final Map<Class<?>, Method[]> methods = new HashMap<Class<?>, Method[]>();
    private volatile int marked;

    /** Marks one response; anything unexpected leaves it as the app made it. */
    void close(Object response) {
        try {
            Method[] m = methodsOf(response.getClass());
            Object status = m[1].invoke(response);
            int code = (Integer) m[2].invoke(status);
            if (code < 200) {
                return; // interim, or the 101 of an upgrade
            }
            Object headers = m[0].invoke(response);
            m[3].invoke(headers, "connection", "close");
            marked++;
        } catch (Exception | LinkageError e) {
            // not a Netty 4 response after all: it goes out unchanged
        }
    }

    int marked() {
        return marked;
    }

    private synchronized Method[] methodsOf(Class<?> type) throws NoSuchMethodException {
        Method[] m = methods.get(type);
        if (m == null) {
            Method headers = accessible(type.getMethod("headers"));
            Method status = accessible(type.getMethod("status"));
            Method code = accessible(status.getReturnType().getMethod("code"));
            Method set = accessible(headers.getReturnType().getMethod("set", String.class, Object.class));
            m = new Method[] {headers, status, code, set};
            methods.put(type, m);
        }
        return m;
    }

    // A public method of a non-public class (an inner response type) still needs this.
    private static Method accessible(Method m) {
        try {
            m.setAccessible(true);
        } catch (RuntimeException inANamedModule) {
            // public API of a public type: callable as it is
        }
        return m;
    }
}
