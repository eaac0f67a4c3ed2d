# The complete example in docs/scenarios.md (its first ```json block) runs and meets every
# expectation, so the documentation cannot drift from the format.
#
#   cmake -DPROGRAM=path/to/calltrack -DDOC=docs/scenarios.md -DWORKDIR=dir -P docs_example.cmake
file(READ "${DOC}" _doc)
string(FIND "${_doc}" "```json\n" _begin)
if(_begin EQUAL -1)
  message(FATAL_ERROR "${DOC} has no ```json block")
endif()
math(EXPR _begin "${_begin} + 8")
string(SUBSTRING "${_doc}" ${_begin} -1 _rest)
string(FIND "${_rest}" "```" _end)
string(SUBSTRING "${_rest}" 0 ${_end} _example)
file(MAKE_DIRECTORY "${WORKDIR}")
file(WRITE "${WORKDIR}/docs_example.json" "${_example}")
execute_process(COMMAND "${PROGRAM}" run "${WORKDIR}/docs_example.json" --db :memory:
  RESULT_VARIABLE _status OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
if(NOT _status EQUAL 0)
  message(FATAL_ERROR "the example in ${DOC} fails (exit ${_status}):\n${_err}\n${_out}")
endif()
