package io.waitkit;

import io.waitkit.internal.Pairing;
import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A symmetric two-party meeting, as the ao kernel's {@code rendezvous}: each party brings an
 * offer, and when two parties meet both leave with the other's offer.
 *
 * <p>The first party waits; the next one pairs with it at once, and both complete in that same
 * step (ao case T33). A party that gives up (timeout, interrupt, cancel) leaves the rendezvous
 * empty: the next two arrivals meet each other. At most one party waits at a time, except
 * transiently while a third arrival pairs. In {@link Wait#any}, wait on {@link #offer(Object)};
 * a rendezvous cannot take part in {@link Wait#all}.
 *
 * <p>Memory visibility: actions of each party before the meeting happen-before the actions of
 * the other after it.
 *
 * <pre>{@code
 * Rendezvous<Buffer> swap = new Rendezvous<>();
 * // producer:  empty = swap.exchange(full);
 * // consumer:  full = swap.exchange(empty);
 * }</pre>
 *
 * @param <T> the type of the offers
 */
@SuppressWarnings("exports") // the engine base class is deliberately not exported
public final class Rendezvous<T> extends WaitObject {
    /** Any two offers meet: each party leaves with the other's. */
    private static final Pairing<Rendezvous<?>> MEETING = new Pairing<>() {
        @Override
        @SuppressWarnings("unchecked")
        protected long paired(Rendezvous<?> r, long value, Thread ownerA, WaitOperation opA, Thread ownerB,
                WaitOperation opB, boolean aWasQueued) {
            Offer<Object> a = (Offer<Object>) opA;
            Offer<Object> b = (Offer<Object>) opB;
            a.received = b.offer;
            b.received = a.offer;
            return value;
        }
    };

    /** Creates a rendezvous with nobody waiting. */
    public Rendezvous() {
        super(0L);
    }

    /** {@inheritDoc} */
    @Override
    protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
        return NEEDS_PARTNER;
    }

    /** {@inheritDoc} Every offer pairs with any other. */
    @Override
    protected Pairing<Rendezvous<?>> pairing() {
        return MEETING;
    }

    /** {@inheritDoc} */
    @Override
    protected int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
        return POLL_CONTENDED;
    }

    /**
     * Returns an offer for {@link Wait#any}; after the wait reported it,
     * {@link Offer#received()} holds the partner's offer.
     *
     * @param offer what this party brings
     * @return a new operation
     * @throws NullPointerException if {@code offer} is null
     */
    public Offer<T> offer(T offer) {
        return new Offer<>(this, offer);
    }

    /**
     * Meets a partner, waiting as long as necessary.
     *
     * @param offer what this party brings
     * @return the partner's offer
     * @throws InterruptedException if interrupted before a partner came (nothing exchanged)
     * @throws NullPointerException if {@code offer} is null
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    public T exchange(T offer) throws InterruptedException {
        Offer<T> op = offer(offer);
        Blocking.await(this, 1, op);
        return op.received;
    }

    /**
     * Meets a partner, waiting at most {@code timeout}; zero or negative only pairs with a
     * party already waiting.
     *
     * @param offer what this party brings
     * @param timeout the longest time to wait
     * @return the partner's offer, or {@code null} on timeout (nothing exchanged)
     * @throws InterruptedException if interrupted before a partner came (nothing exchanged)
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the timeout is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public T exchange(T offer, Duration timeout) throws InterruptedException {
        Offer<T> op = offer(offer);
        return Blocking.await(this, 1, op, timeout) == WaitEngine.ACQUIRED ? op.received : null;
    }

    /**
     * Meets a partner, waiting at most the given time, as {@link #exchange(Object, Duration)}
     * (and as {@link java.util.concurrent.Exchanger#exchange(Object, long, TimeUnit)}, which
     * throws on timeout where this returns {@code null}). A zero or negative time only pairs
     * with a party already waiting; a time too large for nanoseconds waits without a limit.
     *
     * @param offer what this party brings
     * @param timeout the longest time to wait, in {@code unit}
     * @param unit the unit of {@code timeout}
     * @return the partner's offer, or {@code null} on timeout (nothing exchanged)
     * @throws InterruptedException if interrupted before a partner came (nothing exchanged)
     * @throws NullPointerException if {@code offer} or {@code unit} is null
     * @throws IllegalStateException if the time is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public T exchange(T offer, long timeout, TimeUnit unit) throws InterruptedException {
        Offer<T> op = offer(offer);
        return Blocking.awaitNanos(this, 1, op, Timeouts.nanos(timeout, unit)) == WaitEngine.ACQUIRED ? op.received : null;
    }

    /**
     * Meets a partner asynchronously; cancelling a pending future withdraws the offer.
     *
     * @param offer what this party brings
     * @return a future completed with the partner's offer
     * @throws NullPointerException if {@code offer} is null
     */
    public CompletableFuture<T> exchangeAsync(T offer) {
        return WaitEngine.acquireAsync(this, 1, offer(offer));
    }

    /**
     * Returns whether a party is waiting (a snapshot).
     *
     * @return true if an arrival would pair at once
     */
    public boolean hasWaitingParty() {
        return hasQueuedWaiters();
    }

    /**
     * Describes the rendezvous.
     *
     * @return for example {@code Rendezvous[a party waiting, waiters=1]}; never blocks
     */
    @Override
    public String toString() {
        return "Rendezvous[" + (hasWaitingParty() ? "a party waiting" : "empty") + ", waiters=" + queuedCount() + "]";
    }

    /**
     * One party's offer: a {@link Waitable} operation.
     *
     * @param <T> the type of the offers
     */
    public static final class Offer<T> extends WaitOperation implements Waitable {
        private final Rendezvous<T> rendezvous;
        private final T offer;
        private volatile T received;

        private Offer(Rendezvous<T> rendezvous, T offer) {
            this.rendezvous = rendezvous;
            this.offer = Objects.requireNonNull(offer, "offer");
        }

        /** {@inheritDoc} */
        @Override
        protected WaitObject target() {
            return rendezvous;
        }

        /** {@inheritDoc} */
        @Override
        protected Object result() {
            return received;
        }

        /**
         * Returns what this party brings.
         *
         * @return the offer
         */
        public T offered() {
            return offer;
        }

        /**
         * Returns the partner's offer once the meeting happened.
         *
         * @return the received offer, or {@code null} before
         */
        public T received() {
            return received;
        }
    }
}
