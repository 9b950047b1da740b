// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_frame_timer: the USB (micro-less) frame counter of kite_usb_engine.
//
// A frame is FI + 1 full-speed bit times of CLKS_PER_BIT usb_clk cycles each, so the period is
// exactly (FI + 1) * CLKS_PER_BIT cycles. While run_i is 1 the timer counts; each frame start
// increments the 11-bit frame number (wrapping at 2048) and pulses sof_o for one cycle in the
// same cycle in which the new number appears. The first cycle with run_i = 1 after a stop starts
// a frame at once. While run_i is 0 the timer holds the frame number and reports no bits left.
// A new FI takes effect at the end of the current frame (or at once when it is already past).
//
// bits_left_o: whole FS bit times left in the frame after the current one (FI - bit index).
// reserve_o: floor((FI + 1) / 10) bit times (computed as (FI+1)*6554 >> 16, exact for the
// frame lengths in use), the last 10 % of the frame in which periodic transactions may not run.

`default_nettype none

module kite_frame_timer #(
  parameter int unsigned CLKS_PER_BIT = 4     // usb_clk cycles per FS bit time: 4 at 48 MHz
) (
  input  wire         clk,
  input  wire         rst,                    // synchronous, active high
  input  wire         run_i,                  // count frames
  input  wire [13:0]  fi_i,                   // FS bit times per frame minus 1
  output logic [10:0] frame_number_o,
  output logic        sof_o,                  // 1-cycle pulse at each frame start
  output logic [15:0] bits_left_o,            // FS bit times left (0 while stopped)
  output logic [13:0] reserve_o               // FS bit times in the last 10 % of the frame
);

  if (CLKS_PER_BIT < 2 || CLKS_PER_BIT > 64) begin : g_bad_cpb
    $error("kite_frame_timer: CLKS_PER_BIT must be 2..64");
  end

  localparam int unsigned PW = $clog2(CLKS_PER_BIT);
  localparam logic [PW-1:0] PRE_LAST = PW'(CLKS_PER_BIT - 1);

  logic [PW-1:0] pre_q, pre_d;
  logic [13:0]   bit_q, bit_d;
  logic [10:0]   num_q, num_d;
  logic          sof_q, sof_d;
  logic          running_q, running_d;

  always_comb begin
    pre_d = pre_q;
    bit_d = bit_q;
    num_d = num_q;
    sof_d = 1'b0;
    running_d = run_i;
    if (!run_i) begin
      pre_d = '0;
      bit_d = '0;
    end else if (!running_q) begin
      pre_d = '0;
      bit_d = '0;
      num_d = num_q + 11'd1;
      sof_d = 1'b1;
    end else if (pre_q == PRE_LAST) begin
      pre_d = '0;
      if (bit_q >= fi_i) begin
        bit_d = '0;
        num_d = num_q + 11'd1;
        sof_d = 1'b1;
      end else begin
        bit_d = bit_q + 14'd1;
      end
    end else begin
      pre_d = pre_q + PW'(1);
    end
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      pre_q <= '0;
      bit_q <= '0;
      num_q <= '0;
      sof_q <= 1'b0;
      running_q <= 1'b0;
    end else begin
      pre_q <= pre_d;
      bit_q <= bit_d;
      num_q <= num_d;
      sof_q <= sof_d;
      running_q <= running_d;
    end
  end

  logic [29:0] reserve_prod;
  assign reserve_prod = ({16'd0, fi_i} + 30'd1) * 30'd6554;

  assign frame_number_o = num_q;
  assign sof_o = sof_q;
  assign bits_left_o = (running_q && fi_i >= bit_q) ? {2'b00, fi_i - bit_q} : 16'd0;
  assign reserve_o = reserve_prod[29:16];

endmodule

`default_nettype wire
