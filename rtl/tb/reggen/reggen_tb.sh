#!/bin/sh
# SPDX-License-Identifier: MIT
# Checks of scripts/reggen.py: register arrays, memory structures and the register test table
# are generated, --check still works, bad descriptions are rejected.
# Usage: reggen_tb.sh <repo root> [-t PATTERN]   (the name filter of every kite test)
top=${1:-.}
[ $# -gt 0 ] && shift
. "$top/sim/testlib/kite_test.sh"
kt_args "$@"
py=${PYTHON3:-python3}
h=$top/driver/kite_regs.h
sv=$top/rtl/kite_regs_pkg.sv
walk=$top/rtl/tb/kite_regs_walk/kite_regs_walk.h
md=$top/docs/registers.md
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
# quiet CMD...: CMD without its output (the checks below say what failed)
quiet() {
	"$@" >/dev/null 2>&1
}
check reggen-check quiet "$py" "$top/scripts/reggen.py" --check --top "$top"
check reggen-array-c quiet grep -q '^#define KITE_REG_PORTSC(n)[[:space:]]*(0x080 + (n) \* 0x4)' "$h"
check reggen-array-ctx quiet grep -q '^#define KITE_REG_CTX_CFG0(n)[[:space:]]*(0x800 + (n) \* 0x20)' "$h"
check reggen-array-sv quiet grep -q 'KITE_REG_CTX_CFG0_STRIDE = 32' "$sv"
check reggen-struct-c quiet sh -c "grep -q 'KITE_TRB_DW3_TYPE_MASK[[:space:]]*0x0000fc00u' '$h' && grep -q 'KITE_TRB_TYPE_NORMAL[[:space:]]*1$' '$h' && grep -q 'KITE_EVT_CODE_STALL[[:space:]]*3$' '$h'"
check reggen-struct-sv quiet grep -q "KITE_EVT_CODE_TRB_ERROR = 8'd10" "$sv"
check reggen-struct-md quiet grep -q '^## Memory structures' "$md"
check reggen-walk-table quiet sh -c "grep -q '{ \"PORTSC\", 0x080, 15, 4,' '$walk' && grep -q 'KITE_WALK_P_NUM_CTX\\]' '$walk' && grep -q '^#define KITE_WALK_NREGS' '$walk'"
# --check detects a stale file
cp -r "$top/scripts" "$top/rtl" "$top/driver" "$top/docs" "$tmp/" 2>/dev/null
echo "/* stale */" >>"$tmp/driver/kite_regs.h"
check reggen-check-stale quiet sh -c "! '$py' '$tmp/scripts/reggen.py' --check --top '$tmp'"
cp "$h" "$tmp/driver/kite_regs.h"
echo "/* stale */" >>"$tmp/rtl/tb/kite_regs_walk/kite_regs_walk.h"
check reggen-check-stale-walk quiet sh -c "! '$py' '$tmp/scripts/reggen.py' --check --top '$tmp'"
# test metadata: expressions name [params] only; a ro field says its reset value
sed 's/^  hw_reset = "NUM_CTX"$/  hw_reset = "NUM_CTX + NO_SUCH_PARAM"/' "$top/rtl/regs/kite_regs.toml" >"$tmp/bad3.toml"
check reggen-reject-bad-expr quiet sh -c "! '$py' '$top/scripts/reggen.py' --toml '$tmp/bad3.toml'"
sed '/^  hw_reset = "NUM_CTX"$/d' "$top/rtl/regs/kite_regs.toml" >"$tmp/bad4.toml"
check reggen-reject-ro-without-reset quiet sh -c "! '$py' '$top/scripts/reggen.py' --toml '$tmp/bad4.toml'"
# overlapping array instances and struct fields are rejected
sed 's/^offset = 0x080$/offset = 0x07c/' "$top/rtl/regs/kite_regs.toml" >"$tmp/bad1.toml"
check reggen-reject-array-overlap quiet sh -c "! '$py' '$top/scripts/reggen.py' --toml '$tmp/bad1.toml'"
sed 's/^  bits = "15:10"$/  bits = "15:5"/' "$top/rtl/regs/kite_regs.toml" >"$tmp/bad2.toml"
check reggen-reject-struct-overlap quiet sh -c "! '$py' '$top/scripts/reggen.py' --toml '$tmp/bad2.toml'"
kt_finish
