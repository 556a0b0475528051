package io.waitkit.contract;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The rendezvous operations {@link RendezvousContract} checks, over string offers, so that
 * every backend runs the same contract. Each method has the meaning of the
 * {@link io.waitkit.Rendezvous} method of the same name.
 */
public interface RendezvousUnderTest {
    /**
     * @param offer what this party brings
     * @return the partner's offer
     * @throws InterruptedException if interrupted before a partner came (nothing exchanged)
     */
    String exchange(String offer) throws InterruptedException;

    /**
     * @param offer what this party brings
     * @param timeout the longest wait; zero or negative only pairs with a waiting party
     * @return the partner's offer, or null on timeout
     * @throws InterruptedException if interrupted before a partner came (nothing exchanged)
     */
    String exchange(String offer, Duration timeout) throws InterruptedException;

    /**
     * @param offer what this party brings
     * @return a future completed with the partner's offer; cancelling a pending one withdraws
     */
    CompletableFuture<String> exchangeAsync(String offer);

    /**
     * @param offer what this party brings
     * @return an offer for {@code Wait.any} whose result is the partner's offer
     */
    OpUnderTest<String> offer(String offer);

    /** @return whether a party is waiting */
    boolean hasWaitingParty();
}
