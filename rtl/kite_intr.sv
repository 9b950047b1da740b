// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_intr: the interrupter's moderation. An event that requests an interrupt makes a request
// pending; the pending request sets INT_STATUS.EVENT (set_o pulse) as soon as at least
// IMOD.INTERVAL microseconds have passed since the last time it did (IMOD = 0: at once).
// Time is counted in microseconds of the bus clock (BUS_CLK_HZ / 1e6 cycles, rounded).

`default_nettype none

module kite_intr #(
  parameter int unsigned BUS_CLK_HZ = 100000000  // bus clock frequency, 1 MHz..1 GHz
) (
  input  wire        clk,
  input  wire        rst,
  input  wire        clear_i,     // HCRESET: drop a pending request, restart moderation
  input  wire        req_i,       // pulse: an event that requests an interrupt was written
  input  wire [15:0] interval_i,  // IMOD.INTERVAL, microseconds
  output logic       set_o,       // pulse: set INT_STATUS.EVENT
  output logic       pending_o    // a request waits for the moderation interval
);

  if (BUS_CLK_HZ < 1000000 || BUS_CLK_HZ > 1000000000) begin : g_bad_clk
    $error("kite_intr: BUS_CLK_HZ must be 1 MHz..1 GHz");
  end

  localparam int unsigned CYC_PER_US = (BUS_CLK_HZ + 500000) / 1000000;
  localparam int unsigned PW = $clog2(CYC_PER_US + 1);

  logic [PW-1:0] pre_q, pre_d;
  logic [16:0]   us_q, us_d;      // microseconds since the last set, saturating
  logic          pend_q, pend_d;

  always_comb begin
    pre_d = pre_q + 1'b1;
    us_d = us_q;
    if (pre_q == PW'(CYC_PER_US - 1)) begin
      pre_d = '0;
      if (!us_q[16]) us_d = us_q + 17'd1;
    end
    pend_d = pend_q | req_i;
    set_o = 1'b0;
    if (pend_q && us_q >= 17'(interval_i)) begin
      set_o = 1'b1;
      pend_d = req_i;
      us_d = '0;
      pre_d = '0;
    end
    if (clear_i) begin
      pend_d = 1'b0;
      us_d = 17'h10000;
    end
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      pre_q <= '0;
      us_q <= 17'h10000;
      pend_q <= 1'b0;
    end else begin
      pre_q <= pre_d;
      us_q <= us_d;
      pend_q <= pend_d;
    end
  end

  assign pending_o = pend_q;

endmodule : kite_intr

`default_nettype wire
