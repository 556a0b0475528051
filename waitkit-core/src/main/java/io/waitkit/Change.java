package io.waitkit;

/**
 * The update that released a {@link Counter} or {@link Threshold} waiter: the value before and
 * after it. For a waiter that succeeded at once, both are the current value.
 *
 * @param oldValue the value before the update
 * @param newValue the value after the update
 */
public record Change(long oldValue, long newValue) {
}
