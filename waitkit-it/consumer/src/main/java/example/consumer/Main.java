package example.consumer;

import io.waitkit.Event;
import io.waitkit.Mutex;
import io.waitkit.Wait;
import java.time.Duration;

/**
 * Four threads count to 4,000 under a Waitkit {@link Mutex}; the last one sets an
 * {@link Event} that the main thread waits for. Prints what it counted and which modules ran.
 */
public final class Main {
    private static int count;
    private static int finished;

    private Main() {
    }

    /**
     * Runs the count.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        Mutex mutex = new Mutex();
        Event done = Event.manualReset(false);
        int threads = 4;
        for (int t = 0; t < threads; t++) {
            Thread.ofPlatform().daemon().start(() -> {
                for (int i = 0; i < 1000; i++) {
                    mutex.lock();
                    try {
                        count++;
                    } finally {
                        mutex.unlock();
                    }
                }
                mutex.lock();
                try {
                    if (++finished == threads) {
                        done.set();
                    }
                } finally {
                    mutex.unlock();
                }
            });
        }
        if (Wait.any(Duration.ofSeconds(60), done) != 0) {
            throw new IllegalStateException("the counting threads did not finish");
        }
        mutex.lock();
        try {
            System.out.println("count=" + count + " module=" + Main.class.getModule().getName()
                    + " waitkit=" + Mutex.class.getModule().getName());
        } finally {
            mutex.unlock();
        }
    }
}
