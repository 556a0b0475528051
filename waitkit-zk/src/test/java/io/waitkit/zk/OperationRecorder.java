package io.waitkit.zk;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.curator.drivers.AdvancedTracerDriver;
import org.apache.curator.drivers.EventTrace;
import org.apache.curator.drivers.OperationTrace;

/**
 * Records the Curator operations of one client ({@code getZookeeperClient().setTracerDriver}),
 * each as its trace name and the thread that made it ({@code "name @thread"}), for tests that
 * count a recipe's ZooKeeper requests.
 */
final class OperationRecorder extends AdvancedTracerDriver {
    private final ConcurrentLinkedQueue<String> ops = new ConcurrentLinkedQueue<>();

    @Override
    public void addTrace(OperationTrace trace) {
        ops.add(trace.getName() + " @" + Thread.currentThread().getName());
    }

    @Override
    public void addEvent(EventTrace trace) {
    }

    /** The operations recorded since the last drain, as {@code "name @thread"}, oldest first. */
    List<String> drain() {
        List<String> l = new ArrayList<>();
        for (String s; (s = ops.poll()) != null; ) {
            l.add(s);
        }
        return l;
    }

    /** The operations recorded since the last drain, names only, oldest first. */
    List<String> drainNames() {
        List<String> l = new ArrayList<>();
        for (String s : drain()) {
            l.add(s.substring(0, s.lastIndexOf(" @")));
        }
        return l;
    }
}
