package io.waitkit.zk;

import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;

/**
 * The processes that wait for one thing in ZooKeeper, in a line, so that only the first of them
 * watches the thing itself (no herd effect): ZooKeeper's lock recipe used as a turn.
 *
 * <pre>
 * {dir}/w-N   ephemeral sequential, one per process while threads there wait; data = session id
 * </pre>
 *
 * <p>A process joins by creating its node; it is at the head when no node has a lower
 * sequence number, and otherwise watches only the node just before its own, whose deletion
 * (that process left, or its session ended) is its turn to look again. The head does the work
 * (watches the thing, takes what it needs) and leaves when its threads need nothing more, or
 * steps to the back after each item it took, so that every waiting process is served in turn.
 *
 * <p><b>Sessions.</b> The node is ephemeral: a process whose session ended is out of the line
 * (the next one is at the head), and finds its node gone the next time it looks, and joins
 * again at the back. Not thread-safe: one instance is used by one namespace thread only.
 */
final class ZkLine {
    private final CuratorFramework client;
    private final String dir;
    private final Ensure ensure;
    /** This process's node, or null when not in the line. */
    private String node;

    /** Creates the object's nodes, the line's directory among them, where missing (after an unlink). */
    @FunctionalInterface
    interface Ensure {
        void run() throws Exception;
    }

    ZkLine(CuratorFramework client, String dir, Ensure ensure) {
        this.client = client;
        this.dir = dir;
        this.ensure = ensure;
    }

    /**
     * Joins the line if not in it, and says whether this process is at its head; if not,
     * watches the node before its own with {@code w}.
     *
     * @param session the current session id, stored in the node (for diagnostics)
     */
    boolean atHead(Watcher w, String session) throws Exception {
        for (;;) {
            if (node == null) {
                try {
                    node = client.create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                            .forPath(ZKPaths.makePath(dir, "w-"), session.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                } catch (KeeperException.NoNodeException e) {
                    ensure.run(); // the object was unlinked: it is made again with its stored parameters
                    continue;
                }
            }
            List<String> all = new ArrayList<>(client.getChildren().forPath(dir));
            all.sort(null); // same prefix and ten-digit numbers: name order is sequence order
            String mine = ZKPaths.getNodeFromPath(node);
            int i = all.indexOf(mine);
            if (i < 0) {
                node = null; // the session that owned it ended: join again
                continue;
            }
            if (i == 0) {
                return true;
            }
            if (client.checkExists().usingWatcher(w).forPath(ZKPaths.makePath(dir, all.get(i - 1))) != null) {
                return false;
            }
            // the predecessor left between the listing and the watch: look again
        }
    }

    /** Whether this process has a node in the line (as far as it knows). */
    boolean joined() {
        return node != null;
    }

    /** Leaves the line (the next process is at the head). */
    void leave() throws Exception {
        String n = node;
        node = null;
        if (n != null) {
            try {
                client.delete().forPath(n);
            } catch (KeeperException.NoNodeException e) {
                // gone with the session
            }
        }
    }

    /** Forgets the node of an ended session; its deletion is left to the servers or done in the background. */
    void forget() {
        String n = node;
        node = null;
        if (n != null) {
            try {
                client.delete().guaranteed().inBackground().forPath(n);
            } catch (Exception e) {
                // the session's end removes it
            }
        }
    }
}
