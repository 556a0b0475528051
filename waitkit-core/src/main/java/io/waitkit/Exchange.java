package io.waitkit;

import io.waitkit.internal.WaitEngine;
import io.waitkit.internal.WaitObject;
import io.waitkit.internal.WaitOperation;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Client/server request-reply, as the ao kernel's {@code xch}: a client's {@link #call} blocks
 * until a server has accepted its request <b>and replied</b>; a server's {@link #accept()}
 * returns as soon as a client is there, with a {@link Request} to answer.
 *
 * <p>Clients and servers pair FIFO (ao case T34): an accept that finds a client waiting
 * succeeds at once while the client keeps waiting for the reply; a call that finds a server
 * waiting hands its request over at once. A client that gives up (timeout, interrupt, cancel)
 * before the reply is detached: a later {@link Request#reply} reports {@code false}, so the
 * server knows the answer was not delivered. The accept side is a {@link Waitable}:
 * {@code Wait.any(Duration, exchange.acceptOp(), shutdown)}.
 *
 * <p>Memory visibility: actions of the client before the call happen-before the server's
 * actions after it accepted the request; the server's actions before the reply happen-before
 * the client's actions after the call returned.
 *
 * <pre>{@code
 * Exchange<Query, Result> db = new Exchange<>();
 * // server:  for (;;) { Exchange.Request<Query, Result> r = db.accept(); r.reply(run(r.payload())); }
 * // client:  Result result = db.call(query);
 * }</pre>
 *
 * @param <Q> the request type
 * @param <R> the reply type
 */
@SuppressWarnings("exports") // the engine base class is deliberately not exported
public final class Exchange<Q, R> extends WaitObject {
    /** Pending requests whose client still waits (guarded by the object lock). */
    private final ArrayDeque<Request<Q, R>> pending = new ArrayDeque<>();

    /** Creates an exchange with no client and no server. */
    public Exchange() {
        super(0L);
    }

    // ---- the server side: this object's queue holds waiting servers

    /** {@inheritDoc} */
    @Override
    protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
        dropAbandoned();
        return pending.isEmpty() ? UNAVAILABLE : value;
    }

    /** {@inheritDoc} */
    @Override
    @SuppressWarnings("unchecked")
    protected long acquired(long value, Thread owner, long arg, WaitOperation op, boolean wasQueued) {
        ((Accept<Q, R>) op).request = pending.pollFirst();
        return value;
    }

    /** {@inheritDoc} */
    @Override
    protected boolean mayWake(long value) {
        return !pending.isEmpty();
    }

    /** {@inheritDoc} */
    @Override
    protected int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
        return POLL_CONTENDED;
    }

    private void dropAbandoned() {
        while (!pending.isEmpty() && pending.peekFirst().abandoned) {
            pending.pollFirst();
        }
    }

    /** Posts a client's request: hands it to the first waiting server, or queues it. */
    private void post(Request<Q, R> request) {
        long v = lockForSignal();
        try {
            pending.addLast(request);
            v = wake(v);
        } finally {
            unlockAfterSignal(v);
        }
    }

    // ---- the client side

    /**
     * Sends a request and waits for the reply.
     *
     * @param request the request
     * @return the server's reply
     * @throws InterruptedException if interrupted before the reply (the request is withdrawn
     *         or, if a server already holds it, its reply will report false)
     * @throws NullPointerException if {@code request} is null
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    public R call(Q request) throws InterruptedException {
        io.waitkit.internal.Dispatch.checkCanBlock();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        Request<Q, R> r = new Request<>(Objects.requireNonNull(request, "request"));
        post(r);
        try {
            Blocking.await(r, 1, null);
        } catch (InterruptedException e) {
            if (r.abandon()) {
                Thread.currentThread().interrupt(); // the reply won the race: deliver it
                return r.reply;
            }
            throw e;
        }
        return r.reply;
    }

    /**
     * Sends a request and waits at most {@code timeout} for the reply.
     *
     * @param request the request
     * @param timeout the longest time to wait
     * @return the server's reply, or {@code null} on timeout (the client is then detached)
     * @throws InterruptedException if interrupted before the reply
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the timeout is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public R call(Q request, Duration timeout) throws InterruptedException {
        Request<Q, R> r = new Request<>(Objects.requireNonNull(request, "request"));
        long nanos = Timeouts.nanos(timeout);
        Deadline deadline = Deadline.after(timeout);
        if (nanos > 0) {
            io.waitkit.internal.Dispatch.checkCanBlock();
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        post(r);
        try {
            if (Blocking.await(r, 1, null, deadline) == WaitEngine.ACQUIRED) {
                return r.reply;
            }
        } catch (InterruptedException e) {
            if (r.abandon()) {
                Thread.currentThread().interrupt(); // the reply won the race: deliver it
                return r.reply;
            }
            throw e;
        }
        return r.abandon() ? r.reply : null;
    }

    /**
     * Sends a request and returns a future of the reply. Cancelling the future detaches the
     * client as a timeout would.
     *
     * @param request the request
     * @return the future of the reply
     * @throws NullPointerException if {@code request} is null
     */
    public CompletableFuture<R> callAsync(Q request) {
        Request<Q, R> r = new Request<>(Objects.requireNonNull(request, "request"));
        post(r);
        return WaitEngine.acquireAsync(r, 1, r.replyOp);
    }

    // ---- the server side

    /**
     * Waits for a client and takes its request.
     *
     * @return the request to answer
     * @throws InterruptedException if interrupted first (no request taken)
     * @throws IllegalStateException if the current thread runs at {@link Irql#DISPATCH_LEVEL}
     */
    public Request<Q, R> accept() throws InterruptedException {
        Accept<Q, R> op = acceptOp();
        Blocking.await(this, 1, op);
        return op.request;
    }

    /**
     * Waits at most {@code timeout} for a client; zero or negative polls.
     *
     * @param timeout the longest time to wait
     * @return the request to answer, or {@code null} on timeout
     * @throws InterruptedException if interrupted first (no request taken)
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalStateException if the timeout is positive and the current thread runs at
     *         {@link Irql#DISPATCH_LEVEL}
     */
    public Request<Q, R> accept(Duration timeout) throws InterruptedException {
        Accept<Q, R> op = acceptOp();
        return Blocking.await(this, 1, op, timeout) == WaitEngine.ACQUIRED ? op.request : null;
    }

    /**
     * Takes a waiting client's request if there is one; never blocks.
     *
     * @return the request, or {@code null} if no client waits
     */
    public Request<Q, R> tryAccept() {
        Accept<Q, R> op = acceptOp();
        return Blocking.poll(this, 1, op) == WaitEngine.ACQUIRED ? op.request : null;
    }

    /**
     * Waits asynchronously for a client.
     *
     * @return a future completed with the request to answer
     */
    public CompletableFuture<Request<Q, R>> acceptAsync() {
        return WaitEngine.acquireAsync(this, 1, acceptOp());
    }

    /**
     * Returns an accept operation for {@link Wait#any}; after the wait reported it,
     * {@link Accept#request()} holds the request to answer.
     *
     * @return a new operation
     */
    public Accept<Q, R> acceptOp() {
        return new Accept<>(this);
    }

    /**
     * Returns the number of clients waiting for a server (a snapshot).
     *
     * @return pending requests not yet accepted
     */
    public int pendingRequests() {
        long v = lockState();
        try {
            dropAbandoned();
            int n = 0;
            for (Request<Q, R> r : pending) {
                n += r.abandoned ? 0 : 1;
            }
            return n;
        } finally {
            unlockState(v);
        }
    }

    /**
     * Describes the exchange.
     *
     * @return for example {@code Exchange[pending=1, waiters=0]} (waiters: servers and clients queued); never blocks
     */
    @Override
    public String toString() {
        return "Exchange[pending=" + pendingRequests() + ", waiters=" + queuedCount() + "]";
    }

    /**
     * An accept: a {@link Waitable} operation that takes a waiting client's request.
     *
     * @param <Q> the request type
     * @param <R> the reply type
     */
    public static final class Accept<Q, R> extends WaitOperation implements Waitable {
        private final Exchange<Q, R> exchange;
        private volatile Request<Q, R> request;

        private Accept(Exchange<Q, R> exchange) {
            this.exchange = exchange;
        }

        /** {@inheritDoc} */
        @Override
        protected WaitObject target() {
            return exchange;
        }

        /** {@inheritDoc} */
        @Override
        protected Object result() {
            return request;
        }

        /**
         * Returns the request taken by the last wait that reported this operation.
         *
         * @return the request, or {@code null} before
         */
        public Request<Q, R> request() {
            return request;
        }
    }

    /**
     * One client's request, held by the server that accepted it until it replies. Internally
     * it is also the one-shot object the client waits on: the reply completes that wait.
     *
     * @param <Q> the request type
     * @param <R> the reply type
     */
    public static final class Request<Q, R> extends WaitObject {
        private static final long REPLIED = 1L;

        private final Q payload;
        private final WaitOperation replyOp = new WaitOperation() {
            @Override
            protected WaitObject target() {
                return Request.this;
            }

            @Override
            protected Object result() {
                return reply;
            }
        };
        private volatile R reply;
        /** The client gave up (guarded by this request's lock for writes). */
        private volatile boolean abandoned;
        /** reply() was called, whatever it returned (guarded by this request's lock). */
        private boolean replied;
        /** Whether the client's wait was served by the reply in progress (lock held). */
        private boolean delivered;

        private Request(Q payload) {
            super(0L);
            this.payload = payload;
        }

        /** {@inheritDoc} */
        @Override
        protected long acquireFor(long value, Thread owner, long arg, WaitOperation op) {
            return (value & REPLIED) != 0 ? value : UNAVAILABLE;
        }

        /** {@inheritDoc} */
        @Override
        protected long acquired(long value, Thread owner, long arg, WaitOperation op, boolean wasQueued) {
            delivered = true;
            return value;
        }

        /** {@inheritDoc} */
        @Override
        protected long withdrawn(long value, long arg, WaitOperation op) {
            abandoned = true; // the client gave up: a later reply reports false
            return value;
        }

        /** {@inheritDoc} */
        @Override
        protected boolean mayWake(long value) {
            return (value & REPLIED) != 0;
        }

        /** {@inheritDoc} */
        @Override
        protected int tryAcquireFast(Thread owner, long arg, WaitOperation op) {
            return POLL_CONTENDED;
        }

        /**
         * The client gives up: from now on a reply reports false. Returns true instead if the
         * reply already arrived without reaching a queued wait (the client then takes it: the
         * server was told it was delivered).
         */
        private boolean abandon() {
            long v = lockState();
            boolean replied = (v & REPLIED) != 0 && !abandoned;
            if (!replied) {
                abandoned = true;
            }
            unlockState(v);
            return replied;
        }

        /**
         * Returns the client's request.
         *
         * @return the payload
         */
        public Q payload() {
            return payload;
        }

        /**
         * Answers the client and releases it. Never blocks.
         *
         * @param response the reply
         * @return true if the client received it; false if the client gave up before (timed
         *         out, was interrupted or cancelled)
         * @throws NullPointerException if {@code response} is null
         * @throws IllegalStateException if this request was already answered
         */
        public boolean reply(R response) {
            Objects.requireNonNull(response, "response");
            long v = lockForSignal();
            try {
                if (replied) {
                    throw new IllegalStateException("this request was already answered");
                }
                replied = true; // answered, whether or not the client still waits
                if (abandoned) {
                    return false;
                }
                reply = response;
                boolean clientQueued = !queueEmpty();
                delivered = false;
                v = wake(v | REPLIED);
                if (clientQueued && !delivered) {
                    abandoned = true; // its wait was being withdrawn: the reply did not reach it
                    return false;
                }
                return true;
            } finally {
                unlockAfterSignal(v);
            }
        }

        /**
         * Returns whether the client still waits for the reply (a snapshot).
         *
         * @return false once the client gave up or was answered
         */
        public boolean isClientWaiting() {
            long v = lockState();
            boolean waiting = !abandoned && (v & REPLIED) == 0;
            unlockState(v);
            return waiting;
        }

        /**
         * Describes the request.
         *
         * @return for example {@code Request[query, waiting]}
         */
        @Override
        public String toString() {
            return "Request[" + payload + ", " + (isClientWaiting() ? "waiting" : abandoned ? "abandoned" : "answered") + "]";
        }
    }
}
