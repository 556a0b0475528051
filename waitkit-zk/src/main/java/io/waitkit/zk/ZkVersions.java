package io.waitkit.zk;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Reads the version of a znode's {@code Stat} without naming the class. {@code Stat} lives in
 * the {@code zookeeper-jute} jar, which shares packages with the {@code zookeeper} jar
 * ({@code org.apache.zookeeper.server.*}): both are automatic modules, and a module that reads
 * both does not compile ("reads package ... from both"), so this module requires only
 * {@code zookeeper} and reaches the version through a method handle. On the class path (where
 * ZooKeeper runs: its split packages keep it off the module path) this costs one call.
 */
final class ZkVersions {
    private static final MethodHandle GET_VERSION;
    /** {@code new Stat()}, as an Object. */
    private static final MethodHandle NEW_STAT;
    /** {@code Statable.storingStatIn(Stat)}, taking and returning Objects. */
    private static final MethodHandle STORING_STAT_IN;

    static {
        try {
            Class<?> stat = Class.forName("org.apache.zookeeper.data.Stat", false, ZkVersions.class.getClassLoader());
            GET_VERSION = MethodHandles.publicLookup().findVirtual(stat, "getVersion", MethodType.methodType(int.class))
                    .asType(MethodType.methodType(int.class, Object.class));
            NEW_STAT = MethodHandles.publicLookup().findConstructor(stat, MethodType.methodType(void.class))
                    .asType(MethodType.methodType(Object.class));
            STORING_STAT_IN = MethodHandles.publicLookup().findVirtual(org.apache.curator.framework.api.Statable.class,
                    "storingStatIn", MethodType.methodType(Object.class, stat))
                    .asType(MethodType.methodType(Object.class, Object.class, Object.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private ZkVersions() {
    }

    /** The version of a node's data now; -1 if there is no node. */
    static int current(org.apache.curator.framework.CuratorFramework client, String path) throws Exception {
        Object stat = client.checkExists().forPath(path);
        return of(stat);
    }

    /**
     * A node's data and the version of that data, read in one request.
     *
     * @param data the data
     * @param version its version
     */
    record Versioned(byte[] data, int version) {
    }

    /**
     * Reads a node's data with its version in one request.
     *
     * @throws org.apache.zookeeper.KeeperException.NoNodeException if there is no node
     */
    static Versioned read(org.apache.curator.framework.CuratorFramework client, String path) throws Exception {
        return read(client, path, null);
    }

    /**
     * Reads a node's data with its version in one request, leaving a watch on its data.
     *
     * @param watcher the watch, or null for none
     * @throws org.apache.zookeeper.KeeperException.NoNodeException if there is no node
     */
    @SuppressWarnings("unchecked")
    static Versioned read(org.apache.curator.framework.CuratorFramework client, String path,
            org.apache.zookeeper.Watcher watcher) throws Exception {
        Object stat;
        org.apache.curator.framework.api.WatchPathable<byte[]> builder;
        try {
            stat = NEW_STAT.invokeExact();
            builder = (org.apache.curator.framework.api.WatchPathable<byte[]>) (Object) STORING_STAT_IN
                    .invokeExact((Object) client.getData(), stat);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot read a znode version: " + t, t);
        }
        byte[] data = watcher == null ? builder.forPath(path) : builder.usingWatcher(watcher).forPath(path);
        return new Versioned(data, of(stat));
    }

    /** The data version of a {@code Stat}; -1 for null (no node). */
    static int of(Object stat) {
        if (stat == null) {
            return -1;
        }
        try {
            return (int) GET_VERSION.invokeExact(stat);
        } catch (Throwable t) {
            throw new IllegalStateException("cannot read a znode version: " + t, t);
        }
    }
}
