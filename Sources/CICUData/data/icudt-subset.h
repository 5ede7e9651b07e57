// Written by scripts/icu-data-subset.py with icudt-subset.dat: its SHA-256, so that the assembler runs again
// when the data changes (builds track included headers, not .incbin files).
#define ATMO_ICU_SUBSET_SHA256 "b746be39fbad3339555456d1867543ae8baf72cf7bb4cb4752759de11c0c2907"
