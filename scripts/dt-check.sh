#!/bin/bash
# Check kite's devicetree sources (dts/): compile every .dts/.dtsi with dtc (warnings are
# failures), merge every overlay onto its test base (dts/tests/) with fdtoverlay and check the
# result, and, when Debian's dt-schema package is installed, validate the binding
# (dts/bindings/kite,usb-host.yaml), its example and the kite nodes of every DTB against the
# kernel's schemas. One `PASS <name>` / `FAIL <name>: <reason>` line per check, a closing
# `N passed, N failed` line; exits 1 if anything failed.
#
# Usage: scripts/dt-check.sh [-t PATTERN]   (or KT_FILTER=PATTERN: the name filter of every kite
# test, docs/testing.md). A filtered run builds only what the selected checks need.
#
# Needs: dtc, fdtoverlay, fdtget, fdtput (device-tree-compiler), cpp, and the kernel tree that
# scripts/build-kernel.sh unpacks (for dt-bindings headers, the Zynq board files and the
# schemas). KERNEL_SRC overrides its location. Outputs go to build/dts/.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
K=${KERNEL_SRC:-$top/build/uml/linux-source-6.1}
out=$top/build/dts
dts=$top/dts
. "$top/sim/testlib/kite_test.sh"
kt_args "$@"

# The checks, by the DTB they look at: a DTB is built when one of its checks is selected.
uml="dtc-uml uml-no-memory-node uml-pool-size uml-pool-compatible uml-pool-not-reusable
	uml-pci-device-type uml-pci-bus-range uml-pci-devfn-0 uml-pci-ids uml-pci-memory-region
	dt-validate-kite-uml"
zed="dtc-fragment-zed zed-interrupt zed-reg zed-memory-region zed-interrupt-parent
	zed-clocks-fclk0-fclk1 zed-not-dma-coherent dt-validate-zynq-zed-kite"
zcu104="dtc-fragment-zcu104 zcu104-interrupt zcu104-reg-64bit zcu104-memory-region
	zcu104-clocks-pl0-pl1 dt-validate-zynqmp-zcu104-kite"
zynq7000="dtc-test-base-zynq-7000 dtc-overlay-zynq-7000 fdtoverlay-zynq-7000
	dtc-merged-zynq-7000 merged-zynq-7000-interrupt merged-zynq-7000-memory-region
	merged-zynq-7000-clocks fdtoverlay-zynq-7000-needs-base-pool dt-validate-zynq-7000-merged"
zynqmp="dtc-test-base-zynqmp dtc-overlay-zynqmp fdtoverlay-zynqmp dtc-merged-zynqmp
	merged-zynqmp-interrupt merged-zynqmp-reg-64bit merged-zynqmp-memory-region
	dt-validate-zynqmp-merged"
litex="dtc-test-base-litex dtc-overlay-litex fdtoverlay-litex dtc-merged-litex
	merged-litex-interrupt-1-cell merged-litex-reg dt-validate-litex-merged"
# dt-schema's checks; the processed schema (dt-mk-schema) serves every dt-validate-*.
example="dtc-binding-example dt-validate-binding-example dt-validate-rejects-unknown-property"
validate="dt-validate-binding-example dt-validate-rejects-unknown-property dt-validate-zynq-zed-kite
	dt-validate-zynqmp-zcu104-kite dt-validate-zynq-7000-merged dt-validate-zynqmp-merged
	dt-validate-litex-merged dt-validate-kite-uml"
schema_checks="dt-doc-validate-binding dt-mk-schema $example $validate"
all="$uml $zed $zcu104 $zynq7000 $zynqmp $litex $schema_checks"

# ok NAME / bad NAME WHY: kite_test.sh's pass and fail, for a name of the lists above (a check missing
# from them would be skipped by a filtered run: that fails the unfiltered one).
listed() {
	case " $(echo $all) " in
	*" $1 "*) return 0 ;;
	*) fail "$1" "not in dt-check's lists of checks (scripts/dt-check.sh)"; return 1 ;;
	esac
}
ok() { listed "$1" && pass "$1"; }
bad() { listed "$1" && fail "$1" "$2"; }
# group NAMES...: one of the checks is selected (the steps they need run).
group() { want_any "$@"; }
finish() {
	kt_finish
	exit $?
}

# shellcheck disable=SC2086
group $all || finish
for tool in dtc fdtoverlay fdtget fdtput cpp; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		fail "dt-tools" "$tool not found (apt-get install device-tree-compiler cpp)"
		finish
	fi
done
if [ ! -f "$K/include/dt-bindings/interrupt-controller/arm-gic.h" ]; then
	fail "dt-kernel-tree" "no kernel tree at $K (run scripts/build-kernel.sh or set KERNEL_SRC)"
	finish
fi
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# cpp the way the kernel does for .dts files (scripts/Makefile.lib, cmd_dtc_cpp).
dt_cpp() { # <file> [extra -I dirs...]
	local f=$1
	shift
	cpp -nostdinc -I "$K/include" -I "$K/scripts/dtc/include-prefixes" "$@" \
		-undef -D__DTS__ -x assembler-with-cpp -P "$f"
}

# dt_compile <name> <src.dts> <out.dtb> <dtc flags...>: preprocess when it includes something,
# compile, and fail on any dtc warning or error.
dt_compile() {
	local name=$1 src=$2 dtb=$3
	shift 3
	local pre=$tmp/$name.pre.dts log=$tmp/$name.dtc.log
	if grep -q '^[[:space:]]*#include' "$src"; then
		dt_cpp "$src" -I "$(dirname "$src")" > "$pre" 2> "$log" ||
			{ bad "$name" "cpp: $(head -c 300 "$log")"; return 1; }
	else
		cp "$src" "$pre"
	fi
	if ! dtc -q -I dts -O dtb "$@" -o "$dtb" "$pre" 2> "$log"; then
		bad "$name" "dtc: $(head -c 400 "$log")"
		return 1
	fi
	dtc -I dts -O dtb "$@" -o /dev/null "$pre" 2> "$log"
	if [ -s "$log" ]; then
		bad "$name" "dtc warnings: $(head -c 400 "$log" | tr '\n' ' ')"
		return 1
	fi
	ok "$name"
}

# expect_prop <name> <dtb> <node> <prop> <expected fdtget output> [fdtget type]
expect_prop() {
	want "$1" || return 0
	local got
	got=$(fdtget ${6:+-t "$6"} "$2" "$3" "$4" 2>&1)
	if [ "$got" = "$5" ]; then
		ok "$1"
	else
		bad "$1" "$3 $4 is '$got', expected '$5'"
	fi
}

# same_phandle <name> <dtb> <node> <prop> <target node>: <node>'s <prop> points at <target>.
same_phandle() {
	want "$1" || return 0
	local ref tgt
	ref=$(fdtget -t u "$2" "$3" "$4" 2>/dev/null)
	tgt=$(fdtget -t u "$2" "$5" phandle 2>/dev/null)
	if [ -n "$ref" ] && [ "$ref" = "$tgt" ]; then
		ok "$1"
	else
		bad "$1" "$3 $4 = '${ref:-missing}' but $5 has phandle '${tgt:-none}'"
	fi
}

# dtc's checks over a whole merged DTB (phandle cells are checked by value: dtb input has no
# type markers, so dtc looks every phandle up instead of expecting a source reference).
recheck() { # <name> <dtb>
	want "$1" || return 0
	if dtc -I dtb -O dtb -o /dev/null "$2" 2> "$tmp/$1.re.log" &&
		[ ! -s "$tmp/$1.re.log" ]; then
		ok "$1"
	else
		bad "$1" "$(head -c 400 "$tmp/$1.re.log" | tr '\n' ' ')"
	fi
}

# ---------------------------------------------------------------------------------------------
# 1. Standalone sources.

# Test bases: Zynq and ZynqMP with -@ (overlays reference their labels); LiteX without, as
# LiteX builds its DTB (so the LiteX overlay is proven not to need __symbols__).
# shellcheck disable=SC2086
group $zynq7000 && dt_compile dtc-test-base-zynq-7000 "$dts/tests/zynq-7000-base.dts" \
	"$out/zynq-7000-base.dtb" -@
# shellcheck disable=SC2086
group $zynqmp && dt_compile dtc-test-base-zynqmp "$dts/tests/zynqmp-base.dts" \
	"$out/zynqmp-base.dtb" -@
# shellcheck disable=SC2086
group $litex && dt_compile dtc-test-base-litex "$dts/tests/litex-base.dts" "$out/litex-base.dtb"

# shellcheck disable=SC2086
group $zynq7000 && dt_compile dtc-overlay-zynq-7000 "$dts/zynq-7000/kite-overlay.dts" \
	"$out/kite-overlay.dtbo" -@
# shellcheck disable=SC2086
group $zynqmp && dt_compile dtc-overlay-zynqmp "$dts/zynqmp/kite-zcu104-overlay.dts" \
	"$out/kite-zcu104-overlay.dtbo" -@
# Waiver: interrupts_property. The LiteX overlay's node inherits interrupt-parent from /soc of
# the base, which dtc cannot see while compiling the overlay alone; the merged DTB below is
# checked with every warning enabled and must be clean.
# shellcheck disable=SC2086
group $litex && dt_compile dtc-overlay-litex "$dts/litex/kite-litex-overlay.dts" \
	"$out/kite-litex-overlay.dtbo" -@ -Wno-interrupts_property

uml_built=""
# shellcheck disable=SC2086
group $uml && dt_compile dtc-uml "$dts/uml/kite-uml.dts" "$out/kite-uml.dtb" -@ && uml_built=1

# ---------------------------------------------------------------------------------------------
# 2. Board fragments (.dtsi), compiled inside the kernel's own board files. Warnings that the
# unmodified kernel board file already produces are not the fragment's; any new one fails.

fragment() { # <name> <board.dts> <fragment.dtsi> <out.dtb>
	local name=$1 board=$2 frag=$3 dtb=$4
	local bdir
	bdir=$(dirname "$board")
	printf '#include "%s"\n' "$board" > "$tmp/$name.board.dts"
	printf '#include "%s"\n#include "%s"\n' "$board" "$frag" > "$tmp/$name.dts"
	if ! dt_cpp "$tmp/$name.board.dts" -I "$bdir" > "$tmp/$name.board.pre" 2> "$tmp/$name.log" ||
		! dt_cpp "$tmp/$name.dts" -I "$bdir" -I "$(dirname "$frag")" \
			> "$tmp/$name.pre" 2> "$tmp/$name.log"; then
		bad "$name" "cpp: $(head -c 300 "$tmp/$name.log")"
		return 1
	fi
	dtc -@ -I dts -O dtb -o /dev/null "$tmp/$name.board.pre" 2>&1 |
		sed 's/^[^:]*:[0-9.-]*: //' | sort -u > "$tmp/$name.w0"
	if ! dtc -@ -I dts -O dtb -o "$dtb" "$tmp/$name.pre" 2> "$tmp/$name.w1.raw"; then
		bad "$name" "dtc: $(grep -i error "$tmp/$name.w1.raw" | head -c 400)"
		return 1
	fi
	sed 's/^[^:]*:[0-9.-]*: //' "$tmp/$name.w1.raw" | sort -u > "$tmp/$name.w1"
	local new
	new=$(comm -13 "$tmp/$name.w0" "$tmp/$name.w1")
	if [ -n "$new" ]; then
		bad "$name" "new dtc warnings: $(echo "$new" | head -c 400 | tr '\n' ' ')"
		return 1
	fi
	ok "$name"
}

zedboard=$K/arch/arm/boot/dts/zynq-zed.dts
zcu=$K/arch/arm64/boot/dts/xilinx/zynqmp-zcu104-revC.dts
# shellcheck disable=SC2086
if group $zed && fragment dtc-fragment-zed "$zedboard" "$dts/zynq-7000/kite-zed.dtsi" \
	"$out/zynq-zed-kite.dtb"; then
	d=$out/zynq-zed-kite.dtb
	expect_prop zed-interrupt "$d" /pl-bus/usb@43c00000 interrupts "0 29 4"
	expect_prop zed-reg "$d" /pl-bus/usb@43c00000 reg "43c00000 1000" x
	same_phandle zed-memory-region "$d" /pl-bus/usb@43c00000 memory-region \
		/reserved-memory/kite-dma-pool@1f000000
	same_phandle zed-interrupt-parent "$d" /pl-bus/usb@43c00000 interrupt-parent \
		/axi/interrupt-controller@f8f01000
	expect_prop zed-clocks-fclk0-fclk1 "$d" /pl-bus/usb@43c00000 clocks \
		"$(fdtget -t u "$d" /axi/slcr@f8000000/clkc@100 phandle) 15 $(fdtget -t u "$d" /axi/slcr@f8000000/clkc@100 phandle) 16"
	if ! want zed-not-dma-coherent; then
		:
	elif fdtget "$d" /pl-bus/usb@43c00000 dma-coherent >/dev/null 2>&1; then
		bad zed-not-dma-coherent "HP-port design must not be dma-coherent"
	else
		ok zed-not-dma-coherent
	fi
fi
# shellcheck disable=SC2086
if group $zcu104 && fragment dtc-fragment-zcu104 "$zcu" "$dts/zynqmp/kite-zcu104.dtsi" \
	"$out/zynqmp-zcu104-kite.dtb"; then
	d=$out/zynqmp-zcu104-kite.dtb
	expect_prop zcu104-interrupt "$d" /pl-bus/usb@a0000000 interrupts "0 89 4"
	expect_prop zcu104-reg-64bit "$d" /pl-bus/usb@a0000000 reg "0 a0000000 0 1000" x
	same_phandle zcu104-memory-region "$d" /pl-bus/usb@a0000000 memory-region \
		/reserved-memory/kite-dma-pool@7f000000
	clk=$(fdtget -t u "$d" /firmware/zynqmp-firmware/clock-controller phandle 2>/dev/null)
	expect_prop zcu104-clocks-pl0-pl1 "$d" /pl-bus/usb@a0000000 clocks "$clk 71 $clk 72"
fi

# ---------------------------------------------------------------------------------------------
# 3. Overlays merged onto the test bases.

merge() { # <name> <base.dtb> <overlay.dtbo> <out.dtb>
	if fdtoverlay -i "$2" -o "$4" "$3" > "$tmp/$1.log" 2>&1; then
		ok "$1"
	else
		bad "$1" "fdtoverlay: $(head -c 300 "$tmp/$1.log" | tr '\n' ' ')"
		return 1
	fi
}

# shellcheck disable=SC2086
if group $zynq7000 && merge fdtoverlay-zynq-7000 "$out/zynq-7000-base.dtb" "$out/kite-overlay.dtbo" \
	"$out/zynq-7000-merged.dtb"; then
	d=$out/zynq-7000-merged.dtb
	recheck dtc-merged-zynq-7000 "$d"
	expect_prop merged-zynq-7000-interrupt "$d" /pl-bus/usb@43c00000 interrupts "0 29 4"
	same_phandle merged-zynq-7000-memory-region "$d" /pl-bus/usb@43c00000 memory-region \
		/reserved-memory/kite-dma-pool@1f000000
	clk=$(fdtget -t u "$d" /axi/clock-controller@f8000100 phandle 2>/dev/null)
	expect_prop merged-zynq-7000-clocks "$d" /pl-bus/usb@43c00000 clocks "$clk 15 $clk 16"
fi
# The pool must come from the base: without it (and its symbol) the overlay must not apply.
if want fdtoverlay-zynq-7000-needs-base-pool; then
	cp "$out/zynq-7000-base.dtb" "$tmp/nopool.dtb"
	fdtput -d "$tmp/nopool.dtb" /reserved-memory kite-dma-pool@1f000000 2>/dev/null
	fdtput -d "$tmp/nopool.dtb" /__symbols__ kite_pool 2>/dev/null
	if fdtoverlay -i "$tmp/nopool.dtb" -o "$tmp/nopool-merged.dtb" "$out/kite-overlay.dtbo" \
		> /dev/null 2>&1; then
		bad fdtoverlay-zynq-7000-needs-base-pool "overlay applied to a base without kite_pool"
	else
		ok fdtoverlay-zynq-7000-needs-base-pool
	fi
fi

# shellcheck disable=SC2086
if group $zynqmp && merge fdtoverlay-zynqmp "$out/zynqmp-base.dtb" "$out/kite-zcu104-overlay.dtbo" \
	"$out/zynqmp-merged.dtb"; then
	d=$out/zynqmp-merged.dtb
	recheck dtc-merged-zynqmp "$d"
	expect_prop merged-zynqmp-interrupt "$d" /pl-bus/usb@a0000000 interrupts "0 89 4"
	expect_prop merged-zynqmp-reg-64bit "$d" /pl-bus/usb@a0000000 reg "0 a0000000 0 1000" x
	same_phandle merged-zynqmp-memory-region "$d" /pl-bus/usb@a0000000 memory-region \
		/reserved-memory/kite-dma-pool@7f000000
fi

# shellcheck disable=SC2086
if group $litex && merge fdtoverlay-litex "$out/litex-base.dtb" "$out/kite-litex-overlay.dtbo" \
	"$out/litex-merged.dtb"; then
	d=$out/litex-merged.dtb
	recheck dtc-merged-litex "$d"
	expect_prop merged-litex-interrupt-1-cell "$d" /soc/usb@f0010000 interrupts "4"
	expect_prop merged-litex-reg "$d" /soc/usb@f0010000 reg "f0010000 1000" x
fi

# ---------------------------------------------------------------------------------------------
# 4. The co-simulation DTB: what arch/um and the PCI core need from it.

if [ -n "$uml_built" ]; then
	d=$out/kite-uml.dtb
	if ! want uml-no-memory-node; then
		:
	elif fdtget -l "$d" / | grep -q '^memory'; then
		bad uml-no-memory-node "a /memory node would memblock_add() RAM nothing backs on UML"
	else
		ok uml-no-memory-node
	fi
	expect_prop uml-pool-size "$d" /reserved-memory/kite-dma-pool size "0 4194304"
	expect_prop uml-pool-compatible "$d" /reserved-memory/kite-dma-pool compatible \
		shared-dma-pool
	if ! want uml-pool-not-reusable; then
		:
	elif fdtget "$d" /reserved-memory/kite-dma-pool reusable >/dev/null 2>&1; then
		bad uml-pool-not-reusable "shared-dma-pool rejects reusable (CMA is off on UML)"
	else
		ok uml-pool-not-reusable
	fi
	pci=$(fdtget -l "$d" / | grep '^pci' | head -1)
	expect_prop uml-pci-device-type "$d" "/$pci" device_type pci
	expect_prop uml-pci-bus-range "$d" "/$pci" bus-range "0 0"
	expect_prop uml-pci-devfn-0 "$d" "/$pci/usb@0" reg "0 0 0 0 0"
	expect_prop uml-pci-ids "$d" "/$pci/usb@0" compatible pci10ee,4b49
	same_phandle uml-pci-memory-region "$d" "/$pci/usb@0" memory-region \
		/reserved-memory/kite-dma-pool
fi

# ---------------------------------------------------------------------------------------------
# 5. dt-schema (Debian package dt-schema): binding, example, and the kite nodes of every DTB.

# shellcheck disable=SC2086
group $schema_checks || finish
if ! command -v dt-doc-validate >/dev/null 2>&1 || ! command -v dt-mk-schema >/dev/null 2>&1 ||
	! command -v dt-validate >/dev/null 2>&1; then
	echo "dt-check: dt-schema is not installed (apt-get install dt-schema): schema checks skipped"
	finish
fi

bindings=$K/Documentation/devicetree/bindings
# dt-schema wants a schema's path to match its $id (usb/kite,usb-host.yaml, where it would
# live upstream): validate a copy placed there.
mkdir -p "$tmp/schemas/usb"
cp "$dts/bindings/kite,usb-host.yaml" "$tmp/schemas/usb/"
if want dt-doc-validate-binding; then
	(cd "$tmp" && dt-doc-validate -u "$bindings" schemas/usb/kite,usb-host.yaml) \
		> "$tmp/doc.log" 2>&1
	if [ -s "$tmp/doc.log" ]; then
		bad dt-doc-validate-binding "$(head -c 600 "$tmp/doc.log" | tr '\n' ' ')"
	else
		ok dt-doc-validate-binding
	fi
fi

# Processed schema of the kernel's bindings plus ours (~30 s), cached on their content.
# shellcheck disable=SC2086
group dt-mk-schema $example $validate || finish
key=$( (dt-mk-schema --version; cat "$dts/bindings/kite,usb-host.yaml"; echo "$bindings") |
	sha256sum | cut -d' ' -f1)
schema=$out/processed-schema.json
if [ ! -s "$schema" ] || [ "$(cat "$out/processed-schema.key" 2>/dev/null)" != "$key" ]; then
	if dt-mk-schema -j "$bindings" "$tmp/schemas" > "$schema" 2> "$tmp/mk.log" &&
		[ -s "$schema" ]; then
		echo "$key" > "$out/processed-schema.key"
	else
		bad dt-mk-schema "$(tail -c 400 "$tmp/mk.log" | tr '\n' ' ')"
		rm -f "$schema"
		finish
	fi
fi
ok dt-mk-schema

# The binding's example, as the kernel's dt_binding_check builds it.
# shellcheck disable=SC2086
if group $example; then
	dt-extract-example "$tmp/schemas/usb/kite,usb-host.yaml" > "$tmp/example.dts"
	# Waiver: avoid_unnecessary_addr_size comes from the example-0 wrapper that
	# dt-extract-example generates around the example, not from the example itself.
	if dt_cpp "$tmp/example.dts" > "$tmp/example.pre" 2> "$tmp/ex.log" &&
		dtc -I dts -O dtb -Wno-avoid_unnecessary_addr_size -o "$tmp/example.dtb" \
			"$tmp/example.pre" 2> "$tmp/ex.log" && [ ! -s "$tmp/ex.log" ]; then
		ok dtc-binding-example
		if want dt-validate-binding-example; then
			dt-validate -s "$schema" "$tmp/example.dtb" > "$tmp/exv.log" 2>&1
			if [ -s "$tmp/exv.log" ]; then
				bad dt-validate-binding-example "$(head -c 600 "$tmp/exv.log" | tr '\n' ' ')"
			else
				ok dt-validate-binding-example
			fi
		fi
		# The schema must actually apply: a property the binding does not allow must be
		# reported.
		if want dt-validate-rejects-unknown-property; then
			sed 's/compatible = "kite,usb-host";/compatible = "kite,usb-host"; kite,bogus = <1>;/' \
				"$tmp/example.pre" > "$tmp/bad.pre"
			dtc -q -I dts -O dtb -o "$tmp/bad.dtb" "$tmp/bad.pre" 2>/dev/null
			if dt-validate -s "$schema" "$tmp/bad.dtb" 2>&1 | grep -q 'kite,bogus'; then
				ok dt-validate-rejects-unknown-property
			else
				bad dt-validate-rejects-unknown-property "an unknown property passed validation"
			fi
		fi
	else
		bad dtc-binding-example "$(head -c 400 "$tmp/ex.log" | tr '\n' ' ')"
	fi
fi

# Every DTB, but only the messages about kite's nodes: the kernel's own board files carry
# their own schema warnings, which are not ours to fix.
for d in zynq-zed-kite zynqmp-zcu104-kite zynq-7000-merged zynqmp-merged litex-merged kite-uml; do
	want "dt-validate-$d" && [ -f "$out/$d.dtb" ] || continue
	dt-validate -s "$schema" "$out/$d.dtb" > "$tmp/$d.v.log" 2>&1
	mine=$(grep -E 'usb@(43c00000|a0000000|f0010000|0)\b|kite-dma-pool|reserved-memory|pci@efff8000|amba_pl|pl-bus' \
		"$tmp/$d.v.log" | head -c 600)
	if [ -n "$mine" ]; then
		bad "dt-validate-$d" "$(echo "$mine" | tr '\n' ' ')"
	else
		ok "dt-validate-$d"
	fi
done

finish
