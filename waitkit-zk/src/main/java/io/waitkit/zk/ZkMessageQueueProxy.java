package io.waitkit.zk;

import io.waitkit.MessageQueue;
import io.waitkit.internal.WaitOperation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;

/**
 * A bounded priority queue of byte messages in ZooKeeper: one persistent node per message,
 * taken by deleting it.
 *
 * <pre>
 * {root}/{name}              kind=message-queue, capacity=C, maxsize=M (fixed at creation)
 * {root}/{name}/msgs/m-PPPPPPPPPP-TTTTTTTTTTTTTTTT-SSSSSSSSSS   persistent sequential, data = the message
 *                            P: 2147483647 - priority, 0 to 4294967295 for any int priority, ten
 *                               digits (so that name order puts the highest first)
 *                            T: the sender's token for this message, S: ZooKeeper's sequence number
 * {root}/{name}/recv/w-N     the line of processes whose threads wait to receive (see {@link ZkLine})
 * {root}/{name}/send/w-N     the line of processes whose threads wait for room
 * {root}/{name}/taken/r-T    persistent, for a moment: the receipt of a take (see below)
 * </pre>
 *
 * <p><b>Order.</b> Messages are received by priority, highest first, and in sequence order
 * within one priority: ZooKeeper numbers the children of {@code msgs} in the order their
 * creations commit, so the sends of one thread (or of several that the program orders) come
 * out in the order they were made.
 *
 * <p><b>Send.</b> Reads the queue node's data version, then counts {@code msgs}; if fewer than
 * C, one transaction rewrites the queue node at that version and creates the message. Two
 * senders that counted the same messages cannot both commit (the loser's version is stale and
 * it counts again), and receives only lower the count, so the queue never holds more than C
 * messages from sends. A lost connection makes Curator retry the transaction, which fails on
 * the version if the first try was applied; the token in the node's name then finds the
 * message (a pending send whose outcome is unknown keeps its token until it is known).
 *
 * <p><b>Receive.</b> A process takes a message by reading its data and then, in one
 * transaction, deleting its node and creating a receipt named by a fresh token: the deletion
 * that succeeds owns the message (exactly once under any number of receivers), and the receipt
 * tells a taker whose connection broke during the transaction, even on a new session, whether
 * it was applied: the transaction and its receipt happened together or not at all. The receipt
 * is deleted as soon as the outcome is known (a process that dies in between leaves an empty
 * receipt node that nothing reads). A message taken is held in this JVM until one of its
 * receivers gets it, so a session that ends after the take loses nothing.
 *
 * <p><b>Known limit.</b> A waiting send whose commit lost its connection is of unknown outcome
 * until its token is looked for; if a receiver took the message in between, the token is gone
 * and the send commits again: the message is then delivered twice (never lost).
 *
 * <p><b>Local value.</b> The messages taken for this JVM's receivers and not yet handed to one
 * ({@link #buffer}, its size the engine's value). The namespace's thread takes a message only
 * while threads here wait and none is buffered; a buffered message whose receiver gave up
 * meanwhile (timeout, interrupt, cancel, a wait-any won elsewhere) and that nobody here waits
 * for is put back under its own name, so it keeps its place (the queue may then hold one more
 * than C until a receive). Until it is back, a poll on this JVM takes it from the buffer; the
 * move back and a poll both hold {@code takeLock}, so a poll never finds the message in
 * neither place (a stale take by the namespace's thread, whose check that a receiver waits
 * came before that receiver gave up, is then invisible to a poll that follows the give-up).
 *
 * <p><b>No herd.</b> Processes whose threads wait to receive stand in the {@code recv} line;
 * only the head watches {@code msgs}, takes one message and steps to the back, so a send wakes
 * one process. Processes whose senders wait for room stand in the {@code send} line, and only
 * its head watches {@code msgs} for a deletion. A thread's own send or poll never waits for its
 * turn: it takes or commits directly, and a send serves this JVM's waiting receivers before it
 * returns.
 *
 * <p><b>Sessions.</b> Messages, their order and the capacity are persistent; the lines are
 * ephemeral and are joined again on the new session when a process finds its node gone.
 *
 * <p><b>Close.</b> Invariant: once {@link #closing()} has begun, every waiting send ends (sent
 * or failed) and none waits for a pump that will never run, whatever the interleaving. Only the
 * namespace's thread commits a waiting send, between {@code startCommit} and
 * {@code endCommit}, so a send being committed cannot be failed from outside; and once the
 * namespace is closed its steps and watches are dropped, so a send left waiting then would
 * wait forever. Hence: {@code closing()} first sets {@link #closing} (volatile), then ends the
 * sends in a step on the namespace's thread, where no commit can be in progress (a send whose
 * earlier commit lost its answer is looked for by its token: sent, or failed not sent), then
 * sweeps once more from the closing thread (for when that step could not run). Each of the
 * three racing parties re-checks after its own write: {@link #enqueueSend} adds the send and
 * then reads {@link #closing}; a pump that ends a commit unsent sets the send waiting again and
 * then reads {@link #closing}; and {@code closing()} sets {@link #closing} and then looks at
 * every send. So whichever writes last sees the other's write and fails the send. A pump
 * that starts after {@link #closing} is set starts no commit and joins no line; one running at
 * that moment is followed by the step, which leaves both lines.
 */
final class ZkMessageQueueProxy extends ZkProxy {
    /** The most messages a queue may hold. */
    static final int MAX_CAPACITY = 65535;
    /** The largest message: ZooKeeper refuses requests above 1 MiB by default ({@code jute.maxbuffer}). */
    static final int MAX_MESSAGE_SIZE = 512 * 1024;

    /** Receive order of message node names: priority first (the inverted digits), then the sequence number. */
    static final Comparator<String> ORDER = Comparator.<String, String>comparing(n -> n.substring(2, 12))
            .thenComparingLong(ZkMessageQueueProxy::sequenceOf);

    final int capacity;
    final int maxMessageSize;
    private final String msgs;
    private final String taken;
    /** Messages taken from ZooKeeper for this JVM's receivers, in receive order; guarded by the local lock. */
    private final ArrayDeque<Taken> buffer = new ArrayDeque<>();
    /** Serializes this JVM's takes (the namespace's thread, senders, polls), held across ZooKeeper calls. */
    private final ReentrantLock takeLock = new ReentrantLock();
    /** A take whose transaction's outcome a lost connection hid; guarded by {@link #takeLock}. */
    private Taken unresolved;
    private String unresolvedReceipt;
    /** Confined to the namespace's thread. */
    private final ZkLine recvLine;
    private final ZkLine sendLine;
    /** Sends waiting for room, oldest first. */
    private final ConcurrentLinkedDeque<PendingSend> sends = new ConcurrentLinkedDeque<>();
    /** Set when the namespace starts closing: no commit starts and every waiting send is failed (see the class comment). */
    private volatile boolean closing;
    /** One watcher for every watch of this queue: any change looks at both sides again. */
    private final Watcher watcher = e -> ns.onAgent(this::pump);

    /** A message taken out of ZooKeeper, with the name it had there. */
    record Taken(String node, MessageQueue.Message message) {
    }

    /** Where a receive puts the message it took (called under the local lock: store, nothing else). */
    interface MessageSink {
        void deliver(MessageQueue.Message message);
    }

    ZkMessageQueueProxy(ZkNamespace ns, String name, String path, int capacity, int maxMessageSize) {
        super(ns, name, path);
        this.capacity = capacity;
        this.maxMessageSize = maxMessageSize;
        this.msgs = ZKPaths.makePath(path, "msgs");
        this.taken = ZKPaths.makePath(path, "taken");
        this.recvLine = new ZkLine(ns.client, ZKPaths.makePath(path, "recv"), this::ensure);
        this.sendLine = new ZkLine(ns.client, ZKPaths.makePath(path, "send"), this::ensure);
    }

    @Override
    String kind() {
        return "message-queue";
    }

    static Map<String, String> params(int capacity, int maxMessageSize) {
        return Map.of("capacity", Integer.toString(capacity), "maxsize", Integer.toString(maxMessageSize));
    }

    private byte[] data() {
        Map<String, String> d = new java.util.HashMap<>(params(capacity, maxMessageSize));
        d.put("kind", kind());
        return ZkNamespace.encode(d);
    }

    /** Creates the queue's node and its directories where missing (at open, and after an unlink). */
    void ensure() throws Exception {
        try {
            ns.client.create().creatingParentContainersIfNeeded().withMode(CreateMode.PERSISTENT).forPath(path, data());
        } catch (KeeperException.NodeExistsException e) {
            // there already
        }
        for (String dir : List.of(msgs, taken, ZKPaths.makePath(path, "recv"), ZKPaths.makePath(path, "send"))) {
            try {
                ns.client.create().withMode(CreateMode.PERSISTENT).forPath(dir);
            } catch (KeeperException.NodeExistsException e) {
                // there already
            }
        }
    }

    static String token() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    static long sequenceOf(String node) {
        return Long.parseLong(node.substring(node.lastIndexOf('-') + 1));
    }

    static int priorityOf(String node) {
        return (int) (Integer.MAX_VALUE - Long.parseLong(node.substring(2, 12)));
    }

    private static String prefix(int priority, String token) {
        return String.format("m-%010d-%s-", (long) Integer.MAX_VALUE - priority, token);
    }

    /** The message nodes, in receive order; watched with {@code w} unless null. */
    private List<String> messages(Watcher w) throws Exception {
        List<String> names = w == null ? ns.client.getChildren().forPath(msgs)
                : ns.client.getChildren().usingWatcher(w).forPath(msgs);
        List<String> out = new ArrayList<>(names.size());
        for (String n : names) {
            if (n.startsWith("m-") && n.length() > 14) {
                out.add(n);
            }
        }
        out.sort(ORDER);
        return out;
    }

    // ---- engine hooks (local lock held)

    @Override
    protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
        if (value < arg) {
            return UNAVAILABLE;
        }
        if (!(op instanceof MessageSink)) {
            throw new IllegalStateException("a receive from ZooKeeper queue " + ZkNames.quote(name) + " without a place for the message");
        }
        return value - arg;
    }

    @Override
    protected long acquired(long value, Thread owner, long arg, WaitOperation op, boolean wasQueued) {
        ((MessageSink) op).deliver(buffer.pollFirst().message());
        return value;
    }

    @Override
    protected long enqueued(long value, Thread owner, long arg, WaitOperation op) {
        if (value == 0) {
            ns.onAgent(this::pump);
        }
        return value;
    }

    @Override
    protected long withdrawn(long value, long arg, WaitOperation op) {
        ns.onAgent(this::returnSpare);
        return value;
    }

    @Override
    protected boolean mayWake(long value) {
        return value > 0;
    }

    // ---- taking (under takeLock)

    /** Whether threads here wait and no taken message is buffered for them. */
    private boolean needsMessage() {
        long v = lockState();
        try {
            return v == 0 && !queueEmpty();
        } finally {
            unlockState(v);
        }
    }

    /** Hands a taken message to this JVM's waiting receivers (buffered for the first of them). */
    private void hand(Taken t) {
        long v = lockForSignal();
        try {
            buffer.addLast(t);
            v = wake(v + 1);
        } finally {
            unlockAfterSignal(v);
        }
    }

    /** Takes the first message there is, or returns null when the queue is empty (watching it with {@code w}). */
    private Taken takeFirst(Watcher w) throws Exception {
        Taken t = resolve();
        if (t != null) {
            return t;
        }
        List<String> names;
        try {
            names = messages(w);
        } catch (KeeperException.NoNodeException e) {
            ensure(); // unlinked: an empty queue again
            names = messages(w);
        }
        for (String n : names) {
            t = take(n);
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    /** Tries to take one message: null if another receiver deleted it first. */
    private Taken take(String node) throws Exception {
        String p = ZKPaths.makePath(msgs, node);
        byte[] bytes;
        try {
            bytes = ns.client.getData().forPath(p);
        } catch (KeeperException.NoNodeException e) {
            return null;
        }
        Taken t = new Taken(node, new MessageQueue.Message(bytes, priorityOf(node)));
        String receipt = ZKPaths.makePath(taken, "r-" + token());
        try {
            ns.client.transaction().forOperations(
                    ns.client.transactionOp().delete().forPath(p),
                    ns.client.transactionOp().create().withMode(CreateMode.PERSISTENT).forPath(receipt));
        } catch (KeeperException.NoNodeException e) {
            // taken by another receiver, or by a first try of this one before a lost connection
            if (ns.client.checkExists().forPath(receipt) == null) {
                return null;
            }
        } catch (Exception e) {
            unresolved = t;
            unresolvedReceipt = receipt;
            throw e;
        }
        dropReceipt(receipt);
        return t;
    }

    /** The message of a take whose outcome was unknown, if the take happened. */
    private Taken resolve() throws Exception {
        Taken t = unresolved;
        if (t == null) {
            return null;
        }
        boolean done = ns.client.checkExists().forPath(unresolvedReceipt) != null;
        String receipt = unresolvedReceipt;
        unresolved = null;
        unresolvedReceipt = null;
        if (!done) {
            return null; // the transaction was not applied: the message is where it was, or another receiver's
        }
        dropReceipt(receipt);
        return t;
    }

    private void dropReceipt(String receipt) throws Exception {
        ns.client.delete().guaranteed().inBackground().forPath(receipt);
    }

    /** Puts a taken message back under its own name, so that it keeps its place. */
    private void putBack(Taken t) throws Exception {
        try {
            ns.client.transaction().forOperations(
                    ns.client.transactionOp().setData().forPath(path, data()), // senders counting now count again
                    ns.client.transactionOp().create().withMode(CreateMode.PERSISTENT)
                            .forPath(ZKPaths.makePath(msgs, t.node()), t.message().data()));
        } catch (KeeperException.NoNodeException e) {
            // the queue was unlinked: the message goes with it
        }
    }

    // ---- sending

    /**
     * Commits a message if there is room: true if it is in the queue (now or by an earlier try
     * with the same token), false if the queue is full (then {@code msgs} is watched with
     * {@code w} unless null).
     */
    private boolean commit(byte[] bytes, int priority, String token, boolean maybeSent, Watcher w) throws Exception {
        if (maybeSent && sentAlready(token)) {
            return true;
        }
        for (;;) {
            int version = ZkVersions.current(ns.client, path);
            List<String> names;
            try {
                if (version < 0) {
                    throw new KeeperException.NoNodeException(path);
                }
                names = messages(w);
            } catch (KeeperException.NoNodeException e) {
                ensure();
                continue;
            }
            if (names.size() >= capacity) {
                return false;
            }
            try {
                ns.client.transaction().forOperations(
                        ns.client.transactionOp().setData().withVersion(version).forPath(path, data()),
                        ns.client.transactionOp().create().withMode(CreateMode.PERSISTENT_SEQUENTIAL)
                                .forPath(ZKPaths.makePath(msgs, prefix(priority, token)), bytes));
                return true;
            } catch (KeeperException.BadVersionException e) {
                // another send came first, or a first try of this one before a lost connection
                if (sentAlready(token)) {
                    return true;
                }
            } catch (KeeperException.NoNodeException e) {
                ensure();
            }
        }
    }

    private boolean sentAlready(String token) throws Exception {
        String mark = "-" + token + "-";
        try {
            for (String n : ns.client.getChildren().forPath(msgs)) {
                if (n.contains(mark)) {
                    return true;
                }
            }
        } catch (KeeperException.NoNodeException e) {
            // unlinked
        }
        return false;
    }

    /** A send on the calling thread: true if sent, false if the queue is full. */
    boolean trySendNow(byte[] bytes, int priority) {
        boolean sent;
        try {
            sent = commit(bytes, priority, token(), false, null);
        } catch (Exception e) {
            throw ZkNamespace.unreachable("send to the queue " + ZkNames.quote(name), e);
        }
        if (sent) {
            serveLocal();
        }
        return sent;
    }

    /** Whether sends of this JVM wait for room (a new blocking send queues behind them). */
    boolean sendersWaiting() {
        return !sends.isEmpty();
    }

    /** Queues a send for the namespace's thread. */
    PendingSend enqueueSend(byte[] bytes, int priority) {
        PendingSend s = new PendingSend(bytes, priority);
        sends.addLast(s);
        if (closing) {
            failAtClose(s); // closing() may have looked at the sends before this one was added
        } else {
            ns.onAgent(this::pump);
        }
        return s;
    }

    /**
     * Waits for a queued send until {@code deadlineNanos} (no deadline if {@code timed} is
     * false): true if sent, false if withdrawn unsent at the deadline.
     */
    boolean awaitSend(PendingSend s, boolean timed, long deadlineNanos) throws InterruptedException {
        try {
            if (timed) {
                s.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } else {
                s.get();
            }
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return finishWithdrawal(s);
        } catch (InterruptedException e) {
            if (s.cancel(false)) {
                throw e;
            }
            boolean sent = finishWithdrawal(s);
            Thread.currentThread().interrupt();
            return sent;
        } catch (java.util.concurrent.ExecutionException e) {
            throw ZkNamespace.unreachable("send to the queue " + ZkNames.quote(name),
                    e.getCause() instanceof Exception x ? x : e);
        }
    }

    /**
     * Withdraws a send whose caller gives up: false if withdrawn unsent; true if its commit,
     * in progress meanwhile, put it in. Waits at most {@link ZkNamespace#AGENT_CALL_WAIT} for
     * that commit (its ZooKeeper calls end by Curator's retries first).
     */
    private boolean finishWithdrawal(PendingSend s) {
        long end = System.nanoTime() + ZkNamespace.AGENT_CALL_WAIT.toNanos();
        boolean interrupted = false;
        try {
            for (;;) {
                if (s.cancel(false)) {
                    return false;
                }
                try {
                    s.get(20, TimeUnit.MILLISECONDS);
                    return true;
                } catch (java.util.concurrent.TimeoutException e) {
                    if (System.nanoTime() - end > 0) {
                        throw new IllegalStateException("ZooKeeper did not answer within " + ZkNamespace.AGENT_CALL_WAIT.toSeconds()
                                + " s: the message to " + ZkNames.quote(name) + " may or may not have been sent", e);
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
                    return false;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A send waiting for room, committed by the namespace's thread. Cancelling succeeds only
     * while it is neither being committed nor of unknown outcome.
     */
    static final class PendingSend extends CompletableFuture<Void> {
        private static final int WAITING = 0;
        private static final int COMMITTING = 1;
        private static final int CANCELLED = 2;
        private static final int SENT = 3;
        final byte[] bytes;
        final int priority;
        final String token = token();
        private final AtomicInteger state = new AtomicInteger(WAITING);
        /** A commit failed without an answer: the message may be in (the token finds it). */
        volatile boolean maybeSent;

        PendingSend(byte[] bytes, int priority) {
            this.bytes = bytes;
            this.priority = priority;
        }

        boolean startCommit() {
            return state.compareAndSet(WAITING, COMMITTING);
        }

        void endCommit(boolean sent) {
            if (sent) {
                state.set(SENT);
                complete(null);
            } else {
                state.set(WAITING);
            }
        }

        /** Fails the send if it is waiting (not being committed, not ended), even of unknown outcome. */
        boolean failIfWaiting(RuntimeException why) {
            if (state.compareAndSet(WAITING, CANCELLED)) {
                completeExceptionally(why);
                return true;
            }
            return false;
        }

        /** Ends as sent a send of unknown outcome whose token was found in the queue. */
        boolean foundSent() {
            if (state.compareAndSet(WAITING, SENT)) {
                complete(null);
                return true;
            }
            return false;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (maybeSent || !state.compareAndSet(WAITING, CANCELLED)) {
                return isCancelled();
            }
            return super.cancel(mayInterruptIfRunning);
        }
    }

    // ---- operations of the handle

    /** After a send: this JVM's waiting receivers take what they need before the send returns. */
    void serveLocal() {
        takeLock.lock();
        try {
            while (needsMessage()) {
                Taken t = takeFirst(null);
                if (t == null) {
                    return;
                }
                hand(t);
            }
        } catch (Exception e) {
            ns.onAgent(this::pump); // the namespace's thread tries again
        } finally {
            takeLock.unlock();
        }
    }

    /**
     * A take on the calling thread: a message taken here for a receiver that gave up (not yet
     * put back) if no receiver here waits for it, else the first message in ZooKeeper, or null
     * if the queue is empty. Under {@link #takeLock}, which {@link #returnSpare} holds while it
     * moves such a message back, so a message is always in one of the two places it looks.
     */
    MessageQueue.Message takeNow() {
        takeLock.lock();
        try {
            Taken spare = null;
            long v = lockState();
            try {
                if (v > 0 && queueEmpty()) {
                    spare = buffer.pollFirst();
                    v--;
                }
            } finally {
                unlockState(v);
            }
            if (spare != null) {
                return spare.message();
            }
            Taken t = takeFirst(null);
            return t == null ? null : t.message();
        } catch (Exception e) {
            throw ZkNamespace.unreachable("receive from the queue " + ZkNames.quote(name), e);
        } finally {
            takeLock.unlock();
        }
    }

    /** The nodes of the {@code recv} and {@code send} lines: the processes waiting to receive or for room. */
    @Override
    java.util.OptionalInt waiters() {
        try {
            ns.syncForRead(path);
            int n = 0;
            for (String line : List.of("recv", "send")) {
                try {
                    n += ns.client.getChildren().forPath(ZKPaths.makePath(path, line)).size();
                } catch (KeeperException.NoNodeException e) {
                    // no process has stood in this line yet
                }
            }
            return java.util.OptionalInt.of(n);
        } catch (Exception e) {
            throw ZkNamespace.unreachable("read the queue " + ZkNames.quote(name), e);
        }
    }

    /** Messages in ZooKeeper plus those taken here and not yet received. */
    int size() {
        int inZk;
        try {
            ns.syncForRead(path);
            inZk = messages(null).size();
        } catch (KeeperException.NoNodeException e) {
            inZk = 0;
        } catch (Exception e) {
            throw ZkNamespace.unreachable("read the queue " + ZkNames.quote(name), e);
        }
        long v = lockState();
        unlockState(v);
        return inZk + (int) v;
    }

    String stateText() {
        long v = lockState();
        try {
            return "capacity " + capacity + ", max " + maxMessageSize + " bytes, " + v + " taken here, "
                    + sends.size() + " sends waiting here";
        } finally {
            unlockState(v);
        }
    }

    // ---- the namespace's thread

    private void pump() {
        if (closing) {
            failSendsAtClose(); // no commit starts, no line is joined once closing
            return;
        }
        if (ns.isClosed()) {
            return;
        }
        try {
            pumpReceive();
            pumpSend();
        } catch (Exception e) {
            failed(e);
        }
    }

    /** Takes messages for this JVM's waiting receivers, in its turn in the line. */
    private void pumpReceive() throws Exception {
        for (;;) {
            if (!needsMessage()) {
                recvLine.leave();
                returnSpare();
                return;
            }
            if (!recvLine.atHead(watcher, ns.sessionId())) {
                return; // the predecessor is watched
            }
            Taken t;
            takeLock.lock();
            try {
                t = takeFirst(watcher);
                if (t == null) {
                    return; // msgs is watched
                }
                hand(t);
            } finally {
                takeLock.unlock();
            }
            recvLine.leave(); // the next process's turn; this one joins again at the back if it still waits
        }
    }

    /** Commits this JVM's waiting sends in order, in its turn in the line. */
    private void pumpSend() throws Exception {
        for (;;) {
            PendingSend s = sends.peekFirst();
            if (s == null) {
                sendLine.leave();
                return;
            }
            if (s.isDone()) {
                sends.remove(s);
                continue;
            }
            if (closing) {
                failSendsAtClose();
                return;
            }
            if (!sendLine.atHead(watcher, ns.sessionId())) {
                return;
            }
            if (!s.startCommit()) {
                sends.remove(s); // cancelled, or failed by the close
                continue;
            }
            boolean sent;
            try {
                sent = commit(s.bytes, s.priority, s.token, s.maybeSent, watcher);
            } catch (Exception e) {
                s.maybeSent = true;
                s.endCommit(false);
                failSendsAtClose(); // closing() may have skipped it while it was being committed
                throw e;
            }
            if (!sent) {
                s.maybeSent = false;
                s.endCommit(false);
                failSendsAtClose(); // closing() may have skipped it while it was being committed
                return; // full: msgs is watched
            }
            sends.remove(s);
            s.endCommit(true);
            serveLocal();
            sendLine.leave();
        }
    }

    /** Puts back the taken messages nobody here waits for (under {@link #takeLock}: see {@link #takeNow}). */
    private void returnSpare() {
        takeLock.lock();
        try {
            returnSpareLocked();
        } finally {
            takeLock.unlock();
        }
    }

    private void returnSpareLocked() {
        List<Taken> back = new ArrayList<>();
        long v = lockState();
        try {
            if (v > 0 && queueEmpty()) {
                back.addAll(buffer);
                buffer.clear();
                v = 0;
            }
        } finally {
            unlockState(v);
        }
        for (int i = 0; i < back.size(); i++) {
            try {
                putBack(back.get(i));
            } catch (Exception e) {
                // keep the rest here, for a receiver or the next try
                List<Taken> rest = back.subList(i, back.size());
                v = lockForSignal();
                try {
                    for (int k = rest.size() - 1; k >= 0; k--) {
                        buffer.addFirst(rest.get(k));
                    }
                    v = wake(v + rest.size());
                } finally {
                    unlockAfterSignal(v);
                }
                failed(e);
                return;
            }
        }
    }

    private void failed(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        // no server answered within Curator's retries: look again shortly
        ns.onAgentLater(this::pump);
    }

    @Override
    void sessionLost() {
        ns.onAgent(() -> {
            recvLine.forget();
            sendLine.forget();
            pump();
        });
    }

    @Override
    void reconnected() {
        ns.onAgent(this::pump);
    }

    /**
     * Before the namespace closes: fails the sends still waiting (not sent; one whose last
     * commit got no answer is first looked for by its token, and ends sent if found), leaves
     * the lines and puts back the taken messages. The ZooKeeper calls are best effort within
     * {@link ZkNamespace#AGENT_CALL_WAIT}; every waiting send is ended before this returns,
     * except one being committed if that step could not run, which its commit then ends.
     */
    @Override
    void closing() {
        closing = true;
        try {
            ns.callOnAgent(() -> {
                // a step: no commit is in progress now, and none starts after it (closing is set)
                for (PendingSend s : sends) {
                    if (s.maybeSent && !s.isDone() && sentAlready(s.token)) {
                        s.foundSent();
                    } else {
                        s.maybeSent = false; // looked for: not in the queue
                    }
                }
                failSendsAtClose();
                recvLine.leave();
                sendLine.leave();
                List<Taken> back;
                long v = lockState();
                try {
                    back = new ArrayList<>(buffer);
                    buffer.clear();
                    v = 0;
                } finally {
                    unlockState(v);
                }
                for (Taken t : back) {
                    putBack(t);
                }
                return null;
            }, "close the queue " + ZkNames.quote(name));
        } catch (RuntimeException e) {
            // best effort: the lines' nodes go with the session
        }
        failSendsAtClose(); // also when the step could not run; a commit in progress fails its send itself
    }

    /** Once closing: fails every send still waiting (see the class comment); a no-op before. */
    private void failSendsAtClose() {
        if (!closing) {
            return;
        }
        for (PendingSend s : sends) {
            failAtClose(s);
        }
    }

    private void failAtClose(PendingSend s) {
        String what = s.maybeSent
                ? " while the message to " + ZkNames.quote(name) + " was of unknown outcome (its last try got no answer):"
                        + " it may or may not have been sent"
                : " before the message to " + ZkNames.quote(name) + " had room (not sent)";
        if (s.failIfWaiting(new IllegalStateException("the ZooKeeper namespace " + ns.rootPath() + " was closed" + what))) {
            sends.remove(s);
        }
    }
}
