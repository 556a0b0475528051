package io.waitkit.stress;

import io.waitkit.Barrier;
import io.waitkit.BinarySemaphore;
import io.waitkit.ByteStream;
import io.waitkit.Change;
import io.waitkit.ChangeMatch;
import io.waitkit.Channel;
import io.waitkit.Counter;
import io.waitkit.EventFlags;
import io.waitkit.Exchange;
import io.waitkit.Mailbox;
import io.waitkit.MessageQueue;
import io.waitkit.Pipe;
import io.waitkit.PostWait;
import io.waitkit.PriorityChannel;
import io.waitkit.PriorityMailbox;
import io.waitkit.Rendezvous;
import io.waitkit.RwLock;
import io.waitkit.Signal;
import io.waitkit.Threshold;
import io.waitkit.Wait;
import io.waitkit.WaitableTimer;
import io.waitkit.stress.StressPlan.ObjKind;
import io.waitkit.stress.StressPlan.ObjectSpec;
import io.waitkit.stress.StressRun.Hold;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The part of a stress run's world made of the primitives beyond events, mutexes and
 * semaphores: their objects, the shared shadow model and counters their invariants are checked
 * against, and the checks themselves (continuous, at paused checkpoints, at the end). The
 * workers' side, which performs the operations and keeps these counters, is {@link KindOps}.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li><b>BinarySemaphore</b>, held variant: a shadow token installed (CAS from {@code null})
 *       right after each take and removed right before the give, as for mutexes: a failed CAS
 *       is a second holder; a holder's {@code give()} must report that it was taken. Token
 *       variant (free gives, like an interrupt-driven producer): with {@code t} takes,
 *       {@code g} gives that returned true, {@code a0} the initial state and {@code a} the state
 *       at quiescence, {@code a0 + g - t == a}: a give of an available semaphore (false) never
 *       accumulates. A paused checkpoint also gives an available semaphore twice and must then
 *       take it exactly once.</li>
 *   <li><b>Signal</b>: every released wait started before the end of some signal call that had
 *       begun, a poll never succeeds, and at quiescence the sum of what {@code signal()} and
 *       {@code signalAll()} reported equals the number of successful waits.</li>
 *   <li><b>Barrier</b>: between two checkpoints the successful waits are a multiple of the
 *       parties (a round releases all its members, a member that gave up was not counted), and
 *       {@code waiting()} is 0 when the world is paused and never exceeds the number of workers. A paused
 *       checkpoint also completes a round of async arrivals with {@code tryAwait()} (all
 *       released before it returns) and takes back a cancelled arrival.</li>
 *   <li><b>RwLock</b>: shadow reader count and writer token: a writer admitted while a shadow
 *       reader or writer is in, or a reader while a writer is in, is a violation. A paused
 *       checkpoint replays the preference rules: a reader is let in beside a queued writer only
 *       when readers are preferred, the last read unlock hands the lock to the queued writer,
 *       and (writers preferred) a reader held back by a writer that gives up is let in.</li>
 *   <li><b>Counter</b>: the value at quiescence equals the initial value plus (or xor) every
 *       update made; a released waiter's {@code Change} satisfies its predicate.
 *       <b>Threshold</b> ({@code atLeast(k)}, adjust {@code v - k}, updates adding 1..k): the
 *       value never satisfies the predicate at rest (so {@code tryAwait()} fails), at quiescence
 *       it is {@code (initial + sum) mod k}, the matching updates number
 *       {@code (initial + sum) / k}, and every change a waiter reports is one an updater made.</li>
 *   <li><b>EventFlags</b>, per bit: initial + bits turned on == bits turned off by clear/toggle
 *       + bits consumed by clear-on-exit waiters + the bit now; a consumer never consumes a bit
 *       more often than set/toggle calls could have set it.</li>
 *   <li><b>Channels, mailboxes, message queues</b>: every item is unique; it is registered
 *       before its send; a failed send must find it unreceived, a receive must find it
 *       registered (never received before), an eviction must find it buffered. At quiescence
 *       the registered items are exactly the buffered ones: the checkpoint drains the container,
 *       checks the order (FIFO per producer; priority order, FIFO among equals per producer for
 *       the priority containers) and puts them back in the same order. Each worker also checks
 *       that it never receives a producer's item after a later one of the same priority.</li>
 *   <li><b>Rendezvous</b>: a received offer is another party's, received once, never one
 *       whose party gave up, and the swap is symmetric (checked pairwise at quiescence).</li>
 *   <li><b>Exchange</b>: the requests whose {@code reply()} returned true are exactly those
 *       whose clients got the reply (their own); a request answered false never reached its
 *       client; no request is pending at quiescence.</li>
 *   <li><b>ByteStream</b>: bytes written == bytes read + bytes dropped by overwriting + bytes
 *       buffered; transfers within their min/max. <b>Pipe</b>: bytes written == read +
 *       buffered; at each checkpoint the write end is closed, the rest is read up to the end of
 *       stream, closed ends refuse use, and the pipe is replaced by a fresh one.</li>
 *   <li><b>WaitableTimer</b>: an auto-reset one-shot timer is consumed at most once per
 *       {@code set}; a pulsing periodic timer is never found signalled by a poll.
 *       <b>Sleep.timer</b> members never fire early.</li>
 *   <li><b>PostWait</b>, per worker slot: posts that reported true == waits that consumed one
 *       + the post pending now; a consumer never consumes more than posts attempted.</li>
 * </ul>
 * Every object's wait queue must be empty at quiescence (read by reflection, for every kind).
 */
final class StressKinds {
    /** Items: producer (worker id + 1) in bits 40.., sequence in bits 2..39, priority in bits 0..1. */
    static long item(int producer, long seq, int prio) {
        return ((long) (producer + 1) << 40) | ((seq & ((1L << 38) - 1)) << 2) | (prio & 3);
    }

    static int producerOf(long item) {
        return (int) (item >>> 40) - 1;
    }

    static long seqOf(long item) {
        return (item >>> 2) & ((1L << 38) - 1);
    }

    static int prioOf(long item) {
        return (int) (item & 3);
    }

    static final Comparator<Long> LEAST_PRIORITY_FIRST = Comparator.comparingInt(StressKinds::prioOf);

    // ---- per-kind shared state

    static final class BsemState {
        final AtomicReference<Hold> shadow = new AtomicReference<>();
        /** The holder of a semaphore created taken, until some worker gives it. */
        final Hold phantom;
        final AtomicLong takes = new AtomicLong();
        final AtomicLong giveAttempts = new AtomicLong();
        final AtomicLong givesTrue = new AtomicLong();
        final AtomicLong givesFalse = new AtomicLong();

        BsemState(Hold phantom) {
            this.phantom = phantom;
            shadow.set(phantom);
        }
    }

    static final class SignalState {
        final AtomicLong started = new AtomicLong();
        final AtomicLong finished = new AtomicLong();
        final AtomicLong released = new AtomicLong();
        final AtomicLong consumed = new AtomicLong();
    }

    static final class BarrierState {
        final AtomicLong passes = new AtomicLong();
        long passesAtCheckpoint;
        final AtomicLong withdrawnFromAny = new AtomicLong();
    }

    static final class RwState {
        final AtomicInteger readers = new AtomicInteger();
        final AtomicReference<Hold> writer = new AtomicReference<>();
    }

    static final class CounterState {
        /** sum of the additive updates, or xor of the xor updates */
        final AtomicLong acc = new AtomicLong();
        final AtomicLong updates = new AtomicLong();
        final AtomicLong released = new AtomicLong();
    }

    static final class ThresholdState {
        final AtomicLong sum = new AtomicLong();
        final AtomicLong matches = new AtomicLong();
        final AtomicLong released = new AtomicLong();
        final ConcurrentLinkedQueue<Change> updaterChanges = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Change> waiterChanges = new ConcurrentLinkedQueue<>();
    }

    static final int FLAG_BITS = 4;

    static final class FlagsState {
        final AtomicLongArray attempts = new AtomicLongArray(FLAG_BITS);
        final AtomicLongArray ons = new AtomicLongArray(FLAG_BITS);
        final AtomicLongArray offs = new AtomicLongArray(FLAG_BITS);
        final AtomicLongArray consumed = new AtomicLongArray(FLAG_BITS);
    }

    static final class ContainerState {
        /** Items registered before their send and not yet received, failed or evicted. */
        final ConcurrentHashMap<Long, Boolean> live = new ConcurrentHashMap<>();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong evicted = new AtomicLong();
        /** 0: FIFO, 1: least priority first, 2: highest priority first (MessageQueue) */
        final int order;

        ContainerState(int order) {
            this.order = order;
        }
    }

    static final class RendezvousState {
        final ConcurrentHashMap<Long, Long> pairs = new ConcurrentHashMap<>();
        final Set<Long> receivedOnce = ConcurrentHashMap.newKeySet();
        final Set<Long> withdrawn = ConcurrentHashMap.newKeySet();
        final AtomicLong meetings = new AtomicLong();
    }

    static final class ExchangeState {
        final Set<Long> replyTrue = ConcurrentHashMap.newKeySet();
        final Set<Long> replyFalse = ConcurrentHashMap.newKeySet();
        final Set<Long> clientGot = ConcurrentHashMap.newKeySet();
        final Set<Long> clientFailed = ConcurrentHashMap.newKeySet();
        final AtomicLong answered = new AtomicLong();
    }

    static final class StreamState {
        final AtomicLong written = new AtomicLong();
        final AtomicLong read = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
    }

    static final class PipeState {
        final AtomicLong written = new AtomicLong();
        final AtomicLong read = new AtomicLong();
        final AtomicLong generations = new AtomicLong(1);
    }

    static final class TimerState {
        final AtomicLong sets = new AtomicLong();
        final AtomicLong consumed = new AtomicLong();
    }

    static final class SleepState {
        final AtomicLong fired = new AtomicLong();
    }

    /** Per worker slot (indexed by worker id). */
    static final class PostState {
        final AtomicLongArray attempts;
        final AtomicLongArray posted;
        final AtomicLongArray discarded;
        final AtomicLongArray consumed;

        PostState(int workers) {
            attempts = new AtomicLongArray(workers);
            posted = new AtomicLongArray(workers);
            discarded = new AtomicLongArray(workers);
            consumed = new AtomicLongArray(workers);
        }
    }

    final StressRun run;
    final ObjectSpec[] specs;
    /** Per object index: the shared state of its kind (null for the original kinds). */
    final Object[] state;
    /** A thread that has ended: posts to it must be refused. */
    final Thread deadThread;

    StressKinds(StressRun run) {
        this.run = run;
        this.specs = run.specs;
        this.state = new Object[specs.length];
        Thread t = Thread.ofPlatform().name("stress-dead").start(() -> { });
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        this.deadThread = t;
    }

    /** Creates the object of index {@code i} and its shared state. */
    Object create(int i) {
        ObjectSpec s = specs[i];
        switch (s.kind()) {
            case BSEM -> {
                state[i] = new BsemState(s.variant() == 0 && !s.signaled()
                        ? run.newHold("initially taken", Thread.currentThread(), false) : null);
                return new BinarySemaphore(s.signaled());
            }
            case SIGNAL -> {
                state[i] = new SignalState();
                return new Signal();
            }
            case BARRIER -> {
                state[i] = new BarrierState();
                return new Barrier(s.max());
            }
            case RWLOCK -> {
                state[i] = new RwState();
                return s.variant() == 0 ? RwLock.preferReaders() : RwLock.preferWriters();
            }
            case COUNTER -> {
                state[i] = new CounterState();
                return new Counter(s.permits());
            }
            case THRESHOLD -> {
                state[i] = new ThresholdState();
                long k = s.max();
                return new Threshold(s.permits(), ChangeMatch.atLeast(k), v -> v - k);
            }
            case FLAGS -> {
                state[i] = new FlagsState();
                return new EventFlags(s.permits());
            }
            case CHANNEL -> {
                state[i] = new ContainerState(0);
                return new Channel<Long>(s.max());
            }
            case PCHANNEL -> {
                state[i] = new ContainerState(1);
                return new PriorityChannel<Long>(s.max(), LEAST_PRIORITY_FIRST);
            }
            case MAILBOX -> {
                state[i] = new ContainerState(0);
                return new Mailbox<Long>();
            }
            case PMAILBOX -> {
                state[i] = new ContainerState(1);
                return new PriorityMailbox<Long>(LEAST_PRIORITY_FIRST);
            }
            case MQUEUE -> {
                state[i] = new ContainerState(2);
                return new MessageQueue(s.max(), s.permits());
            }
            case RENDEZVOUS -> {
                state[i] = new RendezvousState();
                return new Rendezvous<Long>();
            }
            case EXCHANGE -> {
                state[i] = new ExchangeState();
                return new Exchange<Long, Long>();
            }
            case BYTESTREAM -> {
                state[i] = new StreamState();
                return new ByteStream(s.max());
            }
            case PIPE -> {
                state[i] = new PipeState();
                return new Pipe(s.max());
            }
            case TIMER -> {
                TimerState ts = new TimerState();
                state[i] = ts;
                WaitableTimer t = switch (s.variant()) {
                    case 0 -> WaitableTimer.autoReset();
                    case 1 -> WaitableTimer.manualReset();
                    default -> WaitableTimer.pulsing();
                };
                ts.sets.incrementAndGet();
                if (s.variant() == 2) {
                    t.set(Duration.ofMillis(1), Duration.ofMillis(1));
                } else {
                    t.set(Duration.ofMillis(1));
                }
                return t;
            }
            case SLEEP_TIMER -> {
                state[i] = new SleepState();
                return null;
            }
            case POSTWAIT -> {
                state[i] = new PostState(run.plan.workers.size());
                return null;
            }
            default -> throw new AssertionError(s.kind());
        }
    }

    @SuppressWarnings("unchecked")
    <T> T st(int i) {
        return (T) state[i];
    }

    // ---------------------------------------------------------------------------------------
    // Checks.

    /** Whether the engine queue of an object is empty (a snapshot; see EngineProbe). */
    static boolean queueEmpty(Object o) {
        return io.waitkit.internal.EngineProbe.queueEmpty(o);
    }

    private void violation(String what) {
        run.violation("checker", what);
    }

    /** Cheap checks while everything runs. */
    void continuousChecks(int i) {
        ObjectSpec s = specs[i];
        Object o = run.objects[i];
        switch (s.kind()) {
            case BSEM -> {
                BsemState b = st(i);
                if (s.variant() == 0) {
                    Hold before = b.shadow.get();
                    boolean available = ((BinarySemaphore) o).isAvailable();
                    Hold after = b.shadow.get();
                    if (before != null && before == after && available) {
                        violation("binary semaphore #" + i + " is available while " + before
                                + " holds it (shadow unchanged around the read)");
                    }
                } else {
                    long t = b.takes.get();
                    long g = b.giveAttempts.get();
                    if (t > (s.signaled() ? 1 : 0) + g) {
                        violation("binary semaphore #" + i + ": " + t + " takes exceed the initial state + " + g
                                + " give calls");
                    }
                }
            }
            case BARRIER -> {
                // arrivals being taken back may briefly be counted beside a full round's worth of
                // waiting members, but a worker has at most one arrival pending at a time
                int n = ((Barrier) o).waiting();
                if (n < 0 || n > run.workers.size()) {
                    violation("barrier #" + i + " has " + n + " arrivals queued, more than there are workers ("
                            + run.workers.size() + ")");
                }
            }
            case FLAGS -> {
                FlagsState f = st(i);
                for (int b = 0; b < FLAG_BITS; b++) {
                    long c = f.consumed.get(b) + f.offs.get(b);
                    long a = f.attempts.get(b) + ((s.permits() >>> b) & 1);
                    if (c > a) {
                        violation("flags #" + i + " bit " + b + " consumed or cleared " + c
                                + " times but only the initial state + " + f.attempts.get(b) + " set/toggle calls could set it");
                    }
                }
            }
            case BYTESTREAM -> {
                int n = ((ByteStream) o).available();
                if (n < 0 || n > s.max()) {
                    violation("byte stream #" + i + " has " + n + " bytes, capacity " + s.max());
                }
            }
            case TIMER -> {
                TimerState t = st(i);
                long c = t.consumed.get();
                long n = t.sets.get();
                if (s.variant() == 0 && c > n) {
                    violation("auto-reset timer #" + i + " consumed " + c + " times after " + n + " one-shot sets");
                }
            }
            case POSTWAIT -> {
                PostState p = st(i);
                for (int w = 0; w < p.consumed.length(); w++) {
                    long c = p.consumed.get(w);
                    long a = p.attempts.get(w);
                    if (c > a) {
                        violation("post/wait slot of worker " + w + " consumed " + c + " posts but only " + a
                                + " were attempted");
                    }
                }
            }
            default -> {
            }
        }
    }

    /** The exact checks, with every worker paused (or gone) and holding nothing of these kinds. */
    void verifyQuiescent(String when, int i, boolean final_) {
        ObjectSpec s = specs[i];
        Object o = run.objects[i];
        if (o != null && !queueEmpty(o)) {
            violation(when + ": " + s.kind() + " #" + i + " still has queued waiters: " + o);
        }
        switch (s.kind()) {
            case BSEM -> verifyBsem(when, i);
            case SIGNAL -> {
                SignalState g = st(i);
                Signal sig = (Signal) o;
                if (sig.hasWaiters()) {
                    violation(when + ": signal #" + i + " has waiters");
                }
                if (g.released.get() != g.consumed.get()) {
                    violation(when + ": signal #" + i + ": signal()/signalAll() reported " + g.released.get()
                            + " released waiters but " + g.consumed.get() + " waits succeeded");
                }
            }
            case BARRIER -> verifyBarrier(when, i);
            case RWLOCK -> verifyRw(when, i);
            case COUNTER -> {
                CounterState c = st(i);
                long v = ((Counter) o).get();
                long expected = s.variant() == 0 ? s.permits() + c.acc.get() : s.permits() ^ c.acc.get();
                if (v != expected) {
                    violation(when + ": counter #" + i + " lost an update: value " + v + " != replay " + expected + " of "
                            + c.updates.get() + " updates");
                }
            }
            case THRESHOLD -> verifyThreshold(when, i);
            case FLAGS -> {
                FlagsState f = st(i);
                int v = ((EventFlags) o).get();
                for (int b = 0; b < FLAG_BITS; b++) {
                    long init = (s.permits() >>> b) & 1;
                    long now = (v >>> b) & 1;
                    long on = f.ons.get(b);
                    long off = f.offs.get(b);
                    long used = f.consumed.get(b);
                    if (init + on - off - used != now) {
                        violation(when + ": flags #" + i + " bit " + b + ": initial " + init + " + turned on " + on
                                + " - turned off " + off + " - consumed on exit " + used + " != now " + now);
                    }
                }
                if ((v & ~((1 << FLAG_BITS) - 1)) != 0) {
                    violation(when + ": flags #" + i + " has bits outside the used ones: 0x" + Integer.toHexString(v));
                }
            }
            case CHANNEL, PCHANNEL, MAILBOX, PMAILBOX, MQUEUE -> verifyContainer(when, i);
            case RENDEZVOUS -> verifyRendezvous(when, i);
            case EXCHANGE -> verifyExchange(when, i);
            case BYTESTREAM -> {
                StreamState t = st(i);
                int n = ((ByteStream) o).available();
                long w = t.written.get();
                long r = t.read.get();
                long d = t.dropped.get();
                if (w - d - r != n) {
                    violation(when + ": byte stream #" + i + " bytes not conserved: written " + w + " - dropped " + d
                            + " - read " + r + " != buffered " + n);
                }
            }
            case PIPE -> verifyPipe(when, i, final_);
            case TIMER -> {
                TimerState t = st(i);
                WaitableTimer timer = (WaitableTimer) o;
                if (s.variant() == 0 && t.consumed.get() > t.sets.get()) {
                    violation(when + ": auto-reset timer #" + i + " consumed " + t.consumed.get() + " times after "
                            + t.sets.get() + " one-shot sets");
                }
                if (s.variant() == 2 && timer.tryAwait()) {
                    violation(when + ": pulsing periodic timer #" + i + " was found signalled by a poll");
                }
                if (final_) {
                    timer.cancel();
                }
            }
            case POSTWAIT -> {
                PostState p = st(i);
                for (StressWorker w : run.workers) {
                    int id = w.spec.id();
                    boolean pending = PostWait.of(w.thread).isPosted();
                    long posted = p.posted.get(id);
                    long consumed = p.consumed.get(id);
                    if (posted != consumed + (pending ? 1 : 0)) {
                        violation(when + ": post/wait slot of " + w.spec.name() + ": " + posted + " posts reported true"
                                + " != " + consumed + " consumed + pending " + pending + " (discarded "
                                + p.discarded.get(id) + ")");
                    }
                }
            }
            default -> {
            }
        }
    }

    private void verifyBsem(String when, int i) {
        BsemState b = st(i);
        BinarySemaphore sem = (BinarySemaphore) run.objects[i];
        ObjectSpec s = specs[i];
        boolean available = sem.isAvailable();
        if (s.variant() == 0) {
            Hold h = b.shadow.get();
            if (h != null && h != b.phantom) {
                violation(when + ": binary semaphore #" + i + " still held by " + h + " although every worker gave it back");
            }
            if (available != (h == null)) {
                violation(when + ": binary semaphore #" + i + " available=" + available + " but shadow holder " + h);
            }
        } else {
            long a0 = s.signaled() ? 1 : 0;
            long g = b.givesTrue.get();
            long t = b.takes.get();
            if (a0 + g - t != (available ? 1 : 0)) {
                violation(when + ": binary semaphore #" + i + " token balance broken: initial " + a0 + " + give()==true "
                        + g + " - takes " + t + " != available " + available + " (give()==false " + b.givesFalse.get() + ")");
            }
        }
        if (available) {
            // gives never accumulate: two more gives, then exactly one take
            boolean g1 = sem.give();
            boolean g2 = sem.give();
            boolean t1 = sem.tryTake();
            boolean t2 = sem.tryTake();
            if (g1 || g2 || !t1 || t2) {
                violation(when + ": available binary semaphore #" + i + ": give()=" + g1 + ", give()=" + g2
                        + ", tryTake()=" + t1 + ", tryTake()=" + t2 + " (expected false, false, true, false)");
            }
            if (t1 && !sem.give()) {
                violation(when + ": binary semaphore #" + i + " taken by the probe reported give()==false");
            }
        }
    }

    private void verifyBarrier(String when, int i) {
        BarrierState b = st(i);
        Barrier barrier = (Barrier) run.objects[i];
        int p = barrier.parties();
        if (barrier.waiting() != 0) {
            violation(when + ": barrier #" + i + " has " + barrier.waiting() + " arrivals although nobody waits");
        }
        long passes = b.passes.get();
        long delta = passes - b.passesAtCheckpoint;
        b.passesAtCheckpoint = passes;
        if (delta % p != 0) {
            violation(when + ": barrier #" + i + " (" + p + " parties): " + delta + " successful waits since the last"
                    + " checkpoint, not a whole number of rounds: a round was passed without all its members");
        }
        // probe: p - 1 async arrivals, then tryAwait completes the round and releases them all at once
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (int k = 0; k < p - 1; k++) {
            fs.add(barrier.awaitAsync());
        }
        if (barrier.waiting() != p - 1 || fs.stream().anyMatch(CompletableFuture::isDone)) {
            violation(when + ": barrier #" + i + " after " + (p - 1) + " async arrivals: waiting()=" + barrier.waiting());
        }
        boolean completed = barrier.tryAwait();
        if (!completed || fs.stream().anyMatch(f -> !f.isDone() || f.isCompletedExceptionally()) || barrier.waiting() != 0) {
            violation(when + ": barrier #" + i + ": the completing tryAwait() returned " + completed
                    + " but not every member was released with it (waiting()=" + barrier.waiting() + ")");
        }
        // probe: a cancelled arrival is taken back
        CompletableFuture<Void> f = barrier.awaitAsync();
        boolean cancelled = f.cancel(false);
        if (p > 1 && (!cancelled || barrier.waiting() != 0 || barrier.tryAwait())) {
            violation(when + ": barrier #" + i + ": a cancelled arrival was not taken back (cancel()=" + cancelled
                    + ", waiting()=" + barrier.waiting() + ")");
        }
    }

    private void verifyRw(String when, int i) {
        RwState r = st(i);
        RwLock rw = (RwLock) run.objects[i];
        if (r.readers.get() != 0 || r.writer.get() != null) {
            violation(when + ": rwlock #" + i + " shadow still has " + r.readers.get() + " readers / writer " + r.writer.get());
        }
        if (rw.readHolds() != 0 || rw.isWriteLocked()) {
            violation(when + ": rwlock #" + i + " not free: " + rw);
            return;
        }
        boolean pw = rw.prefersWriters();
        if (!rw.readLock().tryLock()) {
            violation(when + ": free rwlock #" + i + " refused a read tryLock()");
            return;
        }
        CompletableFuture<Void> writer = rw.writeLock().lockAsync();
        if (writer.isDone()) {
            violation(when + ": rwlock #" + i + " gave the write lock beside a reader");
        }
        boolean second = rw.readLock().tryLock();
        if (second == pw) {
            violation(when + ": rwlock #" + i + " (" + (pw ? "prefer writers" : "prefer readers") + "): a new reader beside"
                    + " a reader and a queued writer was " + (second ? "admitted" : "refused"));
        }
        if (second) {
            rw.readLock().unlock();
            if (writer.isDone()) {
                violation(when + ": rwlock #" + i + " handed the write lock over while a read hold remained");
            }
        }
        rw.readLock().unlock();
        if (!writer.isDone() || !rw.isWriteLockedByCurrentThread()) {
            violation(when + ": rwlock #" + i + ": the last read unlock did not hand the lock to the queued writer: " + rw);
            writer.cancel(false);
        }
        if (rw.readLock().tryLock()) {
            violation(when + ": rwlock #" + i + " admitted a reader beside the writer");
            rw.readLock().unlock();
        }
        if (rw.isWriteLockedByCurrentThread()) {
            rw.writeLock().unlock();
        }
        if (pw) {
            // a reader held back only by a queued writer gets in when that writer gives up
            rw.readLock().tryLock();
            CompletableFuture<Void> w2 = rw.writeLock().lockAsync();
            CompletableFuture<Void> reader = rw.readLock().lockAsync();
            boolean early = reader.isDone();
            boolean cancelled = w2.cancel(false);
            if (early || !cancelled || !reader.isDone()) {
                violation(when + ": rwlock #" + i + " (prefer writers): reader admitted early=" + early
                        + ", writer cancelled=" + cancelled + ", reader admitted after the writer gave up=" + reader.isDone());
            }
            if (reader.isDone() && !reader.isCancelled()) {
                rw.readLock().unlock();
            } else {
                reader.cancel(false);
            }
            rw.readLock().unlock();
        }
        if (rw.readHolds() != 0 || rw.isWriteLocked() || !queueEmpty(rw)) {
            violation(when + ": rwlock #" + i + " not free after the preference probe: " + rw);
        }
    }

    private void verifyThreshold(String when, int i) {
        ThresholdState t = st(i);
        Threshold th = (Threshold) run.objects[i];
        ObjectSpec s = specs[i];
        long k = s.max();
        long total = s.permits() + t.sum.get();
        long v = th.get();
        if (v != Math.floorMod(total, k)) {
            violation(when + ": threshold #" + i + " lost an update: value " + v + " != (initial " + s.permits() + " + sum "
                    + t.sum.get() + ") mod " + k);
        }
        if (t.matches.get() != Math.floorDiv(total, k)) {
            violation(when + ": threshold #" + i + ": " + t.matches.get() + " matching updates reported, expected "
                    + Math.floorDiv(total, k));
        }
        if (th.tryAwait()) {
            violation(when + ": threshold #" + i + " predicate held at rest (value " + v + ", k " + k + ")");
        }
        Map<Change, Boolean> made = new HashMap<>();
        for (Change c; (c = t.updaterChanges.poll()) != null; ) {
            made.put(c, Boolean.TRUE);
        }
        for (Change c; (c = t.waiterChanges.poll()) != null; ) {
            if (!made.containsKey(c)) {
                violation(when + ": threshold #" + i + ": a waiter was released with " + c
                        + " but no matching update made that change");
            }
        }
    }

    private void verifyContainer(String when, int i) {
        ContainerState c = st(i);
        Object o = run.objects[i];
        ObjectSpec s = specs[i];
        int size = containerSize(o);
        if (size != c.live.size()) {
            violation(when + ": " + s.kind() + " #" + i + " items not conserved: " + size + " buffered but "
                    + c.live.size() + " sent and never received (sent " + c.sent.get() + ", received " + c.received.get()
                    + ", evicted " + c.evicted.get() + ", failed sends " + c.failed.get() + ")");
        }
        // drain, check the order, put back in the same order
        List<Long> items = new ArrayList<>();
        for (Long item; (item = drainOne(o)) != null; ) {
            items.add(item);
            if (items.size() > size + 64) {
                break;
            }
        }
        Map<Long, Long> lastSeq = new HashMap<>();
        int lastPrio = c.order == 2 ? Integer.MAX_VALUE : Integer.MIN_VALUE;
        for (long item : items) {
            if (!c.live.containsKey(item)) {
                violation(when + ": " + s.kind() + " #" + i + " buffers item " + Long.toHexString(item)
                        + " that was never sent or already received");
            }
            int prio = prioOf(item);
            if (c.order == 1 && prio < lastPrio || c.order == 2 && prio > lastPrio) {
                violation(when + ": " + s.kind() + " #" + i + " out of priority order: " + describe(items));
                break;
            }
            lastPrio = prio;
            long key = ((long) producerOf(item) << 2) | (c.order == 0 ? 0 : prio);
            Long last = lastSeq.put(key, seqOf(item));
            if (last != null && last > seqOf(item)) {
                violation(when + ": " + s.kind() + " #" + i + " out of FIFO order for producer " + producerOf(item)
                        + (c.order == 0 ? "" : " priority " + prio) + ": " + describe(items));
                break;
            }
        }
        for (long item : items) {
            if (!putBack(o, item)) {
                violation(when + ": " + s.kind() + " #" + i + " refused to take back a drained item");
                c.live.remove(item);
            }
        }
    }

    private static String describe(List<Long> items) {
        StringBuilder sb = new StringBuilder("[");
        for (long item : items) {
            sb.append(sb.length() > 1 ? " " : "").append(producerOf(item)).append(':').append(seqOf(item)).append('/')
                    .append(prioOf(item));
        }
        return sb.append(']').toString();
    }

    static int containerSize(Object o) {
        if (o instanceof Channel<?> ch) {
            return ch.size();
        } else if (o instanceof PriorityChannel<?> ch) {
            return ch.size();
        } else if (o instanceof Mailbox<?> m) {
            return m.size();
        } else if (o instanceof PriorityMailbox<?> m) {
            return m.size();
        }
        return ((MessageQueue) o).size();
    }

    @SuppressWarnings("unchecked")
    private static Long drainOne(Object o) {
        if (o instanceof Channel<?> ch) {
            return ((Channel<Long>) ch).tryReceive();
        } else if (o instanceof PriorityChannel<?> ch) {
            return ((PriorityChannel<Long>) ch).tryReceive();
        } else if (o instanceof Mailbox<?> m) {
            return ((Mailbox<Long>) m).tryReceive();
        } else if (o instanceof PriorityMailbox<?> m) {
            return ((PriorityMailbox<Long>) m).tryReceive();
        }
        MessageQueue.Message m = ((MessageQueue) o).tryReceive();
        return m == null ? null : KindOps.itemOf(m);
    }

    @SuppressWarnings("unchecked")
    private boolean putBack(Object o, long item) {
        if (o instanceof Channel<?> ch) {
            return ((Channel<Long>) ch).trySend(item);
        } else if (o instanceof PriorityChannel<?> ch) {
            return ((PriorityChannel<Long>) ch).trySend(item);
        } else if (o instanceof Mailbox<?> m) {
            ((Mailbox<Long>) m).post(item);
            return true;
        } else if (o instanceof PriorityMailbox<?> m) {
            ((PriorityMailbox<Long>) m).post(item);
            return true;
        }
        MessageQueue mq = (MessageQueue) o;
        return mq.trySend(KindOps.message(item, 8));
    }

    private void verifyRendezvous(String when, int i) {
        RendezvousState r = st(i);
        @SuppressWarnings("unchecked")
        Rendezvous<Long> rv = (Rendezvous<Long>) run.objects[i];
        if (rv.hasWaitingParty()) {
            violation(when + ": rendezvous #" + i + " still has a waiting party");
        }
        for (Map.Entry<Long, Long> e : r.pairs.entrySet()) {
            Long back = r.pairs.get(e.getValue());
            if (back == null || back.longValue() != e.getKey()) {
                violation(when + ": rendezvous #" + i + ": offer " + Long.toHexString(e.getKey()) + " received "
                        + Long.toHexString(e.getValue()) + " whose party received " + (back == null ? "nothing" : Long.toHexString(back)));
                break;
            }
        }
        r.pairs.clear();
        r.receivedOnce.clear();
        r.withdrawn.clear();
    }

    private void verifyExchange(String when, int i) {
        ExchangeState x = st(i);
        Exchange<?, ?> ex = (Exchange<?, ?>) run.objects[i];
        if (ex.pendingRequests() != 0) {
            violation(when + ": exchange #" + i + " still has " + ex.pendingRequests() + " pending requests");
        }
        for (Long q : x.replyTrue) {
            if (!x.clientGot.contains(q)) {
                violation(when + ": exchange #" + i + ": reply() returned true for request " + Long.toHexString(q)
                        + " but its client did not get the reply");
                break;
            }
        }
        for (Long q : x.clientGot) {
            if (!x.replyTrue.contains(q)) {
                violation(when + ": exchange #" + i + ": a client got a reply to request " + Long.toHexString(q)
                        + " whose reply() did not return true");
                break;
            }
        }
        for (Long q : x.replyFalse) {
            if (!x.clientFailed.contains(q)) {
                violation(when + ": exchange #" + i + ": reply() returned false for request " + Long.toHexString(q)
                        + " whose client did not give up");
                break;
            }
        }
        x.replyTrue.clear();
        x.replyFalse.clear();
        x.clientGot.clear();
        x.clientFailed.clear();
    }

    private void verifyPipe(String when, int i, boolean final_) {
        PipeState p = st(i);
        Pipe pipe = (Pipe) run.objects[i];
        long w = p.written.get();
        long r = p.read.get();
        int buffered = pipe.buffered();
        if (w - r != buffered) {
            violation(when + ": pipe #" + i + " bytes not conserved: written " + w + " - read " + r + " != buffered " + buffered);
        }
        try {
            // the end of the pipe's life: EOF after the buffered bytes, closed ends refuse use
            pipe.sink().close();
            byte[] buf = new byte[64];
            long drained = 0;
            for (int n; (n = pipe.source().read(buf, 0, buf.length)) >= 0; ) {
                drained += n;
                if (drained > buffered + 64) {
                    break;
                }
            }
            if (drained != buffered) {
                violation(when + ": pipe #" + i + " delivered " + drained + " bytes before EOF, " + buffered + " were buffered");
            }
            if (pipe.source().read(buf, 0, 1) != -1) {
                violation(when + ": pipe #" + i + " read past EOF");
            }
            if (Wait.any(Duration.ZERO, pipe.readable()) != 0) {
                violation(when + ": pipe #" + i + " readable() not available after the write end closed");
            }
            try {
                pipe.sink().write(1);
                violation(when + ": pipe #" + i + " accepted a write after its write end was closed");
            } catch (IOException expected) {
                // refused
            }
            pipe.source().close();
            try {
                pipe.source().read();
                violation(when + ": pipe #" + i + " accepted a read after its read end was closed");
            } catch (IOException expected) {
                // refused
            }
        } catch (IOException | InterruptedException e) {
            violation(when + ": pipe #" + i + " failed its end-of-life checks: " + e);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
        if (!final_) {
            run.objects[i] = new Pipe(specs[i].max());
            p.written.set(0);
            p.read.set(0);
            p.generations.incrementAndGet();
        }
    }

    /** Signals of last resort for waits no interrupt ends: releases every signal waiter (counted). */
    void rescue() {
        for (int i = 0; i < specs.length; i++) {
            if (specs[i].kind() == ObjKind.SIGNAL) {
                signalAll(i);
            }
        }
    }

    /** Chaos: every ~10 ms, a signalAll and a token give, counted like any other. */
    void chaosSignals(java.util.SplittableRandom r) {
        for (int i = 0; i < specs.length; i++) {
            if (specs[i].kind() == ObjKind.SIGNAL && r.nextInt(4) == 0) {
                signalAll(i);
            } else if (specs[i].kind() == ObjKind.BSEM && specs[i].variant() == 1 && r.nextInt(4) == 0) {
                giveToken(i);
            }
        }
    }

    int signalAll(int i) {
        SignalState g = st(i);
        g.started.incrementAndGet();
        int n = ((Signal) run.objects[i]).signalAll();
        g.finished.incrementAndGet();
        g.released.addAndGet(n);
        return n;
    }

    boolean giveToken(int i) {
        BsemState b = st(i);
        b.giveAttempts.incrementAndGet();
        boolean r = ((BinarySemaphore) run.objects[i]).give();
        (r ? b.givesTrue : b.givesFalse).incrementAndGet();
        return r;
    }

    /** The main counters of the run, per kind, for the summary. */
    String totals() {
        long passes = 0, meetings = 0, answered = 0, sent = 0, received = 0, evicted = 0, bytes = 0, pipeBytes = 0;
        long matches = 0, released = 0, posted = 0, discarded = 0, fired = 0, timers = 0, flags = 0, updates = 0;
        for (int i = 0; i < specs.length; i++) {
            Object s = state[i];
            if (s instanceof BarrierState b) {
                passes += b.passes.get();
            } else if (s instanceof RendezvousState r) {
                meetings += r.meetings.get();
            } else if (s instanceof ExchangeState x) {
                answered += x.answered.get();
            } else if (s instanceof ContainerState c) {
                sent += c.sent.get();
                received += c.received.get();
                evicted += c.evicted.get();
            } else if (s instanceof StreamState t) {
                bytes += t.read.get();
            } else if (s instanceof PipeState p) {
                pipeBytes += p.read.get();
            } else if (s instanceof ThresholdState t) {
                matches += t.matches.get();
            } else if (s instanceof SignalState g) {
                released += g.released.get();
            } else if (s instanceof PostState p) {
                for (int w = 0; w < p.posted.length(); w++) {
                    posted += p.posted.get(w);
                    discarded += p.discarded.get(w);
                }
            } else if (s instanceof SleepState z) {
                fired += z.fired.get();
            } else if (s instanceof TimerState t) {
                timers += t.consumed.get();
            } else if (s instanceof FlagsState f) {
                for (int b = 0; b < FLAG_BITS; b++) {
                    flags += f.consumed.get(b);
                }
            } else if (s instanceof CounterState c) {
                updates += c.updates.get();
            }
        }
        return "barrier passes=" + passes + " rendezvous meetings=" + meetings + " exchange replies=" + answered
                + " items sent=" + sent + " received=" + received + " evicted=" + evicted + " stream bytes read=" + bytes
                + " (pipe " + pipeBytes + " in the last generation) threshold matches=" + matches + " signal releases="
                + released + " posts=" + posted + " discarded=" + discarded + " sleep timers fired=" + fired
                + " auto timer consumptions=" + timers + " flag bits consumed=" + flags + " counter updates=" + updates;
    }

    /** A short description of the counters of object {@code i}, for the liveness report. */
    String describe(int i) {
        Object s = state[i];
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (java.lang.reflect.Field f : s.getClass().getDeclaredFields()) {
            try {
                f.setAccessible(true);
                Object v = f.get(s);
                if (v instanceof AtomicLong || v instanceof AtomicInteger || v instanceof AtomicReference<?>
                        || v instanceof AtomicLongArray || v instanceof Number) {
                    sb.append(' ').append(f.getName()).append('=').append(v);
                } else if (v instanceof Map<?, ?> m) {
                    sb.append(' ').append(f.getName()).append(".size=").append(m.size());
                } else if (v instanceof Set<?> set) {
                    sb.append(' ').append(f.getName()).append(".size=").append(set.size());
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // skip
            }
        }
        return sb.toString();
    }
}
