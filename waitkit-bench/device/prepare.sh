#!/bin/sh
# Prepares .device/ (git-ignored) at the repository root for runs on a many-core machine that
# has no JDK and no Maven (see DEVELOPERS.md, "Runs on a many-core machine"):
#   .device/jdk/          a trimmed JDK 25 runtime made with jlink (about 45 MB)
#   .device/waitkit-bench.jar, .device/core/{classes,test-classes}, .device/junit/*.jar
#   .device/*.sh          the scripts of this folder
# It builds the modules first with the Maven wrapper (tests skipped).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
JAVA_HOME=$("$root/bin/find-jdk") || exit 1
export JAVA_HOME
cd "$root"
./mvnw -q -pl waitkit-bench -am package -DskipTests
./mvnw -q -pl waitkit-core test-compile
junit=$(sed -n 's:.*<junit.version>\(.*\)</junit.version>.*:\1:p' pom.xml)
rm -rf .device
mkdir -p .device/core .device/junit
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,java.management,jdk.management,jdk.unsupported,jdk.jfr \
  --strip-debug --no-header-files --no-man-pages --compress zip-9 --output .device/jdk
cp waitkit-bench/target/waitkit-bench.jar .device/
cp -r waitkit-core/target/classes waitkit-core/target/test-classes .device/core/
./mvnw -q dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit" \
  -DoutputDirectory=.device/junit
cp "$here"/b9.sh "$here"/b9-sweep.sh "$here"/core-tests.sh .device/
du -sh .device
