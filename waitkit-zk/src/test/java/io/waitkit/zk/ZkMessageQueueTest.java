package io.waitkit.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Event;
import io.waitkit.MessageQueue;
import io.waitkit.MessageTooLargeException;
import io.waitkit.Wait;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The send side, the queue across processes (namespaces on clients of their own, each with its
 * own session, stand for processes), session expiry and the no-herd rule of
 * {@link ZkMessageQueue}; the receive side's contract is {@link ZkMessageQueueContractTest}.
 */
class ZkMessageQueueTest {
    @RegisterExtension
    static final Ensemble ensemble = new Ensemble();
    private static final Duration LONG = Duration.ofSeconds(60);
    private static final Duration SHORT = Duration.ofMillis(100);
    /** Bounds a wait that a correct close ends at once: a send left hanging fails the test in seconds. */
    private static final Duration CLOSE_FAILS_SENDS = Duration.ofSeconds(5);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(MessageQueue.Message m) {
        return m == null ? null : new String(m.data(), StandardCharsets.UTF_8);
    }

    @Test
    public void openExistingGivesTheQueueWithItsStoredSizesAndCreatesNothing() throws Exception {
        String root = Ensemble.freshRoot("mq-open");
        ZkNamespace ns = ensemble.namespace(root);
        assertThrows(java.util.NoSuchElementException.class, () -> ns.openExisting("q", ZkMessageQueue.class));
        ns.messageQueue("q", 2, 5).send(b("hello"), 1);
        ZkMessageQueue q = ensemble.namespace(root).openExisting("q", ZkMessageQueue.class);
        assertEquals(List.of(2, 5, 1), List.of(q.capacity(), q.maxMessageSize(), q.size()));
        assertEquals("hello", s(q.receive(LONG)));
        ns.counter("c", 0);
        assertThrows(IllegalStateException.class, () -> ns.openExisting("c", ZkMessageQueue.class));
    }

    @Test
    public void sendsFillTheQueueToItsCapacityThenTryAndTimedSendsFailNeverEarlyAndSendNothing() throws Exception {
        ZkNamespace ns = ensemble.namespace(Ensemble.freshRoot("mq-full"));
        ZkMessageQueue q = ns.messageQueue("q", 3, 16);
        assertTrue(q.trySend(b("a"), 0));
        q.send(b("b"), 0);
        assertTrue(q.send(b("c"), 0, Duration.ZERO));
        assertEquals(3, q.size());
        assertFalse(q.trySend(b("x"), 9));
        assertFalse(q.send(b("x"), 9, Duration.ZERO));
        long t0 = System.nanoTime();
        assertFalse(q.send(b("x"), 9, SHORT));
        assertTrue(System.nanoTime() - t0 >= SHORT.toNanos(), "never early");
        CompletableFuture<Void> cancelled = q.sendAsync(b("x"), 9);
        assertTrue(cancelled.cancel(false));
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> q.send(b("x"), 9));
        assertEquals(3, q.size(), "nothing sent by the failed, cancelled and interrupted sends");
        assertEquals(List.of("a", "b", "c"), List.of(s(q.tryReceive()), s(q.receive(LONG)), s(q.receive())));
        assertNull(q.tryReceive());
    }

    @Test
    public void aReceiveInAnotherProcessLetsTheBlockedSendersInInOrder() throws Exception {
        String root = Ensemble.freshRoot("mq-room");
        ZkMessageQueue qa = ensemble.namespace(root).messageQueue("q", 1, 16);
        ZkMessageQueue qb = ensemble.namespace(root).messageQueue("q", 1, 16);
        qa.send(b("first"), 0);
        CompletableFuture<Void> second = qa.sendAsync(b("second"), 0);
        CompletableFuture<Void> third = qa.sendAsync(b("third"), 0);
        assertFalse(second.isDone());
        assertEquals("first", s(qb.receive(LONG)));
        second.get(LONG.toSeconds(), TimeUnit.SECONDS);
        assertEquals("second", s(qb.receive(LONG)));
        third.get(LONG.toSeconds(), TimeUnit.SECONDS);
        assertEquals("third", s(qb.receive(LONG)));
        assertNull(qb.tryReceive());
    }

    @Test
    public void everyMessageIsReceivedExactlyOnceByReceiversOfThreeSessionsAndEachSendersOrderIsKept() throws Exception {
        String root = Ensemble.freshRoot("mq-once");
        int perSender = 25;
        int senders = 2;
        AtomicInteger toReceive = new AtomicInteger(perSender * senders);
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<List<Integer>>> receivers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            ZkMessageQueue q = ensemble.namespace(root).messageQueue("q", 4, 16);
            CompletableFuture<List<Integer>> got = new CompletableFuture<>();
            receivers.add(got);
            Thread.ofPlatform().daemon().name("receiver-" + r).start(() -> {
                try {
                    start.await();
                    List<Integer> mine = new ArrayList<>();
                    while (toReceive.getAndDecrement() > 0) {
                        MessageQueue.Message m = q.receive(LONG);
                        if (m == null) {
                            throw new AssertionError("nothing within " + LONG + " after " + mine.size());
                        }
                        mine.add(ByteBuffer.wrap(m.data()).getInt());
                    }
                    got.complete(mine);
                } catch (Throwable t) {
                    got.completeExceptionally(t);
                }
            });
        }
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            ZkMessageQueue q = ensemble.namespace(root).messageQueue("q", 4, 16);
            int base = s * 1000;
            CompletableFuture<Void> done = new CompletableFuture<>();
            sent.add(done);
            Thread.ofPlatform().daemon().name("sender-" + s).start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perSender; i++) {
                        if (!q.send(ByteBuffer.allocate(4).putInt(base + i).array(), 0, LONG)) {
                            throw new AssertionError("no room within " + LONG);
                        }
                    }
                    done.complete(null);
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                }
            });
        }
        start.countDown();
        for (CompletableFuture<Void> d : sent) {
            d.get(2 * LONG.toSeconds(), TimeUnit.SECONDS);
        }
        Set<Integer> seen = new HashSet<>();
        for (CompletableFuture<List<Integer>> r : receivers) {
            int[] last = {-1, -1};
            for (int v : r.get(2 * LONG.toSeconds(), TimeUnit.SECONDS)) {
                assertTrue(seen.add(v), "received twice: " + v);
                int sender = v / 1000;
                assertTrue(v % 1000 > last[sender], "sender " + sender + "'s order broken at " + v);
                last[sender] = v % 1000;
            }
        }
        assertEquals(perSender * senders, seen.size(), "every message received once");
    }

    @Test
    public void aReceiverWhoseSessionExpiresWhileWaitingStillGetsTheMessagesAndNothingIsLost() throws Exception {
        String root = Ensemble.freshRoot("mq-expiry");
        CuratorFramework ca = ensemble.client(10_000);
        ZkNamespace a = new ZkNamespace(ca, root);
        ZkMessageQueue qa = a.messageQueue("q", 2, 16);
        ZkMessageQueue qb = ensemble.namespace(root).messageQueue("q", 2, 16);
        CompletableFuture<MessageQueue.Message> waiting = qa.receiveAsync();
        qa.send(b("mine"), 0); // taken by this process's own waiting receive before send returns
        assertEquals("mine", s(waiting.get(LONG.toSeconds(), TimeUnit.SECONDS)));
        CompletableFuture<MessageQueue.Message> next = qa.receiveAsync();
        qb.send(b("fill"), 0);
        qb.send(b("fill2"), 0);
        CompletableFuture<Void> blockedSend = qa.sendAsync(b("late"), 0);

        ensemble.expireSession(ca); // its line nodes go with the session

        assertEquals("fill", s(next.get(LONG.toSeconds(), TimeUnit.SECONDS)));
        blockedSend.get(LONG.toSeconds(), TimeUnit.SECONDS);
        assertEquals(List.of("fill2", "late"), List.of(s(qb.receive(LONG)), s(qb.receive(LONG))));
        assertNull(qb.tryReceive(), "nothing twice");
        a.close();
    }

    @Test
    public void storedSizesBadArgumentsOtherKindsListAndUnlink() throws Exception {
        ZkNamespace ns = ensemble.namespace(Ensemble.freshRoot("mq-args"));
        ZkMessageQueue q = ns.messageQueue("q", 8, 100);
        ZkMessageQueue again = ns.messageQueue("q", 3, 5);
        assertEquals(8, again.capacity(), "stored with the queue");
        assertEquals(100, again.maxMessageSize());
        assertTrue(again.trySend(new byte[100], 1), "exactly the maximum");
        MessageTooLargeException big = assertThrows(MessageTooLargeException.class, () -> q.trySend(new byte[101], 0));
        assertTrue(big.getMessage().contains("101") && big.getMessage().contains("100"), big.getMessage());
        assertThrows(MessageTooLargeException.class, () -> q.sendAsync(new byte[101], 0));
        assertThrows(NullPointerException.class, () -> q.send(null, 0));
        assertThrows(NullPointerException.class, () -> q.send(b("x"), 0, null));
        assertThrows(NullPointerException.class, () -> q.receive(null));
        assertThrows(IllegalArgumentException.class, () -> ns.messageQueue("z", 0, 16));
        assertThrows(IllegalArgumentException.class, () -> ns.messageQueue("z", 65536, 16));
        assertThrows(IllegalArgumentException.class, () -> ns.messageQueue("z", 4, -1));
        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class, () -> ns.messageQueue("z", 4, 1 << 20));
        assertTrue(huge.getMessage().contains("1 MiB"), huge.getMessage());
        ns.mutex("m");
        IllegalStateException kind = assertThrows(IllegalStateException.class, () -> ns.messageQueue("m", 4, 16));
        assertTrue(kind.getMessage().contains("mutex"), kind.getMessage());
        assertEquals(1, q.size(), "the refused calls changed nothing");
        assertEquals(100, q.receive().data().length);
        assertTrue(ns.list().contains(new ZkObjectInfo("q", "message-queue")), ns.list().toString());
        q.send(b("gone"), 0);
        assertTrue(ns.unlink("q"));
        assertFalse(ns.list().stream().anyMatch(i -> i.name().equals("q")));
        ZkMessageQueue fresh = ns.messageQueue("q", 2, 16);
        assertNull(fresh.tryReceive(), "unlinked with its messages");
        assertTrue(fresh.trySend(b("new"), 0));
        assertEquals("new", s(q.tryReceive()), "an old handle works on the new queue");
        assertTrue(ns.unlink("q"));
        CompletableFuture<MessageQueue.Message> waiting = q.receiveAsync(); // its line is made again with the queue
        awaitTrue(() -> ns.list().contains(new ZkObjectInfo("q", "message-queue")), "the queue made again, with its kind");
        ns.messageQueue("q", 2, 16).send(b("again"), 0);
        assertEquals("again", s(waiting.get(LONG.toSeconds(), TimeUnit.SECONDS)));
    }

    @Test
    public void closingTheNamespaceFailsItsWaitingSendsUnsentAndLeavesItsLines() throws Exception {
        String root = Ensemble.freshRoot("mq-close");
        ZkNamespace a = new ZkNamespace(ensemble.client(10_000), root);
        ZkMessageQueue qa = a.messageQueue("q", 1, 16);
        ZkMessageQueue qb = ensemble.namespace(root).messageQueue("q", 1, 16);
        qa.send(b("in"), 0);
        CompletableFuture<Void> waiting = qa.sendAsync(b("never"), 0);
        awaitTrue(() -> a.client().getChildren().forPath(root + "/q/send").size() == 1, "the sender in line");
        a.close();
        assertTrue(waiting.isCompletedExceptionally(), "close fails the waiting send before it returns");
        // the bound only turns a hang into a failure in seconds
        ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.get(CLOSE_FAILS_SENDS.toSeconds(), TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof IllegalStateException && e.getCause().getMessage().contains("not sent"),
                String.valueOf(e.getCause()));
        assertTrue(qb.toString().contains("ZkMessageQueue[q"), qb.toString());
        assertEquals(List.of(), ensemble.namespace(root).client().getChildren().forPath(root + "/q/send"), "the line is left");
        assertEquals("in", s(qb.receive(LONG)));
        assertNull(qb.receive(SHORT), "the failed send sent nothing");
        assertThrows(IllegalStateException.class, () -> qa.trySend(b("x"), 0), "a closed namespace's handle");
    }

    @Test
    public void waitAnyOverAZooKeeperQueueAndAnInProcessEventTakesExactlyOne() throws Exception {
        String root = Ensemble.freshRoot("mq-mixed");
        ZkMessageQueue qa = ensemble.namespace(root).messageQueue("q", 4, 16);
        ZkMessageQueue qb = ensemble.namespace(root).messageQueue("q", 4, 16);
        Event e = Event.autoReset(false);
        ZkMessageQueue.Receive r = qa.receiveOp();
        CompletableFuture<Integer> any = Wait.anyAsync(e, r);
        qb.send(b("job"), 3);
        assertEquals(1, any.get(LONG.toSeconds(), TimeUnit.SECONDS));
        assertEquals("job", s(r.item()));
        assertEquals(3, r.item().priority());
        e.set();
        qb.send(b("kept"), 0);
        assertEquals(0, Wait.any(LONG, e, qa.receiveOp()), "the signalled event wins");
        assertEquals("kept", s(qb.receive(LONG)), "the losing receive took nothing");
        assertEquals(0, qa.size());
    }

    @Test
    public void ofThreeProcessesWaitingToReceiveOnlyOneWatchesTheMessages() throws Exception {
        String root = Ensemble.freshRoot("mq-herd");
        List<CompletableFuture<MessageQueue.Message>> waits = new ArrayList<>();
        List<ZkNamespace> processes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ZkNamespace ns = ensemble.namespace(root);
            processes.add(ns);
            waits.add(ns.messageQueue("q", 4, 16).receiveAsync());
        }
        ZkMessageQueue sender = ensemble.namespace(root).messageQueue("q", 4, 16);
        String msgs = root + "/q/msgs";
        String recv = root + "/q/recv";
        awaitTrue(() -> sender.size() == 0 && processes.get(0).client().getChildren().forPath(recv).size() == 3,
                "three processes in the receive line");
        awaitTrue(() -> childWatchers(processes, msgs) == 1, "one watcher of the messages");
        assertEquals(1, childWatchers(processes, msgs), "only the head of the line watches the messages (no herd)");
        for (int i = 0; i < 3; i++) {
            sender.send(b("m" + i), 0);
        }
        Set<String> got = new HashSet<>();
        for (CompletableFuture<MessageQueue.Message> w : waits) {
            got.add(s(w.get(LONG.toSeconds(), TimeUnit.SECONDS)));
        }
        assertEquals(Set.of("m0", "m1", "m2"), got, "each process got one");
        awaitTrue(() -> processes.get(0).client().getChildren().forPath(recv).isEmpty(), "the line is empty");
    }

    @FunctionalInterface
    private interface Check {
        boolean ok() throws Exception;
    }

    private static void awaitTrue(Check c, String what) throws Exception {
        long end = System.nanoTime() + LONG.toNanos();
        while (!c.ok()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("not within " + LONG + ": " + what);
            }
            Thread.sleep(20); // polling ZooKeeper's state, not synchronizing threads
        }
    }

    /**
     * How many of these processes' clients hold a child watch on a path: read from each
     * ZooKeeper handle's own watch table (a method ZooKeeper keeps for tests).
     */
    @SuppressWarnings("unchecked")
    private static int childWatchers(List<ZkNamespace> processes, String path) throws Exception {
        java.lang.reflect.Method m = ZooKeeper.class.getDeclaredMethod("getChildWatches");
        m.setAccessible(true);
        int n = 0;
        for (ZkNamespace ns : processes) {
            if (((List<String>) m.invoke(ns.client().getZookeeperClient().getZooKeeper())).contains(path)) {
                n++;
            }
        }
        return n;
    }
}
