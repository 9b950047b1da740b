// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_port: one root port of kite_usb_engine.
//
// States: OFF (no power) -> DISCONN -> (line J or K stable for DEBOUNCE) -> DISABLED (connected;
// LS = the idle line was D- high) -> (reset_req) RESET: drive SE0 for RESET_MS -> RECOVER: release
// the line for DEBOUNCE, then ENABLED (speed sampled again; SE0 still there -> DISCONN).
// ENABLED -> (suspend_req) SUSPENDED: no SOF / keep-alive -> (resume_req, or the device drives K
// for DEBOUNCE: remote wake) RESUME_K: drive K for RESUME_MS -> RESUME_EOP: SE0 for 2 LS bit
// times, J for 1 LS bit time -> ENABLED.
// In any connected state except RESET (and while we drive the line ourselves) SE0 for more than
// DEBOUNCE (2.5 us) means the device left: DISCONN. disable_req (and babble_i) -> DISABLED.
// Power off -> OFF from anywhere.
//
// Frame start (sof_i) on an ENABLED port: FS: the SOF token (PID, frame number, CRC5) is sent on
// this port's UTMI as soon as the transaction engine does not own it; sof_busy_o stays 1 from
// the frame start until SOF_TAIL clocks after the last byte (the PHY's last byte and EOP).
// LS: keep-alive: SE0 for 2 LS bit times then J for one, via line_ctrl.
// Over-current: port_oc_i through a 2-flop synchroniser, reported only.
// quiet_o (registered): the port is in a state without a timer of its own (OFF, DISCONN,
// DISABLED, ENABLED, SUSPENDED) and stays in it, the SOF sender is idle (its tail covers the
// PHY's last byte and EOP) and the line state did not change in the last cycle; where a line
// that stays as it is would act (connect, disconnect, remote wake-up) it has been stable for
// DEBOUNCE already. Nothing changes until the line, a request or a frame start does; only the
// state timer and the debounce count on.

`default_nettype none

module kite_port #(
  parameter int unsigned USB_CLK_HZ = 48000000,  // usb_clk frequency (48 MHz)
  parameter int unsigned RESET_MS = 10,          // reset SE0 length, 1..255 ms
  parameter int unsigned RESUME_MS = 20          // resume K length, 1..255 ms
) (
  input  wire         clk,
  input  wire         rst,                       // synchronous, active high

  input  wire         power_i,
  input  wire         reset_req_i,               // pulses
  input  wire         disable_req_i,
  input  wire         suspend_req_i,
  input  wire         resume_req_i,
  input  wire         babble_i,                  // pulse: disable after babble past the frame end
  input  wire         oc_i,                      // over-current pin (asynchronous)

  input  wire         run_i,
  input  wire         sof_i,                     // frame start pulse
  input  wire [15:0]  sof_payload_i,             // {crc5, frame number} of the new frame
  input  wire         txn_owns_i,                // the transaction engine uses this port's UTMI

  output wire         connected_o,
  output wire         enabled_o,
  output wire         ls_o,
  output wire         resetting_o,
  output wire         suspended_o,
  output wire         resuming_o,
  output wire         overcurrent_o,
  output wire         vbus_en_o,
  output wire         usable_o,                  // enabled and not suspended/resuming/resetting
  output wire         sof_busy_o,
  output wire         quiet_o,

  // this port's UTMI (the SOF sender's transmit side; kite_usb_engine muxes the engine's)
  output wire [7:0]   utmi_data_out,
  output wire         utmi_txvalid,
  input  wire         utmi_txready,
  input  wire [1:0]   utmi_linestate,
  output wire [1:0]   utmi_xcvrselect,
  output wire         utmi_termselect,
  output wire [1:0]   utmi_opmode,
  output wire [1:0]   utmi_line_ctrl
);

  if (USB_CLK_HZ != 48000000) begin : g_bad_clk
    $error("kite_port: USB_CLK_HZ must be 48000000 (4 clocks per FS bit)");
  end
  if (RESET_MS < 1 || RESET_MS > 255) begin : g_bad_reset
    $error("kite_port: RESET_MS must be 1..255");
  end
  if (RESUME_MS < 1 || RESUME_MS > 255) begin : g_bad_resume
    $error("kite_port: RESUME_MS must be 1..255");
  end

  localparam int unsigned CLK_PER_MS = USB_CLK_HZ / 1000;
  localparam logic [23:0] RESET_CLKS = 24'(RESET_MS * CLK_PER_MS);
  localparam logic [23:0] RESUME_CLKS = 24'(RESUME_MS * CLK_PER_MS);
  localparam logic [23:0] DEBOUNCE = 24'(USB_CLK_HZ / 400000);     // 2.5 us
  localparam logic [23:0] LS_BIT = 24'(kite_usb_pkg::LS_CLKS_PER_BIT);
  localparam logic [7:0]  SOF_TAIL = 8'(16 * kite_usb_pkg::FS_CLKS_PER_BIT);
  localparam int unsigned DBW = $clog2(USB_CLK_HZ / 400000 + 1);
  localparam logic [DBW-1:0] DB_STABLE = DBW'(USB_CLK_HZ / 400000);

  typedef enum logic [3:0] {
    P_OFF, P_DISCONN, P_DISABLED, P_RESET, P_RECOVER, P_ENABLED, P_SUSPENDED, P_RESUME_K,
    P_RESUME_EOP
  } pstate_e;

  pstate_e     st_q, st_d;
  logic        ls_q, ls_d;
  logic [23:0] tmr_q, tmr_d;           // time in the current state (wraps; see the t_* flags)
  logic        clr_q;                  // first cycle of a state: the timer reads as 0
  // tmr >= (time - 1) of the state's exit, registered from the cycle before and sticky until the
  // state changes: no 24-bit compare and no clear between the timer and the next-state logic
  logic        t_reset_q, t_reset_d, t_recov_q, t_recov_d, t_resk_q, t_resk_d, t_eop_q, t_eop_d;
  logic [DBW-1:0] db_q, db_d;          // clocks the line state has been unchanged (saturates)
  logic [1:0]  lsp_q;                  // line state of the previous cycle
  logic [1:0]  oc_s_q;                 // over-current synchroniser

  // SOF / keep-alive sender
  typedef enum logic [2:0] { F_IDLE, F_PEND, F_PID, F_B1, F_B2, F_TAIL, F_KA_SE0, F_KA_J } fstate_e;
  fstate_e     fs_q, fs_d;
  logic [15:0] pay_q, pay_d;
  logic [7:0]  ft_q, ft_d;

  wire [1:0] k_state = ls_q ? kite_usb_pkg::LS_DP : kite_usb_pkg::LS_DM;  // K as line state
  wire       line_se0 = (utmi_linestate == kite_usb_pkg::LS_SE0);
  wire       stable = (db_q == DB_STABLE) && (utmi_linestate == lsp_q);
  wire       connected = (st_q != P_OFF) && (st_q != P_DISCONN);
  wire       we_drive = (st_q == P_RESET) || (st_q == P_RESUME_K) || (st_q == P_RESUME_EOP) ||
                        (fs_q == F_KA_SE0) || (fs_q == F_KA_J);

  // ------------------------------------------------------------------ state timer
  // Restarts with each state: in a state's first cycle (clr_q, registered from st_d != st_q) it
  // reads as 0, then counts on from 1, as if it had been cleared on entry. A flag for
  // "timer >= K" (K >= 2) in the next cycle is "timer >= K - 1" now, outside a first cycle.
  assign tmr_d = clr_q ? 24'd1 : tmr_q + 24'd1;
  assign t_reset_d = !clr_q && (t_reset_q || tmr_q >= RESET_CLKS - 24'd2);
  assign t_recov_d = !clr_q && (t_recov_q || tmr_q >= DEBOUNCE - 24'd1);
  assign t_resk_d = !clr_q && (t_resk_q || tmr_q >= RESUME_CLKS - 24'd2);
  assign t_eop_d = !clr_q && (t_eop_q || tmr_q >= 3 * LS_BIT - 24'd2);
  wire reset_done = !clr_q && t_reset_q;        // timer >= RESET_CLKS - 1
  wire recov_done = !clr_q && t_recov_q;        // timer >= DEBOUNCE
  wire resk_done = !clr_q && t_resk_q;          // timer >= RESUME_CLKS - 1
  wire eop_done = !clr_q && t_eop_q;            // timer >= 3 LS bit times - 1
  wire eop_se0 = clr_q || (tmr_q < 2 * LS_BIT); // timer < 2 LS bit times

  // ------------------------------------------------------------------ port state
  always_comb begin
    st_d = st_q;
    ls_d = ls_q;
    db_d = (utmi_linestate != lsp_q || we_drive) ? '0 :
           (db_q == DB_STABLE) ? db_q : db_q + DBW'(1);
    case (st_q)
      P_OFF: if (power_i) st_d = P_DISCONN;
      P_DISCONN: begin
        ls_d = 1'b0;
        if (!line_se0 && utmi_linestate != kite_usb_pkg::LS_SE1 && stable) begin
          st_d = P_DISABLED;
          ls_d = (utmi_linestate == kite_usb_pkg::LS_DM);
        end
      end
      P_RESET: if (reset_done) st_d = P_RECOVER;
      P_RECOVER: if (recov_done) begin
        if (!line_se0) begin
          st_d = P_ENABLED;
          ls_d = (utmi_linestate == kite_usb_pkg::LS_DM);
        end
      end
      P_SUSPENDED: begin
        if (resume_req_i || (utmi_linestate == k_state && stable)) st_d = P_RESUME_K;
      end
      P_RESUME_K: if (resk_done) st_d = P_RESUME_EOP;
      P_RESUME_EOP: if (eop_done) st_d = P_ENABLED;
      P_ENABLED: if (suspend_req_i) st_d = P_SUSPENDED;
      default: ;
    endcase
    // common transitions, in priority order (lowest first)
    if (connected && (disable_req_i || babble_i) && st_q != P_DISABLED) st_d = P_DISABLED;
    if (connected && reset_req_i) st_d = P_RESET;
    if (connected && !we_drive && line_se0 && stable && st_q != P_RESET) st_d = P_DISCONN;
    if (!power_i) st_d = P_OFF;
  end

  // ------------------------------------------------------------------ SOF / keep-alive
  wire take = utmi_txready && (fs_q == F_PID || fs_q == F_B1 || fs_q == F_B2);

  always_comb begin
    fs_d = fs_q;
    pay_d = pay_q;
    ft_d = ft_q;
    case (fs_q)
      F_IDLE: ;
      F_PEND: if (!txn_owns_i) begin
        if (ls_q) begin
          fs_d = F_KA_SE0;
        end else begin
          fs_d = F_PID;
        end
        ft_d = '0;
      end
      F_PID: if (take) fs_d = F_B1;
      F_B1: if (take) fs_d = F_B2;
      F_B2: if (take) begin
        fs_d = F_TAIL;
        ft_d = '0;
      end
      F_TAIL: begin
        ft_d = ft_q + 8'd1;
        if (ft_q >= SOF_TAIL - 8'd1) fs_d = F_IDLE;
      end
      F_KA_SE0: begin
        ft_d = ft_q + 8'd1;
        if (ft_q >= 8'(2 * kite_usb_pkg::LS_CLKS_PER_BIT) - 8'd1) begin
          fs_d = F_KA_J;
          ft_d = '0;
        end
      end
      F_KA_J: begin
        ft_d = ft_q + 8'd1;
        if (ft_q >= 8'(kite_usb_pkg::LS_CLKS_PER_BIT) - 8'd1) fs_d = F_IDLE;
      end
      default: fs_d = F_IDLE;
    endcase
    // a frame start on an enabled, running port (a SOF still in progress finishes first)
    if (sof_i && run_i && st_q == P_ENABLED && (fs_q == F_IDLE || fs_q == F_PEND)) begin
      fs_d = F_PEND;
      pay_d = sof_payload_i;
    end
    if (!power_i || st_q == P_OFF || st_q == P_DISCONN || st_q == P_RESET) begin
      if (fs_q == F_PEND || fs_q == F_KA_SE0 || fs_q == F_KA_J) fs_d = F_IDLE;
    end
  end

  // ------------------------------------------------------------------ quiet
  wire untimed = (st_q == P_OFF) || (st_q == P_DISCONN) || (st_q == P_DISABLED) ||
                 (st_q == P_ENABLED) || (st_q == P_SUSPENDED);
  // the transitions above that a debounced (stable) line makes
  wire stable_acts = (st_q == P_DISCONN && !line_se0 && utmi_linestate != kite_usb_pkg::LS_SE1) ||
                     (st_q == P_SUSPENDED && utmi_linestate == k_state) ||
                     (connected && !we_drive && line_se0 && st_q != P_RESET);
  logic quiet_q;

  always_ff @(posedge clk) begin
    if (rst) begin
      quiet_q <= 1'b0;
    end else begin
      quiet_q <= untimed && st_d == st_q && !clr_q && fs_q == F_IDLE && fs_d == F_IDLE &&
                 utmi_linestate == lsp_q && (db_q == DB_STABLE || !stable_acts);
    end
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      st_q <= P_OFF;
      ls_q <= 1'b0;
      tmr_q <= '0;
      clr_q <= 1'b1;
      t_reset_q <= 1'b0;
      t_recov_q <= 1'b0;
      t_resk_q <= 1'b0;
      t_eop_q <= 1'b0;
      db_q <= '0;
      lsp_q <= '0;
      oc_s_q <= '0;
      fs_q <= F_IDLE;
      pay_q <= '0;
      ft_q <= '0;
    end else begin
      st_q <= st_d;
      ls_q <= ls_d;
      tmr_q <= tmr_d;
      clr_q <= (st_d != st_q);
      t_reset_q <= t_reset_d;
      t_recov_q <= t_recov_d;
      t_resk_q <= t_resk_d;
      t_eop_q <= t_eop_d;
      db_q <= db_d;
      lsp_q <= utmi_linestate;
      oc_s_q <= {oc_s_q[0], oc_i};
      fs_q <= fs_d;
      pay_q <= pay_d;
      ft_q <= ft_d;
    end
  end

  // ------------------------------------------------------------------ outputs
  logic [1:0] line_ctrl;
  always_comb begin
    case (st_q)
      P_RESET:      line_ctrl = kite_usb_pkg::LINE_SE0;
      P_RESUME_K:   line_ctrl = kite_usb_pkg::LINE_K;
      P_RESUME_EOP: line_ctrl = eop_se0 ? kite_usb_pkg::LINE_SE0 :
                                                       kite_usb_pkg::LINE_J;
      default: begin
        line_ctrl = (fs_q == F_KA_SE0) ? kite_usb_pkg::LINE_SE0 :
                    (fs_q == F_KA_J) ? kite_usb_pkg::LINE_J : kite_usb_pkg::LINE_NORMAL;
      end
    endcase
  end

  assign connected_o = connected;
  assign enabled_o = (st_q == P_ENABLED) || (st_q == P_SUSPENDED) || (st_q == P_RESUME_K) ||
                     (st_q == P_RESUME_EOP);
  assign ls_o = ls_q;
  assign resetting_o = (st_q == P_RESET) || (st_q == P_RECOVER);
  assign suspended_o = (st_q == P_SUSPENDED) || (st_q == P_RESUME_K) || (st_q == P_RESUME_EOP);
  assign resuming_o = (st_q == P_RESUME_K) || (st_q == P_RESUME_EOP);
  assign overcurrent_o = oc_s_q[1];
  assign vbus_en_o = power_i;
  assign usable_o = (st_q == P_ENABLED);
  assign sof_busy_o = (fs_q != F_IDLE);
  assign quiet_o = quiet_q;

  assign utmi_data_out = (fs_q == F_PID) ? kite_usb_pkg::pid_byte(kite_usb_pkg::PID_SOF) :
                         (fs_q == F_B1) ? pay_q[7:0] :
                         (fs_q == F_B2) ? pay_q[15:8] : 8'h00;
  assign utmi_txvalid = (fs_q == F_PID) || (fs_q == F_B1) || (fs_q == F_B2);
  assign utmi_xcvrselect = ls_q ? kite_usb_pkg::XCVR_LS : kite_usb_pkg::XCVR_FS;
  assign utmi_termselect = 1'b1;
  assign utmi_opmode = 2'd0;
  assign utmi_line_ctrl = line_ctrl;

endmodule

`default_nettype wire
