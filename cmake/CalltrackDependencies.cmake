# Every dependency is a Debian package found through find_package; nothing is downloaded or vendored.
# A missing one stops the configure step with the package that provides it, so the fix is one
# `apt-get install` away (scripts/install-deps does it for you).
macro(calltrack_find_dependency name debian_package version)
  if("${version}" STREQUAL "")
    find_package(${name} QUIET ${ARGN})
  else()
    find_package(${name} ${version} QUIET ${ARGN})
  endif()
  if(NOT ${name}_FOUND)
    message(FATAL_ERROR
      "calltrack needs ${name} ${version} and CMake could not find it.\n"
      "On Debian or Ubuntu: apt-get install -y ${debian_package}\n"
      "(or run ./scripts/install-deps, which installs every package calltrack needs).\n"
      "Elsewhere: install ${name} ${version} or newer and point CMAKE_PREFIX_PATH at it.")
  endif()
endmacro()
