#!/bin/sh
# Makes the installable archive of the waitkit command (Maven package phase, exec-maven-plugin):
#   target/waitkit-VERSION/{bin/waitkit, bin/find-jdk, lib/*.jar, lib/zk/*.jar, README}
#   target/waitkit-VERSION.tar.gz of that folder
# bin/waitkit is the repository's ./waitkit launcher, which recognizes the installed layout.
#   sh dist.sh REPOSITORY_ROOT TARGET_DIR VERSION
set -eu
root=$1
target=$2
version=$3
name=waitkit-$version
dist=$target/$name
rm -rf "$dist" "$target/$name.tar.gz"
mkdir -p "$dist/bin" "$dist/lib"
cp "$root/waitkit" "$dist/bin/waitkit"
cp "$root/bin/find-jdk" "$dist/bin/find-jdk"
chmod 755 "$dist/bin/waitkit" "$dist/bin/find-jdk"
cp "$target/waitkit-cli.jar" "$dist/lib/"
cp "$target"/lib/*.jar "$dist/lib/"
# the jars only a command line with --zk needs (the launcher adds them for it)
if [ -d "$target/lib/zk" ]; then
  mkdir -p "$dist/lib/zk"
  cp "$target"/lib/zk/*.jar "$dist/lib/zk/"
fi
cat > "$dist/README" <<TXT
waitkit $version: the command line of Waitkit (see the README of the Waitkit repository).

Needs a JDK 25 or newer: \$JAVA_HOME when it is new enough, else one of the standard install
folders (bin/find-jdk says where it looks). Put bin/waitkit on the PATH, for example:
  ln -s "\$PWD/bin/waitkit" ~/.local/bin/waitkit

The first run makes a start-up cache (JDK AOT cache) in \${XDG_CACHE_HOME:-~/.cache}/waitkit/aot/
(about 2 s, once per set of jars and JDK); later runs use it. Clear it with
  rm -rf "\${XDG_CACHE_HOME:-\$HOME/.cache}/waitkit/aot"
and run without it with WAITKIT_AOT=off.
TXT
(cd "$target" && tar -czf "$name.tar.gz" "$name")
echo "waitkit-cli: wrote $target/$name.tar.gz"
