import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A JVM server for start_server's inetd form, --port=PORT=0: the JDK adopts a listening socket
 * on fd 0 as System.inheritedChannel() with no native code, which is what makes that form useful
 * to Java programs. Answers like fixture_server.py: "pid=P gen=G var=-". Run in source-file mode.
 */
public class InheritedChannelServer {
    public static void main(String[] args) throws IOException {
        String generation = System.getenv().getOrDefault("SERVER_STARTER_GENERATION", "?");
        long pid = ProcessHandle.current().pid();
        Channel inherited = System.inheritedChannel();
        if (!(inherited instanceof ServerSocketChannel)) {
            System.err.println("java fixture " + pid + ": fd 0 is not a listening socket but " + inherited);
            System.exit(4);
        }
        ServerSocketChannel server = (ServerSocketChannel) inherited;
        System.err.println("java fixture " + pid + " gen " + generation + " serving");
        byte[] answer = ("pid=" + pid + " gen=" + generation + " var=-\n").getBytes(StandardCharsets.US_ASCII);
        while (true) {
            try (SocketChannel client = server.accept()) {
                // Read the request line first: closing with unread input would reset the connection.
                ByteBuffer request = ByteBuffer.allocate(1024);
                while (client.read(request) > 0 && request.get(request.position() - 1) != '\n' && request.hasRemaining()) {
                    // keep reading
                }
                client.write(ByteBuffer.wrap(answer));
            }
        }
    }
}
