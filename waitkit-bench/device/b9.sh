#!/bin/sh
# On the many-core machine, from the repository root (after prepare.sh; .device carried):
# B9a, B9b, B9c and B9s in report mode, rows to $OUT/b9-<cores>c.json.
set -u
OUT=${OUT:-.}
J=.device/jdk/bin/java
cores=$(nproc)
$J -jar .device/waitkit-bench.jar b9 --out "$OUT/b9-${cores}c.json" > "$OUT/b9.log" 2>&1
tail -40 "$OUT/b9.log"
