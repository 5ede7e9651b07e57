// CICUData defines one data symbol, icudt76_dat (icu_data.S), for the static linker; nothing here is called from Swift.
#ifndef CICUDATA_H
#define CICUDATA_H
#endif
