package io.waitkit.stress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.waitkit.Exchange;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Focused reproducer for a contract bug the extended stress test found: {@link Exchange.Request#reply}
 * throws {@link IllegalStateException} "if this request was already answered", but a second reply
 * was silently accepted (returning false again) when the first had found the client already
 * gone, while it threw when the client gave up during the first reply. Whether a server's
 * double reply was detected thus depended on when its client had given up.
 */
class ExchangeReplyTest {
    @Test
    void secondReplyToARequestWhoseClientGaveUpIsRefusedLikeAnyOtherSecondReply() {
        Exchange<String, String> exchange = new Exchange<>();
        CompletableFuture<String> call = exchange.callAsync("query");
        Exchange.Request<String, String> request = exchange.tryAccept();
        assertNotNull(request, "the client's request is pending");
        assertTrue(call.cancel(true), "the client gives up before the reply");

        assertFalse(request.reply("late"), "the reply did not reach the client");
        assertThrows(IllegalStateException.class, () -> request.reply("again"), "the request was already answered");
        assertTrue(call.isCancelled());
    }

    @Test
    void secondReplyToARequestWhoseClientGotTheFirstIsRefused() {
        Exchange<String, String> exchange = new Exchange<>();
        CompletableFuture<String> call = exchange.callAsync("query");
        Exchange.Request<String, String> request = exchange.tryAccept();
        assertNotNull(request);
        assertTrue(request.reply("answer"));
        assertThrows(IllegalStateException.class, () -> request.reply("again"));
        assertTrue(call.isDone() && "answer".equals(call.join()));
    }
}
