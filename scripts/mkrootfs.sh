#!/bin/sh
# Build the co-simulation guest's root filesystem as an initramfs (newc cpio): Debian's static
# busybox, the project's modules, tools and test scripts (with the harness sim/testlib/kite_test.sh), and
# sim/rootfs/init. Nothing from the
# host's root is copied beyond the busybox-static package's binary.
#
# Usage: scripts/mkrootfs.sh OUT.cpio MODULE.ko...
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=$1
shift

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage"/bin "$stage"/sbin "$stage"/usr/bin "$stage"/usr/sbin "$stage"/proc "$stage"/sys \
	"$stage"/dev "$stage"/tmp "$stage"/kite/modules "$stage"/kite/tests "$stage"/kite/bin
cp /bin/busybox "$stage"/bin/busybox
for applet in $(/bin/busybox --list-full); do
	[ -e "$stage/$applet" ] || ln -s /bin/busybox "$stage/$applet"
done
cp "$top"/sim/rootfs/init "$stage"/init
chmod 755 "$stage"/init
cp "$top"/sw-tests/*.sh "$stage"/kite/tests/
# The test harness the guest's lib.sh sources: the host scripts' own copy, not a second one.
cp "$top"/sim/testlib/kite_test.sh "$stage"/kite/tests/kite_test.sh
for m in "$@"; do
	cp "$m" "$stage"/kite/modules/
done
if [ -d "$top/build/guest-bin" ]; then
	cp "$top"/build/guest-bin/* "$stage"/kite/bin/ 2>/dev/null || true
fi
# The device node the kernel needs before devtmpfs is mounted.
mknod "$stage"/dev/console c 5 1 2>/dev/null || true
mknod "$stage"/dev/null c 1 3 2>/dev/null || true

(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$out.tmp"
mv "$out.tmp" "$out"
