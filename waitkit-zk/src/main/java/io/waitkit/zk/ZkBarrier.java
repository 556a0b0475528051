package io.waitkit.zk;

import io.waitkit.Deadline;
import io.waitkit.Waitable;
import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A cyclic barrier shared by every process connected to one ZooKeeper ensemble, as
 * {@link io.waitkit.Barrier}: {@link #parties()} arrivals, from any processes, complete a
 * round; the arrival that completes it releases every member, and the barrier is empty again
 * for the next round. The number of parties is stored with the barrier when it is created (an
 * open with another number is refused).
 *
 * <pre>{@code
 * ZkBarrier step = ns.barrier("epoch", hosts);
 * for (;;) { trainEpoch(); if (!step.await(Duration.ofMinutes(10))) throw new TimeoutException(); }
 * }</pre>
 *
 * <p><b>Arrivals.</b> Each waiting arrival is an ephemeral node of its process's ZooKeeper
 * session. A wait that times out, is interrupted or cancelled, or (in {@code Wait.any}) loses
 * to another object <b>takes its arrival back</b>; a process whose session ends loses its
 * arrivals with it, so a dead member is never counted (its waits still pending are made again
 * on the new session). A round counts only arrivals that are still there when it completes.
 * Within a process the arrivals are interchangeable: a round that took one of its arrivals
 * releases the oldest waiter here, and if a wait of this process ends at the very moment a
 * round took its arrival, that arrival was counted in the round while the wait reports a
 * timeout (or goes to a later waiter here). {@link #tryAwait()} succeeds only as the arrival
 * that completes the round, and otherwise changes nothing. A barrier cannot take part in
 * {@code Wait.all}.
 *
 * <p><b>Blocking.</b> Waits park the calling thread (async waits hold no thread); the
 * ZooKeeper calls behind them run on the namespace's thread, which makes the arrival of a
 * queued wait, or completes the round with it. {@link #awaitAsync()} first asks that thread
 * whether its arrival completes the round (then the future is complete, and the members of
 * this process released, when it returns). The waits abort on interrupt with the arrival
 * taken back; a blocking wait that ends without its round (timeout, interrupt) returns once
 * its arrival node is deleted, so no round formed afterwards counts it. What a member did before arriving happens-before what a member of
 * the same process does after the round released it; across processes ZooKeeper orders them.
 */
public final class ZkBarrier extends WaitOperation implements Waitable {
    private final ZkBarrierProxy proxy;

    ZkBarrier(ZkBarrierProxy proxy) {
        this.proxy = proxy;
    }

    @Override
    protected WaitObject target() {
        proxy.ns.checkOpen();
        return proxy;
    }

    /**
     * The barrier's name in its namespace.
     *
     * @return the name
     */
    public String name() {
        return proxy.name;
    }

    /** Whether this arrival completes the round now (the members here released first). */
    private boolean completes() {
        target();
        return proxy.parties == 1 || proxy.tryTrip();
    }

    /**
     * Arrives and waits until the round is complete.
     *
     * @throws InterruptedException if interrupted before the round completed; the arrival is
     *         taken back
     * @throws IllegalStateException if ZooKeeper cannot be reached
     */
    public void await() throws InterruptedException {
        if (proxy.parties == 1) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            target();
            return;
        }
        try {
            ZkWaits.await(target(), null, true);
        } catch (InterruptedException e) {
            proxy.settle();
            throw e;
        }
    }

    /**
     * Arrives and waits at most {@code timeout} for the round to complete.
     *
     * @param timeout the longest wait; zero or negative is {@link #tryAwait()}
     * @return true if the round completed; false on timeout, the arrival taken back
     * @throws InterruptedException if interrupted before the round completed; the arrival is
     *         taken back
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalStateException if ZooKeeper cannot be reached
     */
    public boolean await(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (timeout.isNegative() || timeout.isZero() || proxy.parties == 1) {
            return completes();
        }
        int r;
        try {
            r = ZkWaits.await(target(), null, timeout);
        } catch (InterruptedException e) {
            proxy.settle();
            throw e;
        }
        if (r != WaitEngine.ACQUIRED) {
            proxy.settle();
            return false;
        }
        return true;
    }

    /**
     * Arrives and waits at most the given time, as {@link #await(Duration)}.
     *
     * @param timeout the longest wait, in {@code unit}; zero or negative is {@link #tryAwait()};
     *        a time too large for nanoseconds waits without a limit
     * @param unit its unit
     * @return true if the round completed; false on timeout, the arrival taken back
     * @throws InterruptedException if interrupted before the round completed; the arrival is
     *         taken back
     * @throws NullPointerException if {@code unit} is null
     */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return await(Duration.ofNanos(unit.toNanos(timeout))); // saturates: a time too large waits without a limit
    }

    /**
     * Arrives and waits until the round completes or {@code deadline} passes, as
     * {@link #await(Duration)}.
     *
     * @param deadline when to give up
     * @return true if the round completed; false on timeout, the arrival taken back
     * @throws InterruptedException if interrupted before the round completed; the arrival is
     *         taken back
     * @throws NullPointerException if {@code deadline} is null
     */
    public boolean await(Deadline deadline) throws InterruptedException {
        return await(deadline.remaining());
    }

    /**
     * Arrives only if this arrival completes the round (releasing the members); otherwise
     * changes nothing. Waits for the ZooKeeper calls of one try, on the namespace's thread,
     * after the arrivals of this process's waits that queued before it.
     *
     * @return true if this arrival completed the round
     * @throws IllegalStateException if ZooKeeper cannot be reached
     */
    public boolean tryAwait() {
        return completes();
    }

    /**
     * Arrives and returns a future that completes when the round is complete (at once if this
     * arrival completes it); cancelling a pending future takes the arrival back. Holds no
     * thread while pending.
     *
     * @return the future of the arrival
     * @throws IllegalStateException if ZooKeeper cannot be reached
     */
    public CompletableFuture<Void> awaitAsync() {
        if (completes()) {
            return CompletableFuture.completedFuture(null);
        }
        return WaitEngine.acquireAsync(target(), 1, this);
    }

    /**
     * The number of arrivals that complete a round, as stored with the barrier.
     *
     * @return the parties
     */
    public int parties() {
        return proxy.parties;
    }

    /**
     * The arrivals of the current round, of every process: a snapshot read from ZooKeeper once
     * the arrivals of this process's waits that queued before the call are made, after syncing
     * the server this process is connected to with the ensemble's leader (so it counts every
     * arrival that had completed in any process when this was called).
     *
     * @return arrivals waiting now
     * @throws IllegalStateException if ZooKeeper cannot be reached
     */
    public int waiting() {
        target();
        return proxy.waiting();
    }

    /**
     * Describes the handle.
     *
     * @return the class, the name and the parties
     */
    @Override
    public String toString() {
        return "ZkBarrier[" + proxy.name + ", " + proxy.stateText() + "]";
    }
}
