# A host without CMake: the consumer compiled and linked with nothing but the compiler and what
# `pkg-config --cflags --libs` prints for the installed .pc files, then run.
#   cmake -DPREFIX=dir -DLIBDIR=lib -DCXX=g++ "-DCXXFLAGS=..." -DSOURCE=main.cpp -DBINARY=dir
#         -DSTATIC=ON|OFF -DPOSTGRES=ON|OFF -P pkg_config.cmake
find_program(PKG_CONFIG NAMES pkg-config pkgconf REQUIRED)
set(ENV{PKG_CONFIG_PATH} "${PREFIX}/${LIBDIR}/pkgconfig")
set(_args --cflags --libs calltrack-sqlite calltrack-testing)
set(_defines -DCALLTRACK_CONSUMER_TESTING=1)
if(POSTGRES)
  list(APPEND _args calltrack-postgres)
  list(APPEND _defines -DCALLTRACK_CONSUMER_POSTGRES=1)
endif()
if(STATIC)
  # A static archive's own dependencies come from Requires.private and Libs.private.
  list(PREPEND _args --static)
endif()
execute_process(COMMAND "${PKG_CONFIG}" ${_args}
  RESULT_VARIABLE _status OUTPUT_VARIABLE _flags ERROR_VARIABLE _err OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT _status EQUAL 0)
  message(FATAL_ERROR "pkg-config ${_args} failed:\n${_err}")
endif()
message(STATUS "pkg-config ${_args}: ${_flags}")
separate_arguments(_flags UNIX_COMMAND "${_flags}")
separate_arguments(_cxxflags UNIX_COMMAND "${CXXFLAGS}")

file(MAKE_DIRECTORY "${BINARY}")
set(_program "${BINARY}/consumer")
execute_process(
  COMMAND "${CXX}" ${_cxxflags} -std=c++17 ${_defines} "${SOURCE}"
    -o "${_program}" ${_flags}
  RESULT_VARIABLE _status OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
if(NOT _status EQUAL 0)
  message(FATAL_ERROR "compiling with pkg-config's flags failed:\n${_out}${_err}")
endif()

if(NOT STATIC)
  set(ENV{LD_LIBRARY_PATH} "${PREFIX}/${LIBDIR}")
endif()
execute_process(COMMAND "${_program}" RESULT_VARIABLE _status OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
message(STATUS "${_out}${_err}")
if(NOT _status EQUAL 0)
  message(FATAL_ERROR "the consumer built with pkg-config's flags exited with ${_status}")
endif()
