package io.waitkit.cli.demo;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.time.Instant;

/**
 * The multi-process demo's ledger: a layout over a shared section, guarded by a named robust
 * mutex (every method but {@link #size}, {@link #claim} and {@link #unclaim} must be called
 * holding it).
 *
 * <p>It holds one record per job (how many times it was completed, and by which worker), two
 * totals (completions, sum of the jobs' values) and an <em>intent record</em>. An update of a
 * job takes five separate stores, so a worker killed in the middle leaves the records and the
 * totals disagreeing; the intent record, written and marked valid before the first of them,
 * says which job was being recorded and what the fields held before, so that the next owner of
 * the mutex (told by {@code AbandonedMutexException}) rolls the update forward: the job counts
 * as completed once, by the repair. Each worker also has a claim slot, written (by one store,
 * without the mutex) when it takes a job from the queue and cleared once the job is recorded:
 * the repair re-queues a job that a dead worker had claimed but never got to record.
 */
final class Ledger {
    /** The most workers with a claim slot. */
    static final int MAX_WORKERS = 16;

    private static final long JOB_COUNT = 0;
    private static final long INTENT_JOB = 8;        // job + 1; 0 = no update in progress
    private static final long INTENT_WORKER = 16;
    private static final long INTENT_BEFORE_DONE = 24;
    private static final long INTENT_BEFORE_SUM = 32;
    private static final long INTENT_BEFORE_COUNT = 40;
    private static final long TOTAL_DONE = 48;
    private static final long TOTAL_SUM = 56;
    private static final long DETECTED_MICROS = 64; // wall clock of the first AbandonedMutexException
    private static final long REPAIRS = 72;
    private static final long REPAIRED_JOB = 80;     // job + 1 rolled forward by the last repair
    private static final long DETECTOR = 88;         // the worker that saw the first abandonment
    private static final long REQUEUED = 96;         // jobs put back in the queue by repairs
    private static final long CLAIMS = 128;          // per worker: claimed job + 1, pid
    private static final long JOBS = CLAIMS + 16L * MAX_WORKERS; // per job: completions, worker

    private final MemorySegment m;

    Ledger(MemorySegment m) {
        this.m = m;
    }

    /** The section size for {@code jobs} jobs. */
    static long size(int jobs) {
        return JOBS + 16L * jobs;
    }

    /** The value of a job: what its completion adds to the sum. */
    static long value(int job) {
        return (long) (job + 1) * (job + 1);
    }

    /** Sets the number of jobs (the section is zero when created). */
    void init(int jobs) {
        m.set(JAVA_LONG, JOB_COUNT, jobs);
    }

    int jobs() {
        return (int) m.get(JAVA_LONG, JOB_COUNT);
    }

    /** Step 1 to 5 of recording a job; {@code pause} runs between step 2 and 3 (the victim's kill point). */
    void record(int job, int worker, Runnable pause) {
        long rec = JOBS + 16L * job;
        // 1: the intent, valid once INTENT_JOB is set (the last of its stores)
        m.set(JAVA_LONG, INTENT_WORKER, worker);
        m.set(JAVA_LONG, INTENT_BEFORE_DONE, m.get(JAVA_LONG, TOTAL_DONE));
        m.set(JAVA_LONG, INTENT_BEFORE_SUM, m.get(JAVA_LONG, TOTAL_SUM));
        m.set(JAVA_LONG, INTENT_BEFORE_COUNT, m.get(JAVA_LONG, rec));
        m.set(JAVA_LONG, INTENT_JOB, job + 1L);
        // 2: the job's record
        m.set(JAVA_LONG, rec, m.get(JAVA_LONG, rec) + 1);
        m.set(JAVA_LONG, rec + 8, worker);
        pause.run();
        // 3, 4: the totals
        m.set(JAVA_LONG, TOTAL_DONE, m.get(JAVA_LONG, TOTAL_DONE) + 1);
        m.set(JAVA_LONG, TOTAL_SUM, m.get(JAVA_LONG, TOTAL_SUM) + value(job));
        // 5: done
        m.set(JAVA_LONG, INTENT_JOB, 0L);
    }

    /**
     * Repairs after an abandonment: notes the first detection, rolls a half-done update forward.
     *
     * @return the job rolled forward, or -1 if no update was in progress
     */
    int repair(int detector, long detectedMicros) {
        if (m.get(JAVA_LONG, DETECTED_MICROS) == 0) {
            m.set(JAVA_LONG, DETECTED_MICROS, detectedMicros);
            m.set(JAVA_LONG, DETECTOR, detector);
        }
        m.set(JAVA_LONG, REPAIRS, m.get(JAVA_LONG, REPAIRS) + 1);
        long intent = m.get(JAVA_LONG, INTENT_JOB);
        if (intent == 0) {
            return -1;
        }
        int job = (int) (intent - 1);
        long rec = JOBS + 16L * job;
        m.set(JAVA_LONG, rec, m.get(JAVA_LONG, INTENT_BEFORE_COUNT) + 1);
        m.set(JAVA_LONG, rec + 8, m.get(JAVA_LONG, INTENT_WORKER));
        m.set(JAVA_LONG, TOTAL_DONE, m.get(JAVA_LONG, INTENT_BEFORE_DONE) + 1);
        m.set(JAVA_LONG, TOTAL_SUM, m.get(JAVA_LONG, INTENT_BEFORE_SUM) + value(job));
        m.set(JAVA_LONG, REPAIRED_JOB, intent);
        m.set(JAVA_LONG, INTENT_JOB, 0L);
        return job;
    }

    /** Notes that worker {@code w} (process {@code pid}) took {@code job}: one store each, no mutex needed. */
    void claim(int w, long pid, int job) {
        m.set(JAVA_LONG, CLAIMS + 16L * w + 8, pid);
        m.set(JAVA_LONG, CLAIMS + 16L * w, job + 1L);
    }

    /** Clears worker {@code w}'s claim. */
    void unclaim(int w) {
        m.set(JAVA_LONG, CLAIMS + 16L * w, 0L);
    }

    /** The job worker {@code w} claimed, or -1. */
    int claimed(int w) {
        return (int) (m.get(JAVA_LONG, CLAIMS + 16L * w) - 1);
    }

    /** The pid of the process that last claimed as worker {@code w}. */
    long claimPid(int w) {
        return m.get(JAVA_LONG, CLAIMS + 16L * w + 8);
    }

    /** Counts one job put back in the queue by a repair. */
    void countRequeued() {
        m.set(JAVA_LONG, REQUEUED, m.get(JAVA_LONG, REQUEUED) + 1);
    }

    long completions(int job) {
        return m.get(JAVA_LONG, JOBS + 16L * job);
    }

    long completedBy(int job) {
        return m.get(JAVA_LONG, JOBS + 16L * job + 8);
    }

    long totalDone() {
        return m.get(JAVA_LONG, TOTAL_DONE);
    }

    long totalSum() {
        return m.get(JAVA_LONG, TOTAL_SUM);
    }

    boolean intentOpen() {
        return m.get(JAVA_LONG, INTENT_JOB) != 0;
    }

    long detectedMicros() {
        return m.get(JAVA_LONG, DETECTED_MICROS);
    }

    long detector() {
        return m.get(JAVA_LONG, DETECTOR);
    }

    long repairs() {
        return m.get(JAVA_LONG, REPAIRS);
    }

    int repairedJob() {
        return (int) (m.get(JAVA_LONG, REPAIRED_JOB) - 1);
    }

    long requeued() {
        return m.get(JAVA_LONG, REQUEUED);
    }

    /** The wall clock in microseconds since the epoch (comparable between processes of one host). */
    static long nowMicros() {
        Instant t = Instant.now();
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }
}
