#!/bin/sh
# The shell worker of `waitkit demo`: a plain /bin/sh script that takes part through the waitkit
# command only (no Java of its own). Usage: shell-worker.sh LAUNCHER NAMESPACE-DIR WORKER-NUMBER
#
# One wait-any over the manual-reset event `shutdown` and the message queue `jobs` either ends
# the loop or takes one job; the job runs while holding a permit of the semaphore `slots`; its
# completion goes to the queue `done`, where a Java worker records it in the ledger on this
# worker's behalf (a shell cannot write the shared section).
#
# It prints lines for the demo to display: `S DONE TEXT` (status), `X DONE TEXT` (error).
set -u
W=$1
NS=--namespace=$2
ID=$3
n=0

say() { echo "$1 $n $2"; }

say S "waiting for a job"
while :; do
  # index 0: shutdown is set; index 1: a job, printed on the next line ("job ID MILLIS")
  if ! got=$("$W" wait "$NS" --timeout=30s --any shutdown jobs); then
    say X "no job and no shutdown in 30s"
    exit 1
  fi
  set -- $got
  if [ "$1" = 0 ]; then
    say S "shut down"
    exit 0
  fi
  job=$3
  say S "job $job: waiting for a slot"
  if ! "$W" sem wait "$NS" --timeout=30s slots; then
    say X "job $job: no slot in 30s"
    exit 1
  fi
  say S "job $job: running"
  r=0; i=0
  while [ $i -lt 2000 ]; do r=$(( (r + i * job) % 65521 )); i=$((i + 1)); done
  if ! "$W" sem post "$NS" slots; then
    say X "job $job: could not return the slot"
    exit 1
  fi
  say S "job $job: reporting"
  if ! "$W" mq send "$NS" --timeout=30s --priority=1 done "$job $ID"; then
    say X "job $job: could not report"
    exit 1
  fi
  n=$((n + 1))
  say S "job $job: reported"
done
