#!/bin/sh
# Records an image's JDK AOT cache the way the image will use it: the launcher's own training mode
# (SIGIL_AOT_TRAIN=1), run inside a copy of the image's root filesystem (chroot, so the runtime and
# the jar sit at the paths they have in the image), every file's time set to what Jib gives it (the
# JVM checks the jar's size and time against the cache). Needs root (chroot); without it the image
# is built without a cache and its launcher starts the JVM as usual.
# Usage: record-aot-cache.sh ROOTFS APP_DIR LAUNCHER [TRAINING_FILE]
#   APP_DIR holds the jar; the cache is written next to it, as Jib then copies it to /app (log: APP_DIR.aot.log).
#   TRAINING_FILE is copied to /tmp in the copy and passed to the training (the CLI signs it).
set -eu
rootfs=$1 app=$2 launcher=$3 training_file=${4:-}
if [ "$(id -u)" -ne 0 ]; then
    echo "images: not root, so $launcher's image gets no AOT cache (recording it needs chroot)" >&2
    exit 0
fi
scratch=$(mktemp -d "${TMPDIR:-/tmp}/sigil-image-aot.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
cp -a "$rootfs/." "$scratch/"
mkdir -p "$scratch/app" "$scratch/proc" "$scratch/tmp"
cp "$app"/*.jar "$scratch/app/"
set --
if [ -n "$training_file" ]; then
    cp "$training_file" "$scratch/tmp/"
    set -- "/tmp/$(basename "$training_file")"
fi
# Jib's filesModificationTime EPOCH_PLUS_SECOND, for every file the cache records.
find "$scratch" -exec touch -h -d @1 {} +
env -i PATH=/usr/local/bin:/opt/java/bin:/bin:/usr/sbin:/usr/bin SIGIL_AOT_TRAIN=1 \
    unshare --mount --pid --fork --mount-proc="$scratch/proc" chroot "$scratch" "/usr/local/bin/$launcher" "$@" \
    > "$app.aot.log" 2>&1 || { echo "images: recording the AOT cache failed; see $app.aot.log" >&2; exit 1; }
cp "$scratch"/app/*.aot "$app/"
echo "images: recorded $(ls "$scratch"/app/*.aot | xargs -n1 basename) for the $launcher image" >&2
