// The ICU data package the operator's binary carries: the time-zone items of the Swift toolchain's own package, copied
// byte for byte by scripts/icu-data-subset.py (which also says why). Defined under the toolchain's symbol, it is what
// the static link of ICU's udata finds, so the 34 MB package in lib_FoundationICU.a is never pulled in. Dynamic builds
// (debug, tests) keep their Foundation's own data; the name below must be the toolchain's, which a test checks.
#include "icudt-subset.h"
.section .rodata.icudt_subset,"a"
.globl icudt76_dat
.type icudt76_dat, @object
.balign 16
icudt76_dat:
.incbin "icudt-subset.dat"
.size icudt76_dat, . - icudt76_dat
.section .note.GNU-stack,"",@progbits
