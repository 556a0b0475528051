package io.waitkit.compat.axis;

import io.waitkit.AbandonedMutexException;
import io.waitkit.Event;
import io.waitkit.Irql;
import io.waitkit.Mutex;
import io.waitkit.Semaphore;
import io.waitkit.SemaphoreFullException;
import io.waitkit.Wait;
import io.waitkit.Waitable;
import io.waitkit.WaitableTimer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/**
 * The AxisOS kernel's {@code sync} library (NT-style events, mutexes, semaphores and timers,
 * {@code wait}, {@code waitMultiple} and the IRQL calls) over the Waitkit core primitives.
 *
 * <p>One {@code Sync} instance is one handle table, as one AxisOS process: objects are named by
 * opaque handle strings of the form {@code H-xxxxxx-xxxxx-xxxx-xxxx}, as in the seed, so seed
 * code translates line by line and a caller can hold a bad handle ({@code "H-bogus"}) and get
 * the seed's failure results instead of an exception. Every thread that holds the instance may
 * use its handles. A handle of another {@code Sync}, an unknown string, {@code null}, or a
 * handle of the wrong kind (an event passed to {@link #releaseMutex}) counts as an invalid
 * handle.
 *
 * <pre>{@code
 * Sync sync = new Sync();
 * String hEvt = sync.createEvent(false, false);            // auto-reset, non-signalled
 * CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> {
 *     try {
 *         return sync.wait(hEvt, 5000);                    // thread A: 0, or 258 after 5 s
 *     } catch (InterruptedException e) {
 *         throw new CancellationException();
 *     }
 * });
 * int woken = sync.setEvent(hEvt);                          // thread B: 1 if A was already waiting
 * }</pre>
 *
 * <h2>Results</h2>
 * The seed returns Lua values and multiple values ({@code nil, "Not owner"}). Here each call
 * returns the seed's primary value in Java form, and a failure also records the seed's message
 * for the calling thread, read with {@link #lastError()} (cleared by every call that
 * succeeds):
 * <ul>
 *   <li>wait status: {@link #WAIT_0} or a 0-based index, {@link #WAIT_TIMEOUT} (258),
 *       {@link #WAIT_FAILED} (-1) with a message, {@link #STATUS_ABANDONED} (0x80) + index;</li>
 *   <li>{@code nil, message}: {@code null} (create calls), {@code false} (release and timer
 *       calls) or {@code -1} ({@link #releaseSemaphore}, whose success value is a count);</li>
 *   <li>counts: {@link #setEvent}, {@link #pulseEvent} return the number of waiters woken, 0 for
 *       an invalid handle (as the seed).</li>
 * </ul>
 * Programming errors that the seed cannot express (a null list, an IRQL outside 0..3) throw the
 * usual Java exceptions.
 *
 * <h2>Where the AxisOS code differs from its documentation or from Waitkit's decisions</h2>
 * The AxisOS documentation decides, and where the source systems disagree, Waitkit's decisions
 * (docs/semantics.md#decisions) do; each differing point:
 * <ol>
 *   <li><b>Mutex recursion</b> (code quirk 1): a {@code wait} by the owner succeeds and adds a
 *       hold, as documented ("recursive acquisition increments an internal counter"); each hold
 *       needs its own {@link #releaseMutex}. The code instead blocks the owner (case C11 describes
 *       the code; its test here checks the documented behaviour).</li>
 *   <li><b>Semaphore wake-ups</b> (quirk 2): {@code releaseSemaphore(h, n)} wakes up to
 *       {@code n} waiters, one permit each (docs/semantics.md#decisions); an immediate
 *       {@code waitMultiple} never hides a count that is still positive.</li>
 *   <li><b>Interrupted waits</b> (quirk 3): a Java interrupt (the counterpart of an AxisOS
 *       signal) makes {@link #wait} and {@link #waitMultiple} throw {@link InterruptedException}
 *       with nothing acquired (docs/semantics.md#interrupts), instead of returning 0. If the
 *       acquisition happened first, the call succeeds and the interrupt stays set.</li>
 *   <li><b>Post-wake acquisition</b> (quirk 4): a wait that returns 0 or an index always holds
 *       what it waited for; the core hands objects off, so a woken waiter never fails to take
 *       a mutex.</li>
 *   <li><b>Handles in threads</b> (quirk 5): handles are shared by all threads, as the
 *       documentation and the project's own tests assume (the code gives threads new tokens).
 *       Processes, rings and handle inheritance have no Java counterpart.</li>
 *   <li><b>Wait-all</b> is atomic, as NT (docs/semantics.md#wait-all): all objects are taken
 *       together or none; the code re-checks non-atomically.</li>
 *   <li><b>Timeout 0 polls</b>: {@code wait(h, 0)} checks and returns at once; the code sleeps
 *       one scheduler pass first. A negative timeout polls too; the overloads without a
 *       timeout wait forever (Lua's {@code nil}).</li>
 *   <li><b>IRQL</b>: at {@link #DISPATCH_LEVEL} and above every wait, polls included, fails
 *       with {@code -1} and the message "Cannot block" before looking at its handles (the code
 *       gives {@code waitMultiple} no message). {@link #raiseIrql}/{@link #lowerIrql} set the
 *       calling thread's {@link Irql} level; see {@link #lowerIrql} for the one limit.</li>
 *   <li><b>Over-release</b>: {@code releaseSemaphore} clamps the count at the maximum, as
 *       AxisOS does (case C13), whereas the core {@link Semaphore} refuses it.</li>
 *   <li><b>{@code createSemaphore(init, max)} with {@code init > max}</b>, a negative
 *       {@code init} or {@code max < 1}: refused ({@code null}, "Invalid parameter"), as NT; the
 *       AxisOS code accepts a count above the maximum, which the core cannot represent.</li>
 *   <li><b>Abandoned mutexes</b>: AxisOS defines {@code STATUS_ABANDONED} (0x80) but never
 *       detects a dead owner; Waitkit does, and the wait that takes over such a mutex returns
 *       {@link #STATUS_ABANDONED} + its index (NT's {@code WAIT_ABANDONED_0} convention),
 *       owning it.</li>
 *   <li><b>Duplicate handles in a wait-all</b>: {@code -1}, "Handle i duplicated" (i 1-based),
 *       as NT refuses them; a wait-any may repeat a handle.</li>
 *   <li><b>{@code createTimer}</b> returns the handle only (the seed's second value, the
 *       kernel's timer id, serves kernel code). A timer follows the code: one-shot expiry stays
 *       signalled, a periodic expiry pulses (wakes the waiters of that moment, stays
 *       non-signalled); {@code cancelTimer} disarms without unsignalling.</li>
 * </ol>
 *
 * <h2>Design: counting the waiters a set wakes</h2>
 * The core's {@link Event#set()} reports the previous state, but {@code setEvent} must report
 * how many waiters it woke. Every wait of this facade is registered as a core async wait
 * ({@link Wait#anyAsync}, {@link Wait#allAsync}) and then parks until the future completes. The
 * engine completes the futures of the waiters that a signal hands off synchronously, in the
 * signalling thread, before {@code set()} returns. {@code setEvent} therefore marks its thread
 * (a thread-local counter) around {@code set()}, and a completion action attached to each
 * wait's future counts itself when it runs in a marked thread. For that the action must be
 * attached before any {@code setEvent} can complete the future: a waiter registers and
 * attaches while holding the facade lock of each event in its list, which {@code setEvent} and
 * {@code pulseEvent} also take; and the waiter never joins its future (joining helps run the
 * dependent actions in the joining thread), it parks until its own action ran. The core does
 * every acquisition and hand-off; the facade only counts.
 *
 * <p>Memory visibility is the core's: actions before a set, release or timer expiry
 * happen-before the actions after the wait it satisfied.
 */
public final class Sync {
    /** Wait status: the object (or, for wait-all, every object) was acquired. */
    public static final int WAIT_0 = 0;
    /** Wait status: the timeout elapsed first ({@code STATUS_TIMEOUT}). */
    public static final int WAIT_TIMEOUT = 258;
    /** Wait status: the wait could not be made; {@link #lastError()} says why. */
    public static final int WAIT_FAILED = -1;
    /** Wait status base: an abandoned mutex was taken over; add the index. */
    public static final int STATUS_ABANDONED = 0x80;
    /** IRQL: normal execution. */
    public static final int PASSIVE_LEVEL = Irql.PASSIVE_LEVEL;
    /** IRQL: signal delivery; waits still allowed. */
    public static final int APC_LEVEL = Irql.APC_LEVEL;
    /** IRQL: waits fail with "Cannot block". */
    public static final int DISPATCH_LEVEL = Irql.DISPATCH_LEVEL;
    /** IRQL: device interrupts; as {@code DISPATCH_LEVEL} for waits. */
    public static final int DEVICE_LEVEL = Irql.DEVICE_LEVEL;
    /** The default maximum count of {@link #createSemaphore()}. */
    public static final int MAX_SEMAPHORE_COUNT = 0x7FFFFFFF;

    static final String INVALID_HANDLE = "Invalid handle";
    static final String NOT_OWNER = "Not owner";
    static final String CANNOT_BLOCK = "Cannot block";
    static final String NOT_WAITABLE = "Not waitable";
    static final String INVALID_PARAMETER = "Invalid parameter";

    private static final ThreadLocal<String> LAST_ERROR = new ThreadLocal<>();
    /** Set while the thread runs the set or pulse of {@code setEvent}/{@code pulseEvent}. */
    private static final ThreadLocal<int[]> WOKEN = new ThreadLocal<>();
    /** The IRQL scopes raised through this facade, innermost first. */
    private static final ThreadLocal<ArrayDeque<Irql.Scope>> IRQL_SCOPES = ThreadLocal.withInitial(ArrayDeque::new);
    private static final System.Logger LOG = System.getLogger(Sync.class.getName());

    private final ConcurrentHashMap<String, KObject> handles = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final LongAdder waitsIssued = new LongAdder();
    private final LongAdder waitsSatisfied = new LongAdder();
    private final LongAdder waitsTimedOut = new LongAdder();
    private final LongAdder eventsCreated = new LongAdder();
    private final LongAdder mutexesCreated = new LongAdder();
    private final LongAdder semaphoresCreated = new LongAdder();
    private final LongAdder timersCreated = new LongAdder();

    /** Creates an empty handle table. */
    public Sync() {
    }

    // ---------------------------------------------------------------------------------------
    // Objects behind the handles.

    private abstract static class KObject {
        final int seq;
        final Waitable waitable;
        /** Waits of this facade registered on the object and not finished. */
        final AtomicInteger waiters = new AtomicInteger();
        /**
         * Orders the signalling calls (set, pulse, release) with the registration of waits on
         * this object, so that a wait's completion action is attached before a signal can
         * complete it: the signal then counts it (setEvent's result) and takes it out of
         * {@link #waiters} before returning.
         */
        final ReentrantLock signalLock = new ReentrantLock();

        KObject(int seq, Waitable waitable) {
            this.seq = seq;
            this.waitable = waitable;
        }
    }

    private static final class KEvent extends KObject {
        final Event event;

        KEvent(int seq, Event event) {
            super(seq, event);
            this.event = event;
        }
    }

    private static final class KMutex extends KObject {
        final Mutex mutex;

        KMutex(int seq, Mutex mutex) {
            super(seq, mutex);
            this.mutex = mutex;
        }
    }

    private static final class KSemaphore extends KObject {
        final Semaphore semaphore;

        KSemaphore(int seq, Semaphore semaphore) {
            super(seq, semaphore);
            this.semaphore = semaphore;
        }
    }

    private static final class KTimer extends KObject {
        final WaitableTimer timer;

        KTimer(int seq, WaitableTimer timer) {
            super(seq, timer);
            this.timer = timer;
        }
    }

    private String insert(KObject o) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (;;) {
            String h = String.format("H-%06x-%05x-%04x-%04x", r.nextInt(1 << 24), r.nextInt(1 << 20),
                    r.nextInt(1 << 16), r.nextInt(1 << 16));
            if (handles.putIfAbsent(h, o) == null) {
                return h;
            }
        }
    }

    private KObject lookup(String h) {
        return h == null ? null : handles.get(h);
    }

    private <T extends KObject> T lookup(String h, Class<T> type) {
        KObject o = lookup(h);
        return type.isInstance(o) ? type.cast(o) : null;
    }

    // ---------------------------------------------------------------------------------------
    // Results.

    /**
     * Returns the message of the calling thread's last failed call on any {@code Sync}, or
     * {@code null} if its last call succeeded: the second value of the seed's
     * {@code nil, "message"} results ("Invalid handle", "Not owner", "Cannot block",
     * "Not waitable", "Handle 2 not waitable", ...).
     *
     * @return the message, or null
     */
    public static String lastError() {
        return LAST_ERROR.get();
    }

    private static void ok() {
        LAST_ERROR.remove();
    }

    private static int fail(int result, String message) {
        LAST_ERROR.set(message);
        return result;
    }

    private static boolean fail(String message) {
        LAST_ERROR.set(message);
        return false;
    }

    private static String failHandle(String message) {
        LAST_ERROR.set(message);
        return null;
    }

    // ---------------------------------------------------------------------------------------
    // Events.

    /**
     * Creates a non-signalled auto-reset event ({@code createEvent()}: the library's defaults).
     *
     * @return the handle
     */
    public String createEvent() {
        return createEvent(false, false);
    }

    /**
     * Creates an event. A manual-reset event stays signalled until {@link #resetEvent} and a
     * set wakes all its waiters; an auto-reset event wakes one waiter per set and is then
     * non-signalled again, or stays signalled until one wait consumes it.
     *
     * @param manualReset true for manual reset
     * @param initialState true to start signalled
     * @return the handle
     */
    public String createEvent(boolean manualReset, boolean initialState) {
        Event e = manualReset ? Event.manualReset(initialState) : Event.autoReset(initialState);
        String h = insert(new KEvent(sequence.incrementAndGet(), e));
        eventsCreated.increment();
        ok();
        return h;
    }

    /**
     * Signals an event and hands it to its waiters before returning: all of them for a
     * manual-reset event, the first one for an auto-reset event (which otherwise stays
     * signalled for the next wait). A wait-all waiter counts once it is complete. Never blocks.
     *
     * @param h the event's handle
     * @return the number of waiters woken; 0 if none, or if {@code h} is not a valid event
     *         handle ({@link #lastError()} then says "Invalid handle")
     */
    public int setEvent(String h) {
        KEvent e = lookup(h, KEvent.class);
        if (e == null) {
            return fail(0, INVALID_HANDLE);
        }
        return signal(e, false);
    }

    /**
     * Makes an event non-signalled; its waiters keep waiting.
     *
     * @param h the event's handle
     * @return true; false if {@code h} is not a valid event handle
     */
    public boolean resetEvent(String h) {
        KEvent e = lookup(h, KEvent.class);
        if (e == null) {
            return fail(INVALID_HANDLE);
        }
        e.event.reset();
        ok();
        return true;
    }

    /**
     * Sets an event, wakes the waiters a {@link #setEvent} would wake, and leaves it
     * non-signalled, as one step. Never blocks.
     *
     * @param h the event's handle
     * @return the number of waiters woken; 0 if none or if {@code h} is not a valid event handle
     */
    public int pulseEvent(String h) {
        KEvent e = lookup(h, KEvent.class);
        if (e == null) {
            return fail(0, INVALID_HANDLE);
        }
        return signal(e, true);
    }

    private static int signal(KEvent e, boolean pulse) {
        int[] woken = new int[1];
        int[] outer = WOKEN.get();
        e.signalLock.lock();
        try {
            WOKEN.set(woken);
            try {
                if (pulse) {
                    e.event.pulse();
                } else {
                    e.event.set();
                }
            } finally {
                if (outer == null) {
                    WOKEN.remove();
                } else {
                    WOKEN.set(outer);
                }
            }
        } finally {
            e.signalLock.unlock();
        }
        ok();
        return woken[0];
    }

    // ---------------------------------------------------------------------------------------
    // Mutexes.

    /**
     * Creates a free mutex ({@code createMutex()}).
     *
     * @return the handle
     */
    public String createMutex() {
        return createMutex(false);
    }

    /**
     * Creates a mutex: an owned, recursive lock that only its owner thread releases. A wait
     * acquires it (the owner's wait adds a hold); a thread that ends while owning it abandons
     * it.
     *
     * @param initiallyOwned true to make the calling thread its owner (one hold)
     * @return the handle
     */
    public String createMutex(boolean initiallyOwned) {
        Mutex m = initiallyOwned ? Mutex.ownedByCurrentThread() : new Mutex();
        String h = insert(new KMutex(sequence.incrementAndGet(), m));
        mutexesCreated.increment();
        ok();
        return h;
    }

    /**
     * Releases one hold of a mutex owned by the calling thread; the last hold frees it and
     * hands it to the first waiter. Never blocks.
     *
     * @param h the mutex's handle
     * @return true; false if {@code h} is not a valid mutex handle ("Invalid handle") or the
     *         calling thread does not own the mutex, also when it is free ("Not owner")
     */
    public boolean releaseMutex(String h) {
        KMutex m = lookup(h, KMutex.class);
        if (m == null) {
            return fail(INVALID_HANDLE);
        }
        m.signalLock.lock();
        try {
            m.mutex.release();
        } catch (IllegalMonitorStateException e) {
            return fail(NOT_OWNER);
        } finally {
            m.signalLock.unlock();
        }
        ok();
        return true;
    }

    // ---------------------------------------------------------------------------------------
    // Semaphores.

    /**
     * Creates a semaphore with count 1 and maximum {@link #MAX_SEMAPHORE_COUNT} (the library's
     * defaults).
     *
     * @return the handle
     */
    public String createSemaphore() {
        return createSemaphore(1, MAX_SEMAPHORE_COUNT);
    }

    /**
     * Creates a semaphore with the given count and maximum {@link #MAX_SEMAPHORE_COUNT}.
     *
     * @param initialCount the initial count
     * @return the handle; null ("Invalid parameter") if the count is negative
     */
    public String createSemaphore(int initialCount) {
        return createSemaphore(initialCount, MAX_SEMAPHORE_COUNT);
    }

    /**
     * Creates a counting semaphore. A wait takes one unit of the count, waiting while it is 0.
     *
     * @param initialCount the initial count
     * @param maximumCount the maximum count
     * @return the handle; null ("Invalid parameter") unless
     *         {@code 0 <= initialCount <= maximumCount} and {@code maximumCount >= 1}
     */
    public String createSemaphore(int initialCount, int maximumCount) {
        if (maximumCount < 1 || initialCount < 0 || initialCount > maximumCount) {
            return failHandle(INVALID_PARAMETER);
        }
        String h = insert(new KSemaphore(sequence.incrementAndGet(), new Semaphore(initialCount, maximumCount)));
        semaphoresCreated.increment();
        ok();
        return h;
    }

    /**
     * Releases one unit; see {@link #releaseSemaphore(String, int)}.
     *
     * @param h the semaphore's handle
     * @return the previous count, or -1 if {@code h} is not a valid semaphore handle
     */
    public int releaseSemaphore(String h) {
        return releaseSemaphore(h, 1);
    }

    /**
     * Raises a semaphore's count by {@code n}, clamped at its maximum (as AxisOS: releasing
     * too much is not an error), and hands one unit each to up to that many waiters before
     * returning. Never blocks.
     *
     * @param h the semaphore's handle
     * @param n the number of units; 0 changes nothing
     * @return the count before the release; -1 if {@code h} is not a valid semaphore handle
     *         ("Invalid handle") or {@code n} is negative ("Invalid parameter")
     */
    public int releaseSemaphore(String h, int n) {
        KSemaphore s = lookup(h, KSemaphore.class);
        if (s == null) {
            return fail(-1, INVALID_HANDLE);
        }
        if (n < 0) {
            return fail(-1, INVALID_PARAMETER);
        }
        Semaphore sem = s.semaphore;
        long max = sem.maxPermits();
        s.signalLock.lock();
        try {
            for (;;) {
                int count = sem.availablePermits();
                int units = (int) Math.min(n, max - count);
                try {
                    int previous = sem.release(units);
                    ok();
                    return previous;
                } catch (SemaphoreFullException raced) {
                    // the count rose between the read and the release: clamp again
                }
            }
        } finally {
            s.signalLock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Timers.

    /**
     * Creates a timer, disarmed and non-signalled. Arm it with {@link #setTimer}.
     *
     * @return the handle
     */
    public String createTimer() {
        String h = insert(new KTimer(sequence.incrementAndGet(), WaitableTimer.pulsing()));
        timersCreated.increment();
        ok();
        return h;
    }

    /**
     * Arms a one-shot timer; see {@link #setTimer(String, long, long)}.
     *
     * @param h the timer's handle
     * @param delayMs milliseconds until it expires
     * @return true; false if {@code h} is not a valid timer handle
     */
    public boolean setTimer(String h, long delayMs) {
        return setTimer(h, delayMs, 0L);
    }

    /**
     * Arms a timer: makes it non-signalled and due {@code delayMs} from now (zero or negative:
     * at once), replacing any earlier setting. A one-shot timer ({@code periodMs <= 0}) is
     * signalled on expiry and stays so; a periodic one wakes the waiters waiting at each expiry
     * and stays non-signalled, so later waits wait for the next period. Periods do not drift.
     *
     * @param h the timer's handle
     * @param delayMs milliseconds until the first expiry
     * @param periodMs the period in milliseconds, or 0 (or negative) for a one-shot timer
     * @return true; false if {@code h} is not a valid timer handle ("Invalid handle")
     */
    public boolean setTimer(String h, long delayMs, long periodMs) {
        KTimer t = lookup(h, KTimer.class);
        if (t == null) {
            return fail(INVALID_HANDLE);
        }
        t.timer.set(Duration.ofMillis(Math.max(0L, delayMs)), Duration.ofMillis(Math.max(0L, periodMs)));
        ok();
        return true;
    }

    /**
     * Disarms a timer without changing its state: a signalled timer stays signalled.
     *
     * @param h the timer's handle
     * @return true; false if {@code h} is not a valid timer handle
     */
    public boolean cancelTimer(String h) {
        KTimer t = lookup(h, KTimer.class);
        if (t == null) {
            return fail(INVALID_HANDLE);
        }
        t.timer.cancel();
        ok();
        return true;
    }

    // ---------------------------------------------------------------------------------------
    // Waits.

    /**
     * Waits without a timeout for one object; see {@link #wait(String, long)}.
     *
     * @param h the object's handle
     * @return {@link #WAIT_0}, {@link #STATUS_ABANDONED}, or {@link #WAIT_FAILED}
     * @throws InterruptedException if interrupted before the object was acquired (nothing was)
     */
    public int wait(String h) throws InterruptedException {
        return waitOne(h, false, 0L);
    }

    /**
     * Waits for one object and acquires it: consumes an auto-reset event's signal, takes a
     * mutex (a hold more if the caller owns it) or one unit of a semaphore; a manual-reset event
     * or a timer is only observed. An object that is available is acquired at once, even with a
     * zero timeout. Waiters are served first come, first served, and the signalling thread
     * hands the object over before its call returns.
     *
     * <p>Checked in this order: the caller's IRQL (at {@link #DISPATCH_LEVEL} or above:
     * {@code -1}, "Cannot block", even if the object is available), then the handle
     * ({@code -1}, "Not waitable").
     *
     * @param h the object's handle
     * @param ms the timeout in milliseconds; 0 or negative polls (never sleeps)
     * @return {@link #WAIT_0}; {@link #WAIT_TIMEOUT}; {@link #STATUS_ABANDONED} when it took
     *         over an abandoned mutex (now owned); {@link #WAIT_FAILED} with
     *         {@link #lastError()}
     * @throws InterruptedException if interrupted before the object was acquired (nothing was)
     */
    public int wait(String h, long ms) throws InterruptedException {
        return waitOne(h, true, Math.max(0L, ms));
    }

    private int waitOne(String h, boolean timed, long ms) throws InterruptedException {
        if (!Irql.canBlock()) {
            return fail(WAIT_FAILED, CANNOT_BLOCK);
        }
        KObject o = lookup(h);
        if (o == null) {
            return fail(WAIT_FAILED, NOT_WAITABLE);
        }
        return waitObjects(new KObject[] {o}, false, timed, ms);
    }

    /**
     * Waits without a timeout for any one of the objects; see
     * {@link #waitMultiple(List, boolean, long)}.
     *
     * @param handles the objects' handles
     * @return the 0-based index of the object acquired, or a failure status
     * @throws InterruptedException if interrupted before an acquisition (nothing acquired)
     */
    public int waitMultiple(List<String> handles) throws InterruptedException {
        return waitMultiple(handles, false);
    }

    /**
     * Waits without a timeout for any one or for all of the objects; see
     * {@link #waitMultiple(List, boolean, long)}.
     *
     * @param handles the objects' handles
     * @param waitAll true to wait for all
     * @return the index (wait-any) or {@link #WAIT_0} (wait-all), or a failure status
     * @throws InterruptedException if interrupted before an acquisition (nothing acquired)
     */
    public int waitMultiple(List<String> handles, boolean waitAll) throws InterruptedException {
        return waitMultiple(handles, waitAll, false, 0L);
    }

    /**
     * Waits for any one of the objects ({@code waitAll} false) or for all of them, and acquires
     * what it waited for, as {@link #wait(String, long)} acquires one object.
     *
     * <ul>
     *   <li>Wait-any acquires exactly one object: the first available one in list order, or
     *       later the first one signalled for it; it returns that object's 0-based index. A
     *       handle may appear twice (the lower index is reported). An empty list waits for the
     *       timeout.</li>
     *   <li>Wait-all acquires every object at one moment, or nothing (on timeout nothing has
     *       changed); nothing is reserved while it waits. An empty list succeeds at once. A
     *       handle that appears twice fails ({@code -1}, "Handle i duplicated").</li>
     * </ul>
     * Checked in this order: the IRQL ({@code -1}, "Cannot block"), then every handle
     * ({@code -1}, "Handle i not waitable", {@code i} 1-based, the first bad one).
     *
     * @param handles the objects' handles
     * @param waitAll true to wait for all of them
     * @param ms the timeout in milliseconds; 0 or negative polls
     * @return the 0-based index (wait-any) or {@link #WAIT_0} (wait-all); {@link #WAIT_TIMEOUT};
     *         {@link #STATUS_ABANDONED} + the index of an abandoned mutex it took over (all
     *         objects acquired); {@link #WAIT_FAILED} with {@link #lastError()}
     * @throws InterruptedException if interrupted before an acquisition (nothing acquired)
     * @throws NullPointerException if {@code handles} is null
     */
    public int waitMultiple(List<String> handles, boolean waitAll, long ms) throws InterruptedException {
        return waitMultiple(handles, waitAll, true, Math.max(0L, ms));
    }

    private int waitMultiple(List<String> list, boolean all, boolean timed, long ms) throws InterruptedException {
        Object[] names = list.toArray(); // NullPointerException for a null list, as documented
        if (!Irql.canBlock()) {
            return fail(WAIT_FAILED, CANNOT_BLOCK);
        }
        KObject[] objects = new KObject[names.length];
        for (int i = 0; i < names.length; i++) {
            KObject o = names[i] instanceof String s ? lookup(s) : null;
            if (o == null) {
                return fail(WAIT_FAILED, "Handle " + (i + 1) + " not waitable");
            }
            objects[i] = o;
        }
        if (all) {
            Map<KObject, Integer> seen = new IdentityHashMap<>();
            for (int i = 0; i < objects.length; i++) {
                if (seen.putIfAbsent(objects[i], i) != null) {
                    return fail(WAIT_FAILED, "Handle " + (i + 1) + " duplicated");
                }
            }
        }
        return waitObjects(objects, all, timed, ms);
    }

    private int waitObjects(KObject[] objects, boolean all, boolean timed, long ms) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        waitsIssued.increment();
        Waitable[] ws = new Waitable[objects.length];
        for (int i = 0; i < objects.length; i++) {
            ws[i] = objects[i].waitable;
        }
        int status;
        try {
            status = timed && ms == 0L ? poll(ws, all) : block(objects, ws, all, timed, ms);
        } catch (AbandonedMutexException e) {
            status = STATUS_ABANDONED + abandonedIndex(e, ws);
        } catch (IllegalStateException e) {
            // a mutex's hold count would overflow
            return fail(WAIT_FAILED, "Recursion count overflow");
        }
        if (status == WAIT_TIMEOUT) {
            waitsTimedOut.increment();
        } else {
            waitsSatisfied.increment();
        }
        ok();
        return status;
    }

    private static int abandonedIndex(AbandonedMutexException e, Waitable[] ws) {
        if (e.mutexIndex() >= 0) {
            return e.mutexIndex();
        }
        for (int i = 0; i < ws.length; i++) {
            if (ws[i] == e.mutex()) {
                return i;
            }
        }
        return 0;
    }

    private static int poll(Waitable[] ws, boolean all) throws InterruptedException {
        if (all) {
            return Wait.all(Duration.ZERO, ws) ? WAIT_0 : WAIT_TIMEOUT;
        }
        int i = Wait.any(Duration.ZERO, ws);
        return i == Wait.TIMEOUT ? WAIT_TIMEOUT : i;
    }

    /** One blocked wait of this facade: the completion action of its core future. */
    private static final class Pending implements BiConsumer<Object, Throwable> {
        private final Thread thread = Thread.currentThread();
        private final KObject[] objects;
        private Object result;
        private Throwable failure;
        private volatile boolean done;

        Pending(KObject[] objects) {
            this.objects = objects;
        }

        @Override
        public void accept(Object r, Throwable ex) {
            Throwable cause = ex instanceof CompletionException && ex.getCause() != null ? ex.getCause() : ex;
            if (!(cause instanceof CancellationException)) {
                int[] woken = WOKEN.get();
                if (woken != null) {
                    woken[0]++; // completed by the set/pulse running in this thread
                }
            }
            for (KObject o : objects) {
                o.waiters.decrementAndGet();
            }
            result = r;
            failure = cause;
            done = true;
            LockSupport.unpark(thread);
        }
    }

    private static int block(KObject[] objects, Waitable[] ws, boolean all, boolean timed, long ms)
            throws InterruptedException {
        long deadline = 0L;
        if (timed) {
            long nanos = ms >= Long.MAX_VALUE / 1_000_000L ? Long.MAX_VALUE : ms * 1_000_000L;
            if (nanos >= Long.MAX_VALUE / 2) {
                timed = false; // about 146 years or more: no timeout
            } else {
                deadline = System.nanoTime() + nanos;
            }
        }
        KObject[] distinct = distinct(objects);
        KObject[] events = Arrays.stream(distinct).sorted(Comparator.comparingInt(o -> o.seq))
                .toArray(KObject[]::new);
        Pending pending = new Pending(distinct);
        CompletableFuture<?> future;
        int locked = 0;
        try {
            for (; locked < events.length; locked++) {
                events[locked].signalLock.lock();
            }
            future = all ? Wait.allAsync(ws) : Wait.anyAsync(ws);
            for (KObject o : distinct) {
                o.waiters.incrementAndGet();
            }
            future.whenComplete(pending);
        } finally {
            while (locked > 0) {
                events[--locked].signalLock.unlock();
            }
        }
        boolean interrupted = false;
        while (!pending.done) {
            if (Thread.interrupted()) {
                interrupted = true;
                break;
            }
            if (timed) {
                long left = deadline - System.nanoTime();
                if (left <= 0L) {
                    break;
                }
                LockSupport.parkNanos(pending, left);
            } else {
                LockSupport.park(pending);
            }
        }
        if (!pending.done) {
            if (future.cancel(false)) {
                if (interrupted) {
                    throw new InterruptedException();
                }
                return WAIT_TIMEOUT;
            }
            // the engine acquired for this wait first: it completes within the signaller's call
            while (!pending.done) {
                LockSupport.park(pending);
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt(); // the acquisition won; keep the interrupt
        }
        if (pending.failure instanceof AbandonedMutexException e) {
            throw e;
        }
        if (pending.failure instanceof RuntimeException e) {
            throw e;
        }
        if (pending.failure instanceof Error e) {
            throw e;
        }
        return all ? WAIT_0 : (Integer) pending.result;
    }

    private static KObject[] distinct(KObject[] objects) {
        Map<KObject, Boolean> seen = new IdentityHashMap<>();
        for (KObject o : objects) {
            seen.putIfAbsent(o, Boolean.TRUE);
        }
        return seen.keySet().toArray(new KObject[0]);
    }

    // ---------------------------------------------------------------------------------------
    // IRQL.

    /**
     * Sets the calling thread's IRQL and returns the old one. Raising to a lower level is
     * allowed, as in AxisOS (which only logs a warning): it lowers, with a warning logged.
     *
     * <p>The level belongs to the calling thread (AxisOS: to the process); lower it again
     * before the thread ends.
     *
     * @param level the new level, {@link #PASSIVE_LEVEL} to {@link #DEVICE_LEVEL}
     * @return the previous level
     * @throws IllegalArgumentException if {@code level} is not a defined level
     * @throws IllegalStateException as {@link #lowerIrql} when it lowers
     */
    public int raiseIrql(int level) {
        checkLevel(level);
        int old = Irql.current();
        if (level < old) {
            LOG.log(System.Logger.Level.WARNING, "raiseIrql({0}) below the current IRQL {1}: lowering", level, old);
        }
        setIrql(level);
        ok();
        return old;
    }

    /**
     * Sets the calling thread's IRQL, without checking that it lowers (as AxisOS). The facade
     * raises by opening {@link Irql#raise} scopes and lowers by closing them; it cannot lower
     * below a level that other code raised with its own {@code Irql.raise} scope.
     *
     * @param level the new level, {@link #PASSIVE_LEVEL} to {@link #DEVICE_LEVEL}
     * @throws IllegalArgumentException if {@code level} is not a defined level
     * @throws IllegalStateException if lowering would cross an {@code Irql.raise} scope that this
     *         facade did not open (close that scope first)
     */
    public void lowerIrql(int level) {
        checkLevel(level);
        setIrql(level);
        ok();
    }

    /**
     * Returns the calling thread's IRQL.
     *
     * @return the level, {@link #PASSIVE_LEVEL} to {@link #DEVICE_LEVEL}
     */
    public int getIrql() {
        ok();
        return Irql.current();
    }

    private static void checkLevel(int level) {
        if (level < PASSIVE_LEVEL || level > DEVICE_LEVEL) {
            throw new IllegalArgumentException("IRQL must be between " + PASSIVE_LEVEL + " and " + DEVICE_LEVEL + ": "
                    + level);
        }
    }

    private static void setIrql(int level) {
        ArrayDeque<Irql.Scope> scopes = IRQL_SCOPES.get();
        while (Irql.current() > level) {
            Irql.Scope top = scopes.peek();
            if (top == null || top.level() != Irql.current()) {
                throw new IllegalStateException("cannot lower the IRQL from " + Irql.current() + " to " + level
                        + ": it was raised by an Irql.raise scope that this facade did not open; close it first");
            }
            scopes.pop().close();
        }
        if (Irql.current() < level) {
            scopes.push(Irql.raise(level));
        }
        if (scopes.isEmpty()) {
            IRQL_SCOPES.remove();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Handles and statistics (the sync-related part of ipcStats).

    /**
     * Closes a handle (kernel code's {@code ObCloseHandle}; AxisOS user space cannot close sync
     * handles). The handle becomes invalid; threads already waiting on the object keep
     * waiting, and the object lives on while they do.
     *
     * @param h the handle
     * @return true if it was a valid handle
     */
    public boolean closeHandle(String h) {
        if (h != null && handles.remove(h) != null) {
            ok();
            return true;
        }
        return fail(INVALID_HANDLE);
    }

    /**
     * Returns how many waits of this facade are registered on an object and not finished (a
     * snapshot, for diagnostics and tests). A wait leaves the count when it is satisfied (before
     * the signalling call returns), times out or is interrupted.
     *
     * @param h the handle
     * @return the number of waiting waits, or -1 if {@code h} is not a valid handle
     */
    public int waiters(String h) {
        KObject o = lookup(h);
        if (o == null) {
            return fail(-1, INVALID_HANDLE);
        }
        ok();
        return o.waiters.get();
    }

    /**
     * The wait and object counters of this handle table: the {@code sync} part of AxisOS's
     * {@code ipcStats()}.
     *
     * @param waitsIssued waits made ({@code nWaitsIssued}): calls of {@code wait} and
     *        {@code waitMultiple} that passed the IRQL and handle checks
     * @param waitsSatisfied waits that acquired ({@code nWaitsSatisfied})
     * @param waitsTimedOut waits that returned {@link #WAIT_TIMEOUT} ({@code nWaitsTimedOut})
     * @param eventsCreated events created
     * @param mutexesCreated mutexes created
     * @param semaphoresCreated semaphores created
     * @param timersCreated timers created
     */
    public record Stats(long waitsIssued, long waitsSatisfied, long waitsTimedOut, long eventsCreated,
            long mutexesCreated, long semaphoresCreated, long timersCreated) {
    }

    /**
     * Returns a snapshot of the counters.
     *
     * @return the counters
     */
    public Stats stats() {
        ok();
        return new Stats(waitsIssued.sum(), waitsSatisfied.sum(), waitsTimedOut.sum(), eventsCreated.sum(),
                mutexesCreated.sum(), semaphoresCreated.sum(), timersCreated.sum());
    }

    /**
     * Describes the handle table.
     *
     * @return for example {@code Sync[4 handles]}
     */
    @Override
    public String toString() {
        return "Sync[" + handles.size() + " handles]";
    }
}
