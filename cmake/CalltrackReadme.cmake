# The README's C++ example and the output it shows, read from README.md so that both are tested:
# calltrack_readme_block(<text> <opening fence> <var>) sets <var> to the first fenced block that
# opens with the fence line after the heading "## Using it from C++".
function(calltrack_readme_block text fence var)
  string(FIND "${text}" "## Using it from C++" _at)
  if(_at EQUAL -1)
    message(FATAL_ERROR "README.md has no \"## Using it from C++\" section")
  endif()
  string(SUBSTRING "${text}" ${_at} -1 _section)
  string(FIND "${_section}" "${fence}\n" _open)
  if(_open EQUAL -1)
    message(FATAL_ERROR "README.md's \"Using it from C++\" has no ${fence} block")
  endif()
  string(LENGTH "${fence}\n" _fence_length)
  math(EXPR _start "${_open} + ${_fence_length}")
  string(SUBSTRING "${_section}" ${_start} -1 _rest)
  string(FIND "${_rest}" "\n```" _close)
  string(SUBSTRING "${_rest}" 0 ${_close} _block)
  set(${var} "${_block}\n" PARENT_SCOPE)
endfunction()

# As a script: runs PROGRAM and compares what it prints with the README's ```text block.
if(CMAKE_SCRIPT_MODE_FILE)
  file(READ "${README}" _readme)
  # The first text block of the section is the example's output.
  calltrack_readme_block("${_readme}" "```text" _expected)
  execute_process(COMMAND "${PROGRAM}" RESULT_VARIABLE _status OUTPUT_VARIABLE _out)
  if(NOT _status EQUAL 0)
    message(FATAL_ERROR "the README example exited with ${_status}; it printed:\n${_out}")
  endif()
  if(NOT _out STREQUAL _expected)
    message(FATAL_ERROR "the README example prints:\n${_out}\nbut the README shows:\n${_expected}")
  endif()
endif()
