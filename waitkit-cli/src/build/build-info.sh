#!/bin/sh
# Writes the build's identity for `waitkit --version`: build.properties with the version, the
# git commit of the sources (with -dirty when the work tree had changes) and the build time (UTC).
# Run by Maven (exec-maven-plugin, process-resources phase) as:
#   sh build-info.sh OUTPUT_FILE VERSION SOURCE_DIR
set -eu
out=$1
version=$2
src=${3:-.}
commit=$(git -C "$src" rev-parse --short=12 HEAD 2>/dev/null) || commit=unknown
if [ "$commit" != unknown ] && [ -n "$(git -C "$src" status --porcelain --untracked-files=no 2>/dev/null | head -n 1)" ]; then
  commit=$commit-dirty
fi
mkdir -p "$(dirname "$out")"
{
  echo "# written by src/build/build-info.sh at build time; read by WaitkitCli's version provider"
  echo "version=$version"
  echo "commit=$commit"
  echo "time=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} > "$out"
