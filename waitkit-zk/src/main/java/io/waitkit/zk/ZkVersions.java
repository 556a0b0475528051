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

    static {
        try {
            Class<?> stat = Class.forName("org.apache.zookeeper.data.Stat", false, ZkVersions.class.getClassLoader());
            GET_VERSION = MethodHandles.publicLookup().findVirtual(stat, "getVersion", MethodType.methodType(int.class))
                    .asType(MethodType.methodType(int.class, Object.class));
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
