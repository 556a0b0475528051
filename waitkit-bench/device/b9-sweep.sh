#!/bin/sh
# On the many-core machine (after prepare.sh; .device carried): B9 Mutex and Semaphore under
# several spin settings, short JMH runs, peers once per thread count. Each variant is
# WINDOW:CAP:WAKEAHEAD (nanoseconds, nanoseconds, true|false), e.g. VARIANTS="20000:200000:true".
set -u
J=.device/jdk/bin/java
run() { # label threads regex extra-jvm-args
  $J -cp .device/waitkit-bench.jar org.openjdk.jmh.Main "$3" -t "$2" -f 1 -wi 2 -w 300ms -i 5 -r 300ms \
    -jvmArgs "-Xms2g -Xmx2g -XX:+UseG1GC $4" 2>&1 | grep -E "^B9Contended\." | sed "s/^/$1 threads=$2 /"
}
for t in ${THREADS:-4 8 16}; do
  run peer "$t" 'B9Contended.(reentrantLock|jucSemaphore)$' ""
  for v in ${VARIANTS:-20000:200000:true 20000:200000:false 20000:1000000:true}; do
    IFS=: read -r w c a <<X
$v
X
    run "spin=$v" "$t" 'B9Contended.(mutex|semaphore)$' "-Dio.waitkit.spin.acquireNanos=$w -Dio.waitkit.spin.queuedNanos=$w \
-Dio.waitkit.spin.acquireCapNanos=$c -Dio.waitkit.spin.queuedCapNanos=$c -Dio.waitkit.spin.wakeAhead=$a"
  done
done
