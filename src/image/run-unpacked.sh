#!/usr/bin/env bash
# Runs hookgate's OCI image tarball without any container engine: unpacks its layers into a root
# filesystem and starts the image's entrypoint there the way a runtime would (chroot, the image's
# working directory, user and environment, a fresh /proc), in its own mount and PID namespaces.
# Needs root, util-linux's unshare, python3 (to read the image's JSON), and curl + iproute2 for --check.
#
#   src/image/run-unpacked.sh [--check] [-e NAME=VALUE]... [IMAGE_TAR]
#
# IMAGE_TAR defaults to target/hookgate-image.tar (`mvn -B -Pimage package -DskipTests`); the root
# filesystem goes to target/image-rootfs. Without --check it runs hookgate in the foreground on this
# machine's network (ports 8080 and 9876) until Ctrl-C; -e adds environment variables, like `docker run -e`.
# --check instead runs it in dev mode (HOOKGATE_DEV_MODE=true: embedded Kafka broker, public dev secrets)
# in private network and UTS namespaces, with a settings file given through HOOKGATE_CONFIG; waits for
# http://localhost:9876/observe/health, posts a signed Toloka sample to http://localhost:8080, and
# exits 0 only if both answered 200.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
check=false
envs=()
tarball=
while [ $# -gt 0 ]; do
    case $1 in
        --check) check=true ;;
        -e) envs+=("$2"); shift ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) tarball=$1 ;;
    esac
    shift
done
tarball=${tarball:-$repo/target/hookgate-image.tar}
[ -f "$tarball" ] || { echo "no image tarball at $tarball: build it with mvn -B -Pimage package -DskipTests" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "run-unpacked.sh needs root (chroot, namespaces)" >&2; exit 2; }

work=$(dirname "$(readlink -f "$tarball")")
layout=$work/image-layout
root=$work/image-rootfs
rm -rf "$layout" "$root"
mkdir -p "$layout" "$root"
tar -xf "$tarball" -C "$layout"

# index.json -> the manifest -> the config and the layers, in order (OCI layout; Jib's Docker-format tar
# has a manifest.json instead)
python3 - "$layout" > "$layout/layers" <<'PY'
import json, os, sys
d = sys.argv[1]
blob = lambda digest: os.path.join(d, "blobs", *digest.split(":", 1))
if os.path.exists(os.path.join(d, "index.json")):
    index = json.load(open(os.path.join(d, "index.json")))
    manifest = json.load(open(blob(index["manifests"][0]["digest"])))
    config, layers = blob(manifest["config"]["digest"]), [blob(l["digest"]) for l in manifest["layers"]]
else:
    m = json.load(open(os.path.join(d, "manifest.json")))[0]
    config, layers = os.path.join(d, m["Config"]), [os.path.join(d, l) for l in m["Layers"]]
os.replace(config, os.path.join(d, "config.json"))
print("\n".join(layers))
PY
while read -r layer; do
    tar --warning=no-unknown-keyword --numeric-owner -xzf "$layer" -C "$root"
done < "$layout/layers"
if find "$root" -name '.wh.*' | grep -q .; then
    echo "the image has whiteout files, which this script does not apply" >&2; exit 1
fi
mkdir -p "$root/proc" "$root/dev"

# The process a runtime would start: chroot, cd to WorkingDir, drop to User, exec Entrypoint + Cmd with Env.
exec_image='
import json, os, sys
root, config = sys.argv[1], json.load(open(sys.argv[2]))["config"]
env = dict(e.split("=", 1) for e in config.get("Env", []))
env.update(e.split("=", 1) for e in sys.argv[3:])
user, _, group = (config.get("User") or "0").partition(":")
uid, gid, home = int(user), int(group or user), "/"
for line in open(os.path.join(root, "etc/passwd")) if os.path.exists(os.path.join(root, "etc/passwd")) else []:
    f = line.strip().split(":")
    if len(f) > 5 and f[2] == str(uid):
        home = f[5]
env.setdefault("HOME", home)
env.setdefault("HOSTNAME", "hookgate")
argv = (config.get("Entrypoint") or []) + (config.get("Cmd") or [])
os.chroot(root)
os.chdir(config.get("WorkingDir") or "/")
os.setgroups([]); os.setgid(gid); os.setuid(uid)
print("image process: uid=%d gid=%d cwd=%s argv=%s" % (os.getuid(), os.getgid(), os.getcwd(), argv), file=sys.stderr, flush=True)
os.execvpe(argv[0], argv, env)
'
# /proc of the new PID namespace, and the device files a JVM opens; both go away with the mount namespace
mount_image() {
    mount -t proc proc "$root/proc"
    for dev in null zero full random urandom; do
        touch "$root/dev/$dev"; mount --bind "/dev/$dev" "$root/dev/$dev"
    done
}
export root layout exec_image
export -f mount_image

if ! $check; then
    exec unshare --mount --pid --fork bash -c 'mount_image; exec python3 -c "$exec_image" "$root" "$layout/config.json" "$@"' \
        run-unpacked "${envs[@]}"
fi

# --check: settings through HOOKGATE_CONFIG, as a mounted file would give them
mkdir -p "$root/etc/hookgate"
printf 'camel.main.name=hookgate-image-check\n' > "$root/etc/hookgate/hookgate.properties"
envs=(HOOKGATE_DEV_MODE=true HOOKGATE_CONFIG=/etc/hookgate/hookgate.properties "${envs[@]}")
log=$work/image-check.log
export log repo
exec unshare --mount --pid --net --uts --fork bash -c '
set -euo pipefail
ip link set lo up
# a host name of its own that resolves, as a runtime gives a container
echo hookgate > /proc/sys/kernel/hostname
printf "127.0.1.1\thookgate\n" >> "$root/etc/hosts"
mount_image
python3 -c "$exec_image" "$root" "$layout/config.json" "$@" > "$log" 2>&1 &
pid=$!
stop() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
trap stop EXIT
for _ in $(seq 1 120); do
    curl -fsS -o /dev/null http://localhost:9876/observe/health 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { echo "hookgate exited; its log:"; cat "$log"; exit 1; }
    sleep 1
done
echo "--- the image process (uid, gid, working directory):"
grep "^image process:" "$log"
awk "/^(Name|Uid|Gid):/" "$root/proc/$pid/status"
echo "--- settings from HOOKGATE_CONFIG (camel.main.name):"
grep -m1 -o "hookgate-image-check[^ ]* [^ ]* started[^\"]*" "$log" || grep -m1 "hookgate-image-check" "$log"
echo "--- curl http://localhost:9876/observe/health"
health=$(curl -sS -w "\n%{http_code}" http://localhost:9876/observe/health)
echo "$health"
echo "--- a signed Toloka sample (io.hookgate.tools.Sign --dev --curl), sent with curl"
body="{\"events\":[{\"uuid\":\"u1\",\"pool_id\":\"p1\",\"type\":\"ASSIGNMENT_APPROVED\",\"assignment_id\":\"a1\"}]}"
command=$(java -cp "$repo/target/classes" io.hookgate.tools.Sign toloka --dev --curl --data "$body" 2>/dev/null)
answer=$(eval "$command")
echo "$answer"
[ "$(tail -n1 <<<"$health")" = 200 ] || { echo "image check FAILED: health did not answer 200"; exit 1; }
grep -q "^HTTP/1.1 200" <<<"$answer" || { echo "image check FAILED: the signed sample was not accepted"; exit 1; }
echo "image check passed (hookgate log: $log)"
' run-unpacked "${envs[@]}"
