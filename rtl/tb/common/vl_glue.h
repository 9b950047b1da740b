/* SPDX-License-Identifier: MIT */
/*
 * The one thin C++ glue of the C testbenches that drive a Verilated top directly
 * (vl_glue.cpp): the top's pins as a plain C struct, copied in and out by X-macro lists.
 *
 * vl_glue.cpp is compiled once per testbench with
 *   -DGLUE_TOP=Vname        the Verilated class (its header is Vname.h)
 *   -DGLUE_PINS_H=pins.h    the header with the pin struct and the X-macro lists
 *   -DGLUE_PINS=name_pins   the pin struct (struct GLUE_PINS)
 *   -DGLUE_INPUTS=X_INPUTS -DGLUE_OUTPUTS=X_OUTPUTS   the X-macro lists of input and output pins
 *   -DGLUE_NAME=name        optional: the top's instance name
 *   -DGLUE_CLOCK=clk        optional: a clock the glue drives (held low by vl_sim_eval, one
 *                           rising edge per vl_sim_posedge); without it every clock is a pin
 */
#ifndef VL_GLUE_H
#define VL_GLUE_H

struct vl_sim;
#ifdef __cplusplus
extern "C" {
#endif
/* NULL on failure */
struct vl_sim *vl_sim_create(void);
void vl_sim_destroy(struct vl_sim *s);
/* inputs (struct GLUE_PINS) -> model, evaluate, outputs -> pins */
void vl_sim_eval(struct vl_sim *s, void *pins);
/* rising edge of GLUE_CLOCK (only with GLUE_CLOCK) */
void vl_sim_posedge(struct vl_sim *s);
#ifdef __cplusplus
}
#endif

#endif /* VL_GLUE_H */
