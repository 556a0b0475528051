package io.waitkit.internal;

import java.util.Optional;

/**
 * The gate to JDK Flight Recorder events: the engine and the primitives call this class only,
 * and it forwards to {@link FlightEvents} (the one class that names {@code jdk.jfr} types) only
 * when the {@code jdk.jfr} module is part of the running JVM.
 *
 * <p><b>Why a gate.</b> The core declares {@code requires static jdk.jfr}: it must load and run
 * on a runtime without that module (an image linked with {@code java.base} only), where loading
 * any {@code jdk.jfr} class fails. The check happens once, when this class is initialized;
 * {@link FlightEvents} is not loaded before a method here calls it, which is only after the
 * check found the module. Nothing here names a {@code jdk.jfr} type, so verifying this class
 * loads none either.
 *
 * <p><b>Cost.</b> Only waits that block pay anything: {@link #waitBegin} is called once per
 * wait, just before its first park (or when an async wait is left pending), and answers
 * {@code null} unless a recording has the wait event enabled; the end of such a wait then costs
 * one null check. Until the JVM's flight recorder is initialized no event class is even loaded
 * (see {@link FlightEvents}). The uncontended paths never reach this class. A hand-off to a queued waiter
 * asks {@link #handOff}, which costs a check of one flag unless a recording enables that event.
 * An abandonment is rare and always goes through {@link #abandoned}.
 */
public final class Flight {
    /** Outcome of a wait: the object (every object of a wait-all) was acquired. */
    public static final String ACQUIRED = "acquired";
    /** Outcome of a wait: the timeout elapsed first; nothing acquired. */
    public static final String TIMED_OUT = "timed out";
    /** Outcome of a wait: the thread was interrupted first; nothing acquired. */
    public static final String INTERRUPTED = "interrupted";
    /** Outcome of an async wait: its future was cancelled or completed by the caller; nothing acquired. */
    public static final String CANCELLED = "cancelled";
    /** Outcome of a wait: acquired by taking over an abandoned mutex. */
    public static final String ABANDONED = "abandoned";
    /** Outcome of a wait: acquired, and reported as a failure (a future that completed exceptionally). */
    public static final String FAILED = "failed";

    /** Kind of a wait on one object. */
    public static final String SINGLE = "single";
    /** Kind of a wait-any on more than one object. */
    public static final String ANY = "any";
    /** Kind of a wait-all. */
    public static final String ALL = "all";
    /** Kind of an async wait (a pending future). */
    public static final String ASYNC = "async";

    /** Whether {@code jdk.jfr} is in the running JVM and this module reads it. */
    private static final boolean PRESENT = present();

    private Flight() {
    }

    private static boolean present() {
        Optional<Module> jfr = ModuleLayer.boot().findModule("jdk.jfr");
        if (jfr.isEmpty()) {
            return false;
        }
        try {
            // the static dependency is a readability edge only when jdk.jfr was resolved with
            // this module; a module in a child layer, say, may lack it (a no-op when unnamed)
            Flight.class.getModule().addReads(jfr.get());
            return true;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /**
     * Whether the events can be recorded at all in this JVM (the {@code jdk.jfr} module is
     * present). Tests use it to check the gate.
     *
     * @return true if {@code jdk.jfr} is present
     */
    public static boolean available() {
        return PRESENT;
    }

    /**
     * Starts timing a blocking wait, if a recording has the wait event enabled.
     *
     * @return a token to hand to {@link #waitEnded}, or {@code null} when nothing is recorded
     */
    static Object waitBegin() {
        return PRESENT ? FlightEvents.waitBegin() : null;
    }

    /**
     * Ends a wait timed by {@link #waitBegin} and records it if it lasted past the threshold.
     *
     * @param token the token of {@link #waitBegin}, not null
     * @param w the waiter (for the kind and the objects)
     * @param outcome one of the outcome constants; {@link #ACQUIRED} is refined here to
     *        {@link #ABANDONED} or {@link #FAILED} when the acquisition was reported
     */
    static void waitEnded(Object token, Waiter w, String outcome) {
        FlightEvents.waitEnded(token, w, outcome);
    }

    /**
     * Records a hand-off to a queued waiter, if a recording has the hand-off event enabled (it
     * is off by default). Called under the object's lock.
     *
     * @param o the object handed off
     * @param w the waiter it was acquired for
     */
    static void handOff(WaitObject o, Waiter w) {
        if (PRESENT) {
            FlightEvents.handOff(o, w);
        }
    }

    /**
     * Records that a mutex whose owner terminated holding it was taken over, or marked abandoned
     * when nobody waited for it.
     *
     * @param mutex the mutex
     * @param deadOwner the thread that terminated holding it
     * @param newOwner the thread that owns it now, or {@code null} if it stays abandoned
     */
    public static void abandoned(WaitObject mutex, Thread deadOwner, Thread newOwner) {
        if (PRESENT) {
            FlightEvents.abandoned(mutex, deadOwner, newOwner);
        }
    }
}
