// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_frame_timer: the USB (micro-less) frame counter of kite_usb_engine.
//
// A frame is FI + 1 full-speed bit times of CLKS_PER_BIT usb_clk cycles each, so the period is
// exactly (FI + 1) * CLKS_PER_BIT cycles. While run_i is 1 the timer counts; each frame start
// increments the 11-bit frame number (wrapping at 2048) and pulses sof_o for one cycle in the
// same cycle in which the new number appears. The first cycle with run_i = 1 after a stop starts
// a frame at once. While run_i is 0 the timer holds the frame number and reports no bits left.
// FI is sampled at each frame start: a new FI takes effect with the next frame (as OHCI's
// FrameInterval does).
//
// bits_left_o: whole FS bit times left in the frame after the current one (FI - bit index),
// straight from a down counter (a register: no subtraction between the timer and its users).
// reserve_o: floor((FI + 1) / 10) bit times (computed as (FI+1)*6554 >> 16, exact for the
// frame lengths in use), the last 10 % of the frame in which periodic transactions may not run.
// It is computed from fi_i by a serial shift-add multiplier, one bit per cycle, refreshed every
// 16 cycles: a multiplier array would be the longest path of the clock domain, and FI is a
// register setting.
// to_sof_o: clock edges until sof_o is 1 (1: at the next edge); all ones while run_i is 0 (no
// frame start is coming). A clock gate or the simulator's fast-forward (docs/rtl.md) knows
// from it how long nothing but these counters will change.

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
  output logic [13:0] reserve_o,              // FS bit times in the last 10 % of the frame
  output logic [20:0] to_sof_o                // clock edges until sof_o (all ones: none coming)
);

  if (CLKS_PER_BIT < 2 || CLKS_PER_BIT > 64) begin : g_bad_cpb
    $error("kite_frame_timer: CLKS_PER_BIT must be 2..64");
  end

  localparam int unsigned PW = $clog2(CLKS_PER_BIT);
  localparam logic [PW-1:0] PRE_LAST = PW'(CLKS_PER_BIT - 1);
  localparam logic [13:0] RES_MUL = 14'd6554;

  logic [PW-1:0] pre_q, pre_d;
  logic [13:0]   left_q, left_d;              // bit times left after the current one
  logic          zero_q;                      // left_q == 0 (registered: no compare on the
                                              // decrement's carry chain)
  logic [10:0]   num_q, num_d;
  logic          sof_q, sof_d;
  logic          running_q, running_d;

  always_comb begin
    pre_d = pre_q;
    left_d = left_q;
    num_d = num_q;
    sof_d = 1'b0;
    running_d = run_i;
    if (!run_i) begin
      pre_d = '0;
      left_d = '0;
    end else if (!running_q) begin
      pre_d = '0;
      left_d = fi_i;
      num_d = num_q + 11'd1;
      sof_d = 1'b1;
    end else if (pre_q == PRE_LAST) begin
      pre_d = '0;
      if (zero_q) begin
        left_d = fi_i;
        num_d = num_q + 11'd1;
        sof_d = 1'b1;
      end else begin
        left_d = left_q - 14'd1;
      end
    end else begin
      pre_d = pre_q + PW'(1);
    end
  end

  // reserve: (FI + 1) * RES_MUL >> 16, LSB-first shift-add. After step i, acc holds
  // floor(x[i:0] * RES_MUL / 2^(i+1)) (< RES_MUL); after the 15th, floor(x * RES_MUL / 2^15).
  logic [3:0]  mstep_q, mstep_d;              // 0: load x, 1..15: one multiplier bit each
  logic [14:0] mx_q, mx_d;                    // x = FI + 1, shifted right one bit per step
  logic [12:0] macc_q, macc_d;
  logic [13:0] res_q, res_d;
  logic [13:0] msum;

  always_comb begin
    mstep_d = mstep_q + 4'd1;
    mx_d = mx_q >> 1;
    msum = {1'b0, macc_q} + (mx_q[0] ? RES_MUL : 14'd0);
    macc_d = msum[13:1];
    res_d = res_q;
    if (mstep_q == 4'd0) begin
      mx_d = {1'b0, fi_i} + 15'd1;
      macc_d = '0;
    end else if (mstep_q == 4'd15) begin
      res_d = {2'b00, msum[13:2]};
    end
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      pre_q <= '0;
      left_q <= '0;
      zero_q <= 1'b1;
      num_q <= '0;
      sof_q <= 1'b0;
      running_q <= 1'b0;
      mstep_q <= '0;
      mx_q <= '0;
      macc_q <= '0;
      res_q <= '0;
    end else begin
      pre_q <= pre_d;
      left_q <= left_d;
      zero_q <= (left_d == 14'd0);
      num_q <= num_d;
      sof_q <= sof_d;
      running_q <= running_d;
      mstep_q <= mstep_d;
      mx_q <= mx_d;
      macc_q <= macc_d;
      res_q <= res_d;
    end
  end

  wire unused_msum = msum[0];                 // a low product bit, below the result

  assign frame_number_o = num_q;
  assign sof_o = sof_q;
  assign bits_left_o = {2'b00, left_q};
  assign reserve_o = res_q;
  // (left + 1) * CLKS_PER_BIT - pre: the bit times left after this one, then this one's rest
  assign to_sof_o = !run_i ? '1 : !running_q ? 21'd1 :
                    21'(left_q) * 21'(CLKS_PER_BIT) + 21'(CLKS_PER_BIT) - 21'(pre_q);

endmodule

`default_nettype wire
