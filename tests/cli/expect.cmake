# Runs one calltrack command line and checks its exit status and output.
#
#   cmake -DPROGRAM=path/to/calltrack "-DARGS=run|file.json|--db|:memory:" -DEXIT=1
#         [-DSTDERR=regex] [-DSTDOUT=regex] [-DNO_STDOUT=ON]
#         [-DJSON_KEY=key -DJSON_VALUE=value] -P expect.cmake
#
# JSON_KEY reads stdout as one JSON document and compares its top-level key with JSON_VALUE.
# ARGS is separated by '|' so that it survives add_test's own list handling.
string(REPLACE "|" ";" _args "${ARGS}")
execute_process(
  COMMAND "${PROGRAM}" ${_args}
  RESULT_VARIABLE _status
  OUTPUT_VARIABLE _out
  ERROR_VARIABLE _err)
set(_shown "command: ${PROGRAM} ${_args}\nexit status: ${_status}\n--- stdout\n${_out}--- stderr\n${_err}")
if(NOT "${_status}" STREQUAL "${EXIT}")
  message(FATAL_ERROR "expected exit status ${EXIT}\n${_shown}")
endif()
if(DEFINED STDERR AND NOT _err MATCHES "${STDERR}")
  message(FATAL_ERROR "stderr does not match: ${STDERR}\n${_shown}")
endif()
if(DEFINED STDOUT AND NOT _out MATCHES "${STDOUT}")
  message(FATAL_ERROR "stdout does not match: ${STDOUT}\n${_shown}")
endif()
if(NO_STDOUT AND NOT _out STREQUAL "")
  message(FATAL_ERROR "expected nothing on stdout\n${_shown}")
endif()
if(DEFINED JSON_KEY)
  string(JSON _value ERROR_VARIABLE _json_error GET "${_out}" "${JSON_KEY}")
  if(_json_error)
    message(FATAL_ERROR "stdout is not a JSON document with \"${JSON_KEY}\": ${_json_error}\n${_shown}")
  endif()
  if(NOT "${_value}" STREQUAL "${JSON_VALUE}")
    message(FATAL_ERROR "\"${JSON_KEY}\" is ${_value}, expected ${JSON_VALUE}\n${_shown}")
  endif()
endif()
