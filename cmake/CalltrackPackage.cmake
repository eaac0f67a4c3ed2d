# How consumers find calltrack: a CMake package config with one component per optional library,
# the same targets exported from the build tree, and pkg-config files for hosts without CMake.
# CalltrackInstall.cmake installs what this writes.
include(CMakePackageConfigHelpers)

set(CALLTRACK_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/calltrack")
set(CALLTRACK_PKGCONFIG_DIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig")

# The package: calltrackTargets.cmake holds calltrack::calltrack; each component has its own file,
# loaded only when asked for, so that a consumer finds only what it links.
#   find_package(calltrack CONFIG REQUIRED COMPONENTS sqlite postgres testing)
# postgres is a component only when it is built (CALLTRACK_BUILD_POSTGRES).
set(CALLTRACK_COMPONENTS sqlite testing)
set(CALLTRACK_PC_FILES calltrack calltrack-sqlite calltrack-testing)
if(CALLTRACK_BUILD_POSTGRES)
  set(CALLTRACK_COMPONENTS sqlite postgres testing)
  list(APPEND CALLTRACK_PC_FILES calltrack-postgres)
endif()
if(BUILD_SHARED_LIBS)
  set(CALLTRACK_STATIC OFF)
else()
  set(CALLTRACK_STATIC ON)
endif()
configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/calltrackConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/calltrackConfig.cmake"
  INSTALL_DESTINATION ${CALLTRACK_CMAKE_DIR})
write_basic_package_version_file("${PROJECT_BINARY_DIR}/calltrackConfigVersion.cmake"
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)

# The build tree is a package too: -Dcalltrack_DIR=<calltrack's build directory>.
export(TARGETS calltrack NAMESPACE calltrack::
  FILE "${PROJECT_BINARY_DIR}/calltrackTargets.cmake")
export(TARGETS calltrack_sqlite NAMESPACE calltrack::
  FILE "${PROJECT_BINARY_DIR}/calltrack-sqliteTargets.cmake")
export(TARGETS calltrack_testing NAMESPACE calltrack::
  FILE "${PROJECT_BINARY_DIR}/calltrack-testingTargets.cmake")
if(CALLTRACK_BUILD_POSTGRES)
  export(TARGETS calltrack_postgres NAMESPACE calltrack::
    FILE "${PROJECT_BINARY_DIR}/calltrack-postgresTargets.cmake")
endif()

# pkg-config: calltrack.pc, calltrack-sqlite.pc, calltrack-postgres.pc, calltrack-testing.pc.
# Relocatable: the prefix is
# found from the .pc file's own place, so an installed tree may be moved or installed with
# `cmake --install --prefix`.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(CALLTRACK_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(CALLTRACK_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  file(RELATIVE_PATH _calltrack_pc_up "/root/${CALLTRACK_PKGCONFIG_DIR}" "/root")
  string(REGEX REPLACE "/$" "" _calltrack_pc_up "${_calltrack_pc_up}")
  set(CALLTRACK_PC_PREFIX "\${pcfiledir}/${_calltrack_pc_up}")
  set(CALLTRACK_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(CALLTRACK_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(CALLTRACK_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
set(CALLTRACK_PC_CFLAGS "")
if(BUILD_SHARED_LIBS)
  set(CALLTRACK_PC_CFLAGS " -DCALLTRACK_SHARED")
endif()
# Boost and Threads are what CMake's calltrack::calltrack links (Boost has no .pc files); a shared
# libcalltrack carries them itself, a static one needs them with `pkg-config --static`.
set(CALLTRACK_PC_LIBS_PRIVATE "-lboost_date_time -lboost_system -ldate-tz -pthread")
foreach(_pc IN LISTS CALLTRACK_PC_FILES)
  configure_file("${PROJECT_SOURCE_DIR}/cmake/${_pc}.pc.in"
    "${PROJECT_BINARY_DIR}/pkgconfig/${_pc}.pc" @ONLY)
endforeach()
