#pragma once

// Which declarations are calltrack's API. The libraries are compiled with hidden symbol visibility,
// so a telephony module that links calltrack exports only what these markers name, and nothing of
// calltrack's internals can clash with another module's. One marker per library:
//
//   CALLTRACK_API          libcalltrack          (calltrack::calltrack, calltrack.pc)
//   CALLTRACK_SQLITE_API   libcalltrack_sqlite   (calltrack::sqlite, calltrack-sqlite.pc)
//   CALLTRACK_POSTGRES_API libcalltrack_postgres (calltrack::postgres, calltrack-postgres.pc)
//   CALLTRACK_TESTING_API  libcalltrack_testing  (calltrack::testing, calltrack-testing.pc)
//
// A shared build defines CALLTRACK_SHARED for the libraries and for everything that uses them
// (CMake's targets and the .pc files carry it); each library defines its CALLTRACK_BUILDING_*
// while it is compiled. A static build defines neither: the markers are empty and every symbol
// stays hidden inside whatever links the archive.

#if defined(CALLTRACK_SHARED)
#if defined(_WIN32) || defined(__CYGWIN__)
#define CALLTRACK_EXPORT_ __declspec(dllexport)
#define CALLTRACK_IMPORT_ __declspec(dllimport)
#else
#define CALLTRACK_EXPORT_ __attribute__((visibility("default")))
#define CALLTRACK_IMPORT_ __attribute__((visibility("default")))
#endif
#if defined(CALLTRACK_BUILDING_CALLTRACK)
#define CALLTRACK_API CALLTRACK_EXPORT_
#else
#define CALLTRACK_API CALLTRACK_IMPORT_
#endif
#if defined(CALLTRACK_BUILDING_SQLITE)
#define CALLTRACK_SQLITE_API CALLTRACK_EXPORT_
#else
#define CALLTRACK_SQLITE_API CALLTRACK_IMPORT_
#endif
#if defined(CALLTRACK_BUILDING_POSTGRES)
#define CALLTRACK_POSTGRES_API CALLTRACK_EXPORT_
#else
#define CALLTRACK_POSTGRES_API CALLTRACK_IMPORT_
#endif
#if defined(CALLTRACK_BUILDING_TESTING)
#define CALLTRACK_TESTING_API CALLTRACK_EXPORT_
#else
#define CALLTRACK_TESTING_API CALLTRACK_IMPORT_
#endif
#else
#define CALLTRACK_API
#define CALLTRACK_SQLITE_API
#define CALLTRACK_POSTGRES_API
#define CALLTRACK_TESTING_API
#endif
