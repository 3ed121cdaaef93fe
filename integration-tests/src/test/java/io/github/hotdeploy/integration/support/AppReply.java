package io.github.hotdeploy.integration.support;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The body of GET / from any test app: {@code server=NAME pid=PID generation=GEN}. */
public record AppReply(String server, long pid, String generation) {

    private static final Pattern BODY = Pattern.compile("server=(\\S+) pid=(\\d+) generation=(\\S+)");

    public static AppReply parse(String body) {
        Matcher m = BODY.matcher(body);
        if (!m.find()) {
            throw new AssertionError("not a test app's reply: '" + body + "'");
        }
        return new AppReply(m.group(1), Long.parseLong(m.group(2)), m.group(3));
    }
}
