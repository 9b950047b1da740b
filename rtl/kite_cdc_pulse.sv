// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_cdc_pulse: carries single-cycle pulses from src_clk to dst_clk through a toggle and a
// 2-flop synchroniser. Pulses closer together than about three cycles of the slower clock merge
// into one; every user in kite sends pulses that are much further apart (register writes, frame
// starts, port requests).

`default_nettype none

module kite_cdc_pulse #(
  parameter int unsigned WIDTH = 1   // independent pulse lanes, 1..64
) (
  input  wire              src_clk,
  input  wire              src_rst,  // synchronous, active high
  input  wire  [WIDTH-1:0] src_pulse,
  input  wire              dst_clk,
  input  wire              dst_rst,
  output logic [WIDTH-1:0] dst_pulse
);

  if (WIDTH < 1 || WIDTH > 64) begin : g_bad_w
    $error("kite_cdc_pulse: WIDTH must be 1..64");
  end

  logic [WIDTH-1:0] tog_q, tog_d;
  logic [WIDTH-1:0] sync_tog;
  logic [WIDTH-1:0] last_q;

  assign tog_d = tog_q ^ src_pulse;

  always_ff @(posedge src_clk) begin
    if (src_rst) tog_q <= '0;
    else         tog_q <= tog_d;
  end

  kite_cdc_sync #(.WIDTH(WIDTH)) u_sync (
    .dst_clk(dst_clk), .dst_rst(dst_rst), .d(tog_q), .q(sync_tog)
  );

  always_ff @(posedge dst_clk) begin
    if (dst_rst) last_q <= '0;
    else         last_q <= sync_tog;
  end

  assign dst_pulse = sync_tog ^ last_q;

endmodule : kite_cdc_pulse

`default_nettype wire
