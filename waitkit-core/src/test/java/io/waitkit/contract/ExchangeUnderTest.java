package io.waitkit.contract;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The client/server exchange operations {@link ExchangeContract} checks, over string requests
 * and replies, so that every backend runs the same contract. Each method has the meaning of
 * the {@link io.waitkit.Exchange} method of the same name; accepted requests are
 * {@link Request}s.
 */
public interface ExchangeUnderTest {
    /**
     * @param request the request
     * @return the server's reply
     * @throws InterruptedException if interrupted before the reply
     */
    String call(String request) throws InterruptedException;

    /**
     * @param request the request
     * @param timeout the longest wait for the reply
     * @return the reply, or null on timeout (the client is then detached)
     * @throws InterruptedException if interrupted before the reply
     */
    String call(String request, Duration timeout) throws InterruptedException;

    /**
     * @param request the request
     * @return a future of the reply; cancelling it detaches the client
     */
    CompletableFuture<String> callAsync(String request);

    /**
     * @return the request of a client, waiting for one as long as necessary
     * @throws InterruptedException if interrupted first (no request taken)
     */
    Request accept() throws InterruptedException;

    /**
     * @param timeout the longest wait; zero or negative polls
     * @return the request of a client, or null on timeout
     * @throws InterruptedException if interrupted first (no request taken)
     */
    Request accept(Duration timeout) throws InterruptedException;

    /** @return the request of a waiting client, or null if none waits */
    Request tryAccept();

    /** @return a future completed with the request of a client */
    CompletableFuture<Request> acceptAsync();

    /** @return an accept operation for {@code Wait.any} whose result is the request taken */
    OpUnderTest<Request> acceptOp();

    /** @return the number of clients waiting for a server */
    int pendingRequests();

    /** One accepted request; each method has the meaning of the {@code Exchange.Request} one. */
    interface Request {
        /** @return the client's request */
        String payload();

        /**
         * @param response the reply
         * @return true if the client received it, false if it had given up
         */
        boolean reply(String response);

        /** @return whether the client still waits for the reply */
        boolean isClientWaiting();
    }
}
