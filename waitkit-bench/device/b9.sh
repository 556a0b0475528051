#!/bin/sh
# On the many-core machine, from the repository root (after prepare.sh; .device carried):
# B9 in report mode, rows to $OUT/b9-<cores>c.json, then the fair j.u.c. locks for context.
set -u
OUT=${OUT:-.}
J=.device/jdk/bin/java
cores=$(nproc)
$J -jar .device/waitkit-bench.jar b9 --out "$OUT/b9-${cores}c.json" > "$OUT/b9.log" 2>&1
tail -14 "$OUT/b9.log"
for t in 2 4 8 16; do
  $J -cp .device/waitkit-bench.jar org.openjdk.jmh.Main 'B9Contended.fair.*' -t $t -f 1 -wi 2 -w 300ms -i 4 -r 300ms \
    -jvmArgs "-Xms2g -Xmx2g -XX:+UseG1GC" 2>&1 | grep -E "^B9Contended\." | sed "s/^/threads=$t /"
done | tee "$OUT/b9-fair.txt"
