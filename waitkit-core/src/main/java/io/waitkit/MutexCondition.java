package io.waitkit;

import io.waitkit.internal.Dispatch;
import io.waitkit.internal.WaitRegistry;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@link Condition} of a {@link Mutex}, with the semantics of
 * {@link java.util.concurrent.locks.ReentrantLock#newCondition()}.
 *
 * <p>The queue of waiting threads is guarded by the mutex itself: every method requires the
 * caller to own it. A waiter queues its node while still owning the mutex, then releases every
 * hold, so a signal sent after the release cannot be missed. A node leaves the waiting state
 * by one CAS: to SIGNALLED by a signaller (which dequeues it) or to CANCELLED by its own thread
 * on timeout or interrupt (it dequeues itself after re-acquiring the mutex; signallers skip
 * and drop cancelled nodes). Whatever the outcome, the waiter re-acquires the mutex with its
 * previous hold count before returning.
 *
 * <p><b>Diagnostics.</b> A waiter about to park for the first time puts its node in
 * {@link #PARKED} (keyed by its thread, with the time), and takes it out when it leaves the wait
 * loop, before it re-acquires the mutex, also on an unexpected exception; a waiter signalled
 * before it parked never registers. {@link Diagnostics} reads the map: a registered node still
 * WAITING is a thread waiting for a signal of the condition; a registered node already
 * SIGNALLED or CANCELLED is a thread that was woken and is about to re-acquire the mutex, so it
 * waits for the mutex (when it parks in that re-acquisition, the engine's own registration
 * describes it). The state of a node moves once, from WAITING, so a reader that sees the same
 * node registered with the same state before and after reading holders saw one wait
 * throughout. Off with {@code io.waitkit.diagnostics=false}, as the engine's registry.
 */
final class MutexCondition implements Condition {
    private static final int WAITING = 0;
    private static final int SIGNALLED = 1;
    private static final int CANCELLED = 2;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Node.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A waiting thread's place in the queue; also its record for {@link Diagnostics}. */
    static final class Node {
        final Thread thread = Thread.currentThread();
        final MutexCondition condition;
        volatile int state;
        Node next;
        /** {@link System#nanoTime()} of the first park; published by the put in {@link #PARKED}. */
        long since;

        Node(MutexCondition condition) {
            this.condition = condition;
        }

        /** Whether the thread still waits for a signal (else it was woken and re-acquires the mutex). */
        boolean awaitingSignal() {
            return state == WAITING;
        }
    }

    /** The nodes of the threads parked in a condition wait now, by thread (see the class comment). */
    private static final ConcurrentHashMap<Thread, Node> PARKED = new ConcurrentHashMap<>();

    private final Mutex mutex;
    /** What a waiter is shown waiting for: this condition, or the monitor that owns it. */
    private final Object shownAs;
    private Node head;
    private Node tail;

    MutexCondition(Mutex mutex) {
        this.mutex = mutex;
        this.shownAs = this;
    }

    /**
     * A condition that {@link Diagnostics} shows as {@code shownAs} (a {@link Monitor}).
     *
     * @param mutex the mutex
     * @param shownAs the object waiters are shown waiting for
     */
    MutexCondition(Mutex mutex, Object shownAs) {
        this.mutex = mutex;
        this.shownAs = shownAs;
    }

    /** The mutex of this condition. */
    Mutex mutex() {
        return mutex;
    }

    /** What a waiter for a signal is shown waiting for. */
    Object shownAs() {
        return shownAs;
    }

    /**
     * The threads parked in a condition wait now, for {@link Diagnostics}.
     *
     * @return a snapshot of their nodes
     */
    static java.util.Collection<Node> parked() {
        return java.util.List.copyOf(PARKED.values());
    }

    /**
     * The node of {@code t} if it is parked in a condition wait now.
     *
     * @param t the thread
     * @return its node, or null
     */
    static Node parkedNode(Thread t) {
        return PARKED.get(t);
    }

    private void checkOwner() {
        if (!mutex.isHeldByCurrentThread()) {
            throw new IllegalMonitorStateException("the current thread does not own the condition's mutex");
        }
    }

    @Override
    public void await() throws InterruptedException {
        awaitNanos(false, 0L, true);
    }

    @Override
    public void awaitUninterruptibly() {
        try {
            awaitNanos(false, 0L, false);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public long awaitNanos(long nanosTimeout) throws InterruptedException {
        long deadline = System.nanoTime() + Math.min(Math.max(nanosTimeout, 0L), Timeouts.FOREVER_NANOS);
        awaitNanos(true, deadline, true);
        return deadline - System.nanoTime();
    }

    @Override
    public boolean await(long time, TimeUnit unit) throws InterruptedException {
        long nanos = Timeouts.nanos(time, unit);
        return awaitNanos(!Timeouts.isForever(nanos), Timeouts.deadline(nanos), true);
    }

    @Override
    public boolean awaitUntil(Date deadline) throws InterruptedException {
        Objects.requireNonNull(deadline, "deadline");
        long millis = deadline.getTime() - System.currentTimeMillis();
        return await(Duration.ofMillis(Math.max(0L, millis)).toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Returns true if signalled, false on timeout. */
    boolean awaitNanos(boolean timed, long deadline, boolean interruptible) throws InterruptedException {
        Dispatch.checkCanBlock();
        if (interruptible && Thread.interrupted()) {
            throw new InterruptedException();
        }
        checkOwner();
        Node node = new Node(this);
        if (tail == null) {
            head = node;
        } else {
            tail.next = node;
        }
        tail = node;
        int holds = mutex.releaseFully();
        boolean interrupted = false;
        boolean throwInterrupt = false;
        boolean registered = false;
        try {
            while (node.state == WAITING) {
                if (Thread.interrupted()) {
                    interrupted = true;
                    if (interruptible && STATE.compareAndSet(node, WAITING, CANCELLED)) {
                        throwInterrupt = true;
                        break;
                    }
                    continue;
                }
                long remaining = timed ? deadline - System.nanoTime() : 0L;
                if (timed && remaining <= 0L) {
                    if (STATE.compareAndSet(node, WAITING, CANCELLED)) {
                        break;
                    }
                    continue;
                }
                if (!registered && WaitRegistry.ENABLED) {
                    node.since = System.nanoTime();
                    PARKED.put(node.thread, node);
                    registered = true;
                    continue; // re-check the state and the time once registered
                }
                if (timed) {
                    LockSupport.parkNanos(this, remaining);
                } else {
                    LockSupport.park(this);
                }
            }
        } finally {
            if (registered) {
                PARKED.remove(node.thread, node);
            }
        }
        try {
            mutex.reacquire(holds);
        } finally {
            if (node.state == CANCELLED) {
                unlink(node);
            }
            if (interrupted && !throwInterrupt) {
                Thread.currentThread().interrupt();
            }
        }
        if (throwInterrupt) {
            throw new InterruptedException();
        }
        return node.state == SIGNALLED;
    }

    private void unlink(Node node) {
        Node prev = null;
        for (Node n = head; n != null; prev = n, n = n.next) {
            if (n == node) {
                if (prev == null) {
                    head = n.next;
                } else {
                    prev.next = n.next;
                }
                if (tail == n) {
                    tail = prev;
                }
                n.next = null;
                return;
            }
        }
    }

    @Override
    public void signal() {
        checkOwner();
        for (Node n; (n = head) != null; ) {
            head = n.next;
            if (head == null) {
                tail = null;
            }
            n.next = null;
            if (STATE.compareAndSet(n, WAITING, SIGNALLED)) {
                LockSupport.unpark(n.thread);
                return;
            }
        }
    }

    @Override
    public void signalAll() {
        checkOwner();
        Node n = head;
        head = null;
        tail = null;
        while (n != null) {
            Node next = n.next;
            n.next = null;
            if (STATE.compareAndSet(n, WAITING, SIGNALLED)) {
                LockSupport.unpark(n.thread);
            }
            n = next;
        }
    }

    /**
     * Counts the threads waiting on this condition now, without owning the mutex: a snapshot
     * for descriptions (the queue is guarded by the mutex, so a count read meanwhile may be a
     * moment old). Never blocks.
     */
    int waiterCount() {
        int n = 0;
        for (Node x = head; x != null && n < Integer.MAX_VALUE; x = x.next) {
            if (x.state == WAITING) {
                n++;
            }
        }
        return n;
    }

    /**
     * Describes the condition.
     *
     * @return for example {@code Condition[waiters=2, Mutex[free, waiters=0]]}; never blocks
     */
    @Override
    public String toString() {
        return "Condition[waiters=" + waiterCount() + ", " + mutex + "]";
    }
}
