#!/bin/sh
# Portability builds of the kite driver, with warnings as errors (Kbuild's -Werror, plus W=1),
# one PASS/FAIL line per target:
#   driver-build-amd64   against Debian's amd64 headers (package linux-headers-amd64, i.e. the
#                        current linux-headers-6.1.0-*-amd64 in /usr/src)
#   driver-build-armhf   ARCH=arm (Zynq-7000): multi_v7_defconfig, arm-linux-gnueabihf-
#   driver-build-arm64   ARCH=arm64 (Zynq UltraScale+): defconfig, aarch64-linux-gnu-
#
# The ARM kernel trees come from Debian's linux-source-6.1 tarball, unpacked once into
# build/xkernel/src/ and configured/prepared out of tree (O=) in build/xkernel/<arch>/obj, with
# CONFIG_USB, PCI, OF, OF_RESERVED_MEM and MODULES on. Only `modules_prepare` is run (no
# vmlinux), so these trees have no Module.symvers: their driver builds use KBUILD_MODPOST_WARN=1
# and ignore modpost's "undefined!" / "Module.symvers is missing" warnings (which are expected
# without a vmlinux); every other warning or error, from the compiler or modpost, is a FAIL. The
# amd64 headers do ship Module.symvers, so that build runs modpost in full, strictly.
# A prepared tree is kept while build/xkernel/<arch>/stamp matches the tarball, the config
# choices and the cross compiler, so a second run only rebuilds the driver (seconds).
#
# The driver is copied to build/xdriver/<target>/ and built there; driver/ is not touched.
# Missing packages (linux-headers-amd64, gcc-arm-linux-gnueabihf, gcc-aarch64-linux-gnu) are
# installed with apt-get (needs root or sudo); nothing is installed when they are present.
#
# Usage: scripts/driver-builds.sh [-t PATTERN] [BUILD_DIR]   (default: build). -t PATTERN (or
# KT_FILTER=PATTERN) selects targets by test name, as for every kite test (docs/testing.md).
# Ends with `N passed, N failed`; exit status 1 if a target fails.
set -u
unset MAKEFLAGS MFLAGS MAKELEVEL ARCH CROSS_COMPILE

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/sim/testlib/kite_test.sh"
build=$top/build
while [ $# -gt 0 ]; do
	kt_option "$@" && { shift "$kt_shift"; continue; }
	build=$1
	shift
done
mkdir -p "$build"
build=$(cd "$build" && pwd)
tarball=/usr/src/linux-source-6.1.tar.xz
xk=$build/xkernel
xd=$build/xdriver
jobs=$(nproc)
# Bump when the preparation below changes, to invalidate the cached trees.
prep_version=1
config_opts="USB PCI OF OF_RESERVED_MEM MODULES"

log() { echo "driver-builds: $*" >&2; }

# --- packages, for the selected targets
pkgs=
want driver-build-amd64 && pkgs="$pkgs linux-headers-amd64"
want driver-build-armhf && pkgs="$pkgs gcc-arm-linux-gnueabihf"
want driver-build-arm64 && pkgs="$pkgs gcc-aarch64-linux-gnu"
[ -n "$pkgs" ] || { kt_finish; exit; }
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	log "installing:$missing"
	if [ "$(id -u)" -eq 0 ]; then
		sudo=
	elif command -v sudo >/dev/null 2>&1; then
		sudo=sudo
	else
		sudo=false
	fi
	# shellcheck disable=SC2086
	if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q $missing >&2; then
		$sudo apt-get update -q >&2
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q $missing >&2 ||
			log "could not install:$missing"
	fi
fi

# Expected modpost noise for trees without a vmlinux; anything else that looks like a
# diagnostic fails the build.
diag_re='(warning|error):|^WARNING:|^ERROR:'
ignore_re='^WARNING: Module\.symvers is missing\.$|^WARNING: modpost: "[^"]+" \[[^]]+\] undefined!$|^WARNING: modpost: suppressed [0-9]+ unresolved symbol warnings'
diags() {
	grep -E "$diag_re" "$1" | grep -v -E "$ignore_re"
}
first_diag() {
	fd_line=$(diags "$1" | head -n 1)
	if [ -n "$fd_line" ]; then
		echo "$fd_line"
	else
		tail -n 1 "$1"
	fi
}

# --- the unpacked source (shared by the ARM trees, never configured in place)
tar_key=$(stat -c '%s %Y' "$tarball" 2>/dev/null)
src=$xk/src/linux-source-6.1
prepare_src() {
	[ -f "$xk/src/stamp" ] && [ "$(cat "$xk/src/stamp")" = "$tar_key" ] &&
		[ -f "$src/Makefile" ] && return 0
	log "unpacking $tarball into $xk/src (once)"
	rm -rf "$xk/src"
	mkdir -p "$xk/src"
	tar -C "$xk/src" -xf "$tarball" || return 1
	echo "$tar_key" > "$xk/src/stamp"
}

# prepare_tree ARCH-NAME KARCH CROSS DEFCONFIG: configure and modules_prepare
# build/xkernel/<name>/obj unless its stamp is current. Sets $tree_err on failure.
prepare_tree() {
	name=$1 karch=$2 cross=$3 defconfig=$4
	out=$xk/$name
	obj=$out/obj
	tree_err=
	if ! command -v "${cross}gcc" >/dev/null 2>&1; then
		tree_err="${cross}gcc not installed"
		return 1
	fi
	key=$(printf '%s\n' "v$prep_version" "$tar_key" "$karch" "$cross" "$defconfig" \
		"$config_opts" "$("${cross}gcc" --version | head -n 1)" | sha256sum | cut -d' ' -f1)
	if [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$key" ] &&
	   [ -f "$obj/include/generated/autoconf.h" ]; then
		return 0
	fi
	log "preparing $name kernel tree in $obj (a few minutes, once)"
	rm -rf "$obj" "$out/stamp"
	mkdir -p "$obj"
	plog=$out/prepare.log
	mk="make -C $src O=$obj ARCH=$karch CROSS_COMPILE=$cross"
	enables=
	for o in $config_opts; do
		enables="$enables --enable $o"
	done
	# shellcheck disable=SC2086
	{
		$mk "$defconfig" &&
		"$src/scripts/config" --file "$obj/.config" $enables &&
		$mk olddefconfig
	} >"$plog" 2>&1 || { tree_err="config failed: $(tail -n 1 "$plog")"; return 1; }
	for o in $config_opts; do
		if ! grep -qx "CONFIG_$o=y" "$obj/.config"; then
			tree_err="CONFIG_$o=y did not survive olddefconfig"
			return 1
		fi
	done
	$mk -j"$jobs" modules_prepare >>"$plog" 2>&1 ||
		{ tree_err="modules_prepare failed: $(first_diag "$plog")"; return 1; }
	echo "$key" > "$obj/.kite-key"
	echo "$key" > "$out/stamp"
}

# build_driver TARGET KDIR [make variables...]: build a copy of driver/ in build/xdriver/<target>/
# with W=1 and report. The copy is incremental (unchanged files keep their mtime, so make only
# recompiles what changed, and a rerun with nothing changed takes seconds); it is started afresh
# when the kernel tree changed or the last build there failed.
build_driver() {
	target=$1 kdir=$2
	shift 2
	d=$xd/$target
	tree_key=$(cat "$kdir/.kite-key" 2>/dev/null || echo "$kdir")
	if [ ! -f "$d/.kite-ok" ] || [ "$(cat "$d/.kite-ok")" != "$tree_key" ]; then
		rm -rf "$d"
	fi
	rm -f "$d/.kite-ok"
	mkdir -p "$d"
	for f in "$d"/*.c "$d"/*.h; do
		[ -f "$f" ] || continue
		case "$f" in
		*.mod.c) ;;
		*) [ -f "$top/driver/${f##*/}" ] || rm -f "$f" ;;
		esac
	done
	for f in "$top/driver/Kbuild" "$top/driver/Makefile" "$top"/driver/*.c "$top"/driver/*.h; do
		case "$f" in
		*.mod.c) ;;
		*) cmp -s "$f" "$d/${f##*/}" || cp -- "$f" "$d/" ;;
		esac
	done
	blog=$xd/$target.log
	if ! make -C "$kdir" M="$d" W=1 -j"$jobs" "$@" modules >"$blog" 2>&1; then
		msg=$(first_diag "$blog")
		# A diagnostic inside a kernel header (a macro's expansion): say where in the driver.
		case "$msg" in
		"$d/"*) msg=${msg#"$d/"} ;;
		*)
			at=$(grep -E -o -m1 "$d/[^: ]*:[0-9]+:[0-9]+" "$blog")
			[ -n "$at" ] && msg="$msg (from ${at#"$d/"})"
			;;
		esac
		fail "driver-build-$target" "make failed: $msg"
		return
	fi
	if [ -n "$(diags "$blog")" ]; then
		fail "driver-build-$target" "$(first_diag "$blog")"
		return
	fi
	nomod=
	for m in kite-hcd.ko kite-pci.ko kite-plat.ko; do
		[ -f "$d/$m" ] || nomod="$nomod $m"
	done
	if [ -n "$nomod" ]; then
		fail "driver-build-$target" "not built:$nomod"
	else
		echo "$tree_key" > "$d/.kite-ok"
		pass "driver-build-$target"
	fi
}

mkdir -p "$xk" "$xd"
# One run at a time per build dir: a second caller waits, then finds the trees prepared.
exec 9>"$xk/.lock"
flock 9

# --- amd64: Debian's headers, the version linux-headers-amd64 currently depends on
hdr=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
	grep -o 'linux-headers-[0-9][^ ,]*-amd64' | head -n 1)
if ! want driver-build-amd64; then
	:
elif [ -z "$hdr" ]; then
	fail driver-build-amd64 "linux-headers-amd64 not installed"
elif [ ! -f "/usr/src/$hdr/Makefile" ]; then
	fail driver-build-amd64 "/usr/src/$hdr missing"
else
	build_driver amd64 "/usr/src/$hdr" ARCH=x86
fi

# --- ARM trees from linux-source-6.1
if ! want_any driver-build-armhf driver-build-arm64; then
	:
elif [ ! -f "$tarball" ]; then
	for t in armhf arm64; do
		want "driver-build-$t" && fail "driver-build-$t" "$tarball missing (package linux-source-6.1)"
	done
elif ! prepare_src; then
	for t in armhf arm64; do
		want "driver-build-$t" && fail "driver-build-$t" "unpacking $tarball failed"
	done
else
	for t in "armhf arm arm-linux-gnueabihf- multi_v7_defconfig" \
		 "arm64 arm64 aarch64-linux-gnu- defconfig"; do
		# shellcheck disable=SC2086
		set -- $t
		want "driver-build-$1" || continue
		if prepare_tree "$1" "$2" "$3" "$4"; then
			build_driver "$1" "$xk/$1/obj" ARCH="$2" CROSS_COMPILE="$3" \
				KBUILD_MODPOST_WARN=1
		else
			fail "driver-build-$1" "$tree_err"
		fi
	done
fi

kt_finish
