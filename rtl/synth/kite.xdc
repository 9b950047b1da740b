# SPDX-License-Identifier: GPL-2.0 OR MIT
# Vivado constraints for kite's two clocks (kite_axi_top / kite_wb_top, or rtl/synth/kite_synth_top).
# Adjust the periods to the board; usb_clk must be 48 MHz (kite_fs_phy, USB_CLK_HZ).
create_clock -name clk -period 10.000 [get_ports clk]
create_clock -name usb_clk -period 20.833 [get_ports usb_clk]

# Every path between the clocks goes through kite_cdc_sync (level and toggle synchronisers,
# ASYNC_REG flops), or is a Gray-coded FIFO pointer, or is a FIFO memory read whose entry the
# Gray pointers guarantee stable. A clock-group exception would leave the Gray pointers' bits
# free to skew apart by more than a period; a datapath-only maximum delay of the faster clock's
# period keeps them within one pointer step, as Xilinx's XPM FIFOs constrain theirs.
set_max_delay -datapath_only -from [get_clocks clk] -to [get_clocks usb_clk] 10.000
set_max_delay -datapath_only -from [get_clocks usb_clk] -to [get_clocks clk] 10.000

# The synchroniser flops, in case the RTL's ASYNC_REG attribute is lost by an older tool flow.
set_property ASYNC_REG TRUE [get_cells -quiet -hier -filter {NAME =~ *sync_q_reg*}]
