package io.waitkit.internal;

import io.waitkit.Completion;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * The JDK Flight Recorder events of the engine, and the code that fills them. The only class
 * of the core (with its nested event classes) that names {@code jdk.jfr} types: it is loaded
 * only through {@link Flight}, after that class found the {@code jdk.jfr} module.
 *
 * <p><b>{@code io.waitkit.Wait}</b>: a wait that blocked for longer than the threshold (20 ms
 * unless a recording sets another). Its duration runs from the moment the thread was about to
 * park for the first time (after its spin, which is at most a few microseconds) to the moment
 * it left the wait; for an async wait, from the moment its future was left pending to its
 * completion or cancellation, recorded in the thread that completed or cancelled it.
 *
 * <p><b>{@code io.waitkit.MutexAbandoned}</b>: a mutex whose owner terminated holding it was
 * taken over by a waiter (or marked abandoned when nobody waited). Recorded in the thread that
 * found the dead owner: the new owner, or the owner watchdog.
 *
 * <p><b>{@code io.waitkit.HandOff}</b> (off unless a recording enables it: one per hand-off is
 * too many for an always-on recording): a signaller handed an object to a queued waiter in the
 * object's hand-off loop; recorded in the signalling thread, under the object's lock. Partners
 * paired by a channel or a rendezvous, and wait-all completions, are not hand-offs of this kind.
 *
 * <p><b>Cost.</b> Until the JVM's flight recorder is initialized (by {@code
 * -XX:StartFlightRecording}, {@code jcmd JFR.start} or a {@code Recording}), every method
 * answers after one volatile read ({@link FlightRecorder#isInitialized()}) and no event class
 * is loaded: loading the first one would initialize the recorder's metadata, hundreds of
 * milliseconds on a loaded 2-core machine, which must not fall on an application's first
 * blocked wait (or on a hand-off, under an object's lock) when nothing records. Afterwards,
 * whether an event is enabled is asked of one probe instance per event type (the answer is the
 * type's, not the instance's), so a wait or a hand-off that nobody records allocates nothing.
 *
 * <p>Fields describe objects without calling their {@code toString} (which locks them and may
 * be user code): the class and the identity hash, as {@code Object.toString} prints it.
 */
final class FlightEvents {
    private FlightEvents() {
    }

    /** A wait that blocked longer than the threshold. */
    @Name("io.waitkit.Wait")
    @Label("Waitkit Wait")
    @Category({"Waitkit"})
    @Description("A wait on Waitkit objects that blocked for longer than the threshold")
    @Threshold("20 ms")
    @StackTrace(true)
    static final class WaitEvent extends Event {
        @Label("Kind")
        @Description("single, any (a wait-any on more than one object), all (a wait-all) or async")
        String kind;

        @Label("Outcome")
        @Description("acquired, abandoned (acquired by taking over an abandoned mutex), failed (a failed future),"
                + " timed out, interrupted or cancelled")
        String outcome;

        @Label("Object")
        @Description("The object waited on (the first one of a wait-any or wait-all): simple class name @ identity hash")
        String object;

        @Label("Object Class")
        Class<?> objectClass;

        @Label("Object Count")
        @Description("How many objects the wait was on")
        int objectCount;
    }

    /** An abandoned mutex found and taken over. */
    @Name("io.waitkit.MutexAbandoned")
    @Label("Waitkit Mutex Abandoned")
    @Category({"Waitkit"})
    @Description("A mutex whose owner terminated holding it was taken over, or marked abandoned when nobody waited")
    @Enabled(true)
    @StackTrace(false)
    static final class MutexAbandonedEvent extends Event {
        @Label("Mutex")
        @Description("Simple class name @ identity hash")
        String mutex;

        @Label("Dead Owner")
        @Description("Name of the thread that terminated holding the mutex")
        String deadOwner;

        @Label("Dead Owner Id")
        @Description("Thread id of the thread that terminated holding the mutex")
        long deadOwnerId;

        @Label("New Owner")
        @Description("The thread that owns the mutex now; missing when nobody took it over at once (nobody waited, or a barging mutex whose woken waiter takes it when it competes)")
        Thread newOwner;
    }

    /** A hand-off to a queued waiter. */
    @Name("io.waitkit.HandOff")
    @Label("Waitkit Hand-off")
    @Category({"Waitkit"})
    @Description("A signaller handed an object to a waiter queued on it")
    @Enabled(false)
    @StackTrace(false)
    static final class HandOffEvent extends Event {
        @Label("Object")
        @Description("Simple class name @ identity hash")
        String object;

        @Label("Object Class")
        Class<?> objectClass;

        @Label("New Owner")
        @Description("The thread the object was acquired for (for an async wait, the thread that started it)")
        Thread newOwner;

        @Label("Async")
        @Description("Whether the waiter was an async wait (a future completed by the signaller)")
        boolean async;
    }

    /** The probes, made on first use once the recorder is initialized. */
    private static final class Probes {
        static final WaitEvent WAIT = new WaitEvent();
        static final HandOffEvent HAND_OFF = new HandOffEvent();
    }

    static Object waitBegin() {
        if (!FlightRecorder.isInitialized() || !Probes.WAIT.isEnabled()) {
            return null;
        }
        WaitEvent e = new WaitEvent();
        e.begin();
        return e;
    }

    static void handOff(WaitObject o, Waiter w) {
        if (!FlightRecorder.isInitialized() || !Probes.HAND_OFF.isEnabled()) {
            return;
        }
        HandOffEvent e = new HandOffEvent();
        if (!e.shouldCommit()) {
            return;
        }
        e.object = describe(o);
        e.objectClass = o.getClass();
        e.newOwner = w.owner;
        e.async = w.future != null;
        e.commit();
    }

    static void waitEnded(Object token, Waiter w, String outcome) {
        WaitEvent e = (WaitEvent) token;
        e.end();
        if (!e.shouldCommit()) {
            return;
        }
        e.kind = w.future != null ? Flight.ASYNC : w.all ? Flight.ALL : w.nodeCount() > 1 ? Flight.ANY : Flight.SINGLE;
        if (outcome == Flight.ACQUIRED && w.reported != null) {
            // what the wait reports: a failed future (Completion), else an abandoned mutex of
            // some kind (in-process, named, on a coordination service); its exception is not
            // made here, as a proxy's may need the member the wait was given
            outcome = w.reported instanceof Completion ? Flight.FAILED : Flight.ABANDONED;
        }
        e.outcome = outcome;
        WaitObject o = w.object;
        if (o != null) {
            e.object = describe(o);
            e.objectClass = o.getClass();
        }
        e.objectCount = w.nodeCount();
        e.commit();
    }

    static void abandoned(WaitObject mutex, Thread deadOwner, Thread newOwner) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        MutexAbandonedEvent e = new MutexAbandonedEvent();
        if (!e.shouldCommit()) {
            return;
        }
        e.mutex = describe(mutex);
        e.deadOwner = deadOwner.getName();
        e.deadOwnerId = deadOwner.threadId();
        e.newOwner = newOwner;
        e.commit();
    }

    private static String describe(Object o) {
        return o.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(o));
    }
}
