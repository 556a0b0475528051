package io.waitkit;

/**
 * An object that {@link Wait#any} and {@link Wait#all} accept: it has a wait side whose
 * acquisition the engine can perform on a waiter's behalf.
 *
 * <p>What "acquire" means depends on the object: an auto-reset {@link Event} is reset, a
 * manual-reset one is left signalled, a {@link Mutex} becomes owned by the waiting thread (or
 * its hold count grows), a {@link Semaphore} gives one permit.
 *
 * <p>Only Waitkit's own classes implement this interface (in-process primitives here,
 * cross-process and distributed ones in other modules). Passing any other implementation to
 * {@code Wait} throws {@link IllegalArgumentException}.
 */
public interface Waitable {
}
