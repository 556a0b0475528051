package io.waitkit.ipc;

import io.waitkit.Waitable;
import io.waitkit.contract.PipeContract;
import io.waitkit.contract.PipeUnderTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Runs the pipe contract against {@link NamedPipe}: one reader and one writer opened from two
 * handles of one pipe in one JVM.
 */
class NamedPipeContractTest extends PipeContract {
    @RegisterExtension
    static final TempNamespace temp = new TempNamespace();

    /** {@inheritDoc} A platform thread's wait on a named object sleeps in futex (see {@link DirectSleep}). */
    @Override
    protected void awaitBlocked(Thread t) {
        DirectSleep.awaitBlocked(t);
    }

    @Override
    protected PipeUnderTest newPipe(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        try {
            String name = TempNamespace.fresh("pipe");
            NamedPipe writerSide = temp.ns.pipe(name, capacity);
            NamedPipe readerSide = temp.ns.openExisting(name, NamedPipe.class);
            return new Adapter(readerSide, readerSide.openReader(), writerSide.openWriter());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Adapter(NamedPipe pipe, InputStream source, OutputStream sink) implements PipeUnderTest {
        @Override
        public Waitable readable() {
            return pipe.readable();
        }

        @Override
        public int buffered() {
            String state = pipe.info().state(); // "12/4096 bytes..."
            return Integer.parseInt(state.substring(0, state.indexOf('/')));
        }
    }
}
