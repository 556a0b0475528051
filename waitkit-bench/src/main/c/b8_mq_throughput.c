/*
 * B8 (BENCHMARKS.md), the POSIX peer: one producer and one consumer in two processes passing
 * fixed-size messages through a POSIX message queue (mq_send / mq_receive, both blocking). It is
 * the kernel queue the Java NamedMessageQueue is compared with.
 *
 * The parent creates the queue (O_CREAT | O_EXCL, mq_maxmsg = CAPACITY, mq_msgsize = SIZE),
 * forks; the child opens the queue by its name itself (as an unrelated process would) and sends
 * WARMUP + SAMPLES * SAMPLE_MSGS messages, message i carrying i as a little-endian 64-bit number
 * in its first 8 bytes (the other bytes are i's low byte), all of priority 0. The parent is the
 * consumer: it receives every message and checks its length and its sequence number (the next
 * one expected: nothing lost, nothing duplicated, nothing out of order), lets the first WARMUP
 * messages go unmeasured, then reads the clock after every SAMPLE_MSGS messages, waits for the
 * producer's exit, removes the queue and prints one line:
 *
 *   B8-RESULT {"peer":"posix-mq","samples_per_us":[1.52,1.49],"messages":2000000,"capacity":10}
 *
 * samples_per_us: messages per microsecond of each sample. Both sides block in the kernel only
 * (no spinning of their own). The whole run is bounded by alarm(DEADLINE_S) in both processes,
 * and the producer dies with its parent (PR_SET_PDEATHSIG). Linux only; link with -lrt on older
 * C libraries.
 *
 *   b8_mq_throughput probe CAPACITY SIZE
 * creates and removes a queue of that shape and says why it cannot, so that a caller can tell
 * "the machine cannot" from "the benchmark failed".
 *
 * usage: b8_mq_throughput run NAME CAPACITY SIZE WARMUP SAMPLES SAMPLE_MSGS DEADLINE_S
 *        b8_mq_throughput probe CAPACITY SIZE
 * exit status: 0 done, 2 usage, 3 the producer failed, 4 a system call failed,
 *              5 (probe) no such queue can be made here, 6 a message was wrong
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_SAMPLES 1000
#define MAX_SIZE 65536

static void die(const char *what) {
    fprintf(stderr, "b8_mq_throughput: %s: %s\n", what, strerror(errno));
    exit(4);
}

static long arg(const char *s, long min, long max) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max) {
        fprintf(stderr, "b8_mq_throughput: bad number: %s\n", s);
        exit(2);
    }
    return v;
}

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void put_seq(unsigned char *buf, uint64_t seq) {
    for (int i = 0; i < 8; i++) {
        buf[i] = (unsigned char) (seq >> (8 * i));
    }
}

static uint64_t get_seq(const unsigned char *buf) {
    uint64_t seq = 0;
    for (int i = 0; i < 8; i++) {
        seq |= (uint64_t) buf[i] << (8 * i);
    }
    return seq;
}

static int probe(long capacity, long size) {
    char name[64];
    snprintf(name, sizeof name, "/waitkit-b8-probe-%d", (int) getpid());
    struct mq_attr attr = { 0 };
    attr.mq_maxmsg = capacity;
    attr.mq_msgsize = size;
    mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
    if (q == (mqd_t) -1) {
        printf("B8-UNAVAILABLE mq_open of a queue of %ld messages of %ld bytes failed: %s\n", capacity, size,
               strerror(errno));
        return 5;
    }
    mq_close(q);
    mq_unlink(name);
    printf("B8-AVAILABLE\n");
    return 0;
}

static void produce(const char *name, long size, int64_t total) {
    mqd_t q = mq_open(name, O_WRONLY);
    if (q == (mqd_t) -1) {
        die("mq_open (producer)");
    }
    unsigned char buf[MAX_SIZE];
    for (int64_t i = 0; i < total; i++) {
        memset(buf + 8, (int) (i & 0xff), (size_t) size - 8);
        put_seq(buf, (uint64_t) i);
        while (mq_send(q, (const char *) buf, (size_t) size, 0) < 0) {
            if (errno != EINTR) {
                die("mq_send");
            }
        }
    }
    mq_close(q);
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "probe") == 0) {
        return probe(arg(argv[2], 1, 1 << 20), arg(argv[3], 8, MAX_SIZE));
    }
    if (argc != 9 || strcmp(argv[1], "run") != 0 || argv[2][0] != '/') {
        fprintf(stderr, "usage: b8_mq_throughput run /NAME CAPACITY SIZE WARMUP SAMPLES SAMPLE_MSGS DEADLINE_S\n"
                        "       b8_mq_throughput probe CAPACITY SIZE\n");
        return 2;
    }
    const char *name = argv[2];
    long capacity = arg(argv[3], 1, 1 << 20);
    long size = arg(argv[4], 8, MAX_SIZE);
    long warmup = arg(argv[5], 0, 1L << 40);
    long samples = arg(argv[6], 1, MAX_SAMPLES);
    long sample_msgs = arg(argv[7], 1, 1L << 40);
    long deadline_s = arg(argv[8], 1, 86400);
    int64_t total = (int64_t) warmup + (int64_t) samples * sample_msgs;
    alarm((unsigned) deadline_s);

    struct mq_attr attr = { 0 };
    attr.mq_maxmsg = capacity;
    attr.mq_msgsize = size;
    mq_unlink(name); /* a queue left by a killed earlier run of the same name */
    mqd_t q = mq_open(name, O_RDONLY | O_CREAT | O_EXCL, 0600, &attr);
    if (q == (mqd_t) -1) {
        die("mq_open (consumer)");
    }
    pid_t parent = getpid();
    pid_t child = fork();
    if (child < 0) {
        mq_unlink(name);
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
        mq_close(q);
        produce(name, size, total);
        return 0;
    }

    unsigned char buf[MAX_SIZE];
    double rate[MAX_SAMPLES];
    int64_t start = 0;
    int64_t next_mark = warmup; /* the clock is read when this many messages have come */
    long sample = -1;           /* -1: warming up */
    for (int64_t i = 0; i < total; i++) {
        if (i == next_mark) {
            int64_t t = now_ns();
            if (sample >= 0) {
                rate[sample] = (double) sample_msgs * 1000.0 / (double) (t - start);
            }
            sample++;
            start = t;
            next_mark += sample_msgs;
        }
        unsigned int prio;
        ssize_t n;
        while ((n = mq_receive(q, (char *) buf, sizeof buf, &prio)) < 0) {
            if (errno != EINTR) {
                kill(child, SIGKILL);
                mq_unlink(name);
                die("mq_receive");
            }
        }
        uint64_t seq = get_seq(buf);
        if (n != size || seq != (uint64_t) i || prio != 0 || buf[size - 1] != (unsigned char) (i & 0xff)) {
            fprintf(stderr, "b8_mq_throughput: message %lld wrong: %zd bytes, sequence number %llu, priority %u\n",
                    (long long) i, n, (unsigned long long) seq, prio);
            kill(child, SIGKILL);
            mq_unlink(name);
            return 6;
        }
    }
    int64_t t = now_ns();
    rate[sample] = (double) sample_msgs * 1000.0 / (double) (t - start);

    int status;
    if (waitpid(child, &status, 0) < 0) {
        die("waitpid");
    }
    mq_close(q);
    mq_unlink(name);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "b8_mq_throughput: the producer failed (status %d)\n", status);
        return 3;
    }
    printf("B8-RESULT {\"peer\":\"posix-mq\",\"samples_per_us\":[");
    for (long i = 0; i < samples; i++) {
        printf(i == 0 ? "%.4f" : ",%.4f", rate[i]);
    }
    printf("],\"messages\":%lld,\"capacity\":%ld}\n", (long long) total, capacity);
    return 0;
}
