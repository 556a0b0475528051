package io.waitkit.internal;

/**
 * Pairing and groups: operations that complete only together with queued partners (a
 * capacity-0 channel's send and receive, a rendezvous's two offers, a barrier's round of n
 * arrivals). {@link WaitObject#acquireFor} answers {@link WaitObject#NEEDS_PARTNER} for them;
 * the hand-off loop, registration and polls then come here, always holding the object's lock,
 * and ask the object's {@link WaitObject#pairing() pairing} who pairs with whom.
 *
 * <p><b>Invariants.</b>
 * <ul>
 *   <li>All or none: the operation and all of its partners are claimed before anything is
 *       committed, so a partner whose wait ended meanwhile (timeout, interrupt, cancel, another
 *       object of its wait-any) is never counted in a completed group.</li>
 *   <li>Nothing is claimed unless enough distinct candidates wait (a wait-any may list the
 *       object twice: one waiter is one partner), and all-waiters are never partners.</li>
 *   <li>A claim that cannot be completed is undone ({@code CLAIMING -> WAITING}) and the undone
 *       waiter is recorded on the object, which rescans every object of that waiter after it
 *       unlocks ({@link WaitObject#revertedLater}).</li>
 * </ul>
 *
 * <p><b>Races.</b> Partners are claimed one by one; between two claims another thread may
 * claim or cancel a candidate through another of its objects. While a waiter is CLAIMING,
 * signallers of its other objects skip it without unlinking it and its own cancel waits, so the
 * undo restores a consistent queue; the rescan after unlocking serves it again for lasting
 * state it missed (a set event, a released permit). A one-off signal that leaves no state
 * behind is not replayed (see {@link Waiter}).
 */
final class Groups {
    private Groups() {
    }

    /**
     * The pairing of an object whose {@code acquireFor} answered {@code NEEDS_PARTNER}, typed
     * for calls with the object itself (each object answers a pairing of its own kind).
     */
    @SuppressWarnings("unchecked")
    private static Pairing<WaitObject> pairing(WaitObject o) {
        Pairing<WaitObject> p = (Pairing<WaitObject>) o.pairing();
        if (p == null) {
            throw new IllegalStateException(o.getClass().getName() + " answered NEEDS_PARTNER without a pairing");
        }
        return p;
    }

    /** Whether queued node {@code m} may complete together with waiting node {@code n} now. */
    private static boolean isCandidate(Pairing<WaitObject> p, WaitObject o, WaitNode n, WaitNode m) {
        Waiter x = m.waiter();
        return x != n.waiter() && !x.all && p.isPartner(o, n.op, m.op) && x.isWaiting();
    }

    /**
     * For a waiting node {@code n} of {@code o} whose operation needs partners: claims
     * {@code n}'s waiter and the first {@link Pairing#partnersNeeded} claimable partners
     * queued after it (or anywhere, when {@code n} is not queued), all or none.
     *
     * @return the partner nodes, every waiter claimed; or null (nothing claimed)
     */
    static WaitNode[] findPartners(WaitObject o, WaitNode n) {
        Waiter w = n.waiter();
        Pairing<WaitObject> p = pairing(o);
        int needed = p.partnersNeeded(o, n.op);
        WaitNode first = n.queued ? n.next : o.head;
        WaitNode[] found = new WaitNode[needed];
        int candidates = 0; // distinct waiters: a wait-any may list the object twice
        for (WaitNode m = first; m != null && candidates < needed; m = m.next) {
            if (isCandidate(p, o, n, m) && !listed(found, candidates, m.waiter())) {
                found[candidates++] = m;
            }
        }
        if (candidates < needed || !w.tryClaim()) {
            return null; // not enough partners, or n's waiter was claimed elsewhere or cancelled
        }
        int claimed = 0;
        for (WaitNode m = first; m != null && claimed < needed; m = m.next) {
            if (isCandidate(p, o, n, m) && m.waiter().tryClaim()) {
                found[claimed++] = m;
            }
        }
        if (claimed == needed) {
            return found;
        }
        // partners went away meanwhile: undo, and let the other objects serve the waiters again
        revert(o, w);
        for (int k = 0; k < claimed; k++) {
            revert(o, found[k].waiter());
        }
        return null;
    }

    private static boolean listed(WaitNode[] nodes, int count, Waiter w) {
        for (int k = 0; k < count; k++) {
            if (nodes[k].waiter() == w) {
                return true;
            }
        }
        return false;
    }

    /** Undoes a tentative claim and schedules the rescan of the waiter's objects. */
    private static void revert(WaitObject o, Waiter w) {
        w.unclaim();
        o.revertedLater(w);
    }

    /**
     * Commits a group found by {@link #findPartners}; every waiter is claimed.
     *
     * @param nQueued whether {@code n} was queued on {@code o} (it is then handed off like its
     *        partners; otherwise its own thread is the one completing it)
     * @return {@code o}'s new value
     */
    static long complete(WaitObject o, long value, WaitNode n, WaitNode[] ms, boolean nQueued) {
        if (nQueued) {
            o.unlink(n);
        }
        for (WaitNode m : ms) {
            o.unlink(m);
        }
        Pairing<WaitObject> p = pairing(o);
        for (int k = 0; k < ms.length; k++) {
            value = p.paired(o, value, n.waiter().owner, n.op, ms[k].waiter().owner, ms[k].op, nQueued && k == 0);
        }
        n.waiter().publish(n.index());
        for (WaitNode m : ms) {
            m.waiter().publish(m.index());
        }
        for (WaitNode m : ms) {
            o.handOff(m.waiter());
        }
        if (nQueued) {
            o.handOff(n.waiter());
        }
        return value;
    }
}
