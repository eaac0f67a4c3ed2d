# What every calltrack library shares: its calltrack:: alias and export name, position-independent
# code, VERSION and SOVERSION, hidden symbols but for what export.hpp marks as API, and warnings.
#
#   calltrack_library_properties(target export_name building_macro)
#
# building_macro is the library's CALLTRACK_BUILDING_* (export.hpp): defined while it compiles,
# so its own markers export. A shared build defines CALLTRACK_SHARED for it and its consumers.
function(calltrack_library_properties target export_name building_macro)
  add_library(calltrack::${export_name} ALIAS ${target})
  # A host may still ask for non-PIC archives with -DCMAKE_POSITION_INDEPENDENT_CODE=OFF.
  if(DEFINED CMAKE_POSITION_INDEPENDENT_CODE)
    set(_pic ${CMAKE_POSITION_INDEPENDENT_CODE})
  else()
    set(_pic ON)
  endif()
  # Before 1.0 a minor version may break the ABI (the package's version file says the same:
  # SameMinorVersion), so the soname carries MAJOR.MINOR: libcalltrack.so.0.1.
  set_target_properties(${target} PROPERTIES
    EXPORT_NAME ${export_name}
    POSITION_INDEPENDENT_CODE ${_pic}
    VERSION ${PROJECT_VERSION}
    SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_compile_definitions(${target} PRIVATE ${building_macro})
  get_target_property(_type ${target} TYPE)
  if(_type STREQUAL "SHARED_LIBRARY")
    target_compile_definitions(${target} PUBLIC CALLTRACK_SHARED)
  endif()
  calltrack_set_warnings(${target})
endfunction()

# Compiles `target` with a header-only dependency's include directories and definitions, without
# linking it: a static archive's private link dependencies travel into its exported targets, and
# a consumer should never have to find a package that only our .cpp files include.
function(calltrack_private_headers target dependency)
  target_include_directories(${target} SYSTEM PRIVATE
    $<TARGET_PROPERTY:${dependency},INTERFACE_INCLUDE_DIRECTORIES>)
  target_compile_definitions(${target} PRIVATE
    $<TARGET_PROPERTY:${dependency},INTERFACE_COMPILE_DEFINITIONS>)
endfunction()
