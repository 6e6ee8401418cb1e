#!/usr/bin/env bash
# Compiles BPF C sources into objects and light skeletons:
#   bpf-build.sh OUT_DIR SOURCE.bpf.c...
# For each NAME.bpf.c: OUT_DIR/NAME.bpf.o (clang -target bpf -g -O2, against a vmlinux.h dumped
# from this kernel's BTF) and OUT_DIR/NAME.lskel.h (bpftool gen skeleton -L).
set -euo pipefail
out=$1; shift
# Debug info (and so the BTF line info inside the signed metadata) names files relative to the
# repository, so the same source signs to the same metadata hash in any checkout.
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mkdir -p "$out"
for tool in clang bpftool; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bpf-build: $tool not found; install Debian packages clang llvm bpftool libbpf-dev" >&2; exit 1; }
done
btf=/sys/kernel/btf/vmlinux
[ -r "$btf" ] || { echo "bpf-build: $btf is not readable; the kernel needs CONFIG_DEBUG_INFO_BTF" >&2; exit 1; }
if [ ! -s "$out/vmlinux.h" ] || [ "$btf" -nt "$out/vmlinux.h" ]; then
  bpftool btf dump file "$btf" format c > "$out/vmlinux.h.tmp"
  mv "$out/vmlinux.h.tmp" "$out/vmlinux.h"
fi
arch=$(uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
for src in "$@"; do
  name=$(basename "$src" .bpf.c)
  clang -target bpf -g -O2 -fdebug-prefix-map="$repo_root"=. -D__TARGET_ARCH_"$arch" -I"$out" -c "$src" -o "$out/$name.bpf.o"
  bpftool gen skeleton -L "$out/$name.bpf.o" name "$name" > "$out/$name.lskel.h.tmp"
  mv "$out/$name.lskel.h.tmp" "$out/$name.lskel.h"
done
