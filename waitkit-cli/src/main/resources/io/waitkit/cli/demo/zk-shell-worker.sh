#!/bin/sh
# The shell worker of `waitkit demo --zk`: a plain /bin/sh script that takes part through
# `waitkit ... --zk CONNECT` commands only (no Java of its own).
# Usage: zk-shell-worker.sh LAUNCHER CONNECT ROOT WORKER-NUMBER JOBS
#
# Like the Java workers it takes the next job number from the counter `next-job` (one atomic
# add: each number is handed out once) and runs the job holding a permit of the semaphore
# `slots` (`sem wait` keeps the permit after the command ends, `sem post` returns it). Its
# completion goes to the message queue `done`, where a Java worker records it in the ledger on
# this worker's behalf: a record is three updates under the mutex `ledger-lock`, which from a
# shell would be four commands, each a JVM start, while holding the mutex. When the jobs run
# out it waits for the manual-reset event `shutdown` and exits 0.
#
# Every command connects to the ensemble on its own (a JVM and a ZooKeeper session each): the
# worker is slower per job than a Java worker, which keeps its share of the jobs small.
#
# It prints lines for the demo to display: `S DONE TEXT` (status), `X DONE TEXT` (error), DONE
# being the jobs it has reported.
set -u
W=$1
ZK=--zk=$2
ROOT=--zk-root=$3
ID=$4
JOBS=$5
n=0

say() { echo "$1 $n $2"; }

say S "taking a job"
while :; do
  if ! v=$("$W" counter add "$ZK" "$ROOT" next-job 1); then
    say X "could not take a job number from next-job"
    exit 1
  fi
  job=$((v - 1))
  if [ "$job" -ge "$JOBS" ]; then
    break
  fi
  say S "job $job: waiting for a slot"
  if ! "$W" sem wait "$ZK" "$ROOT" --timeout=40s slots; then
    say X "job $job: no slot in 40s"
    exit 1
  fi
  say S "job $job: working"
  r=0; i=0
  while [ $i -lt 2000 ]; do r=$(( (r + i * job) % 65521 )); i=$((i + 1)); done
  if ! "$W" sem post "$ZK" "$ROOT" slots; then
    say X "job $job: could not return the slot"
    exit 1
  fi
  say S "job $job: reporting"
  if ! "$W" mq send "$ZK" "$ROOT" --timeout=40s done "$job $ID"; then
    say X "job $job: could not report"
    exit 1
  fi
  n=$((n + 1))
  say S "job $job: reported"
done
say S "no jobs left: waiting for shutdown"
if ! "$W" event wait "$ZK" "$ROOT" --timeout=80s shutdown; then
  say X "no shutdown in 80s"
  exit 1
fi
say S "shutdown: done"
