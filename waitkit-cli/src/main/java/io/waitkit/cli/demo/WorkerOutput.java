package io.waitkit.cli.demo;

import io.waitkit.Event;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The standard output of one worker process of the multi-process demos (on this host's named
 * objects and on ZooKeeper): every line goes into a transcript (printed when a check fails),
 * and each protocol line is handed to the demo's worker as it arrives.
 *
 * <p>A protocol line is {@code K N TEXT}: a one-letter kind, the number of jobs the worker has
 * done so far, and the rest of the line; what the kinds mean is the demo's. Any other line (a
 * JVM warning, for example) is kept in the transcript only. After each line, and when the
 * stream ends (the process went away), the demo's {@code changed} event is set so that its
 * board is redrawn.
 *
 * <p>{@link #read} runs on one reader thread per worker; {@link #done()} and
 * {@link #transcript()} may be called from any thread (the count is volatile, the transcript
 * guarded by its own monitor).
 */
final class WorkerOutput {
    /** What a demo's worker does with one protocol line (on the reader thread). */
    interface Listener {
        /**
         * One protocol line.
         *
         * @param kind the line's kind letter
         * @param text the rest of the line after the job count
         */
        void heard(char kind, String text);
    }

    private final Process process;
    private final Event changed;
    private final StringBuilder transcript = new StringBuilder();
    private volatile int done;

    WorkerOutput(Process process, Event changed) {
        this.process = process;
        this.changed = changed;
    }

    /** Reads the process's output until it ends (blocking: run it on a thread of its own). */
    void read(Listener listener) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (transcript) {
                    transcript.append(line).append('\n');
                }
                heard(line, listener);
                changed.set();
            }
        } catch (IOException e) {
            // the process went away: its stream ends
        }
        changed.set();
    }

    private void heard(String line, Listener listener) {
        String[] f = line.split(" ", 3);
        if (f.length < 3 || f[0].length() != 1) {
            return; // not a protocol line: kept in the transcript only
        }
        try {
            done = Integer.parseInt(f[1]);
        } catch (NumberFormatException e) {
            return;
        }
        listener.heard(f[0].charAt(0), f[2]);
    }

    /** The job count of the last protocol line (0 before the first). */
    int done() {
        return done;
    }

    /** Everything the process wrote so far. */
    String transcript() {
        synchronized (transcript) {
            return transcript.toString();
        }
    }
}
