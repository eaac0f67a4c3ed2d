# Installs the libraries, the public headers, the package config (CalltrackPackage.cmake wrote
# it), one CMake export file per component and the pkg-config files.
include(GNUInstallDirs)

set(_calltrack_destinations
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS calltrack EXPORT calltrackTargets ${_calltrack_destinations})
install(TARGETS calltrack_sqlite EXPORT calltrack-sqliteTargets ${_calltrack_destinations})
install(TARGETS calltrack_testing EXPORT calltrack-testingTargets ${_calltrack_destinations})
set(_calltrack_exports calltrackTargets calltrack-sqliteTargets calltrack-testingTargets)
if(CALLTRACK_BUILD_POSTGRES)
  install(TARGETS calltrack_postgres EXPORT calltrack-postgresTargets ${_calltrack_destinations})
  list(APPEND _calltrack_exports calltrack-postgresTargets)
endif()
if(CALLTRACK_BUILD_POSTGRES)
  install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/calltrack"
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
else()
  install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/calltrack"
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} PATTERN postgres_store.hpp EXCLUDE)
endif()
foreach(_export IN LISTS _calltrack_exports)
  install(EXPORT ${_export} NAMESPACE calltrack:: DESTINATION ${CALLTRACK_CMAKE_DIR})
endforeach()

install(FILES "${PROJECT_BINARY_DIR}/calltrackConfig.cmake"
  "${PROJECT_BINARY_DIR}/calltrackConfigVersion.cmake"
  DESTINATION ${CALLTRACK_CMAKE_DIR})
foreach(_pc IN LISTS CALLTRACK_PC_FILES)
  install(FILES "${PROJECT_BINARY_DIR}/pkgconfig/${_pc}.pc" DESTINATION ${CALLTRACK_PKGCONFIG_DIR})
endforeach()
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/calltrack)
