import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/**
 * The smallest "server": bind the given port, take one (non-blocking) accept, exit. Under the
 * agent that is an adoption plus a READY notification, so the measured time covers the whole
 * start-up path a real restart pays.
 */
public class StartupProbe {
    public static void main(String[] args) throws Exception {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])));
        server.configureBlocking(false);
        server.accept();
        server.close();
    }
}
