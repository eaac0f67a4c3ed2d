# Configures SOURCE in BINARY and passes only if that fails with output matching EXPECT.
#   cmake -DSOURCE=dir -DBINARY=dir -DEXPECT=regex [-DPREFIX=dir] -P expect_configure_failure.cmake
file(REMOVE_RECURSE "${BINARY}")
execute_process(
  COMMAND "${CMAKE_COMMAND}" -S "${SOURCE}" -B "${BINARY}" "-DCMAKE_PREFIX_PATH=${PREFIX}"
  RESULT_VARIABLE _status OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
set(_shown "exit status: ${_status}\n--- stdout\n${_out}--- stderr\n${_err}")
if(_status EQUAL 0)
  message(FATAL_ERROR "configuring ${SOURCE} succeeded; it should have failed\n${_shown}")
endif()
if(NOT "${_out}${_err}" MATCHES "${EXPECT}")
  message(FATAL_ERROR "the failure does not say: ${EXPECT}\n${_shown}")
endif()
message(STATUS "configuring failed as expected:\n${_err}")
