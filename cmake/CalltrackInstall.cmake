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
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/calltrack" DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
foreach(_export calltrackTargets calltrack-sqliteTargets calltrack-testingTargets)
  install(EXPORT ${_export} NAMESPACE calltrack:: DESTINATION ${CALLTRACK_CMAKE_DIR})
endforeach()

install(FILES "${PROJECT_BINARY_DIR}/calltrackConfig.cmake"
  "${PROJECT_BINARY_DIR}/calltrackConfigVersion.cmake"
  DESTINATION ${CALLTRACK_CMAKE_DIR})
install(FILES "${PROJECT_BINARY_DIR}/pkgconfig/calltrack.pc"
  "${PROJECT_BINARY_DIR}/pkgconfig/calltrack-sqlite.pc"
  "${PROJECT_BINARY_DIR}/pkgconfig/calltrack-testing.pc"
  DESTINATION ${CALLTRACK_PKGCONFIG_DIR})
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/calltrack)
