#!/bin/sh
# Install the Debian 12 packages kite needs, and nothing when they are all present.
# Idempotent: safe to run before every build. Needs root (or sudo) only when something is missing.
set -eu

packages="
build-essential
bc
bison
flex
libelf-dev
python3
verilator
yosys
zlib1g-dev
device-tree-compiler
linux-source-6.1
busybox-static
cpio
xz-utils
kmod
sparse
tshark
dt-schema
linux-headers-amd64
gcc-arm-linux-gnueabihf
gcc-aarch64-linux-gnu
"

missing=""
for p in $packages; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	exit 0
fi

echo "install-deps: installing:$missing"
if [ "$(id -u)" -eq 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "install-deps: need root to install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends $missing
