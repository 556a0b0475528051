package io.waitkit.internal;

/**
 * The engine's seam for objects whose state is not a Java field: a word in shared memory that
 * other processes change, a znode, a {@link java.util.concurrent.CompletableFuture}. A proxy is
 * this JVM's half of such an object: the engine's object lock and the queue of this JVM's
 * waiters stay on the heap, as for every object; the <em>value</em> the engine's hooks compute
 * with is read from and written back to the outside state under the outside object's own lock.
 *
 * <pre>
 *   this JVM                                   outside (shared memory, service, future)
 *   +------------------------------------+     +-----------------------------------+
 *   | local state word: LOCKED | QUEUED  |     | outside lock + value              |
 *   |   (value bits always 0)            |     |   changed by other processes,     |
 *   | queue of this JVM's waiters        |     |   threads, or a completion        |
 *   +------------------------------------+     +-----------------------------------+
 *        lockState() = local lock, then {@link #lockOutside()}: returns the outside value
 *        unlockState(v) = {@link #unlockOutside(long) unlockOutside(v)}, then local unlock
 *        outside change -> {@link #signal()} -> hand-off to this JVM's queue
 * </pre>
 *
 * <p><b>What a proxy implements.</b> The hooks of {@link WaitObject} with the outside value as
 * {@code value}: {@link #acquireFor} (may this owner acquire, and the value after), {@link #acquired}
 * (side effects of an acquisition, such as writing an owner), {@link #mayWake},
 * {@link #tryAcquireFast} (a lock-free poll of the outside state that must answer
 * {@link #POLL_CONTENDED} whenever the outside lock is held), {@link #reportException} (what a wait
 * that took over an abandoned or failed object throws); and the outside lock itself:
 * {@link #lockOutside()}, {@link #unlockOutside(long)} and {@link #lockOrder()}.
 *
 * <p><b>Lock-free changes through this proxy.</b> A heap object's release CAS covers the
 * queued bit and the value in one word; a proxy's queued bit is in the local word and its value
 * outside, so a waiter can check the outside value, queue and unlock between a releaser's read
 * of the local word (nobody queued) and its CAS of the outside value (which succeeds: the value
 * did not change), and would sleep through the release. A lock-free change that can make the
 * object available must therefore be followed by {@link #signalIfQueued()}. That read cannot
 * miss the waiter: the waiter took the local lock before the outside lock and unlocked the
 * outside before the local word, so a CAS that saw the waiter's outside unlock is followed by a
 * read that sees the local word locked, or queued, or already served.
 *
 * <p><b>Signals from outside.</b> Whoever learns that the outside state changed (a thread that
 * saw a futex wake, a ZooKeeper watch, a future's completion) calls {@link #signal()}: the
 * queue of this JVM is served at the new outside value exactly as a local release serves it,
 * claim by claim under both locks, so wait-any still acquires exactly one object and a waiter
 * whose cancel CAS fails still owns what was acquired for it. A local operation that changes
 * the outside state (a release through this handle) serves the local queue itself, under the
 * same locks, and then tells the outside source (other processes) in its own way. No signal is
 * lost: a registering waiter checks the outside value under the outside lock before it queues,
 * so a change that comes later finds it queued and is answered by a {@code signal()}. Whoever
 * calls {@code signal()} must do so after every change that can make the object available;
 * a spurious call costs one pass over the queue and changes nothing.
 *
 * <p><b>Wait-all across processes.</b> A wait-all is atomic because every member's lock is
 * held while all members are checked and committed. Outside locks are shared with other
 * processes, whose wait-all locks are not serialized by this JVM's {@link AllLock}, so a thread
 * takes two or more outside locks only in ascending {@link #lockOrder()}, holding no other
 * outside lock before the first: registration ({@link WaitAll#acquireAllOrQueue}) locks the
 * heap objects first, then the proxies sorted; a signaller that already holds one object's lock
 * and finds an all-waiter with a second proxy among its members does not lock it there, but
 * completes that waiter after unlocking, with every lock taken afresh in order
 * ({@link WaitAll#completeInOrder}). Taking one outside lock while holding local locks cannot
 * deadlock: a holder of an outside lock never waits for a lock of another JVM.
 *
 * <p><b>The outside lock</b> must be short (a few stores), must never wait for a lock of this
 * JVM, and, for state shared with processes that may die holding it, must be recoverable by
 * the next locker (the cross-process objects record the locker's identity in the lock word).
 * It is taken only by a thread holding this proxy's local lock, so two threads of this JVM
 * never contend for it.
 */
public abstract class Proxy extends WaitObject {
    /** Constructor for subclasses, without traits. */
    protected Proxy() {
        this(0);
    }

    /**
     * Constructor for subclasses that spin or back off as a heap object of their kind does.
     *
     * @param traits {@link #SPINS_BEFORE_QUEUEING}, {@link #SPINS_BEFORE_PARKING} and
     *        {@link #BUSY_LOCK} or-ed together, or 0
     */
    protected Proxy(int traits) {
        super(0L, traits, true);
    }

    /**
     * Takes the outside object's lock and reads its value. Called with this proxy's local lock
     * held; must not block on anything but the outside lock itself.
     *
     * @return the outside value, within {@link #VALUE_MASK}
     */
    protected abstract long lockOutside();

    /**
     * Stores a new outside value and releases the outside lock (release semantics).
     *
     * @param value the value computed under the lock
     */
    protected abstract void unlockOutside(long value);

    /**
     * The position of this object's outside lock in the order every process takes several of
     * them in. Distinct outside objects whose locks other processes can hold must have distinct
     * keys (a file's inode, a path's hash with the path as tie-breaker is not enough); objects
     * whose outside lock never waits (a future) may all answer 0.
     *
     * @return the lock order key
     */
    protected long lockOrder() {
        return 0L;
    }

    /**
     * A snapshot of the outside state that changes when the object changes hands, for spinning
     * (see {@link WaitObject#spinSnapshot()}); the local word a heap object would read holds
     * only flag bits here, so every proxy says what to read.
     *
     * @return a value that differs after a release or an acquisition, most of the time
     */
    @Override
    protected abstract long spinSnapshot();

    /**
     * After a lock-free change of the outside state through this proxy that can make the object
     * available (a release, a set): serves a local waiter that queued between the releaser's
     * read of the local word and its change (see the class comment). Costs one volatile read
     * when nobody is queued.
     */
    protected final void signalIfQueued() {
        if (!isQuiet(getStateVolatile())) {
            signal();
        }
    }

    /**
     * What makes two proxies the same object for a wait-all's duplicate check: the outside
     * object (the future of a future member); this proxy by default. Handles of one named
     * object share one proxy, so they are duplicates already.
     *
     * @return the identity, compared with {@code ==}
     */
    protected Object outsideIdentity() {
        return this;
    }

    /**
     * Serves this JVM's queued waiters at the current outside value: to be called by the
     * outside source after a change that may make the object available. Never blocks beyond
     * the object locks; allowed at DISPATCH_LEVEL. Completions of async waiters it serves run
     * in the calling thread after every lock is released.
     */
    public final void signal() {
        long v = lockForSignal();
        try {
            v = wake(v);
        } finally {
            unlockAfterSignal(v);
        }
    }

    /**
     * Whether a blocked single-object wait on this proxy calls {@link #parkOutside} where it
     * would park: for objects whose outside source can wake a sleeping platform thread directly
     * (a futex word), which saves the hop through a watcher thread, and which a waiting virtual
     * thread can watch briefly before it parks (it must never block in a system call).
     * Such a proxy must also wake its outside sleepers after every local hand-off, since an
     * unpark does not end an outside sleep ({@link #parkOutside} bounds every sleep, so a
     * missed one costs latency, never a lost wake-up).
     *
     * @return false by default
     */
    protected boolean parksOutside() {
        return false;
    }

    /**
     * Sleeps in the outside source instead of parking (see {@link #parksOutside()}), and serves
     * the local queue if the outside changed meanwhile, which may claim the sleeper itself. The
     * engine calls it in its wait loop, where a parked thread would park: the sleep may end
     * early for any reason, and the loop re-reads the waiter's status. An implementation reads
     * its wake token (the futex word) first, then checks {@code waiter.pending()}, and sleeps
     * only if the wait is still pending, at most {@code nanos} (and briefly enough that an
     * interrupt, which does not end the sleep, is noticed soon).
     *
     * @param waiter the blocked wait
     * @param nanos the longest sleep; negative for no deadline
     */
    protected void parkOutside(PendingWait waiter, long nanos) {
        throw new UnsupportedOperationException();
    }

    /** A blocked wait as {@link #parkOutside} sees it. */
    public interface PendingWait {
        /**
         * Whether the wait has nothing to do but sleep: not claimed, not cancelled, and not
         * woken by a release of a barging object to compete again. Volatile reads.
         *
         * @return true while nothing was acquired for it and no wake-up waits for it
         */
        boolean pending();
    }

    /**
     * Whether waiters of this JVM are queued on this proxy: the outside source needs watching
     * only then. A snapshot.
     *
     * @return true if the local queue was not empty
     */
    public final boolean hasLocalWaiters() {
        return hasQueuedWaiters();
    }
}
