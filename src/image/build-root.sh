#!/usr/bin/env bash
# Lays out the files the image adds on top of its base (Jib's extraDirectories), for `mvn -Pimage package`.
#
#   build-root.sh OUT BASE JAVA_HOME MODULES
#
# BASE "scratch" (the default): OUT gets a whole root filesystem for the JVM: a Java runtime linked by
# jlink from JAVA_HOME's jmods (MODULES, comma-separated) at /opt/java/openjdk, every shared library
# that runtime loads (found with ldd, copied to the path ldd resolved it to, plus the dynamic loader),
# and the few files under src/image/rootfs (passwd, group, hosts, nsswitch.conf).
# Any other BASE (e.g. eclipse-temurin:17-jre) brings its own Java and /etc: OUT gets hookgate's
# working directory only.
set -euo pipefail

out=$1 base=$2 java_home=$3 modules=$4
here=$(cd "$(dirname "$0")" && pwd)

rm -rf "$out"
mkdir -p "$out/var/lib/hookgate"
if [ "$base" != scratch ]; then
    echo "image root: base $base brings its own Java runtime; adding the working directory only"
    exit 0
fi

jre=$out/opt/java/openjdk
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
    --output "$jre"
# jlink links a few legal notices as symbolic links; Jib would add them as copies anyway
find "$jre" -type l | while read -r link; do
    target=$(readlink -f "$link"); rm "$link"; cp "$target" "$link"
done

# Shared libraries outside the runtime that its launcher and native libraries need. A library that
# ldd cannot find on this machine stops the build: the image would fail when it loads it. (libjvm.so
# and its neighbours are found the way the launcher finds them, in the runtime's own lib/.)
libs=$(mktemp)
find "$jre/bin" "$jre/lib" -type f \( -perm -u+x -o -name '*.so' \) | while read -r elf; do
    LD_LIBRARY_PATH="$jre/lib/server:$jre/lib" ldd "$elf" 2>/dev/null || true
done | awk '
    /not found/ { print "MISSING " $1; next }
    $2 == "=>" && $3 ~ /^\// { print $3 }
    $1 ~ /^\// { print $1 }' | sort -u > "$libs"
if grep -q '^MISSING' "$libs"; then
    echo "image root: libraries not found by ldd:" >&2; grep '^MISSING' "$libs" >&2; exit 1
fi
grep -v "^$jre/" "$libs" | while read -r lib; do
    mkdir -p "$out$(dirname "$lib")"
    cp -L "$lib" "$out$lib"
done

cp -R "$here/rootfs/." "$out/"
mkdir -p "$out/tmp"
echo "image root: Java runtime ($modules) and $(grep -vc "^$jre/" "$libs") system libraries in $out ($(du -sh "$out" | cut -f1))"
rm -f "$libs"
