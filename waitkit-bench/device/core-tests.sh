#!/bin/sh
# On the many-core machine (after prepare.sh; .device carried): the whole waitkit-core test
# suite on the JUnit console launcher, the engine stress run lasting $SECS seconds (120 by
# default). Extra system properties go in $PROPS (e.g. PROPS=-Dio.waitkit.spin.wakeAhead=false).
set -u
C=.device/core
.device/jdk/bin/java ${PROPS:-} -Dwaitkit.stress.seconds="${SECS:-120}" \
  -cp ".device/junit/$(ls .device/junit | head -1):$C/classes:$C/test-classes" \
  org.junit.platform.console.ConsoleLauncher execute --scan-classpath "$C/test-classes" \
  --config junit.jupiter.execution.timeout.default=120s --details=summary --disable-banner
