package io.waitkit.internal;

/**
 * The spinning of one platform thread that waits for an object which
 * {@linkplain WaitObject#SPINS_BEFORE_QUEUEING spins before queueing} (a mutex, a semaphore):
 * first before it queues ({@link #acquire}), then, once queued, before each park
 * ({@link #spinAgain}). Objects that only {@linkplain WaitObject#SPINS_BEFORE_PARKING spin
 * before parking} (an event) skip the first phase: a thread cannot take an unsignalled event by
 * retrying, but a queued waiter that is still spinning when the signal comes saves a
 * park/unpark round trip (B3 in BENCHMARKS.md: a ping-pong turn drops from two wake-ups of
 * about 40 µs to a few microseconds on the 2-core build machine).
 *
 * <p><b>Why.</b> Under the hand-off rule (docs/semantics.md#hand-off) a release goes to the first queued waiter. If
 * that waiter is parked, the object stays held by a thread that is not running for a whole
 * wake-up latency, during which every other contender queues too: a convoy where each
 * acquisition costs a park and an unpark. A thread that spins instead of queueing is not a
 * waiter: it takes the object only when a release found nobody queued (as a new arrival may on
 * NT), so the rule is untouched. A queued waiter that is still spinning when its turn comes is
 * handed the object without a wake-up.
 *
 * <p><b>How long.</b> A spin goes on while the object keeps changing hands (its
 * {@linkplain WaitObject#spinSnapshot() snapshot} moves), and stops after a quiet window
 * without movement (a holder that keeps it, or was preempted), after a cap in all, at the
 * deadline, or on an interrupt. At most {@link #MAX_SPINNERS} threads spin on one object at a
 * time (slots taken with {@link WaitObject#tryStartSpin}), leaving a CPU to the holder; a
 * thread spinning before it queues on a small machine needs no slot (below). With
 * {@link #WAKE_AHEAD} a hand-off also unparks the next waiter in line so that it spins for its
 * turn ({@link WaitObject#wake}).
 *
 * <p><b>Small machines ({@link #YIELD}, fewer than 4 CPUs by default).</b> With more threads
 * than CPUs contending for one object, the spin before queueing used to take one of the
 * CPUs - 1 slots (one on 2 CPUs) and stop as soon as anyone was queued. Every other contender
 * therefore queued and parked, and once one thread was queued it never emptied: each release
 * went to the parked head of the queue, the releaser came back, found the queue non-empty and
 * queued behind it. Every acquisition cost a wake-up of a parked thread (20-40 µs on a 2-core
 * VM, where the woken thread often lands on an idle virtual CPU), and the one slot holder
 * spinning as a queued waiter kept one of the two CPUs from the thread being woken: a 2-core
 * machine did about 0.03 acquisitions per µs at 8 and 16 threads, below the fair
 * {@code ReentrantLock}, which parks the same way but does not spin. Now a thread spinning
 * before it queues yields the processor every {@link #CHECKS} checks, so that a holder or a
 * served waiter that needs the CPU gets it at once; since it no longer holds a CPU, it needs no
 * slot, and it goes on spinning while others are queued. The queue then drains (each queued
 * waiter is served once, and comes back as a spinner rather than queueing behind the others),
 * and the object passes between running threads: 45-70 acquisitions per µs at 8 and 16 threads
 * on 2 cores. The rules are untouched: a spinner still takes the object only when a release
 * found nobody queued, and it queues after the same quiet window and cap, which bound how long
 * it can be passed over by spinners that happened to be running.
 *
 * <p><b>Barging objects on a small machine ({@link #BARGING_PARKS}).</b> A release of a
 * {@linkplain WaitObject#barging() barging} object frees it for whichever thread is running,
 * so the object does not need spinners to keep it moving: with the waiters parked, the thread
 * that holds the CPU takes and releases it with a CAS each, as with a non-fair
 * {@code ReentrantLock}. Spinners there only compete with that thread for the two CPUs and
 * for the object's cache line; with fewer than 4 CPUs a platform thread waiting for a barging
 * object therefore neither spins before it queues nor before it parks (B9b on 2 cores: the
 * barging Mutex makes 1.2-2x the acquisitions of the yielding spin at 2 to 16 threads; see
 * docs/design.md, "Barging").
 *
 * <p><b>Settings</b> (read once; DEVELOPERS.md lists them): {@code io.waitkit.spin.acquireNanos}
 * and {@code io.waitkit.spin.acquireCapNanos} (the window and the cap before queueing, 20 µs and
 * 200 µs), {@code io.waitkit.spin.queuedNanos} and {@code io.waitkit.spin.queuedCapNanos} (the
 * same once queued), {@code io.waitkit.spin.maxSpinners} (CPUs - 1),
 * {@code io.waitkit.spin.wakeAhead} (true with 4 or more CPUs),
 * {@code io.waitkit.spin.yield} and {@code io.waitkit.spin.bargingParks} (true with fewer than
 * 4 CPUs). On one CPU nothing spins.
 *
 * <p>Not thread-safe: one instance belongs to one wait of one thread.
 */
final class LockSpin {
    private static final int CPUS = Runtime.getRuntime().availableProcessors();

    /** Quiet window before queueing, in nanoseconds; 0 disables lock spinning. */
    static final long ACQUIRE_NANOS = setting("io.waitkit.spin.acquireNanos", 20_000L);
    /** Longest spin before queueing, in nanoseconds. */
    static final long ACQUIRE_CAP_NANOS = Math.max(ACQUIRE_NANOS, setting("io.waitkit.spin.acquireCapNanos", 200_000L));
    /** Quiet window of a queued waiter before it parks, in nanoseconds. */
    static final long QUEUED_NANOS = setting("io.waitkit.spin.queuedNanos", 20_000L);
    /** Longest spin of a queued waiter before it parks, in nanoseconds. */
    static final long QUEUED_CAP_NANOS = Math.max(QUEUED_NANOS, setting("io.waitkit.spin.queuedCapNanos", 200_000L));
    /** How many threads may spin on one object at a time. */
    static final int MAX_SPINNERS = (int) Math.min(Integer.MAX_VALUE,
            Math.max(1L, setting("io.waitkit.spin.maxSpinners", CPUS - 1L)));
    /** Whether a hand-off on such an object also unparks the next waiter in line. */
    static final boolean WAKE_AHEAD = Boolean.parseBoolean(
            System.getProperty("io.waitkit.spin.wakeAhead", Boolean.toString(CPUS >= 4)));
    /**
     * Whether the spin before queueing yields the processor every {@link #CHECKS} checks, takes
     * no spinner slot, and goes on while others are queued (see "Small machines" above).
     */
    static final boolean YIELD = Boolean.parseBoolean(
            System.getProperty("io.waitkit.spin.yield", Boolean.toString(CPUS < 4)));
    /**
     * Whether a platform thread waiting for a {@linkplain WaitObject#barging() barging} object
     * skips both spins, queueing and parking at once as a waiter of a non-fair
     * {@code ReentrantLock} does (true with fewer than 4 CPUs by default; see "Barging objects on
     * a small machine" above).
     */
    static final boolean BARGING_PARKS = Boolean.parseBoolean(
            System.getProperty("io.waitkit.spin.bargingParks", Boolean.toString(CPUS < 4)));
    /** Checks of the object between two reads of the clock (and two yields with {@link #YIELD}). */
    private static final int CHECKS = 16;

    private final WaitObject object;
    private long window;
    private long capLength;
    private boolean active;
    private boolean slot;
    private long quietEnd;
    private long capEnd;
    private long seen;
    /** Set when a snapshot taken between two checks of the clock differed. */
    private boolean moved;

    /**
     * Whether a platform thread waiting for {@code o} should spin: before queueing when the
     * object {@linkplain WaitObject#SPINS_BEFORE_QUEUEING spins before queueing}, and once
     * queued before each park.
     *
     * @param o the object
     * @param op the operation (lock spinning is for plain acquisitions only)
     * @param me the waiting thread
     * @return true to use a {@code LockSpin}
     */
    static boolean appliesTo(WaitObject o, WaitOperation op, Thread me) {
        return op == null && !me.isVirtual() && o.spinsBeforeParking() && !(BARGING_PARKS && o.barging())
                && (QUEUED_NANOS > 0L || spinsBeforeQueueing(o));
    }

    /**
     * Whether a platform thread should retry the lock-free path of {@code o} before queueing
     * (see {@link #acquire}): the object asks for it and {@code io.waitkit.spin.acquireNanos}
     * is not 0. The two phases are switched off separately.
     */
    static boolean spinsBeforeQueueing(WaitObject o) {
        return ACQUIRE_NANOS > 0L && o.spinsBeforeQueueing() && !(BARGING_PARKS && o.barging());
    }

    /**
     * Whether a platform thread about to register a wait-any on {@code objects} should first
     * poll them for a while ({@link #pollAny}): when every element is a plain object that
     * {@linkplain WaitObject#SPINS_BEFORE_PARKING spins before parking} (events, locks,
     * semaphores), a signal that comes soon is then taken without registering on all of them
     * and withdrawing again.
     */
    static boolean appliesToAll(Object[] objects, Thread me) {
        if (QUEUED_NANOS == 0L || objects.length == 0 || me.isVirtual()) {
            return false;
        }
        for (Object o : objects) {
            if (!(o instanceof WaitObject w) || !w.spinsBeforeParking()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Repeats the lock-free pass of wait-any for up to {@link #QUEUED_NANOS} (less if the
     * deadline comes first; not after an interrupt).
     *
     * @return the index acquired, or {@link WaitEngine#TIMEOUT} to go on registering
     */
    static int pollAny(Object[] objects, Thread me, boolean timed, long deadline) {
        long end = System.nanoTime() + QUEUED_NANOS;
        if (timed && deadline - end < 0L) {
            end = deadline;
        }
        do {
            Thread.onSpinWait();
            int r = WaitEngine.pollAny(objects, me);
            if (r >= 0) {
                return r;
            }
        } while (System.nanoTime() - end < 0L && !me.isInterrupted());
        return WaitEngine.TIMEOUT;
    }

    LockSpin(WaitObject object) {
        this.object = object;
    }

    /**
     * Retries the lock-free path before queueing, reading the state and attempting the CAS
     * only when the value allows it. Stops early when the object lock is not what is in the way
     * (an abandoned mutex: the slow path decides).
     *
     * @return {@link WaitEngine#ACQUIRED}, {@link WaitEngine#REPORTED}, or
     *         {@link WaitEngine#NOT_ACQUIRED} to go on queueing
     */
    int acquire(Thread me, long arg, boolean timed, long deadline) {
        boolean slotted = !YIELD; // a yielding spinner leaves the CPU to others without a slot
        if (slotted && !object.tryStartSpin(MAX_SPINNERS)) {
            return WaitEngine.NOT_ACQUIRED;
        }
        try {
            start(ACQUIRE_NANOS, ACQUIRE_CAP_NANOS);
            for (int i = 1; ; i++) {
                int r = object.tryAcquireFast(me, arg, null);
                if (r == WaitObject.POLL_ACQUIRED) {
                    return WaitEngine.ACQUIRED;
                } else if (r == WaitObject.POLL_REPORTED) {
                    return WaitEngine.REPORTED;
                } else if (r == WaitObject.POLL_CONTENDED && !object.isLockHeld()) {
                    return WaitEngine.NOT_ACQUIRED;
                } else if (!WAKE_AHEAD && !YIELD && !object.barging() && object.hasQueuedHint()) {
                    return WaitEngine.NOT_ACQUIRED; // releases go to the queue, whose waiters are likely parked
                }
                long snap = object.spinSnapshot(); // every time: a quick re-lock must not go unseen
                if (snap != seen) {
                    seen = snap;
                    moved = true;
                }
                if (i % CHECKS == 0) {
                    if (!keepGoing(timed, deadline)) {
                        return WaitEngine.NOT_ACQUIRED;
                    }
                    if (YIELD) {
                        Thread.yield(); // a holder or a served waiter that wants this CPU gets it
                    }
                }
                Thread.onSpinWait();
            }
        } finally {
            if (slotted) {
                object.endSpin();
            }
        }
    }

    /** Switches to the queued phase: the next {@link #spinAgain} starts a queued spin. */
    void queued() {
        start(QUEUED_NANOS, QUEUED_CAP_NANOS);
    }

    /** After a park returned without a claim (woken ahead of its turn): spin again. */
    void restart() {
        start(window, capLength);
    }

    /**
     * For a queued waiter: whether to check its status once more instead of parking. Takes a
     * spinner slot on the first call of a phase and gives it back when the phase ends.
     *
     * @return true to keep spinning
     */
    boolean spinAgain(boolean timed, long deadline) {
        if (active && keepGoing(timed, deadline) && (slot || (slot = object.tryStartSpin(MAX_SPINNERS)))) {
            return true;
        }
        active = false;
        release();
        return false;
    }

    /**
     * Ends the current phase at once (a woken waiter of a barging object that lost: the
     * winner is running, and its release will wake the waiter again); {@link #restart} after
     * the next park starts a new one.
     */
    void stop() {
        active = false;
        release();
    }

    /** Gives back the spinner slot, if held (the wait is over). */
    void release() {
        if (slot) {
            slot = false;
            object.endSpin();
        }
    }

    private void start(long quietWindow, long cap) {
        window = quietWindow;
        capLength = cap;
        long now = System.nanoTime();
        quietEnd = now + quietWindow;
        capEnd = now + cap;
        seen = object.spinSnapshot();
        moved = false;
        active = true;
    }

    private boolean keepGoing(boolean timed, long deadline) {
        long now = System.nanoTime();
        long snap = object.spinSnapshot();
        if (snap != seen || moved) {
            seen = snap; // the object changed hands: it will come free, keep spinning
            moved = false;
            quietEnd = now + window;
        }
        return now - quietEnd < 0L && now - capEnd < 0L && (!timed || now - deadline < 0L)
                && !Thread.currentThread().isInterrupted();
    }

    static long setting(String property, long dflt) {
        if (CPUS < 2) {
            return 0L;
        }
        String v = System.getProperty(property);
        if (v == null) {
            return dflt;
        }
        try {
            return Math.max(0L, Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system property " + property + " must be a whole number: " + v, e);
        }
    }
}
