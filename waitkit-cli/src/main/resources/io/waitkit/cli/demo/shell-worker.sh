#!/bin/sh
# The shell worker of `waitkit demo`: a plain /bin/sh script that takes part through the waitkit
# command only (no Java of its own). Usage: shell-worker.sh LAUNCHER NAMESPACE-DIR WORKER-NUMBER
#
# It takes jobs from the named queue `jobs`, runs each while holding a permit of the named
# semaphore `slots`, and reports the completion on the named queue `done`, where a Java worker
# records it in the ledger on its behalf (a shell cannot write the shared section). It stops when
# the queue stays empty and the manual-reset event `shutdown` is set.
#
# It prints lines for the demo to display: `S DONE TEXT` (status), `X DONE TEXT` (cannot run).
set -u
W=$1
WAITKIT_NAMESPACE=$2
ID=$3
export WAITKIT_NAMESPACE
n=0

say() { echo "$1 $n $2"; }

# the object commands arrived with the waitkit-ipc commands; an older CLI has none
if ! "$W" mq --help >/dev/null 2>&1; then
  say X "this waitkit command has no 'mq' command: shell worker skipped"
  exit 3
fi

say S "waiting for a job"
while :; do
  if ! msg=$("$W" mq recv jobs --timeout 1s 2>/dev/null) || [ -z "$msg" ]; then
    # nothing came: stop once shutdown is set, otherwise wait again
    if "$W" event wait shutdown --timeout 0s >/dev/null 2>&1; then
      say S "shut down"
      exit 0
    fi
    say S "idle"
    continue
  fi
  set -- $msg                       # job ID MILLIS
  job=$2
  say S "job $job: waiting for a slot"
  if ! "$W" sem wait slots --timeout 30s >/dev/null; then
    say X "job $job: no slot in 30s"
    exit 1
  fi
  say S "job $job: running"
  r=0; i=0
  while [ $i -lt 2000 ]; do r=$(( (r + i * job) % 65521 )); i=$((i + 1)); done
  "$W" sem post slots >/dev/null
  say S "job $job: reporting"
  if ! "$W" mq send done "$job $ID" --priority 1 >/dev/null; then
    say X "job $job: could not report"
    exit 1
  fi
  n=$((n + 1))
  say S "job $job: reported"
done
