package io.waitkit.stress;

import io.waitkit.Barrier;
import io.waitkit.BinarySemaphore;
import io.waitkit.ByteStream;
import io.waitkit.Change;
import io.waitkit.ChangeMatch;
import io.waitkit.Channel;
import io.waitkit.Counter;
import io.waitkit.Deadline;
import io.waitkit.Event;
import io.waitkit.EventFlags;
import io.waitkit.Exchange;
import io.waitkit.Mailbox;
import io.waitkit.MessageQueue;
import io.waitkit.MessageTooLargeException;
import io.waitkit.Pipe;
import io.waitkit.PostWait;
import io.waitkit.PriorityChannel;
import io.waitkit.PriorityMailbox;
import io.waitkit.ReceiveOp;
import io.waitkit.Rendezvous;
import io.waitkit.RwLock;
import io.waitkit.SendOp;
import io.waitkit.Signal;
import io.waitkit.Sleep;
import io.waitkit.Threshold;
import io.waitkit.Wait;
import io.waitkit.Waitable;
import io.waitkit.WaitableTimer;
import io.waitkit.stress.StressKinds.BarrierState;
import io.waitkit.stress.StressKinds.BsemState;
import io.waitkit.stress.StressKinds.ContainerState;
import io.waitkit.stress.StressKinds.CounterState;
import io.waitkit.stress.StressKinds.ExchangeState;
import io.waitkit.stress.StressKinds.FlagsState;
import io.waitkit.stress.StressKinds.PipeState;
import io.waitkit.stress.StressKinds.PostState;
import io.waitkit.stress.StressKinds.RendezvousState;
import io.waitkit.stress.StressKinds.RwState;
import io.waitkit.stress.StressKinds.SignalState;
import io.waitkit.stress.StressKinds.SleepState;
import io.waitkit.stress.StressKinds.StreamState;
import io.waitkit.stress.StressKinds.ThresholdState;
import io.waitkit.stress.StressKinds.TimerState;
import io.waitkit.stress.StressPlan.ObjKind;
import io.waitkit.stress.StressPlan.Op;
import io.waitkit.stress.StressPlan.Timing;
import io.waitkit.stress.StressRun.Hold;
import io.waitkit.stress.StressWorker.Bound;
import io.waitkit.stress.StressWorker.Outcome;
import io.waitkit.stress.StressWorker.Resolved;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.concurrent.CompletableFuture;

/**
 * A worker's operations on the primitives beyond events, mutexes and semaphores (see
 * {@link StressKinds} for the invariants): their own blocking, timed, polling and async forms,
 * their producing side, and the {@link Member}s that stand for them in wait-any and wait-all
 * lists. Each acquisition or transfer updates the shared counters right after it happened (and
 * each release right before it happens), and is checked at once where a single thread can know
 * the answer: a received item was sent and is received once, a transfer is within its bounds,
 * a released counter waiter's change satisfies its predicate, a sleep timer did not fire early,
 * and so on.
 *
 * <p>What a worker holds (a held binary semaphore, read or write holds of a readers/writer lock)
 * is counted in {@link StressWorker#holds}, so that the worker's untimed waits are bounded while
 * it holds anything and everything is given back within a few operations and at checkpoints.
 */
final class KindOps {
    private final StressWorker w;
    private final StressRun run;
    private final StressKinds k;
    private final int id;
    private final boolean[] rwWrite;
    private final Hold[] tokens;
    /** Per (container, producer, priority): the last sequence number this worker received. */
    private final HashMap<Long, Long> lastReceived = new HashMap<>();
    /** Never signalled: the other member of a wait for a sleep timer. */
    private final Event never = Event.manualReset(false);
    private long seq;

    KindOps(StressWorker w) {
        this.w = w;
        this.run = w.run;
        this.k = run.kinds;
        this.id = w.spec.id();
        this.rwWrite = new boolean[run.objects.length];
        this.tokens = new Hold[run.objects.length];
    }

    private ObjKind kind(int i) {
        return run.specs[i].kind();
    }

    private void fail(String what) {
        w.fail(what);
    }

    private void count(Outcome o) {
        w.count(o);
    }

    /** Counts a successful acquisition (or receive, meeting ...) from object {@code i}. */
    private void acquiredFrom(int i) {
        w.count(Outcome.ACQUIRED);
        w.kindAcquired[kind(i).ordinal()]++;
    }

    private static int mix(int choice, int i) {
        int x = choice * 0x9E3779B9 + i * 0x85EBCA6B;
        return x ^ (x >>> 15);
    }

    // ---------------------------------------------------------------------------------------
    // Items, offers and messages.

    static MessageQueue.Message message(long item, int size) {
        byte[] data = new byte[Math.max(8, size)];
        ByteBuffer.wrap(data).putLong(item);
        return new MessageQueue.Message(data, StressKinds.prioOf(item));
    }

    static long itemOf(MessageQueue.Message m) {
        return ByteBuffer.wrap(m.data()).getLong();
    }

    private long newItem(int i, int prio) {
        long item = StressKinds.item(id, ++seq, prio);
        ContainerState c = k.st(i);
        c.live.put(item, Boolean.TRUE); // registered before the send: a receiver may get it before the send returns
        return item;
    }

    private void sent(int i, long item) {
        ContainerState c = k.st(i);
        c.sent.incrementAndGet();
        count(Outcome.SIGNAL);
    }

    private void sendFailed(int i, long item) {
        ContainerState c = k.st(i);
        c.failed.incrementAndGet();
        if (c.live.remove(item) == null) {
            fail(kind(i) + " #" + i + ": item " + Long.toHexString(item) + " of a send that failed was received");
        }
    }

    private void received(int i, Object got) {
        acquiredFrom(i);
        if (got == null) {
            fail(kind(i) + " #" + i + ": a successful receive delivered null");
            return;
        }
        long item = got instanceof MessageQueue.Message m ? itemOf(m) : (Long) got;
        ContainerState c = k.st(i);
        if (c.live.remove(item) == null) {
            fail(kind(i) + " #" + i + ": received item " + Long.toHexString(item)
                    + " that was never sent, already received, or evicted (duplicate or phantom)");
            return;
        }
        c.received.incrementAndGet();
        if (got instanceof MessageQueue.Message m && m.priority() != StressKinds.prioOf(item)) {
            fail("message queue #" + i + " changed a message's priority");
        }
        // per producer (and priority) FIFO, as seen by this receiver
        long key = ((long) i << 44) ^ ((long) StressKinds.producerOf(item) << 2) ^ (c.order == 0 ? 0 : StressKinds.prioOf(item));
        Long last = lastReceived.put(key, StressKinds.seqOf(item));
        if (last != null && last > StressKinds.seqOf(item)) {
            fail(kind(i) + " #" + i + ": received item " + StressKinds.seqOf(item) + " of producer "
                    + StressKinds.producerOf(item) + " after its later item " + last + " (FIFO among equals broken)");
        }
    }

    private void evicted(int i, Long item) {
        if (item == null) {
            return;
        }
        ContainerState c = k.st(i);
        c.evicted.incrementAndGet();
        if (c.live.remove(item) == null) {
            fail("channel #" + i + " evicted item " + Long.toHexString(item) + " that was not buffered");
        }
    }

    // ---------------------------------------------------------------------------------------
    // Acquisitions and releases shared by members and single operations.

    private void tookBsem(int i) {
        acquiredFrom(i);
        BsemState b = k.st(i);
        b.takes.incrementAndGet();
        BinarySemaphore s = (BinarySemaphore) run.objects[i];
        if (run.specs[i].variant() == 1) {
            return; // a token: consumed, nothing held
        }
        Hold mine = run.newHold(w.spec.name(), w.thread, false);
        if (!b.shadow.compareAndSet(null, mine)) {
            fail("second holder of binary semaphore #" + i + ": taken while " + b.shadow.get() + " holds it");
            return;
        }
        tokens[i] = mine;
        w.holds[i] = 1;
        w.held++;
        if (s.isAvailable()) {
            fail("binary semaphore #" + i + " available right after this worker took it");
        }
    }

    private void giveBsem(int i) {
        BsemState b = k.st(i);
        if (!b.shadow.compareAndSet(tokens[i], null)) {
            fail("shadow of binary semaphore #" + i + " changed while this worker held it: " + b.shadow.get());
        }
        tokens[i] = null;
        w.holds[i] = 0;
        w.held--;
        b.giveAttempts.incrementAndGet();
        boolean r = ((BinarySemaphore) run.objects[i]).give();
        (r ? b.givesTrue : b.givesFalse).incrementAndGet();
        if (!r) {
            fail("give() of binary semaphore #" + i + " by its holder reported it available");
        }
    }

    private void signalWon(int i, long finishedAtStart, boolean poll) {
        acquiredFrom(i);
        SignalState g = k.st(i);
        g.consumed.incrementAndGet();
        if (poll) {
            fail("a poll acquired signal #" + i + " (a signal is never pending)");
        }
        if (g.started.get() <= finishedAtStart) {
            fail("signal #" + i + " released a waiter although no signal call was in progress or started during the wait");
        }
    }

    private void passed(int i) {
        acquiredFrom(i);
        BarrierState b = k.st(i);
        b.passes.incrementAndGet();
    }

    private void rwAcquired(int i, boolean read) {
        acquiredFrom(i);
        RwState r = k.st(i);
        RwLock rw = (RwLock) run.objects[i];
        if (read) {
            r.readers.incrementAndGet();
            Hold writer = r.writer.get();
            if (writer != null) {
                fail("rwlock #" + i + " admitted a reader while " + writer + " holds the write lock");
            }
            w.holds[i]++;
            w.held++;
        } else {
            Hold mine = run.newHold(w.spec.name(), w.thread, false);
            if (!r.writer.compareAndSet(null, mine)) {
                fail("rwlock #" + i + " admitted a second writer while " + r.writer.get() + " holds it");
                return;
            }
            tokens[i] = mine;
            int readers = r.readers.get();
            if (readers != 0) {
                fail("rwlock #" + i + " admitted a writer while " + readers + " shadow readers hold it");
            }
            if (!rw.isWriteLockedByCurrentThread()) {
                fail("rwlock #" + i + " write lock acquired but not held by this thread: " + rw);
            }
            rwWrite[i] = true;
            w.holds[i] = 1;
            w.held++;
        }
    }

    private void rwRelease(int i) {
        RwState r = k.st(i);
        RwLock rw = (RwLock) run.objects[i];
        if (rwWrite[i]) {
            if (!r.writer.compareAndSet(tokens[i], null)) {
                fail("rwlock #" + i + " writer shadow changed while this worker wrote: " + r.writer.get());
            }
            tokens[i] = null;
            rwWrite[i] = false;
            w.holds[i] = 0;
            w.held--;
            rw.writeLock().unlock();
        } else {
            r.readers.decrementAndGet();
            w.holds[i]--;
            w.held--;
            rw.readLock().unlock();
        }
    }

    private ChangeMatch predicate(int i, int c) {
        long v = ((Counter) run.objects[i]).get();
        long d = 1 + (c >>> 4) % 12;
        if (run.specs[i].variant() == 0) {
            return switch (c & 7) {
                case 0, 1 -> ChangeMatch.atLeast(v + d);
                case 2, 3 -> ChangeMatch.atMost(v - d);
                case 4 -> ChangeMatch.equalTo(v + (d & 3) - 2);
                case 5 -> ChangeMatch.changed();
                case 6 -> (o, n) -> n - o == (d & 7) - 4;
                default -> ChangeMatch.atLeast(v - d); // holds at once
            };
        }
        long mask = 1L << ((c >>> 3) & 15);
        return switch (c & 3) {
            case 0 -> ChangeMatch.changed();
            case 1 -> ChangeMatch.equalTo(v ^ mask);
            case 2 -> (o, n) -> ((o ^ n) & mask) != 0;
            default -> (o, n) -> (n & mask) != (v & mask);
        };
    }

    private void counterReleased(int i, ChangeMatch match, Change change) {
        acquiredFrom(i);
        CounterState c = k.st(i);
        c.released.incrementAndGet();
        if (change == null) {
            fail("counter #" + i + " released a waiter without a change");
        } else if (!match.matches(change.oldValue(), change.newValue())) {
            fail("counter #" + i + " released a waiter with " + change + " that does not satisfy its predicate");
        } else if (run.specs[i].variant() == 0 && Math.abs(change.newValue() - change.oldValue()) > 8) {
            fail("counter #" + i + " released a waiter with " + change + " that no single update made");
        }
    }

    private void thresholdReleased(int i, Change change) {
        acquiredFrom(i);
        ThresholdState t = k.st(i);
        t.released.incrementAndGet();
        if (change == null) {
            return; // waits through Wait.any/all and the async form report no change
        }
        long kk = run.specs[i].max();
        long o = change.oldValue();
        long n = change.newValue();
        if (o < 0 || o >= kk || n < kk || n - o < 1 || n - o > kk) {
            fail("threshold #" + i + " released a waiter with " + change + ", not an update of 1.." + kk
                    + " from below " + kk + " to at least " + kk);
        }
        t.waiterChanges.add(change);
    }

    private void flagsMatched(int i, int bits, boolean all, boolean clear, int matched) {
        acquiredFrom(i);
        if (matched == 0 || (matched & ~bits) != 0 || (all && matched != bits)) {
            fail("flags #" + i + " wait for " + (all ? "all" : "any") + " of 0x" + Integer.toHexString(bits)
                    + " returned 0x" + Integer.toHexString(matched));
            return;
        }
        if (clear) {
            FlagsState f = k.st(i);
            for (int b = 0; b < StressKinds.FLAG_BITS; b++) {
                if ((matched & (1 << b)) != 0) {
                    f.consumed.incrementAndGet(b);
                }
            }
        }
    }

    private void flagsChanged(int i, int bits, int kindOfChange, int previous) {
        FlagsState f = k.st(i);
        for (int b = 0; b < StressKinds.FLAG_BITS; b++) {
            int m = 1 << b;
            if ((bits & m) == 0) {
                continue;
            }
            boolean was = (previous & m) != 0;
            if (kindOfChange != 1 && !was) {
                f.ons.incrementAndGet(b);
            } else if (kindOfChange != 0 && was) {
                f.offs.incrementAndGet(b);
            }
        }
    }

    private void met(int i, long offer, Long got) {
        acquiredFrom(i);
        RendezvousState r = k.st(i);
        if (got == null || got == offer) {
            fail("rendezvous #" + i + ": offer " + Long.toHexString(offer) + " received " + got);
            return;
        }
        if (StressKinds.producerOf(got) == id) {
            fail("rendezvous #" + i + ": this worker met its own offer " + Long.toHexString(got)
                    + " (it never has two offers pending)");
        }
        if (!r.receivedOnce.add(got)) {
            fail("rendezvous #" + i + ": offer " + Long.toHexString(got) + " was received twice");
        }
        if (r.withdrawn.contains(got)) {
            fail("rendezvous #" + i + ": received offer " + Long.toHexString(got) + " whose party gave up");
        }
        Long previous = r.pairs.putIfAbsent(offer, got);
        if (previous != null) {
            fail("rendezvous #" + i + ": offer " + Long.toHexString(offer) + " met twice");
        }
        Long back = r.pairs.get(got);
        if (back != null && back != offer) {
            fail("rendezvous #" + i + ": swap not symmetric: " + Long.toHexString(offer) + " got " + Long.toHexString(got)
                    + " whose party got " + Long.toHexString(back));
        }
        r.meetings.incrementAndGet();
    }

    private void gaveUp(int i, long offer) {
        RendezvousState r = k.st(i);
        r.withdrawn.add(offer);
        if (r.receivedOnce.contains(offer)) {
            fail("rendezvous #" + i + ": offer " + Long.toHexString(offer) + " of a party that gave up was received");
        }
    }

    private void serve(int i, Exchange.Request<Long, Long> request, boolean replyTwice) {
        acquiredFrom(i);
        ExchangeState x = k.st(i);
        if (request == null) {
            fail("exchange #" + i + ": an accept succeeded without a request");
            return;
        }
        long q = request.payload();
        boolean ok = request.reply(q + 1);
        x.answered.incrementAndGet();
        if (ok) {
            x.replyTrue.add(q);
            if (x.clientFailed.contains(q)) {
                fail("exchange #" + i + ": reply() returned true for request " + Long.toHexString(q)
                        + " but its client gave up");
            }
        } else {
            x.replyFalse.add(q);
            if (x.clientGot.contains(q)) {
                fail("exchange #" + i + ": reply() returned false for request " + Long.toHexString(q)
                        + " but its client got the reply");
            }
        }
        if (replyTwice) {
            try {
                request.reply(q + 1);
                fail("exchange #" + i + ": a second reply() was accepted");
            } catch (IllegalStateException expected) {
                count(Outcome.REFUSED);
            }
        }
    }

    private void called(int i, long q, Long reply) {
        ExchangeState x = k.st(i);
        if (reply != null) {
            acquiredFrom(i);
            if (reply != q + 1) {
                fail("exchange #" + i + ": the client of request " + Long.toHexString(q) + " got the reply "
                        + Long.toHexString(reply) + " (not its own)");
            }
            if (!x.clientGot.add(q)) {
                fail("exchange #" + i + ": request " + Long.toHexString(q) + " got a reply twice");
            }
            if (x.replyFalse.contains(q)) {
                fail("exchange #" + i + ": the client got the reply to " + Long.toHexString(q)
                        + " although reply() returned false");
            }
        } else {
            x.clientFailed.add(q);
            if (x.replyTrue.contains(q)) {
                fail("exchange #" + i + ": reply() returned true for " + Long.toHexString(q) + " but its client gave up");
            }
        }
    }

    private void transferred(int i, boolean read, int min, int max, int n) {
        acquiredFrom(i);
        StreamState t = k.st(i);
        if (n < min || n > max) {
            fail("byte stream #" + i + ": a " + (read ? "read" : "write") + " of [" + min + ", " + max + "] transferred " + n);
        }
        (read ? t.read : t.written).addAndGet(Math.max(n, 0));
    }

    private void timerWon(int i, boolean poll) {
        acquiredFrom(i);
        TimerState t = k.st(i);
        int variant = run.specs[i].variant();
        if (variant == 0) {
            t.consumed.incrementAndGet();
        } else if (variant == 2 && poll) {
            fail("a poll acquired pulsing periodic timer #" + i + " (it is never signalled at rest)");
        }
    }

    private void sleepFired(int i, long start, long nanos, WaitableTimer timer) {
        acquiredFrom(i);
        SleepState s = k.st(i);
        s.fired.incrementAndGet();
        long elapsed = System.nanoTime() - start;
        if (elapsed < nanos) {
            fail("Sleep.timer of " + nanos + " ns fired after " + elapsed + " ns");
        }
        if (!timer.isSignaled()) {
            fail("a fired Sleep.timer (manual-reset) is not signalled");
        }
    }

    private void postConsumed(int i) {
        acquiredFrom(i);
        PostState p = k.st(i);
        p.consumed.incrementAndGet(id);
    }

    // ---------------------------------------------------------------------------------------
    // Members of wait-any and wait-all lists.

    /** One element of a wait list standing for an object of a new kind, built for one wait. */
    abstract static class Member {
        final int index;
        final Waitable waitable;

        Member(int index, Waitable waitable) {
            this.index = index;
            this.waitable = waitable;
        }

        /** The wait reported this element: account for the acquisition. */
        abstract void won(boolean poll);

        /** The wait ended without reporting this element: nothing happened to it. */
        void lost() {
        }
    }

    /**
     * Builds the member for object {@code i} in a wait list of operation {@code op}.
     *
     * @param all whether the list is a wait-all (objects that allow it only)
     */
    Member member(int i, Op op, boolean all) {
        Object o = run.objects[i];
        int c = mix(op.choice(), i);
        return switch (kind(i)) {
            case BSEM -> new Member(i, (BinarySemaphore) o) {
                @Override
                void won(boolean poll) {
                    tookBsem(index);
                }
            };
            case SIGNAL -> {
                long finished = ((SignalState) k.st(i)).finished.get();
                yield new Member(i, (Signal) o) {
                    @Override
                    void won(boolean poll) {
                        signalWon(index, finished, poll);
                    }
                };
            }
            case BARRIER -> new Member(i, (Barrier) o) {
                @Override
                void won(boolean poll) {
                    passed(index);
                }

                @Override
                void lost() {
                    ((BarrierState) k.st(index)).withdrawnFromAny.incrementAndGet();
                }
            };
            case RWLOCK -> {
                boolean read = (c & 1) == 0;
                RwLock rw = (RwLock) o;
                yield new Member(i, read ? rw.readLock() : rw.writeLock()) {
                    @Override
                    void won(boolean poll) {
                        rwAcquired(index, read);
                    }
                };
            }
            case COUNTER -> {
                ChangeMatch match = predicate(i, c);
                Counter.Watch watch = ((Counter) o).when(match);
                yield new Member(i, watch) {
                    @Override
                    void won(boolean poll) {
                        counterReleased(index, match, watch.change());
                    }
                };
            }
            case THRESHOLD -> new Member(i, (Threshold) o) {
                @Override
                void won(boolean poll) {
                    if (poll) {
                        fail("a poll acquired threshold #" + index + " (its predicate never holds at rest)");
                    }
                    thresholdReleased(index, null);
                }
            };
            case FLAGS -> {
                int bits = 1 + (c >>> 2) % 15;
                boolean allBits = (c & 1) != 0;
                boolean clear = (c & 2) != 0;
                EventFlags f = (EventFlags) o;
                EventFlags.Match m = allBits ? f.allOf(bits, clear) : f.anyOf(bits, clear);
                yield new Member(i, m) {
                    @Override
                    void won(boolean poll) {
                        flagsMatched(index, bits, allBits, clear, m.matched());
                    }
                };
            }
            case CHANNEL, PCHANNEL, MQUEUE -> {
                if ((c & 1) == 0) {
                    yield receiveMember(i, o);
                }
                long item = newItem(i, c >>> 1);
                SendOp<?> send = o instanceof MessageQueue mq
                        ? mq.sendOp(message(item, 8 + (c >>> 4) % (run.specs[i].permits() - 7)).data(), StressKinds.prioOf(item))
                        : o instanceof Channel<?> ch ? channel(ch).sendOp(item) : pchannel(o).sendOp(item);
                yield new Member(i, send) {
                    @Override
                    void won(boolean poll) {
                        sent(index, item);
                    }

                    @Override
                    void lost() {
                        sendFailed(index, item);
                    }
                };
            }
            case MAILBOX, PMAILBOX -> receiveMember(i, o);
            case RENDEZVOUS -> {
                long offer = StressKinds.item(id, ++seq, 0);
                @SuppressWarnings("unchecked")
                Rendezvous.Offer<Long> off = ((Rendezvous<Long>) o).offer(offer);
                yield new Member(i, off) {
                    @Override
                    void won(boolean poll) {
                        met(index, offer, off.received());
                    }

                    @Override
                    void lost() {
                        gaveUp(index, offer);
                    }
                };
            }
            case EXCHANGE -> {
                @SuppressWarnings("unchecked")
                Exchange.Accept<Long, Long> a = ((Exchange<Long, Long>) o).acceptOp();
                yield new Member(i, a) {
                    @Override
                    void won(boolean poll) {
                        serve(index, a.request(), false);
                    }
                };
            }
            case BYTESTREAM -> {
                int cap = run.specs[i].max();
                int max = 1 + (c >>> 1) % (2 * cap);
                int min = (c >>> 9) % (Math.min(max, cap) + 1);
                boolean read = (c & 1) == 0;
                ByteStream s = (ByteStream) o;
                byte[] buf = new byte[max];
                ByteStream.Transfer t = read ? s.readOp(buf, 0, min, max) : s.writeOp(buf, 0, min, max);
                yield new Member(i, t) {
                    @Override
                    void won(boolean poll) {
                        transferred(index, read, min, max, t.count());
                    }
                };
            }
            case PIPE -> new Member(i, ((Pipe) o).readable()) {
                @Override
                void won(boolean poll) {
                    acquiredFrom(index);
                }
            };
            case TIMER -> new Member(i, (WaitableTimer) o) {
                @Override
                void won(boolean poll) {
                    timerWon(index, poll);
                }
            };
            case SLEEP_TIMER -> {
                long nanos = 20_000L + (c >>> 1) % 2_000_000L;
                long start = System.nanoTime();
                WaitableTimer t = (c & 1) == 0 ? Sleep.timer(Duration.ofNanos(nanos)) : Sleep.timer(Deadline.after(Duration.ofNanos(nanos)));
                yield new Member(i, t) {
                    @Override
                    void won(boolean poll) {
                        sleepFired(index, start, nanos, t);
                    }

                    @Override
                    void lost() {
                        t.cancel();
                    }
                };
            }
            case POSTWAIT -> new Member(i, PostWait.current()) {
                @Override
                void won(boolean poll) {
                    postConsumed(index);
                }
            };
            default -> throw new AssertionError(kind(i));
        };
    }

    private Member receiveMember(int i, Object o) {
        ReceiveOp<?> r = receiveOp(o);
        return new Member(i, r) {
            @Override
            void won(boolean poll) {
                received(index, r.item());
            }
        };
    }

    private static ReceiveOp<?> receiveOp(Object o) {
        if (o instanceof Channel<?> ch) {
            return ch.receiveOp();
        } else if (o instanceof PriorityChannel<?> ch) {
            return ch.receiveOp();
        } else if (o instanceof Mailbox<?> m) {
            return m.receiveOp();
        } else if (o instanceof PriorityMailbox<?> m) {
            return m.receiveOp();
        }
        return ((MessageQueue) o).receiveOp();
    }

    @SuppressWarnings("unchecked")
    private static Channel<Long> channel(Object o) {
        return (Channel<Long>) o;
    }

    @SuppressWarnings("unchecked")
    private static PriorityChannel<Long> pchannel(Object o) {
        return (PriorityChannel<Long>) o;
    }

    // ---------------------------------------------------------------------------------------
    // Releases.

    /** Releases one holding of object {@code i} (a binary semaphore, one lock hold). */
    void releaseOne(int i) {
        switch (kind(i)) {
            case BSEM -> giveBsem(i);
            case RWLOCK -> rwRelease(i);
            default -> throw new AssertionError("nothing to release in " + kind(i));
        }
    }

    void releaseAll(int i) {
        while (w.holds[i] > 0) {
            releaseOne(i);
        }
    }

    // ---------------------------------------------------------------------------------------
    // The single-object forms: KIND_WAIT, KIND_ASYNC, KIND_SIGNAL.

    @FunctionalInterface
    interface Call<T> {
        T call() throws InterruptedException;
    }

    @FunctionalInterface
    interface ByDuration<T> {
        T call(Duration d) throws InterruptedException;
    }

    @FunctionalInterface
    interface ByDeadline<T> {
        T call(Deadline d) throws InterruptedException;
    }

    /**
     * Calls the form of a wait that the timing asks for. Forms a primitive lacks are mapped:
     * uninterruptible to interruptible, a deadline to the duration left, a try to a zero timeout.
     */
    private static <T> T timed(Bound b, Call<T> forever, Call<T> uninterruptible, ByDuration<T> byDuration,
            ByDeadline<T> byDeadline, Call<T> tryForm) throws InterruptedException {
        return switch (b.timing) {
            case FOREVER -> forever.call();
            case UNINTERRUPTIBLE -> uninterruptible != null ? uninterruptible.call() : forever.call();
            case TRY -> tryForm != null ? tryForm.call() : byDuration.call(Duration.ZERO);
            case DURATION, TIME_UNIT, ZERO, NEGATIVE -> byDuration.call(b.duration);
            case DEADLINE_NEVER -> byDeadline != null ? byDeadline.call(b.deadline) : forever.call();
            default -> byDeadline != null ? byDeadline.call(b.deadline)
                    : byDuration.call(Duration.ofNanos(b.deadline.nanoTime() - System.nanoTime()));
        };
    }

    private void timedOut(Bound b, String form) {
        count(Outcome.TIMEOUT);
        if (b.timing != Timing.TRY) {
            String why = b.checkTimeout();
            if (why != null) {
                fail(form + " " + why);
            }
        }
    }

    void execute(Op op) throws InterruptedException {
        int i = op.targets().get(0);
        switch (op.kind()) {
            case KIND_WAIT -> kindWait(op, i);
            case KIND_ASYNC -> kindAsync(op, i);
            case KIND_SIGNAL -> {
                try {
                    kindSignal(op, i);
                } catch (InterruptedException e) {
                    count(Outcome.INTERRUPTED); // the operation's own accounting is done
                }
            }
            default -> throw new AssertionError(op.kind());
        }
    }

    // ---- KIND_WAIT

    private void kindWait(Op op, int i) throws InterruptedException {
        Object o = run.objects[i];
        Bound b = new Bound(w.timing(op), op.timeoutNanos());
        String form = kind(i) + " wait " + b.timing;
        w.phase = form + " #" + i;
        int c = op.choice();
        try {
            switch (kind(i)) {
                case BSEM -> {
                    BinarySemaphore s = (BinarySemaphore) o;
                    boolean holding = w.holds[i] > 0;
                    boolean ok = timed(b, () -> {
                        s.take();
                        return true;
                    }, null, s::take, s::take, s::tryTake);
                    if (ok) {
                        if (holding) {
                            fail("took binary semaphore #" + i + " that this worker holds");
                        }
                        tookBsem(i);
                    } else {
                        timedOut(b, form);
                    }
                }
                case SIGNAL -> {
                    Signal s = (Signal) o;
                    long finished = ((SignalState) k.st(i)).finished.get();
                    boolean ok = timed(b, () -> {
                        s.await();
                        return true;
                    }, () -> {
                        s.awaitUninterruptibly();
                        return true;
                    }, s::await, s::await, null);
                    if (ok) {
                        signalWon(i, finished, StressWorker.isPoll(b));
                    } else {
                        timedOut(b, form);
                    }
                }
                case BARRIER -> {
                    Barrier s = (Barrier) o;
                    boolean ok = timed(b, () -> {
                        s.await();
                        return true;
                    }, null, s::await, s::await, s::tryAwait);
                    if (ok) {
                        passed(i);
                    } else {
                        timedOut(b, form);
                    }
                }
                case RWLOCK -> {
                    RwLock rw = (RwLock) o;
                    boolean read = (c & 1) == 0;
                    RwLock.Side side = read ? rw.readLock() : rw.writeLock();
                    boolean ok = b.timing == Timing.TIME_UNIT ? side.tryLock(op.timeoutNanos(), java.util.concurrent.TimeUnit.NANOSECONDS)
                            : timed(b, () -> {
                                side.lockInterruptibly();
                                return true;
                            }, () -> {
                                side.lock();
                                return true;
                            }, side::tryLock, side::tryLock, side::tryLock);
                    if (ok) {
                        rwAcquired(i, read);
                    } else {
                        timedOut(b, form);
                    }
                }
                case COUNTER -> {
                    Counter n = (Counter) o;
                    ChangeMatch match = predicate(i, c >>> 1);
                    Change ch = timed(b, () -> n.await(match), null, d -> n.await(match, d), d -> n.await(match, d), null);
                    if (ch != null) {
                        counterReleased(i, match, ch);
                    } else {
                        timedOut(b, form);
                    }
                }
                case THRESHOLD -> {
                    Threshold t = (Threshold) o;
                    if (b.timing == Timing.TRY) {
                        if (t.tryAwait()) {
                            fail("threshold #" + i + " tryAwait() succeeded: its predicate held at rest");
                            thresholdReleased(i, null);
                        } else {
                            count(Outcome.TIMEOUT);
                        }
                    } else {
                        Change ch = timed(b, t::await, null, t::await, t::await, null);
                        if (ch != null) {
                            thresholdReleased(i, ch);
                        } else {
                            timedOut(b, form);
                        }
                    }
                }
                case FLAGS -> {
                    EventFlags f = (EventFlags) o;
                    int bits = 1 + (c >>> 3) % 15;
                    boolean all = (c & 2) != 0;
                    boolean clear = (c & 4) != 0;
                    boolean viaMatch = (c & 8) != 0;
                    EventFlags.Match m = all ? f.allOf(bits, clear) : f.anyOf(bits, clear);
                    int got = timed(b, () -> viaMatch ? f.await(m) : all ? f.awaitAll(bits, clear) : f.awaitAny(bits, clear), null,
                            d -> viaMatch ? f.await(m, d) : all ? f.awaitAll(bits, clear, d) : f.awaitAny(bits, clear, d), null, null);
                    if (got != 0) {
                        flagsMatched(i, bits, all, clear, got);
                    } else {
                        timedOut(b, form);
                    }
                }
                case CHANNEL, PCHANNEL, MAILBOX, PMAILBOX, MQUEUE -> {
                    Object got = receive(o, b);
                    if (got != null) {
                        received(i, got);
                    } else {
                        timedOut(b, form);
                    }
                }
                case RENDEZVOUS -> {
                    @SuppressWarnings("unchecked")
                    Rendezvous<Long> r = (Rendezvous<Long>) o;
                    long offer = StressKinds.item(id, ++seq, 0);
                    Long got;
                    try {
                        got = timed(b, () -> r.exchange(offer), null, d -> r.exchange(offer, d), null, null);
                    } catch (InterruptedException e) {
                        gaveUp(i, offer);
                        throw e;
                    }
                    if (got != null) {
                        met(i, offer, got);
                    } else {
                        gaveUp(i, offer);
                        timedOut(b, form);
                    }
                }
                case EXCHANGE -> {
                    @SuppressWarnings("unchecked")
                    Exchange<Long, Long> x = (Exchange<Long, Long>) o;
                    Exchange.Request<Long, Long> r = timed(b, x::accept, null, x::accept, null, x::tryAccept);
                    if (r != null) {
                        serve(i, r, (c & 6) == 0);
                    } else {
                        timedOut(b, form);
                    }
                }
                case BYTESTREAM -> streamTransfer(op, i, true, b, form);
                case PIPE -> pipeRead(op, i, b, form);
                case TIMER -> {
                    WaitableTimer t = (WaitableTimer) o;
                    boolean ok = timed(b, () -> {
                        t.await();
                        return true;
                    }, null, t::await, t::await, t::tryAwait);
                    if (ok) {
                        timerWon(i, StressWorker.isPoll(b));
                    } else {
                        timedOut(b, form);
                    }
                }
                case SLEEP_TIMER -> {
                    long nanos = 20_000L + (c >>> 1) % 3_000_000L;
                    long start = System.nanoTime();
                    WaitableTimer t = (c & 1) == 0 ? Sleep.timer(Duration.ofNanos(nanos)) : Sleep.timer(Deadline.after(Duration.ofNanos(nanos)));
                    int r = timed(b, () -> Wait.any(t, never), null, d -> Wait.any(d, t, never), d -> Wait.any(d, t, never), null);
                    if (r == 0) {
                        sleepFired(i, start, nanos, t);
                    } else if (r == Wait.TIMEOUT) {
                        t.cancel();
                        timedOut(b, form);
                    } else {
                        fail("a wait for a sleep timer and a never-signalled event returned " + r);
                    }
                }
                case POSTWAIT -> {
                    PostWait p = PostWait.current();
                    boolean ok = timed(b, () -> {
                        p.await();
                        return true;
                    }, null, p::await, p::await, p::tryAwait);
                    if (ok) {
                        postConsumed(i);
                    } else {
                        timedOut(b, form);
                    }
                }
                default -> throw new AssertionError(kind(i));
            }
        } catch (InterruptedException e) {
            count(Outcome.INTERRUPTED);
        } catch (IllegalStateException e) {
            if (!refusal(e)) {
                throw e;
            }
            count(Outcome.REFUSED);
        }
    }

    /** The refusal of a second pending reader or writer of a byte stream. */
    static boolean refusal(IllegalStateException e) {
        String m = e.getMessage();
        return m != null && m.contains("stream is pending");
    }

    private Object receive(Object o, Bound b) throws InterruptedException {
        if (b.timing == Timing.TIME_UNIT && o instanceof java.util.concurrent.BlockingQueue<?> q) {
            return q.poll(b.duration.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS); // the BlockingQueue view
        }
        if (o instanceof Channel<?> ch) {
            return timed(b, ch::receive, null, ch::receive, ch::receive, ch::tryReceive);
        } else if (o instanceof PriorityChannel<?> ch) {
            return timed(b, ch::receive, null, ch::receive, ch::receive, ch::tryReceive);
        } else if (o instanceof Mailbox<?> m) {
            return timed(b, m::receive, null, m::receive, m::receive, m::tryReceive);
        } else if (o instanceof PriorityMailbox<?> m) {
            return timed(b, m::receive, null, m::receive, m::receive, m::tryReceive);
        }
        MessageQueue mq = (MessageQueue) o;
        return timed(b, mq::receive, null, mq::receive, mq::receive, mq::tryReceive);
    }

    private void streamTransfer(Op op, int i, boolean read, Bound b, String form) throws InterruptedException {
        ByteStream s = (ByteStream) run.objects[i];
        int c = op.count();
        int cap = run.specs[i].max();
        int max = 1 + c % (2 * cap);
        int min = (c >>> 8) % (Math.min(max, cap) + 1);
        byte[] buf = new byte[max];
        int n = read ? timed(b, () -> s.read(buf, 0, min, max), null, d -> s.read(buf, 0, min, max, d), null,
                () -> s.tryRead(buf, 0, min, max))
                : timed(b, () -> s.write(buf, 0, min, max), null, d -> s.write(buf, 0, min, max, d), null,
                        () -> s.tryWrite(buf, 0, min, max));
        if (n >= 0) {
            transferred(i, read, min, max, n);
        } else {
            timedOut(b, form);
        }
    }

    private void pipeRead(Op op, int i, Bound b, String form) throws InterruptedException {
        Pipe p = (Pipe) run.objects[i];
        PipeState st = k.st(i);
        if (w.held > 0 || (op.choice() & 3) == 0) {
            // a bounded wait for readability, which consumes nothing
            int r = timed(b, () -> Wait.any(p.readable()), null, d -> Wait.any(d, p.readable()), d -> Wait.any(d, p.readable()), null);
            if (r == 0) {
                acquiredFrom(i);
            } else {
                timedOut(b, form);
            }
            return;
        }
        byte[] buf = new byte[1 + op.count() % (2 * run.specs[i].max())];
        try {
            int n = p.source().read(buf, 0, buf.length);
            if (n <= 0) {
                fail("pipe #" + i + " read returned " + n + " while its write end is open");
            } else {
                st.read.addAndGet(n);
                acquiredFrom(i);
            }
        } catch (InterruptedIOException e) {
            Thread.interrupted(); // the pipe leaves the interrupt status set
            count(Outcome.INTERRUPTED);
        } catch (IOException e) {
            fail("pipe #" + i + " read failed while both ends are open: " + e);
        }
    }

    private void pipeWrite(Op op, int i) {
        Pipe p = (Pipe) run.objects[i];
        PipeState st = k.st(i);
        if (w.held > 0) {
            try {
                if (Wait.any(Duration.ZERO, p.readable()) == 0) {
                    acquiredFrom(i);
                } else {
                    count(Outcome.TIMEOUT);
                }
            } catch (InterruptedException e) {
                count(Outcome.INTERRUPTED);
            }
            return;
        }
        byte[] buf = new byte[1 + op.count() % (2 * run.specs[i].max())];
        try {
            if ((op.choice() & 1) == 0 && buf.length == 1) {
                p.sink().write(7);
            } else {
                p.sink().write(buf, 0, buf.length);
            }
            st.written.addAndGet(buf.length);
            count(Outcome.SIGNAL);
        } catch (InterruptedIOException e) {
            Thread.interrupted(); // the pipe leaves the interrupt status set
            st.written.addAndGet(e.bytesTransferred);
            count(Outcome.INTERRUPTED);
        } catch (IOException e) {
            fail("pipe #" + i + " write failed while both ends are open: " + e);
        }
    }

    // ---- KIND_ASYNC

    private void kindAsync(Op op, int i) {
        Object o = run.objects[i];
        int c = op.choice();
        w.phase = kind(i) + " async #" + i;
        switch (kind(i)) {
            case BSEM -> {
                Resolved r = resolve(((BinarySemaphore) o).takeAsync(), op, null);
                if (r.acquired()) {
                    tookBsem(i);
                }
            }
            case SIGNAL -> {
                long finished = ((SignalState) k.st(i)).finished.get();
                Resolved r = resolve(((Signal) o).awaitAsync(), op, null);
                if (r.acquired()) {
                    signalWon(i, finished, false);
                }
            }
            case BARRIER -> {
                Resolved r = resolve(((Barrier) o).awaitAsync(), op, null);
                if (r.acquired()) {
                    passed(i);
                }
            }
            case RWLOCK -> {
                boolean read = (c & 1) == 0;
                RwLock rw = (RwLock) o;
                Resolved r = resolve((read ? rw.readLock() : rw.writeLock()).lockAsync(), op, null);
                if (r.acquired()) {
                    rwAcquired(i, read);
                }
            }
            case COUNTER -> {
                ChangeMatch match = predicate(i, c >>> 1);
                Resolved r = resolve(((Counter) o).awaitAsync(match), op, new Change(-1, -1));
                if (r.acquired()) {
                    counterReleased(i, match, (Change) r.value());
                }
            }
            case THRESHOLD -> {
                Resolved r = resolve(((Threshold) o).awaitAsync(), op, null);
                if (r.acquired()) {
                    thresholdReleased(i, null);
                }
            }
            case FLAGS -> {
                int bits = 1 + (c >>> 3) % 15;
                boolean all = (c & 2) != 0;
                boolean clear = (c & 4) != 0;
                EventFlags f = (EventFlags) o;
                Resolved r = resolve(f.awaitAsync(all ? f.allOf(bits, clear) : f.anyOf(bits, clear)), op, -1);
                if (r.acquired()) {
                    flagsMatched(i, bits, all, clear, (Integer) r.value());
                }
            }
            case CHANNEL, PCHANNEL, MQUEUE -> {
                if ((c & 1) == 0) {
                    asyncReceive(op, i, o);
                    return;
                }
                long item = newItem(i, c >>> 1);
                CompletableFuture<Void> f = o instanceof MessageQueue mq ? mq.sendAsync(message(item, 8).data(), StressKinds.prioOf(item))
                        : o instanceof Channel<?> ch ? channel(ch).sendAsync(item) : pchannel(o).sendAsync(item);
                Resolved r = resolve(f, op, null);
                if (r.acquired()) {
                    sent(i, item);
                } else {
                    sendFailed(i, item);
                }
            }
            case MAILBOX, PMAILBOX -> asyncReceive(op, i, o);
            case RENDEZVOUS -> {
                long offer = StressKinds.item(id, ++seq, 0);
                @SuppressWarnings("unchecked")
                Resolved r = resolve(((Rendezvous<Long>) o).exchangeAsync(offer), op, -7L);
                if (r.acquired()) {
                    met(i, offer, (Long) r.value());
                } else {
                    gaveUp(i, offer);
                }
            }
            case EXCHANGE -> {
                @SuppressWarnings("unchecked")
                Exchange<Long, Long> x = (Exchange<Long, Long>) o;
                if ((c & 1) == 0) {
                    Resolved r = resolve(x.acceptAsync(), op, null);
                    if (r.acquired()) {
                        @SuppressWarnings("unchecked")
                        Exchange.Request<Long, Long> req = (Exchange.Request<Long, Long>) r.value();
                        serve(i, req, false);
                    }
                } else {
                    long q = (StressKinds.item(id, ++seq, 0)) << 1;
                    Resolved r = resolve(x.callAsync(q), op, -9L);
                    called(i, q, r.acquired() ? (Long) r.value() : null);
                }
            }
            case BYTESTREAM -> {
                ByteStream s = (ByteStream) o;
                int cap = run.specs[i].max();
                int max = 1 + op.count() % (2 * cap);
                int min = (op.count() >>> 8) % (Math.min(max, cap) + 1);
                boolean read = (c & 1) == 0;
                byte[] buf = new byte[max];
                CompletableFuture<Integer> f;
                try {
                    f = read ? s.readAsync(buf, 0, min, max) : s.writeAsync(buf, 0, min, max);
                } catch (IllegalStateException e) {
                    if (!refusal(e)) {
                        throw e;
                    }
                    count(Outcome.REFUSED);
                    return;
                }
                Resolved r = resolve(f, op, -3);
                if (r.acquired()) {
                    transferred(i, read, min, max, (Integer) r.value());
                }
            }
            case PIPE -> {
                Resolved r = resolve(Wait.anyAsync(((Pipe) o).readable()), op, -1);
                if (r.acquired()) {
                    acquiredFrom(i);
                    if ((Integer) r.value() != 0) {
                        fail("Wait.anyAsync(pipe.readable()) completed with " + r.value());
                    }
                }
            }
            case TIMER -> {
                Resolved r = resolve(((WaitableTimer) o).awaitAsync(), op, null);
                if (r.acquired()) {
                    timerWon(i, false);
                }
            }
            case SLEEP_TIMER -> {
                long nanos = 20_000L + (c >>> 1) % 2_000_000L;
                long start = System.nanoTime();
                WaitableTimer t = Sleep.timer(Duration.ofNanos(nanos));
                Resolved r = resolve(Wait.anyAsync(t, never), op, -1);
                if (r.acquired()) {
                    if ((Integer) r.value() != 0) {
                        fail("Wait.anyAsync(sleep timer, never) completed with " + r.value());
                    }
                    sleepFired(i, start, nanos, t);
                } else {
                    t.cancel();
                }
            }
            case POSTWAIT -> {
                Resolved r = resolve(PostWait.current().awaitAsync(), op, null);
                if (r.acquired()) {
                    postConsumed(i);
                }
            }
            default -> throw new AssertionError(kind(i));
        }
    }

    private void asyncReceive(Op op, int i, Object o) {
        CompletableFuture<?> f;
        if (o instanceof Channel<?> ch) {
            f = ch.receiveAsync();
        } else if (o instanceof PriorityChannel<?> ch) {
            f = ch.receiveAsync();
        } else if (o instanceof Mailbox<?> m) {
            f = m.receiveAsync();
        } else if (o instanceof PriorityMailbox<?> m) {
            f = m.receiveAsync();
        } else {
            f = ((MessageQueue) o).receiveAsync();
        }
        @SuppressWarnings("unchecked")
        Resolved r = resolve((CompletableFuture<Object>) f, op, null);
        if (r.acquired()) {
            received(i, r.value());
        }
    }

    private <T> Resolved resolve(CompletableFuture<T> f, Op op, T sentinel) {
        w.watchCompletion(f, op.kind() + " " + kind(op.targets().get(0)), new Waitable[0]);
        return w.resolve(f, op, sentinel);
    }

    // ---- KIND_SIGNAL

    private void kindSignal(Op op, int i) throws InterruptedException {
        Object o = run.objects[i];
        int c = op.choice();
        int n = op.count();
        w.phase = kind(i) + " signal #" + i;
        switch (kind(i)) {
            case BSEM -> {
                BinarySemaphore s = (BinarySemaphore) o;
                BsemState b = k.st(i);
                if (run.specs[i].variant() == 1) {
                    k.giveToken(i);
                    count(Outcome.SIGNAL);
                } else if (w.holds[i] > 0) {
                    giveBsem(i);
                    count(Outcome.SIGNAL);
                } else if (b.phantom != null && b.shadow.compareAndSet(b.phantom, null)) {
                    // the semaphore was created taken: give it for its phantom holder
                    b.giveAttempts.incrementAndGet();
                    boolean r = s.give();
                    (r ? b.givesTrue : b.givesFalse).incrementAndGet();
                    if (!r) {
                        fail("binary semaphore #" + i + " created taken reported available on its first give");
                    }
                    count(Outcome.SIGNAL);
                } else if (s.tryTake()) {
                    tookBsem(i);
                } else {
                    count(Outcome.TIMEOUT);
                }
            }
            case SIGNAL -> {
                SignalState g = k.st(i);
                g.started.incrementAndGet();
                boolean one = (c & 1) == 0;
                int released = one ? ((Signal) o).signal() : ((Signal) o).signalAll();
                g.finished.incrementAndGet();
                g.released.addAndGet(released);
                if (released < 0 || (one && released > 1)) {
                    fail((one ? "signal()" : "signalAll()") + " of signal #" + i + " reported " + released + " released");
                }
                count(Outcome.SIGNAL);
            }
            case BARRIER -> {
                Barrier s = (Barrier) o;
                int before = s.waiting();
                if (before < 0 || before > run.workers.size()) {
                    fail("barrier #" + i + " waiting() = " + before + " with " + run.workers.size() + " workers");
                }
                if (s.tryAwait()) {
                    passed(i);
                } else {
                    count(Outcome.TIMEOUT);
                }
            }
            case RWLOCK -> {
                if (w.holds[i] > 0) {
                    rwRelease(i);
                    count(Outcome.SIGNAL);
                } else {
                    RwLock rw = (RwLock) o;
                    try {
                        rw.writeLock().unlock();
                        fail("rwlock #" + i + " accepted a write unlock from a thread that does not hold it");
                    } catch (IllegalMonitorStateException expected) {
                        count(Outcome.REFUSED);
                    }
                }
            }
            case COUNTER -> counterUpdate(i, (Counter) o, c, n);
            case THRESHOLD -> {
                Threshold t = (Threshold) o;
                ThresholdState ts = k.st(i);
                long kk = run.specs[i].max();
                long x = 1 + n % kk;
                long r = switch (c & 3) {
                    case 0 -> t.add(x);
                    case 1 -> t.update(v -> v + x);
                    default -> {
                        if (x == 1) {
                            yield t.increment();
                        }
                        yield t.add(x);
                    }
                };
                ts.sum.addAndGet(x);
                if (r < 0 || r >= kk) {
                    fail("threshold #" + i + " returned " + r + " after an update: outside [0, " + kk + ")");
                }
                if (r < x) {
                    ts.matches.incrementAndGet();
                    ts.updaterChanges.add(new Change(r + kk - x, r + kk));
                }
                count(Outcome.SIGNAL);
            }
            case FLAGS -> {
                EventFlags f = (EventFlags) o;
                FlagsState fs = k.st(i);
                int bits = 1 + n % 15;
                int which = (c & 7) < 4 ? 0 : (c & 7) < 6 ? 1 : 2; // set, clear, toggle
                if (which != 1) {
                    for (int b = 0; b < StressKinds.FLAG_BITS; b++) {
                        if ((bits & (1 << b)) != 0) {
                            fs.attempts.incrementAndGet(b);
                        }
                    }
                }
                int previous = switch (which) {
                    case 0 -> f.set(bits);
                    case 1 -> f.clear(bits);
                    default -> f.toggle(bits);
                };
                flagsChanged(i, bits, which, previous);
                count(Outcome.SIGNAL);
            }
            case CHANNEL, PCHANNEL, MQUEUE -> send(op, i, o);
            case MAILBOX, PMAILBOX -> {
                if (StressKinds.containerSize(o) >= 16) {
                    Object got = o instanceof Mailbox<?> m ? m.tryReceive() : ((PriorityMailbox<?>) o).tryReceive();
                    if (got != null) {
                        received(i, got);
                    }
                    return;
                }
                long item = newItem(i, c >>> 1);
                if (o instanceof Mailbox<?> m) {
                    @SuppressWarnings("unchecked")
                    Mailbox<Long> mb = (Mailbox<Long>) m;
                    mb.post(item);
                } else {
                    @SuppressWarnings("unchecked")
                    PriorityMailbox<Long> mb = (PriorityMailbox<Long>) o;
                    mb.post(item);
                }
                sent(i, item);
            }
            case RENDEZVOUS -> {
                @SuppressWarnings("unchecked")
                Rendezvous<Long> r = (Rendezvous<Long>) o;
                long offer = StressKinds.item(id, ++seq, 0);
                Long got;
                try {
                    got = r.exchange(offer, Duration.ZERO);
                } catch (InterruptedException e) {
                    gaveUp(i, offer);
                    throw e;
                }
                if (got != null) {
                    met(i, offer, got);
                } else {
                    gaveUp(i, offer);
                    count(Outcome.TIMEOUT);
                }
            }
            case EXCHANGE -> {
                @SuppressWarnings("unchecked")
                Exchange<Long, Long> x = (Exchange<Long, Long>) o;
                long q = (StressKinds.item(id, ++seq, 0)) << 1;
                Bound b = new Bound(w.timing(op), op.timeoutNanos());
                Long reply;
                try {
                    reply = timed(b, () -> x.call(q), null, d -> x.call(q, d), null, null);
                } catch (InterruptedException e) {
                    called(i, q, null);
                    throw e;
                }
                called(i, q, reply);
                if (reply == null) {
                    timedOut(b, "Exchange.call " + b.timing);
                }
            }
            case BYTESTREAM -> {
                if ((c & 15) == 0) {
                    ByteStream s = (ByteStream) o;
                    StreamState st = k.st(i);
                    int len = 1 + n % run.specs[i].max();
                    try {
                        int dropped = s.writeOverwriting(new byte[len], 0, len);
                        st.written.addAndGet(len);
                        st.dropped.addAndGet(dropped);
                        if (dropped < 0 || dropped > len) {
                            fail("byte stream #" + i + " writeOverwriting(" + len + ") dropped " + dropped);
                        }
                        count(Outcome.SIGNAL);
                    } catch (IllegalStateException e) {
                        if (!refusal(e)) {
                            throw e;
                        }
                        count(Outcome.REFUSED);
                    }
                    return;
                }
                Bound b = new Bound(w.timing(op), op.timeoutNanos());
                try {
                    streamTransfer(op, i, false, b, "ByteStream.write " + b.timing);
                } catch (IllegalStateException e) {
                    if (!refusal(e)) {
                        throw e;
                    }
                    count(Outcome.REFUSED);
                }
            }
            case PIPE -> pipeWrite(op, i);
            case TIMER -> {
                WaitableTimer t = (WaitableTimer) o;
                TimerState ts = k.st(i);
                boolean pulsing = run.specs[i].variant() == 2;
                Duration due = Duration.ofNanos(n * 31L);
                switch (c & 7) {
                    case 0 -> t.cancel();
                    case 1 -> t.reset();
                    default -> {
                        ts.sets.incrementAndGet();
                        if (pulsing) {
                            t.set(due, Duration.ofNanos(200_000L + n * 30L));
                        } else if ((c & 8) == 0) {
                            t.set(due);
                        } else {
                            t.set(Deadline.after(due), Duration.ZERO);
                        }
                    }
                }
                count(Outcome.SIGNAL);
            }
            case SLEEP_TIMER -> {
                long nanos = (c >>> 2) % 300_000L;
                long start = System.nanoTime();
                switch (c & 3) {
                    case 0 -> Sleep.sleep(Duration.ofNanos(nanos));
                    case 1 -> Sleep.until(Deadline.after(Duration.ofNanos(nanos)));
                    default -> {
                        Deadline from = Deadline.now();
                        Deadline next = Sleep.from(from, Duration.ofNanos(nanos));
                        if (next.nanoTime() - from.nanoTime() != nanos) {
                            fail("Sleep.from returned a point " + (next.nanoTime() - from.nanoTime()) + " ns after its beginning,"
                                    + " not the period " + nanos);
                        }
                    }
                }
                long elapsed = System.nanoTime() - start;
                if (elapsed < nanos) {
                    fail("a sleep of " + nanos + " ns returned after " + elapsed + " ns");
                }
                count(Outcome.SIGNAL);
            }
            case POSTWAIT -> post(op, i);
            default -> throw new AssertionError(kind(i));
        }
    }

    private void counterUpdate(int i, Counter counter, int c, int n) {
        CounterState cs = k.st(i);
        if ((c & 31) == 0) {
            long before = counter.get();
            try {
                long r = (c & 32) == 0 ? counter.divide(0) : counter.modulo(0);
                fail("counter #" + i + " divided by zero: " + r);
            } catch (ArithmeticException expected) {
                count(Outcome.REFUSED);
            }
            return;
        }
        long x = (n % 17) - 8;
        if (run.specs[i].variant() == 0) {
            long delta = switch (c & 7) {
                case 1 -> {
                    counter.add(x);
                    yield x;
                }
                case 2 -> {
                    counter.subtract(x);
                    yield -x;
                }
                case 3 -> {
                    counter.increment();
                    yield 1;
                }
                case 4 -> {
                    counter.decrement();
                    yield -1;
                }
                default -> {
                    counter.update(v -> v + x);
                    yield x;
                }
            };
            cs.acc.addAndGet(delta);
        } else {
            long m = (long) n * 0x9E3779B97F4A7C15L;
            long mask = switch (c & 3) {
                case 1 -> {
                    counter.not();
                    yield -1L;
                }
                case 2 -> {
                    counter.xnor(m);
                    yield ~m;
                }
                case 3 -> {
                    counter.update(v -> v ^ m);
                    yield m;
                }
                default -> {
                    counter.xor(m);
                    yield m;
                }
            };
            cs.acc.accumulateAndGet(mask, (a, b) -> a ^ b);
        }
        cs.updates.incrementAndGet();
        count(Outcome.SIGNAL);
    }

    private void send(Op op, int i, Object o) throws InterruptedException {
        int c = op.choice();
        long item = newItem(i, c >>> 4);
        Bound b = new Bound(w.timing(op), op.timeoutNanos());
        String form = kind(i) + " send " + b.timing;
        boolean ok;
        try {
            if (o instanceof MessageQueue mq) {
                int size = 8 + op.count() % (run.specs[i].permits() - 7);
                MessageQueue.Message m = message(item, size);
                if ((c & 7) == 7) {
                    // a message one byte too large is refused and nothing is sent
                    try {
                        mq.trySend(new byte[mq.maxMessageSize() + 1], 0);
                        fail("message queue #" + i + " accepted a message larger than its maximum");
                    } catch (MessageTooLargeException expected) {
                        count(Outcome.REFUSED);
                    }
                }
                ok = timed(b, () -> {
                    mq.send(m.data(), m.priority());
                    return true;
                }, null, d -> mq.send(m.data(), m.priority(), d), d -> mq.send(m, d), () -> mq.trySend(m.data(), m.priority()));
            } else if (o instanceof Channel<?> raw && (c & 7) == 7) {
                Channel<Long> ch = channel(raw);
                try {
                    Long evicted = ch.sendOverwriting(item);
                    evicted(i, evicted);
                    ok = true;
                } catch (IllegalStateException e) {
                    if (ch.capacity() != 0) {
                        throw e;
                    }
                    ok = false; // capacity 0 and no receiver waiting: not sent
                }
                if (!ok) {
                    sendFailed(i, item);
                    count(Outcome.TIMEOUT);
                    return;
                }
            } else if (o instanceof Channel<?> raw && b.timing == Timing.TIME_UNIT) {
                ok = channel(raw).offer(item, b.duration.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
            } else if (o instanceof PriorityChannel<?> && b.timing == Timing.TIME_UNIT) {
                ok = pchannel(o).offer(item, b.duration.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
            } else if (o instanceof Channel<?> raw) {
                Channel<Long> ch = channel(raw);
                ok = timed(b, () -> {
                    ch.send(item);
                    return true;
                }, null, d -> ch.send(item, d), d -> ch.send(item, d), () -> ch.trySend(item));
            } else {
                PriorityChannel<Long> ch = pchannel(o);
                ok = timed(b, () -> {
                    ch.send(item);
                    return true;
                }, null, d -> ch.send(item, d), d -> ch.send(item, d), () -> ch.trySend(item));
            }
        } catch (InterruptedException e) {
            sendFailed(i, item);
            throw e;
        }
        if (ok) {
            sent(i, item);
        } else {
            sendFailed(i, item);
            timedOut(b, form);
        }
    }

    private void post(Op op, int i) {
        PostState p = k.st(i);
        int c = op.choice();
        int n = op.count();
        int workers = run.workers.size();
        if ((c & 3) == 3) {
            // postAll to two workers and a thread that has ended
            StressWorker a = run.workers.get(n % workers);
            StressWorker b = run.workers.get((n >>> 4) % workers);
            Thread[] targets = a == b ? new Thread[] {a.thread, k.deadThread} : new Thread[] {a.thread, k.deadThread, b.thread};
            StressWorker[] who = a == b ? new StressWorker[] {a, null} : new StressWorker[] {a, null, b};
            for (StressWorker t : who) {
                if (t != null) {
                    p.attempts.incrementAndGet(t.spec.id());
                }
            }
            PostWait.Result[] results = PostWait.postAll(targets);
            for (int t = 0; t < targets.length; t++) {
                if (who[t] == null) {
                    if (results[t] != PostWait.Result.NO_SUCH_THREAD) {
                        fail("postAll to an ended thread reported " + results[t]);
                    }
                } else {
                    postResult(p, who[t], results[t]);
                }
            }
            count(Outcome.SIGNAL);
            return;
        }
        if ((c & 15) == 2) {
            // waiting on another thread's slot, posting to an ended thread: refused
            StressWorker other = run.workers.get(n % workers);
            if (other != w) {
                try {
                    PostWait.of(other.thread).tryAwait();
                    fail("tryAwait() on another thread's post/wait slot was accepted");
                } catch (IllegalMonitorStateException expected) {
                    count(Outcome.REFUSED);
                }
            }
            try {
                PostWait.of(k.deadThread).post();
                fail("a post to an ended thread was accepted");
            } catch (IllegalStateException expected) {
                count(Outcome.REFUSED);
            }
            return;
        }
        StressWorker target = run.workers.get(n % workers);
        p.attempts.incrementAndGet(target.spec.id());
        PostWait.Result r;
        try {
            r = PostWait.of(target.thread).post() ? PostWait.Result.POSTED : PostWait.Result.DISCARDED;
        } catch (IllegalStateException e) {
            r = PostWait.Result.NO_SUCH_THREAD;
        }
        postResult(p, target, r);
        count(Outcome.SIGNAL);
    }

    private void postResult(PostState p, StressWorker target, PostWait.Result r) {
        int t = target.spec.id();
        switch (r) {
            case POSTED -> p.posted.incrementAndGet(t);
            case DISCARDED -> p.discarded.incrementAndGet(t);
            case NO_SUCH_THREAD -> {
                if (target.thread.isAlive()) {
                    fail("a post to live worker " + target.spec.name() + " reported NO_SUCH_THREAD");
                }
            }
        }
    }
}
