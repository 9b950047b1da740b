#!/bin/sh
# Build the co-simulation kernel: User-Mode Linux from Debian's linux-source-6.1, with kite's
# config fragment (sim/uml/kite.config) and patches (sim/uml/patches/*.patch).
#
# The result is cached in build/uml/: the kernel is rebuilt only when the source tarball, the
# fragment or a patch changes (their hashes are kept in build/uml/stamp).
#
# Usage: scripts/build-kernel.sh [BUILD_DIR]    (default: build)
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
tarball=/usr/src/linux-source-6.1.tar.xz
out=$build/uml
src=$out/linux-source-6.1
jobs=$(nproc)

[ -f "$tarball" ] || { echo "build-kernel: $tarball missing; run scripts/install-deps.sh" >&2; exit 1; }

stamp_now=$( (ls -l --time-style=+%s "$tarball" | awk '{print $5, $6}';
	cat "$top/sim/uml/kite.config" "$top"/sim/uml/patches/*.patch) | sha256sum | cut -d' ' -f1)

up_to_date() {
	[ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$stamp_now" ] && [ -x "$src/linux" ]
}
if up_to_date; then
	echo "build-kernel: cached kernel is up to date ($src/linux)"
	exit 0
fi

# One build at a time; a second caller waits and then finds the kernel built.
mkdir -p "$out"
exec 9> "$out/.lock"
flock 9
if up_to_date; then
	echo "build-kernel: cached kernel is up to date ($src/linux)"
	exit 0
fi

# Build beside the cached tree and replace it only when the build succeeded, so that an
# interrupted or failed build never leaves a half-built tree behind.
new_src=$out/linux-source-6.1.new
echo "build-kernel: building UML kernel in $src (a few minutes, once)"
rm -rf "$new_src" "$out/unpack"
mkdir -p "$out/unpack"
tar -C "$out/unpack" -xf "$tarball"
mv "$out/unpack/linux-source-6.1" "$new_src"
rmdir "$out/unpack"
for p in "$top"/sim/uml/patches/*.patch; do
	echo "build-kernel: applying $(basename "$p")"
	patch -d "$new_src" -p1 -s < "$p"
done

cd "$new_src"
make -s ARCH=um defconfig
scripts/kconfig/merge_config.sh -m -O . .config "$top/sim/uml/kite.config" >/dev/null
make -s ARCH=um olddefconfig

# Every line of the fragment must have survived (a typo or an unmet dependency is an error).
missing=0
grep -E '^CONFIG_[A-Z0-9_]+=' "$top/sim/uml/kite.config" | while IFS= read -r line; do
	opt=${line%%=*}
	val=${line#*=}
	if [ "$val" = n ]; then
		grep -q "^$opt=" .config && { echo "build-kernel: $opt should be unset" >&2; echo x; }
	else
		grep -qx "$line" .config || { echo "build-kernel: $line did not survive olddefconfig" >&2; echo x; }
	fi
	# the loop's status is its last test's (set -e): the verdict is the file, not the status
	true
done > "$out/config-check"
if [ -s "$out/config-check" ]; then
	exit 1
fi

make -s ARCH=um -j"$jobs" linux modules
make -s ARCH=um modules_prepare
cd "$out"
rm -rf "$src" "$out/stamp"
mv "$new_src" "$src"
echo "$stamp_now" > "$out/stamp"
echo "build-kernel: done ($src/linux)"
