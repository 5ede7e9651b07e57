// Written by scripts/icu-data-subset.py with icudt-subset.dat: its SHA-256, so that the assembler runs again
// when the data changes (builds track included headers, not .incbin files).
#define ATMO_ICU_SUBSET_SHA256 "8ce1a8c99fc81db10c403611bcffd7cea3b81e5b06a9399706943fc8dff81a3e"
