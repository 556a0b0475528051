package io.waitkit;

import io.waitkit.contract.InProcess;
import io.waitkit.contract.RendezvousContract;
import io.waitkit.contract.RendezvousUnderTest;

/** Runs the rendezvous contract against the in-process {@link Rendezvous}. */
class InProcessRendezvousTest extends RendezvousContract {
    @Override
    protected RendezvousUnderTest newRendezvous() {
        return InProcess.rendezvous(new Rendezvous<String>());
    }
}
