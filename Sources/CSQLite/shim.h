#ifndef WARDEN_CSQLITE_SHIM_H
#define WARDEN_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
