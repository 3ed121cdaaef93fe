package io.github.hotdeploy.bench.restart;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS for the readiness probe of an https test app: the key is self-signed, made by keytool for
 * the scenario (TestApps.TlsJarApp), on loopback; there is nothing to verify it against.
 */
final class TrustingTls {

    private TrustingTls() {
    }

    static Socket wrap(Socket connected, int port) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(connected, "127.0.0.1", port, true);
            tls.startHandshake();
            return tls;
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS: " + e, e);
        }
    }
}
