/*
 * B7 (BENCHMARKS.md), the C peer: a ping-pong between two processes over two auto-reset events
 * made of a 32-bit word each in a MAP_SHARED mapping of a file, blocking with shared futexes
 * (no FUTEX_PRIVATE_FLAG). It is the floor the Java NamedEvent ping-pong is compared with.
 *
 * Each event is a word (0 not signalled, 1 signalled) and a count of sleepers, on a cache line of
 * its own:
 *   set:  CAS word 0 -> 1; if that changed it and the sleeper count is not 0, FUTEX_WAKE 1.
 *   wait: "spin" variant: up to SPINS attempts of CAS word 1 -> 0 (with a pause between them);
 *         then (both variants) count itself as a sleeper, and until a CAS 1 -> 0 succeeds
 *         FUTEX_WAIT while the word is 0; then uncount itself.
 * Word and count are sequentially consistent on both sides, so either the waiter sees the word
 * set or the setter sees the sleeper (and FUTEX_WAIT rechecks the word in the kernel).
 *
 * The parent creates and maps the file, forks; the child opens and maps the file itself (as an
 * unrelated process would) and echoes: wait(ping); set(pong); forever. The parent warms up, then
 * takes SAMPLES samples of at least SAMPLE_MS each, one round trip being set(ping); wait(pong),
 * kills the child and prints one line:
 *
 *   B7-RESULT {"peer":"c-spin","samples_ns":[812.5,799.1],"round_trips":123456}
 *
 * samples_ns: nanoseconds per round trip of each sample. Every futex wait is bounded (10 s, then
 * exit status 3), the whole run by alarm(DEADLINE_S), and the child dies with its parent
 * (PR_SET_PDEATHSIG). Linux only.
 *
 * usage: b7_futex_pingpong spin|wait FILE WARMUP_MS SAMPLES SAMPLE_MS DEADLINE_S
 * exit status: 0 done, 2 usage, 3 a wait timed out or the echo process died, 4 a system call failed
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SPINS 100
#define WAIT_LIMIT_S 10
#define MAX_SAMPLES 1000
/* round trips between two clock reads */
#define BATCH 16

struct event {
    _Atomic uint32_t word;
    _Atomic uint32_t sleepers;
    char pad[64 - 2 * sizeof(uint32_t)];
};

struct shared {
    struct event ping;
    struct event pong;
};

static int spins;

static void die(const char *what) {
    fprintf(stderr, "b7_futex_pingpong: %s: %s\n", what, strerror(errno));
    exit(4);
}

static inline void cpu_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

static long futex(_Atomic uint32_t *addr, int op, uint32_t val, const struct timespec *timeout) {
    return syscall(SYS_futex, (uint32_t *) addr, op, val, timeout, NULL, 0);
}

static void event_set(struct event *e) {
    uint32_t expected = 0;
    if (!atomic_compare_exchange_strong(&e->word, &expected, 1)) {
        return; /* already signalled */
    }
    if (atomic_load(&e->sleepers) != 0) {
        if (futex(&e->word, FUTEX_WAKE, 1, NULL) < 0) {
            die("FUTEX_WAKE");
        }
    }
}

static inline int try_take(struct event *e) {
    uint32_t expected = 1;
    return atomic_load_explicit(&e->word, memory_order_relaxed) == 1
            && atomic_compare_exchange_strong(&e->word, &expected, 0);
}

static void event_wait(struct event *e) {
    for (int i = 0; i < spins; i++) {
        if (try_take(e)) {
            return;
        }
        cpu_pause();
    }
    atomic_fetch_add(&e->sleepers, 1);
    struct timespec limit = { WAIT_LIMIT_S, 0 };
    while (!try_take(e)) {
        if (futex(&e->word, FUTEX_WAIT, 0, &limit) < 0) {
            if (errno == ETIMEDOUT) {
                fprintf(stderr, "b7_futex_pingpong: no signal within %d s (pid %d)\n", WAIT_LIMIT_S, (int) getpid());
                exit(3);
            }
            if (errno != EAGAIN && errno != EINTR) {
                die("FUTEX_WAIT");
            }
        }
    }
    atomic_fetch_sub(&e->sleepers, 1);
}

static struct shared *map(const char *path, int create) {
    int fd = open(path, create ? O_RDWR | O_CREAT | O_EXCL : O_RDWR, 0600);
    if (fd < 0) {
        die(path);
    }
    if (create && ftruncate(fd, sizeof(struct shared)) < 0) {
        die("ftruncate");
    }
    void *p = mmap(NULL, sizeof(struct shared), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        die("mmap");
    }
    close(fd);
    return p;
}

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Runs round trips for at least nanos; returns how many, and the exact time in *elapsed. */
static int64_t run_for(struct shared *s, int64_t nanos, int64_t *elapsed) {
    int64_t start = now_ns();
    int64_t count = 0;
    int64_t t;
    do {
        for (int i = 0; i < BATCH; i++) {
            event_set(&s->ping);
            event_wait(&s->pong);
        }
        count += BATCH;
        t = now_ns();
    } while (t - start < nanos);
    *elapsed = t - start;
    return count;
}

static long arg(const char *s, long min, long max) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max) {
        fprintf(stderr, "b7_futex_pingpong: bad number: %s\n", s);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv) {
    if (argc != 7 || (strcmp(argv[1], "spin") != 0 && strcmp(argv[1], "wait") != 0)) {
        fprintf(stderr, "usage: b7_futex_pingpong spin|wait FILE WARMUP_MS SAMPLES SAMPLE_MS DEADLINE_S\n");
        return 2;
    }
    spins = strcmp(argv[1], "spin") == 0 ? SPINS : 0;
    const char *path = argv[2];
    long warmup_ms = arg(argv[3], 0, 3600000);
    long samples = arg(argv[4], 1, MAX_SAMPLES);
    long sample_ms = arg(argv[5], 1, 3600000);
    long deadline_s = arg(argv[6], 1, 86400);
    alarm((unsigned) deadline_s);

    struct shared *s = map(path, 1);
    pid_t parent = getpid();
    pid_t child = fork();
    if (child < 0) {
        die("fork");
    }
    if (child == 0) {
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) {
            die("prctl");
        }
        if (getppid() != parent) {
            return 3;
        }
        alarm((unsigned) deadline_s);
        struct shared *e = map(path, 0);
        for (;;) {
            event_wait(&e->ping);
            event_set(&e->pong);
        }
    }

    int64_t elapsed;
    run_for(s, warmup_ms * 1000000, &elapsed);
    double ns[MAX_SAMPLES];
    int64_t total = 0;
    for (long i = 0; i < samples; i++) {
        int64_t n = run_for(s, sample_ms * 1000000, &elapsed);
        ns[i] = (double) elapsed / (double) n;
        total += n;
    }
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    unlink(path);

    printf("B7-RESULT {\"peer\":\"c-%s\",\"samples_ns\":[", argv[1]);
    for (long i = 0; i < samples; i++) {
        printf(i == 0 ? "%.1f" : ",%.1f", ns[i]);
    }
    printf("],\"round_trips\":%lld}\n", (long long) total);
    return 0;
}
