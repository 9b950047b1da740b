#!/bin/bash
# Python virtual environment for the build's PyPI tools (scripts/requirements.txt: the YoWASP
# nextpnr-ecp5 and ecppack), in $BUILD/venv. Idempotent and quick once set up: nothing is
# downloaded while the stamp matches the requirements file; a changed file reinstalls.
# Prints the venv's bin directory.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
venv=${BUILD:-$top/build}/venv
req=$top/scripts/requirements.txt
want=$(sha256sum "$req" | cut -d' ' -f1)

if [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" != "$want" ]; then
	echo "setup-venv: installing scripts/requirements.txt into $venv" >&2
	[ -x "$venv/bin/python3" ] || python3 -m venv "$venv"
	"$venv/bin/pip" install -q --disable-pip-version-check -r "$req" >&2
	echo "$want" > "$venv/.requirements.sha256"
fi
echo "$venv/bin"
