#!/bin/sh
# The shell worker of `waitkit demo --zk`: a plain /bin/sh script that takes part through
# `waitkit ... --zk CONNECT` commands only (no Java of its own).
# Usage: zk-shell-worker.sh LAUNCHER CONNECT ROOT WORKER-NUMBER JOBS MAX
#
# Like the Java workers it takes the next job number from the counter `next-job` (one atomic
# add: each number is handed out once) and runs the job holding a permit of the semaphore
# `slots` (`sem wait` keeps the permit after the command ends, `sem post` returns it). Its
# completion goes to the message queue `done`, where a Java worker records it in the ledger on
# this worker's behalf: a record is three updates under the mutex `ledger-lock`, which from a
# shell would be four commands, each a JVM start, while holding the mutex. When the jobs run
# out, or once it has done MAX of them, it waits for the manual-reset event `shutdown` and
# exits 0.
#
# Every command connects to the ensemble on its own (a JVM and a ZooKeeper session each): the
# worker is much slower per job than a Java worker, and a job it takes late in the run would
# keep the run going until it is done: hence MAX (the demo gives one in sixty of the jobs). A
# command that finds no server answering within its first-connection wait (the ensemble
# electing a leader after the demo killed one) has done nothing and is run again, three tries
# in all.
#
# It prints lines for the demo to display: `S DONE TEXT` (status), `C DONE TEXT` (a command
# tried again), `X DONE TEXT` (error), DONE being the jobs it has reported.
set -u
W=$1
ZK=--zk=$2
ROOT=--zk-root=$3
ID=$4
JOBS=$5
MAX=$6
ERR=$(dirname "$0")/zk-shell-worker.err
n=0

exec 3>&1 # the demo's lines go here, also from inside $(...)
say() { echo "$1 $n $2" >&3; }

# wk ARGS...: waitkit ARGS --zk CONNECT --zk-root ROOT, its output on stdout, its exit status
wk() {
  tries=1
  while :; do
    out=$("$W" "$@" "$ZK" "$ROOT" 2>"$ERR")
    st=$?
    if [ "$st" -eq 0 ]; then
      [ -z "$out" ] || printf '%s\n' "$out"
      return 0
    fi
    if [ "$st" -ne 1 ] || [ "$tries" -ge 3 ] || ! grep -q "the wait for a first connection" "$ERR"; then
      cat "$ERR" >&2
      return "$st"
    fi
    say C "waitkit $1 $2: no server answered (an election?), trying again"
    tries=$((tries + 1))
  done
}

# must WHY ARGS...: wk ARGS, or else an error line WHY and exit 1
must() {
  why=$1
  shift
  if ! wk "$@" >/dev/null; then
    say X "$why"
    exit 1
  fi
}

say S "taking a job"
while [ "$n" -lt "$MAX" ]; do
  if ! v=$(wk counter add next-job 1); then
    say X "could not take a job number from next-job"
    exit 1
  fi
  job=$((v - 1))
  if [ "$job" -ge "$JOBS" ]; then
    break
  fi
  say S "job $job: waiting for a slot"
  must "job $job: no slot in 40s" sem wait --timeout=40s slots
  say S "job $job: working"
  r=0; i=0
  while [ $i -lt 2000 ]; do r=$(( (r + i * job) % 65521 )); i=$((i + 1)); done
  must "job $job: could not return the slot" sem post slots
  say S "job $job: reporting"
  must "job $job: could not report" mq send --timeout=40s done "$job $ID"
  n=$((n + 1))
  say S "job $job: reported"
done
if [ "$n" -ge "$MAX" ]; then
  say S "$n of $MAX jobs done: waiting for shutdown"
else
  say S "no jobs left: waiting for shutdown"
fi
must "no shutdown in 80s" event wait --timeout=80s shutdown
say S "shutdown: done"
