/**
 * Waitkit zk: the primitives across hosts, on Apache ZooKeeper through Apache Curator.
 *
 * <p>{@link io.waitkit.zk.ZkNamespace} opens or creates mutexes, semaphores, events, barriers, message queues
 * and counters under a root path of a ZooKeeper ensemble; every object joins {@code Wait.any}, {@code Wait.all} and
 * the async waits of {@code io.waitkit} together with in-process and named objects. Curator and
 * ZooKeeper ship without module descriptors: they are automatic modules named after their jars
 * ({@code curator.framework}, {@code curator.client}, {@code zookeeper}).
 */
module io.waitkit.zk {
    requires transitive io.waitkit.core;
    requires transitive curator.framework;
    requires curator.client;
    requires zookeeper;

    exports io.waitkit.zk;
}
