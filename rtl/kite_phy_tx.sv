// SPDX-License-Identifier: GPL-2.0 OR MIT
//
// kite_phy_tx: FS/LS transmitter of kite_fs_phy (UTMI transmit side to the D+/D- drivers).
//
// A packet starts when txvalid is seen while idle and line_ctrl is 0: SYNC (00000001, LSB
// first), then the bytes, each taken with a one-cycle txready at the bit boundary where it is
// needed, sent LSB first with bit stuffing (a 0 after six 1s, counting from the SYNC's last bit,
// also after the last data bit) and NRZI (0 = transition). When no byte is offered at a byte
// boundary the packet ends with EOP: SE0 for two bit times, J for one, then the drivers are
// released and the transmitter stays busy for one more idle bit time.
// Bit time: 4 clocks at FS, 32 clocks at LS (ls_i); J is D+ high at FS, D- high at LS.
// line_ctrl (while idle): 1 drive SE0, 2 drive K, 3 drive J (polarity from ls_i).

`default_nettype none

module kite_phy_tx (
  input  wire       clk,
  input  wire       rst,              // synchronous, active high
  input  wire       ls_i,             // low-speed bit rate and polarity
  input  wire [1:0] line_ctrl_i,
  input  wire [7:0] data_i,
  input  wire       txvalid_i,
  output wire       txready_o,
  output wire       dp_o,
  output wire       dm_o,
  output wire       oe_o,
  output wire       busy_o            // a packet (or its EOP / trailing idle bit) is in progress
);

  typedef enum logic [2:0] { X_IDLE, X_DATA, X_EOP1, X_EOP2, X_EOPJ, X_GAP } xstate_e;

  xstate_e    st_q, st_d;
  logic [4:0] cnt_q, cnt_d;           // clock within the bit time
  logic [6:0] sh_q, sh_d;             // bits of the current byte still to send
  logic [3:0] nb_q, nb_d;             // how many
  logic [2:0] ones_q, ones_d;         // consecutive 1s sent
  logic       lvl_q, lvl_d;           // 1 = J, 0 = K
  logic       dp_q, dp_d, dm_q, dm_d, oe_q, oe_d;
  logic       ready;
  logic       b, send;                // X_DATA: the bit to send, and whether there is one

  wire [4:0] last = ls_i ? 5'd31 : 5'd3;
  wire       tick = (cnt_q == last);

  // drive a differential level (1 = J)
  function automatic logic [1:0] diff(input logic j, input logic ls);
    diff = (j ^ ls) ? 2'b01 : 2'b10;  // {dm, dp}
  endfunction

  always_comb begin
    st_d = st_q;
    cnt_d = (st_q == X_IDLE || tick) ? 5'd0 : cnt_q + 5'd1;
    sh_d = sh_q;
    nb_d = nb_q;
    ones_d = ones_q;
    lvl_d = lvl_q;
    dp_d = dp_q;
    dm_d = dm_q;
    oe_d = oe_q;
    ready = 1'b0;
    b = 1'b0;
    send = 1'b0;
    case (st_q)
      X_IDLE: begin
        lvl_d = 1'b1;
        if (line_ctrl_i != kite_usb_pkg::LINE_NORMAL) begin
          oe_d = 1'b1;
          case (line_ctrl_i)
            kite_usb_pkg::LINE_SE0: {dm_d, dp_d} = 2'b00;
            kite_usb_pkg::LINE_K: {dm_d, dp_d} = diff(1'b0, ls_i);
            default: {dm_d, dp_d} = diff(1'b1, ls_i);
          endcase
        end else begin
          oe_d = 1'b0;
          {dm_d, dp_d} = diff(1'b1, ls_i);
          if (txvalid_i) begin
            st_d = X_DATA;
            sh_d = 7'b1000000;        // SYNC: first bit 0 sent on the first tick below
            nb_d = 4'd8;
            ones_d = 3'd0;
            cnt_d = last;             // first bit boundary in the next cycle
          end
        end
      end
      X_DATA: if (tick) begin
        send = 1'b1;
        b = 1'b0;
        if (ones_q == 3'd6) begin
          b = 1'b0;                   // stuffed bit
        end else if (nb_q == 4'd8) begin
          b = 1'b0;                   // first SYNC bit (sh holds the other seven)
          nb_d = 4'd7;
        end else if (nb_q != 4'd0) begin
          b = sh_q[0];
          sh_d = {1'b0, sh_q[6:1]};
          nb_d = nb_q - 4'd1;
        end else if (txvalid_i) begin
          ready = 1'b1;
          b = data_i[0];
          sh_d = data_i[7:1];
          nb_d = 4'd7;
        end else begin
          send = 1'b0;
          st_d = X_EOP1;
          oe_d = 1'b1;
          {dm_d, dp_d} = 2'b00;
        end
        if (send) begin
          ones_d = b ? ones_q + 3'd1 : 3'd0;
          lvl_d = b ? lvl_q : ~lvl_q;
          oe_d = 1'b1;
          {dm_d, dp_d} = diff(b ? lvl_q : ~lvl_q, ls_i);
        end
      end
      X_EOP1: if (tick) begin
        st_d = X_EOP2;                // second SE0 bit
      end
      X_EOP2: if (tick) begin
        st_d = X_EOPJ;
        {dm_d, dp_d} = diff(1'b1, ls_i);
      end
      X_EOPJ: if (tick) begin
        st_d = X_GAP;
        oe_d = 1'b0;
      end
      X_GAP: if (tick) st_d = X_IDLE;
      default: st_d = X_IDLE;
    endcase
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      st_q <= X_IDLE;
      cnt_q <= '0;
      sh_q <= '0;
      nb_q <= '0;
      ones_q <= '0;
      lvl_q <= 1'b1;
      dp_q <= 1'b1;
      dm_q <= 1'b0;
      oe_q <= 1'b0;
    end else begin
      st_q <= st_d;
      cnt_q <= cnt_d;
      sh_q <= sh_d;
      nb_q <= nb_d;
      ones_q <= ones_d;
      lvl_q <= lvl_d;
      dp_q <= dp_d;
      dm_q <= dm_d;
      oe_q <= oe_d;
    end
  end

  assign txready_o = ready;
  assign dp_o = dp_q;
  assign dm_o = dm_q;
  assign oe_o = oe_q;
  assign busy_o = (st_q != X_IDLE);

endmodule

`default_nettype wire
