# <calltrack/calltrack.hpp> includes every public header of calltrack::calltrack: each header
# directly under include/calltrack/ except itself and the SQLite component's.
#   cmake -DINCLUDE_DIR=path/to/include -P umbrella.cmake
file(READ "${INCLUDE_DIR}/calltrack/calltrack.hpp" _umbrella)
file(GLOB _headers RELATIVE "${INCLUDE_DIR}" "${INCLUDE_DIR}/calltrack/*.hpp")
set(_missing)
foreach(_header IN LISTS _headers)
  if(_header STREQUAL "calltrack/calltrack.hpp" OR _header STREQUAL "calltrack/sqlite_store.hpp")
    continue()
  endif()
  string(FIND "${_umbrella}" "#include <${_header}>" _at)
  if(_at EQUAL -1)
    list(APPEND _missing "${_header}")
  endif()
endforeach()
if(_missing)
  message(FATAL_ERROR "calltrack/calltrack.hpp does not include: ${_missing}")
endif()
