// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_cdc_sync: synchroniser for levels into the dst_clk domain (STAGES flops per bit).
//
// WIDTH > 1 is only safe for quasi-static values (configuration written while the consumer does
// not use it, or values that change rarely): with STABLE = 1 the output only takes a new value
// after it was sampled identically in two consecutive cycles, so a word caught mid-change is
// never passed on as long as the source changes less often than every 3 dst_clk cycles.

`default_nettype none

module kite_cdc_sync #(
  parameter int unsigned WIDTH = 1,   // bits, 1..64
  parameter int unsigned STAGES = 2,  // synchroniser flops, 2..4
  parameter bit STABLE = 1'b0,        // 1: update only after two equal consecutive samples
  parameter logic [WIDTH-1:0] RESET_VALUE = '0  // output value in reset
) (
  input  wire              dst_clk,
  input  wire              dst_rst,   // synchronous, active high
  input  wire  [WIDTH-1:0] d,         // from the source domain (registered there)
  output logic [WIDTH-1:0] q
);

  if (WIDTH < 1 || WIDTH > 64) begin : g_bad_w
    $error("kite_cdc_sync: WIDTH must be 1..64");
  end
  if (STAGES < 2 || STAGES > 4) begin : g_bad_s
    $error("kite_cdc_sync: STAGES must be 2..4");
  end

  // ASYNC_REG: Vivado keeps the chain together (one slice) and treats the first stage as a
  // synchroniser in its timing and CDC reports. Packed, and shifted as one vector: Verilator
  // simulates that as one word update instead of one delayed write per stage.
  (* ASYNC_REG = "TRUE" *) logic [STAGES-1:0][WIDTH-1:0] sync_q;
  logic [WIDTH-1:0] out_q, out_d;

  always_comb begin
    out_d = sync_q[STAGES-1];
    if (STABLE && sync_q[STAGES-1] != sync_q[STAGES-2]) begin
      out_d = out_q;
    end
  end

  always_ff @(posedge dst_clk) begin
    if (dst_rst) begin
      sync_q <= {STAGES{RESET_VALUE}};
      out_q <= RESET_VALUE;
    end else begin
      sync_q <= {sync_q[STAGES-2:0], d};
      out_q <= out_d;
    end
  end

  // STABLE adds one cycle; without it the last synchroniser stage is the output.
  assign q = STABLE ? out_q : sync_q[STAGES-1];

endmodule : kite_cdc_sync

`default_nettype wire
