package io.waitkit.internal;

/**
 * How the operations of a kind of object complete together with queued partners: a
 * rendezvous's two offers, a capacity-0 channel's send and receive, a barrier's round of n
 * arrivals. An object that has one answers it from {@link WaitObject#pairing()}, and its
 * {@link WaitObject#acquireFor} may then answer {@link WaitObject#NEEDS_PARTNER}; the engine
 * finds the partners, claims them all or none, and calls {@link #paired} for each (see
 * {@link Groups}). Such objects cannot take part in a wait-all, which cannot wait for a
 * partner: the engine refuses every object whose {@code pairing()} is not null.
 *
 * <p>One instance serves every object of its kind (a constant), so each method receives the
 * object it works for. All of them are called with that object's lock held.
 *
 * @param <O> the kind of object
 */
public abstract class Pairing<O extends WaitObject> {
    /** Constructor for subclasses. */
    protected Pairing() {
    }

    /**
     * Whether a queued operation can complete together with {@code op} (a cap-0 send with a
     * receive, never with another send).
     *
     * @param object the object both wait on
     * @param op the operation looking for a partner
     * @param candidate a queued operation
     * @return true if they pair; true by default (every arrival pairs with any other)
     */
    protected boolean isPartner(O object, WaitOperation op, WaitOperation candidate) {
        return true;
    }

    /**
     * How many queued partners complete the operation together with it. The operation and all
     * its partners complete in one step, or none does: every waiter is claimed before anything
     * is committed, so a partner whose wait ended meanwhile (timeout, interrupt, cancel,
     * another object of its wait-any) is never counted.
     *
     * @param object the object the operation waits on
     * @param op the operation looking for partners
     * @return the number of partners, at least 1 (1 by default: a pair; a barrier of n
     *         parties: n - 1)
     */
    protected int partnersNeeded(O object, WaitOperation op) {
        return 1;
    }

    /**
     * Completes two paired operations together (both waiters are claimed): moves data between
     * them and undoes the bookkeeping the object kept for their queued nodes. For a group
     * ({@link #partnersNeeded} above 1) it is called once per partner, with
     * {@code aWasQueued} true only in the first call when {@code opA}'s node was queued.
     *
     * @param object the object both waited on
     * @param value the current value
     * @param ownerA the thread of the operation that looked for a partner
     * @param opA that operation
     * @param ownerB the partner's thread
     * @param opB the partner's operation (always queued)
     * @param aWasQueued whether {@code opA}'s node was queued here
     * @return the new value
     */
    protected abstract long paired(O object, long value, Thread ownerA, WaitOperation opA, Thread ownerB,
            WaitOperation opB, boolean aWasQueued);
}
