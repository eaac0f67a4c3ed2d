include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(CALLTRACK_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/calltrack")

install(TARGETS calltrack calltrack_sqlite EXPORT calltrackTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/calltrack" DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT calltrackTargets NAMESPACE calltrack:: DESTINATION ${CALLTRACK_CMAKE_DIR})

configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/calltrackConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/calltrackConfig.cmake"
  INSTALL_DESTINATION ${CALLTRACK_CMAKE_DIR})
write_basic_package_version_file("${PROJECT_BINARY_DIR}/calltrackConfigVersion.cmake"
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/calltrackConfig.cmake"
  "${PROJECT_BINARY_DIR}/calltrackConfigVersion.cmake"
  DESTINATION ${CALLTRACK_CMAKE_DIR})
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/calltrack)
