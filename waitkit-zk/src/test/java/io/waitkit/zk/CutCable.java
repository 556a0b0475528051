package io.waitkit.zk;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay between a client and one ZooKeeper server that a test can cut and mend: cut, it
 * closes every relayed connection and refuses new ones, so the client is cut off from the
 * ensemble while the servers keep running (and expire its session after the timeout); mended,
 * it listens on the same port again.
 */
final class CutCable implements AutoCloseable {
    private final int target;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;

    CutCable(int targetPort) throws IOException {
        this.target = targetPort;
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.port = ss.getLocalPort();
        accept(ss);
    }

    /** The connect string of the relay. */
    String connectString() {
        return "127.0.0.1:" + port;
    }

    private void accept(ServerSocket ss) {
        server = ss;
        Thread.ofPlatform().daemon().name("cable-accept-" + port).start(() -> {
            while (!ss.isClosed()) {
                try {
                    Socket client = ss.accept();
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                    open.add(client);
                    open.add(upstream);
                    relay(client, upstream);
                    relay(upstream, client);
                } catch (IOException e) {
                    return; // cut
                }
            }
        });
    }

    private void relay(Socket from, Socket to) {
        Thread.ofPlatform().daemon().name("cable-relay-" + port).start(() -> {
            try (from; to) {
                from.getInputStream().transferTo(to.getOutputStream());
            } catch (IOException e) {
                // cut, or one side closed
            } finally {
                open.remove(from);
                open.remove(to);
            }
        });
    }

    /** Cuts the cable: closes every relayed connection and stops listening. */
    void cut() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }

    /** Mends the cable: listens on the same port again. */
    void mend() throws IOException {
        ServerSocket ss = new ServerSocket();
        ss.setReuseAddress(true);
        ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        accept(ss);
    }

    @Override
    public void close() throws IOException {
        cut();
    }
}
