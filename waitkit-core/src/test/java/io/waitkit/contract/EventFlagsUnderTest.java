package io.waitkit.contract;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The event flag group operations {@link EventFlagsContract} checks, so that every backend runs
 * the same contract. Each method has the meaning of the {@link io.waitkit.EventFlags} method of
 * the same name; {@link #awaitAsync}, {@link #anyOf} and {@link #allOf} stand for the
 * operation-based forms.
 */
public interface EventFlagsUnderTest {
    /**
     * @param bits the bits to set
     * @return the flags before the change
     */
    int set(int bits);

    /**
     * @param bits the bits to clear
     * @return the flags before the change
     */
    int clear(int bits);

    /**
     * @param bits the bits to flip
     * @return the flags before the change
     */
    int toggle(int bits);

    /** @return the current flags */
    int get();

    /**
     * @param bits the awaited bits, not 0
     * @param clear whether to clear the matched bits on success
     * @return the awaited bits that were set
     * @throws InterruptedException if interrupted first
     */
    int awaitAny(int bits, boolean clear) throws InterruptedException;

    /**
     * @param bits the awaited bits, not 0
     * @param clear whether to clear them on success
     * @return {@code bits}
     * @throws InterruptedException if interrupted first
     */
    int awaitAll(int bits, boolean clear) throws InterruptedException;

    /**
     * @param bits the awaited bits, not 0
     * @param clear whether to clear the matched bits on success
     * @param timeout the longest wait; zero or negative polls
     * @return the awaited bits that were set, or 0 on timeout
     * @throws InterruptedException if interrupted first
     */
    int awaitAny(int bits, boolean clear, Duration timeout) throws InterruptedException;

    /**
     * @param bits the awaited bits, not 0
     * @param clear whether to clear them on success
     * @param timeout the longest wait; zero or negative polls
     * @return {@code bits}, or 0 on timeout
     * @throws InterruptedException if interrupted first
     */
    int awaitAll(int bits, boolean clear, Duration timeout) throws InterruptedException;

    /**
     * @param all true to wait for all of {@code bits}, false for any of them
     * @param bits the awaited bits, not 0
     * @param clear whether to clear the matched bits on success
     * @return a future completed with the bits that satisfied the wait
     */
    CompletableFuture<Integer> awaitAsync(boolean all, int bits, boolean clear);

    /**
     * @param bits the awaited bits, not 0
     * @param clear whether to clear the matched bits on success
     * @return an operation for {@code Wait.any} whose result is the matched bits (0 before)
     */
    OpUnderTest<Integer> anyOf(int bits, boolean clear);

    /**
     * @param bits the awaited bits, not 0
     * @param clear whether to clear them on success
     * @return an operation for {@code Wait.any} whose result is the matched bits (0 before)
     */
    OpUnderTest<Integer> allOf(int bits, boolean clear);
}
