package io.waitkit.stress;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The seeded part of a stress run: which objects exist (kinds, initial states, semaphore
 * limits, capacities, barrier sizes ...), which workers run (platform or virtual) and, for each
 * worker, the endless sequence of operations it performs, plus the chaos thread's interrupt
 * schedule.
 *
 * <p>Everything here is a pure function of the seed: each worker and the chaos thread draw from
 * their own {@link SplittableRandom} split off the master in a fixed order, so the operation
 * plan is identical from one run to the next for the same seed, whatever the thread
 * interleaving. Only the outcome of each operation (acquired, timed out, interrupted ...)
 * depends on timing, and the workers adapt to it deterministically (for example an untimed
 * wait is turned into a timed one while the worker holds something; see {@link StressWorker}).
 */
final class StressPlan {
    /**
     * The kinds of objects in the world. The first four are the engine's original primitives,
     * driven by their own operations (AWAIT .. ABANDON); the others are driven by
     * {@link OpKind#KIND_WAIT}, {@link OpKind#KIND_ASYNC} and {@link OpKind#KIND_SIGNAL} through
     * {@link StressKinds}. Every kind takes part in wait-any lists, and every kind that allows
     * it in wait-all lists.
     */
    enum ObjKind {
        AUTO_EVENT, MANUAL_EVENT,
        /** {@code Mutex}; variant 0: hand-off, 1: {@code Fairness.BARGING} */
        MUTEX,
        /** {@code Semaphore(permits, max)}; variant 0: hand-off, 1: {@code Fairness.BARGING} */
        SEMAPHORE,
        /** {@code BinarySemaphore}; variant 0: held and given back by its taker, 1: a free token */
        BSEM,
        SIGNAL,
        /** {@code Barrier} of {@code max} parties */
        BARRIER,
        /** {@code RwLock}; variant 0: preferReaders, 1: preferWriters */
        RWLOCK,
        /** {@code Counter} starting at {@code permits}; variant 0: additive updates, 1: xor updates */
        COUNTER,
        /** {@code Threshold(permits, atLeast(max), v -> v - max)}, updated by adding 1..max */
        THRESHOLD,
        /** {@code EventFlags} with initial bits {@code permits} (4 bits used) */
        FLAGS,
        /** {@code Channel} of capacity {@code max} (0: hand-off) */
        CHANNEL,
        /** {@code PriorityChannel} of capacity {@code max} */
        PCHANNEL,
        MAILBOX,
        PMAILBOX,
        /** {@code MessageQueue} of {@code max} messages of at most {@code permits} bytes */
        MQUEUE,
        RENDEZVOUS,
        EXCHANGE,
        /** {@code ByteStream} of capacity {@code max} */
        BYTESTREAM,
        /** {@code Pipe} of capacity {@code max} (replaced by a fresh one at each checkpoint) */
        PIPE,
        /** {@code WaitableTimer}; variant 0: auto-reset one-shot, 1: manual-reset one-shot, 2: pulsing periodic */
        TIMER,
        /** not an object: a fresh {@code Sleep.timer} per wait */
        SLEEP_TIMER,
        /** not an object: the waiting worker's own {@code PostWait} slot */
        POSTWAIT;

        /** Whether it is one of the engine's original primitives, driven by their own operations. */
        boolean original() {
            return ordinal() <= SEMAPHORE.ordinal();
        }
    }

    /**
     * One object of the world.
     *
     * @param kind what it is
     * @param signaled the initial state of an event
     * @param permits the initial count of a semaphore
     * @param max the maximum count of a semaphore
     * @param pulses whether workers pulse this event (auto-reset events without pulses get an
     *        exact signal balance, the others a bounded one)
     * @param variant a kind's variant (see {@link ObjKind}); for the other kinds {@code signaled},
     *        {@code permits} and {@code max} carry the initial state, capacity or size
     */
    record ObjectSpec(ObjKind kind, boolean signaled, int permits, int max, boolean pulses, int variant) {
        ObjectSpec(ObjKind kind, boolean signaled, int permits, int max, boolean pulses) {
            this(kind, signaled, permits, max, pulses, 0);
        }

        boolean isEvent() {
            return kind == ObjKind.AUTO_EVENT || kind == ObjKind.MANUAL_EVENT;
        }

        /** Whether the object may take part in a wait-all. */
        boolean allowsWaitAll() {
            return switch (kind) {
                case BARRIER, RENDEZVOUS -> false;
                case CHANNEL, PCHANNEL, MQUEUE -> max > 0;
                default -> true;
            };
        }
    }

    /**
     * One worker.
     *
     * @param id the worker's number
     * @param virtual whether it runs on a virtual thread
     * @param seed the seed of its operation stream
     */
    record WorkerSpec(int id, boolean virtual, long seed) {
        String name() {
            return (virtual ? "stress-v" : "stress-p") + id;
        }
    }

    /** The operations a worker performs. */
    enum OpKind {
        ANY, ALL, AWAIT, LOCK, ACQUIRE,
        ANY_ASYNC, ALL_ASYNC, AWAIT_ASYNC, LOCK_ASYNC, ACQUIRE_ASYNC,
        SET, RESET, PULSE, PRODUCE, CONSUME, RELEASE,
        BAD_INPUT, IRQL, ABANDON,
        /** the consuming side of a new kind through its own API (take, receive, read, accept ...) */
        KIND_WAIT,
        /** the async form of a new kind's wait or send, ended as {@link AsyncEnd} says */
        KIND_ASYNC,
        /** the producing side of a new kind (give, signal, update, send, post, write, call ...) */
        KIND_SIGNAL
    }

    /** How a wait is bounded. Forms an object does not have are mapped by the worker. */
    enum Timing {
        /** the overload without timeout (interruptible) */
        FOREVER,
        /** the uninterruptible form where there is one ({@code lock()}, {@code acquireUninterruptibly()} ...) */
        UNINTERRUPTIBLE,
        /** a positive {@code Duration} */
        DURATION,
        /** {@code Duration.ZERO}: a poll */
        ZERO,
        /** a negative {@code Duration}: a poll */
        NEGATIVE,
        /** {@code (long, TimeUnit)} where there is one */
        TIME_UNIT,
        /** {@code Deadline.after(timeout)} */
        DEADLINE,
        /** {@code Deadline.from(Deadline.now(), timeout)} */
        DEADLINE_FROM,
        /** a deadline already passed: a poll */
        DEADLINE_EXPIRED,
        /** {@code Deadline.never()} */
        DEADLINE_NEVER,
        /** the {@code tryX()} form */
        TRY
    }

    /** How an async wait ends. */
    enum AsyncEnd { CANCEL_AT_ONCE, CANCEL_AFTER_SPIN, GET_THEN_CANCEL, OR_TIMEOUT, COMPLETE_VALUE, COMPLETE_EXCEPTIONALLY }

    /**
     * One planned operation.
     *
     * @param kind the operation
     * @param targets indices of the objects involved (a wait list may repeat an index for
     *        wait-any; wait-all lists are distinct)
     * @param timing how a wait is bounded
     * @param timeoutNanos the timeout of bounded forms (also used when an untimed wait must be
     *        bounded because the worker holds something)
     * @param count permits for acquire/produce, or a sub-choice
     * @param end how an async wait ends
     * @param spin busy-wait iterations while holding the result
     * @param keep whether the worker keeps what it acquired for later operations
     * @param choice a free random number for runtime choices (which holding to release ...)
     */
    record Op(OpKind kind, List<Integer> targets, Timing timing, long timeoutNanos, int count, AsyncEnd end,
            int spin, boolean keep, int choice) {
    }

    final long seed;
    final List<ObjectSpec> objects;
    final List<WorkerSpec> workers;
    final long chaosSeed;
    /** Mean pause between two interrupts of the chaos thread, in microseconds. */
    final int chaosMeanMicros;

    private StressPlan(long seed, List<ObjectSpec> objects, List<WorkerSpec> workers, long chaosSeed,
            int chaosMeanMicros) {
        this.seed = seed;
        this.objects = objects;
        this.workers = workers;
        this.chaosSeed = chaosSeed;
        this.chaosMeanMicros = chaosMeanMicros;
    }

    /**
     * Generates the plan of a seed.
     *
     * @param seed the seed
     * @return the plan
     */
    static StressPlan generate(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<ObjectSpec> objects = new ArrayList<>();
        int autos = 1 + r.nextInt(3);
        int manuals = 1 + r.nextInt(2);
        int mutexes = 2 + r.nextInt(3);
        int semaphores = 1 + r.nextInt(3);
        for (int i = 0; i < autos; i++) {
            // the first auto event never pulses: its balance is exact
            objects.add(new ObjectSpec(ObjKind.AUTO_EVENT, r.nextBoolean(), 0, 0, i > 0 && r.nextBoolean()));
        }
        for (int i = 0; i < manuals; i++) {
            objects.add(new ObjectSpec(ObjKind.MANUAL_EVENT, r.nextBoolean(), 0, 0, r.nextBoolean()));
        }
        // both fairness modes in every world (at least two mutexes, alternating), and barging
        // semaphores in half of the worlds; chosen without drawing, so a seed keeps its world
        for (int i = 0; i < mutexes; i++) {
            objects.add(new ObjectSpec(ObjKind.MUTEX, false, 0, 0, false, i & 1));
        }
        for (int i = 0; i < semaphores; i++) {
            int max = 1 + r.nextInt(4);
            objects.add(new ObjectSpec(ObjKind.SEMAPHORE, false, r.nextInt(max + 1), max, false, (int) ((seed + i) & 1L)));
        }
        // the new kinds: one or two of each, variants and sizes drawn from the seed
        objects.add(new ObjectSpec(ObjKind.BSEM, r.nextBoolean(), 0, 0, false, 0));
        objects.add(new ObjectSpec(ObjKind.BSEM, r.nextBoolean(), 0, 0, false, 1));
        objects.add(new ObjectSpec(ObjKind.SIGNAL, false, 0, 0, false, 0));
        objects.add(new ObjectSpec(ObjKind.BARRIER, false, 0, 2 + r.nextInt(2), false, 0));
        objects.add(new ObjectSpec(ObjKind.RWLOCK, false, 0, 0, false, 0));
        objects.add(new ObjectSpec(ObjKind.RWLOCK, false, 0, 0, false, 1));
        objects.add(new ObjectSpec(ObjKind.COUNTER, false, r.nextInt(64) - 32, 0, false, 0));
        objects.add(new ObjectSpec(ObjKind.COUNTER, false, r.nextInt(1 << 16), 0, false, 1));
        int k = 2 + r.nextInt(7);
        objects.add(new ObjectSpec(ObjKind.THRESHOLD, false, r.nextInt(k), k, false, 0));
        objects.add(new ObjectSpec(ObjKind.FLAGS, false, r.nextInt(16), 0, false, 0));
        objects.add(new ObjectSpec(ObjKind.CHANNEL, false, 0, 0, false, 0));
        objects.add(new ObjectSpec(ObjKind.CHANNEL, false, 0, 1 + r.nextInt(4), false, 0));
        objects.add(new ObjectSpec(ObjKind.PCHANNEL, false, 0, r.nextInt(4), false, 0));
        objects.add(new ObjectSpec(ObjKind.MAILBOX, false, 0, 0, false, 0));
        objects.add(new ObjectSpec(ObjKind.PMAILBOX, false, 0, 0, false, 0));
        objects.add(new ObjectSpec(ObjKind.MQUEUE, false, 8 + r.nextInt(9), r.nextInt(4), false, 0));
        objects.add(new ObjectSpec(ObjKind.RENDEZVOUS, false, 0, 0, false, 0));
        objects.add(new ObjectSpec(ObjKind.EXCHANGE, false, 0, 0, false, 0));
        objects.add(new ObjectSpec(ObjKind.BYTESTREAM, false, 0, 4 + r.nextInt(29), false, 0));
        objects.add(new ObjectSpec(ObjKind.PIPE, false, 0, 8 + r.nextInt(57), false, 0));
        objects.add(new ObjectSpec(ObjKind.TIMER, false, 0, 0, false, r.nextInt(3)));
        objects.add(new ObjectSpec(ObjKind.TIMER, false, 0, 0, false, r.nextInt(3)));
        objects.add(new ObjectSpec(ObjKind.SLEEP_TIMER, false, 0, 0, false, 0));
        objects.add(new ObjectSpec(ObjKind.POSTWAIT, false, 0, 0, false, 0));
        shuffle(objects, r);

        List<WorkerSpec> workers = new ArrayList<>();
        int platform = 2 + r.nextInt(3);
        int virtual = 3 + r.nextInt(8);
        List<Boolean> kinds = new ArrayList<>();
        for (int i = 0; i < platform; i++) {
            kinds.add(false);
        }
        for (int i = 0; i < virtual; i++) {
            kinds.add(true);
        }
        shuffle(kinds, r);
        for (int i = 0; i < kinds.size(); i++) {
            workers.add(new WorkerSpec(i, kinds.get(i), r.nextLong()));
        }
        long chaosSeed = r.nextLong();
        int chaosMean = 300 + r.nextInt(2700);
        return new StressPlan(seed, List.copyOf(objects), List.copyOf(workers), chaosSeed, chaosMean);
    }

    private static <T> void shuffle(List<T> list, SplittableRandom r) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }

    /**
     * Returns a fresh generator of worker {@code worker}'s operations, from the beginning.
     *
     * @param worker the worker's index
     * @return its operation stream
     */
    OpGenerator ops(int worker) {
        return new OpGenerator(this, workers.get(worker).seed());
    }

    /** The indices of the objects of some kinds. */
    int[] indicesOf(ObjKind... kinds) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            for (ObjKind k : kinds) {
                if (objects.get(i).kind() == k) {
                    out.add(i);
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A describable summary: objects, workers and chaos rate. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("StressPlan[seed=").append(seed).append(", objects=[");
        for (int i = 0; i < objects.size(); i++) {
            ObjectSpec o = objects.get(i);
            sb.append(i == 0 ? "" : ", ").append(i).append(':');
            switch (o.kind()) {
                case AUTO_EVENT -> sb.append("auto").append(o.signaled() ? "(set)" : "").append(o.pulses() ? "+pulse" : "");
                case MANUAL_EVENT -> sb.append("manual").append(o.signaled() ? "(set)" : "").append(o.pulses() ? "+pulse" : "");
                case MUTEX -> sb.append(o.variant() == 1 ? "mutex-barging" : "mutex");
                case SEMAPHORE -> sb.append(o.variant() == 1 ? "sem-barging(" : "sem(").append(o.permits()).append('/')
                        .append(o.max()).append(')');
                case BSEM -> sb.append(o.variant() == 0 ? "bsem-held" : "bsem-token").append(o.signaled() ? "(available)" : "");
                case SIGNAL -> sb.append("signal");
                case BARRIER -> sb.append("barrier(").append(o.max()).append(')');
                case RWLOCK -> sb.append(o.variant() == 0 ? "rw-readers" : "rw-writers");
                case COUNTER -> sb.append(o.variant() == 0 ? "counter-add(" : "counter-xor(").append(o.permits()).append(')');
                case THRESHOLD -> sb.append("threshold(").append(o.permits()).append(", k=").append(o.max()).append(')');
                case FLAGS -> sb.append("flags(0x").append(Integer.toHexString(o.permits())).append(')');
                case CHANNEL -> sb.append("channel(").append(o.max()).append(')');
                case PCHANNEL -> sb.append("pchannel(").append(o.max()).append(')');
                case MAILBOX -> sb.append("mailbox");
                case PMAILBOX -> sb.append("pmailbox");
                case MQUEUE -> sb.append("mq(").append(o.max()).append(" x ").append(o.permits()).append(" B)");
                case RENDEZVOUS -> sb.append("rendezvous");
                case EXCHANGE -> sb.append("exchange");
                case BYTESTREAM -> sb.append("bytestream(").append(o.max()).append(')');
                case PIPE -> sb.append("pipe(").append(o.max()).append(')');
                case TIMER -> sb.append(switch (o.variant()) {
                    case 0 -> "timer-auto";
                    case 1 -> "timer-manual";
                    default -> "timer-pulsing";
                });
                case SLEEP_TIMER -> sb.append("sleep-timer");
                case POSTWAIT -> sb.append("postwait");
            }
        }
        long v = workers.stream().filter(WorkerSpec::virtual).count();
        return sb.append("], workers=").append(workers.size() - v).append(" platform + ").append(v)
                .append(" virtual, chaos every ~").append(chaosMeanMicros).append(" us]").toString();
    }

    /**
     * A worker's operation stream: a deterministic function of the plan and the worker's seed.
     * Not thread-safe; each worker owns its generator.
     */
    static final class OpGenerator {
        private static final OpKind[] KINDS = OpKind.values();
        /** Relative weights, in the order of {@link OpKind}. */
        private static final int[] WEIGHTS = {
            16, 10, 4, 5, 4,   // ANY, ALL, AWAIT, LOCK, ACQUIRE
            5, 4, 1, 2, 2,     // ANY_ASYNC, ALL_ASYNC, AWAIT_ASYNC, LOCK_ASYNC, ACQUIRE_ASYNC
            7, 2, 2, 4, 2, 6,  // SET, RESET, PULSE, PRODUCE, CONSUME, RELEASE
            2, 1, 1,           // BAD_INPUT, IRQL, ABANDON (ABANDON is thinned out further below)
            24, 10, 28         // KIND_WAIT, KIND_ASYNC, KIND_SIGNAL (spread over the new kinds)
        };
        private static final Timing[] TIMINGS = Timing.values();
        private static final int[] TIMING_WEIGHTS = {
            4, 2, 30, 10, 2, 4, 6, 4, 6, 2, 10 // FOREVER .. TRY
        };
        private static final AsyncEnd[] ENDS = AsyncEnd.values();

        private final StressPlan plan;
        private final SplittableRandom r;
        private final int[] events;
        private final int[] pulsable;
        private final int[] mutexes;
        private final int[] semaphores;
        private final int[] kinds;
        private final int[] allCapable;
        private final int total;

        OpGenerator(StressPlan plan, long seed) {
            this.plan = plan;
            this.r = new SplittableRandom(seed);
            this.events = plan.indicesOf(ObjKind.AUTO_EVENT, ObjKind.MANUAL_EVENT);
            List<Integer> p = new ArrayList<>();
            for (int e : events) {
                if (plan.objects.get(e).kind() == ObjKind.MANUAL_EVENT || plan.objects.get(e).pulses()) {
                    p.add(e);
                }
            }
            this.pulsable = p.stream().mapToInt(Integer::intValue).toArray();
            this.mutexes = plan.indicesOf(ObjKind.MUTEX);
            this.semaphores = plan.indicesOf(ObjKind.SEMAPHORE);
            List<Integer> k = new ArrayList<>();
            List<Integer> a = new ArrayList<>();
            for (int i = 0; i < plan.objects.size(); i++) {
                if (!plan.objects.get(i).kind().original()) {
                    k.add(i);
                }
                if (plan.objects.get(i).allowsWaitAll()) {
                    a.add(i);
                }
            }
            this.kinds = k.stream().mapToInt(Integer::intValue).toArray();
            this.allCapable = a.stream().mapToInt(Integer::intValue).toArray();
            this.total = plan.objects.size();
        }

        /**
         * Returns the next operation.
         *
         * @return the operation
         */
        Op next() {
            OpKind kind = pick(KINDS, WEIGHTS);
            if (kind == OpKind.ABANDON && r.nextInt(8) != 0) {
                kind = OpKind.SET; // abandonment spawns a thread: keep it rare
            }
            if (kind == OpKind.PULSE && pulsable.length == 0) {
                kind = OpKind.SET;
            }
            List<Integer> targets = switch (kind) {
                case ANY, ANY_ASYNC -> anyList();
                case ALL, ALL_ASYNC -> allList(allCapable);
                case IRQL -> allList(null);
                case AWAIT, AWAIT_ASYNC, SET, RESET -> List.of(one(events));
                case PULSE -> List.of(one(pulsable));
                case LOCK, LOCK_ASYNC, ABANDON -> List.of(one(mutexes));
                case ACQUIRE, ACQUIRE_ASYNC, PRODUCE, CONSUME -> List.of(one(semaphores));
                case RELEASE, BAD_INPUT -> allList(null);
                case KIND_WAIT, KIND_ASYNC, KIND_SIGNAL -> List.of(one(kinds));
            };
            Timing timing = pick(TIMINGS, TIMING_WEIGHTS);
            long timeout = timeoutNanos();
            int count = switch (kind) {
                case ACQUIRE, ACQUIRE_ASYNC -> {
                    int max = plan.objects.get(targets.get(0)).max();
                    int c = r.nextInt(10) < 7 ? 1 : r.nextInt(Math.min(max, 3) + 1);
                    yield Math.min(c, max);
                }
                case PRODUCE -> r.nextInt(4) == 0 ? 2 : 1;
                default -> r.nextInt(1 << 16);
            };
            AsyncEnd end = ENDS[r.nextInt(ENDS.length)];
            int spin = r.nextInt(4) == 0 ? r.nextInt(256) : 0;
            boolean keep = r.nextInt(100) < 35;
            int choice = r.nextInt(Integer.MAX_VALUE);
            return new Op(kind, targets, timing, timeout, count, end, spin, keep, choice);
        }

        private long timeoutNanos() {
            int k = r.nextInt(100);
            if (k < 60) {
                return 1_000L + r.nextInt(500_000);
            }
            if (k < 90) {
                return 500_000L + r.nextInt(2_500_000);
            }
            return 3_000_000L + r.nextInt(17_000_000);
        }

        /** 0 to 4 objects of any kind; repeats allowed (wait-any reports the lowest index). */
        private List<Integer> anyList() {
            int n = listSize();
            List<Integer> l = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                l.add(r.nextInt(total));
            }
            return List.copyOf(l);
        }

        /** 0 to 4 distinct objects of any kind, or of the given ones. */
        private List<Integer> allList(int[] from) {
            int size = from == null ? total : from.length;
            int n = Math.min(listSize(), size);
            List<Integer> l = new ArrayList<>(n);
            while (l.size() < n) {
                int o = from == null ? r.nextInt(total) : from[r.nextInt(size)];
                if (!l.contains(o)) {
                    l.add(o);
                }
            }
            return List.copyOf(l);
        }

        private int listSize() {
            int k = r.nextInt(100);
            return k < 2 ? 0 : k < 22 ? 1 : k < 57 ? 2 : k < 85 ? 3 : 4;
        }

        private int one(int[] from) {
            return from[r.nextInt(from.length)];
        }

        private <T> T pick(T[] values, int[] weights) {
            int sum = 0;
            for (int w : weights) {
                sum += w;
            }
            int x = r.nextInt(sum);
            for (int i = 0; i < values.length; i++) {
                x -= weights[i];
                if (x < 0) {
                    return values[i];
                }
            }
            throw new AssertionError();
        }
    }
}
