package io.waitkit.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.waitkit.Channel;
import io.waitkit.ReceiveOp;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

/*
 * No loss, no duplication, FIFO per producer, through blocking sends and receives with
 * hand-off. A Channel(2); two actors, each a producer, one also a consumer:
 *   actor A: send 1, send 2, receive one item;
 *   actor B: send 3, receive two items, send 4.
 * The arbiter then takes the one item left and checks that nothing else is.
 *
 * The operations use the front ends in turn: A sends with send(item, timeout) and Wait.any on
 * a sendOp and receives with tryReceive(); B sends with sendAsync + get and send(item,
 * timeout) and receives with receive(timeout) and Wait.any on a receiveOp. A's second send
 * blocks when 1 and 3 fill the channel, B's receives block when it is empty, B's last send
 * blocks when it is full. Every interleaving terminates (no state has both actors blocked),
 * and A's receive never finds the channel empty (A has put two items in, B took at most two
 * and put one in first), so a null from its tryReceive() is a lost item.
 *
 * The ACCEPTABLE outcomes are exactly those of the enumeration of every interleaving of the
 * atomic steps (each step is one object-lock hold): a send that finds a queued receiver gives
 * it the item; a send that finds room appends; otherwise the sender queues (FIFO). A receive
 * takes the head of the buffer and, if a sender is queued, appends that sender's item before
 * returning (hand-off: the woken sender never re-competes). Of the 24 ways to spread the four
 * items over r1..r4, a correct FIFO channel produces only these 7; any other one (or a
 * repeated item, a missing one, a leftover) means an item was lost, duplicated or taken out
 * of FIFO order. (A model in which a woken sender competes again, without hand-off, gives the
 * same 7: this test checks the items, not the hand-off.)
 *
 * r1 = the item A received, r2 and r3 = the items B received (in order), r4 = the item the
 * arbiter took, r5 = an item still there after that (0 if none). An actor whose wait timed
 * out (10 s: a lost wake-up), or that got null from a receive that must succeed, records -1
 * in its next slot and stops; a timeout of B's last send makes r4 -1.
 */
@JCStressTest
@Description("Channel(2): two producers with blocking sends and receives; every item arrives exactly once, in its producer's order.")
@Outcome(id = {"1, 2, 3, 4, 0", "1, 3, 2, 4, 0", "2, 1, 3, 4, 0", "2, 3, 1, 4, 0"}, expect = ACCEPTABLE,
        desc = "B's 4 went in last and was left for the arbiter; the other three were spread in buffer order.")
@Outcome(id = "3, 1, 2, 4, 0", expect = ACCEPTABLE_INTERESTING,
        desc = "B took both of A's items, A took B's 3.")
@Outcome(id = {"4, 1, 3, 2, 0", "4, 3, 1, 2, 0"}, expect = ACCEPTABLE_INTERESTING,
        desc = "B had taken 1 and 3 and sent 4 before A's 2 went in: A took 4 and the arbiter 2.")
@Outcome(expect = FORBIDDEN,
        desc = "An item lost, duplicated or out of its producer's order, an item left over, or a timeout (-1).")
@State
public class ChannelDeliversEveryItemOnceInProducerOrder {
    static final int FAILED = -1;

    private final Channel<Integer> channel = new Channel<>(2);
    private boolean lastSendTimedOut;

    @Actor
    public void producerA(IIIII_Result r) {
        if (!Bounded.send(channel, 1) || Bounded.any(Bounded.PATIENCE, channel.sendOp(2)) != 0) {
            r.r1 = FAILED;
            return;
        }
        Integer x = channel.tryReceive();
        r.r1 = x == null ? FAILED : x;
    }

    @Actor
    public void producerAndConsumerB(IIIII_Result r) {
        if (!Bounded.completes(channel.sendAsync(3))) {
            r.r2 = FAILED;
            return;
        }
        Integer x = Bounded.receive(channel, Bounded.PATIENCE);
        if (x == null) {
            r.r2 = FAILED;
            return;
        }
        r.r2 = x;
        ReceiveOp<Integer> op = channel.receiveOp();
        if (Bounded.any(Bounded.PATIENCE, op) != 0) {
            r.r3 = FAILED;
            return;
        }
        r.r3 = op.item();
        lastSendTimedOut = !Bounded.send(channel, 4);
    }

    @Arbiter
    public void after(IIIII_Result r) {
        if (lastSendTimedOut) {
            r.r4 = FAILED;
            return;
        }
        Integer last = channel.tryReceive();
        Integer extra = channel.tryReceive();
        r.r4 = last == null ? 0 : last;
        r.r5 = extra == null ? 0 : extra;
    }
}
