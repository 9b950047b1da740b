#!/bin/bash
# Synthesis figures for docs/performance.md (run by `make bench`; `make synth` alone):
#   - Yosys synth_xilinx (xc7) and synth_ice40 of the whole controller (kite_axi_top), with
#     LUT / FF / BRAM counts from `stat`;
#   - nextpnr-ice40 place and route of the USB clock domain (kite_usb_engine with one
#     kite_fs_phy) on an iCE40 HX8K, and the clock it reaches.
# Writes key=value lines to build/synth/results.txt. Installs yosys / nextpnr-ice40 /
# fpga-icestorm if they are missing.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
out=$build/synth
mkdir -p "$out"

need=""
command -v yosys >/dev/null || need="$need yosys"
command -v nextpnr-ice40 >/dev/null || need="$need nextpnr-ice40"
[ -d /usr/share/fpga-icestorm ] || [ -e /usr/share/icebox ] || need="$need fpga-icestorm"
if [ -n "$need" ]; then
	echo "synth: installing$need"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get install -y -q --no-install-recommends $need >/dev/null
fi

# Every RTL source, packages first (the same order the model build uses).
srcs=$(make -s -C "$top" --no-print-directory print-rtl-srcs)
usb_srcs=$(make -s -C "$top" --no-print-directory print-usb-srcs)

# Synthesis takes many minutes: reuse the last figures while no RTL source changed.
hash=$(cat $srcs | sha256sum | cut -d' ' -f1)
if [ -f "$out/results.txt" ] && [ "$(cat "$out/rtl.sha256" 2>/dev/null)" = "$hash" ]; then
	cat "$out/results.txt"
	exit 0
fi
rm -f "$out/rtl.sha256"

run_yosys() { # name top script
	local name=$1 topmod=$2 cmd=$3
	# shellcheck disable=SC2086
	yosys -q -l "$out/$name.log" -p "read_verilog -sv $srcs; $cmd -top $topmod; stat" >/dev/null
}

run_yosys xc7 kite_axi_top "synth_xilinx -flatten"
run_yosys ice40 kite_axi_top "synth_ice40"

count() { # log cell-regex: the cells of the last statistics block (the whole design)
	awk -v re="$2" '/Printing statistics/ { n = 0 }
		$1 ~ re && $2 ~ /^[0-9]+$/ { n += $2 } END { print n + 0 }' "$1"
}

{
	echo "xc7_lut=$(count "$out/xc7.log" '^LUT[1-6]$')"
	echo "xc7_ff=$(count "$out/xc7.log" '^FD[CPRSE]+$')"
	echo "xc7_lutram=$(count "$out/xc7.log" '^RAM[0-9]+[XMS]')"
	echo "xc7_bram=$(count "$out/xc7.log" '^RAMB(18|36)E1$')"
	echo "xc7_carry4=$(count "$out/xc7.log" '^CARRY4$')"
	echo "ice40_lc=$(count "$out/ice40.log" '^SB_LUT4$')"
	echo "ice40_ff=$(count "$out/ice40.log" '^SB_DFF')"
	echo "ice40_bram=$(count "$out/ice40.log" '^SB_RAM40_4K')"
	echo "ice40_carry=$(count "$out/ice40.log" '^SB_CARRY$')"
} > "$out/results.txt"

# USB clock domain alone on an HX8K: kite_usb_engine + kite_fs_phy.
cat > "$out/usb_domain.sv" <<'SV'
`default_nettype none
// Synthesis-only wrapper: the USB clock domain of one root port, for the fmax figure.
module kite_usb_domain (
  input  wire usb_clk, input wire usb_rst,
  input  wire usb_dp_i, input wire usb_dm_i,
  output wire usb_dp_o, output wire usb_dm_o, output wire usb_oe,
  input  wire [31:0] req_bits, output wire [31:0] res_bits);
  wire [7:0] d_out, d_in; wire txv, txr, rxv, rxa, rxe, term, pd; wire [1:0] ls, xcv, opm, lc;
  wire [7:0] in_data; wire in_valid, res_valid, res_data1; wire [3:0] res_code; wire [10:0] res_len;
  wire [10:0] frame; wire sof; wire [15:0] bits_left; wire req_ready, out_ready;
  wire conn, en, lsp, rsting, susp, resm, oc, vbus;
  kite_usb_engine #(.NUM_PORTS(1)) u_eng (
    .usb_clk(usb_clk), .usb_rst(usb_rst), .ctl_run(req_bits[0]), .ctl_frame_interval(14'd11999),
    .frame_number(frame), .frame_sof(sof), .frame_bits_left(bits_left),
    .txn_req_valid(req_bits[1]), .txn_req_ready(req_ready), .txn_req_token(req_bits[3:2]),
    .txn_req_addr(req_bits[10:4]), .txn_req_ep(req_bits[14:11]), .txn_req_port(4'd0),
    .txn_req_ls(req_bits[15]), .txn_req_data1(req_bits[16]), .txn_req_iso(req_bits[17]),
    .txn_req_len(req_bits[28:18]), .txn_req_periodic(req_bits[29]),
    .txn_out_data(req_bits[7:0] ^ req_bits[31:24]), .txn_out_valid(req_bits[30]), .txn_out_ready(out_ready),
    .txn_in_data(in_data), .txn_in_valid(in_valid),
    .txn_res_valid(res_valid), .txn_res_ready(req_bits[31]), .txn_res_code(res_code),
    .txn_res_len(res_len), .txn_res_data1(res_data1),
    .port_power(req_bits[0]), .port_reset_req(req_bits[1]), .port_disable_req(req_bits[2]),
    .port_suspend_req(req_bits[3]), .port_resume_req(req_bits[4]),
    .port_connected(conn), .port_enabled(en), .port_ls(lsp), .port_resetting(rsting),
    .port_suspended(susp), .port_resuming(resm), .port_overcurrent(oc), .port_oc_in(req_bits[5]),
    .port_vbus_en(vbus),
    .utmi_data_out(d_out), .utmi_txvalid(txv), .utmi_txready(txr), .utmi_data_in(d_in),
    .utmi_rxvalid(rxv), .utmi_rxactive(rxa), .utmi_rxerror(rxe), .utmi_linestate(ls),
    .utmi_xcvrselect(xcv), .utmi_termselect(term), .utmi_opmode(opm), .utmi_line_ctrl(lc));
  kite_fs_phy u_phy (
    .usb_clk(usb_clk), .usb_rst(usb_rst),
    .utmi_data_out(d_out), .utmi_txvalid(txv), .utmi_txready(txr), .utmi_data_in(d_in),
    .utmi_rxvalid(rxv), .utmi_rxactive(rxa), .utmi_rxerror(rxe), .utmi_linestate(ls),
    .utmi_xcvrselect(xcv), .utmi_termselect(term), .utmi_opmode(opm), .utmi_line_ctrl(lc),
    .usb_dp_i(usb_dp_i), .usb_dm_i(usb_dm_i), .usb_dp_o(usb_dp_o), .usb_dm_o(usb_dm_o),
    .usb_oe(usb_oe), .usb_pulldown(pd));
  assign res_bits = {in_data, in_valid, res_valid, res_data1, res_code, res_len, frame[3:0], sof, req_ready,
                     out_ready, conn ^ en ^ lsp ^ rsting ^ susp ^ resm ^ oc ^ vbus ^ pd ^ bits_left[0]};
endmodule
`default_nettype wire
SV
# shellcheck disable=SC2086
# nextpnr exits non-zero when the clock misses its 48 MHz target; the figure is still reported.
if yosys -q -l "$out/usb_ice40.log" -p "read_verilog -sv $usb_srcs $out/usb_domain.sv; synth_ice40 -top kite_usb_domain -json $out/usb_domain.json" >/dev/null 2>&1; then
	nextpnr-ice40 --hx8k --package ct256 --json "$out/usb_domain.json" --freq 48 \
		--pcf-allow-unconstrained --seed 1 > "$out/nextpnr.log" 2>&1 || true
	fmax=$(grep -E "Max frequency for clock +'usb_clk" "$out/nextpnr.log" | tail -1 |
		sed -E "s/.*: ([0-9.]+) MHz.*/\\1/")
	echo "ice40_hx8k_usb_domain_fmax_mhz=${fmax:-unknown} (target 48)" >> "$out/results.txt"
	echo "ice40_usb_domain_lc=$(count "$out/usb_ice40.log" '^SB_LUT4$')" >> "$out/results.txt"
	echo "ice40_usb_domain_ff=$(count "$out/usb_ice40.log" '^SB_DFF')" >> "$out/results.txt"
else
	echo "ice40_hx8k_usb_domain_fmax_mhz=synthesis failed" >> "$out/results.txt"
fi
cat "$out/results.txt"
echo "$hash" > "$out/rtl.sha256"
