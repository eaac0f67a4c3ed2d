# What every calltrack library shares: its calltrack:: alias and export name, position-independent
# code, VERSION and SOVERSION, hidden symbols but for what export.hpp marks as API, and warnings.
#
#   calltrack_library_properties(target export_name building_macro)
#
# building_macro is the library's CALLTRACK_BUILDING_* (export.hpp): defined while it compiles,
# so its own markers export. A shared build defines CALLTRACK_SHARED for it and its consumers.
function(calltrack_library_properties target export_name building_macro)
  add_library(calltrack::${export_name} ALIAS ${target})
  calltrack_position_independent(_pic)
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

# ON unless the host asked for non-PIC archives with -DCMAKE_POSITION_INDEPENDENT_CODE=OFF.
function(calltrack_position_independent out)
  if(DEFINED CMAKE_POSITION_INDEPENDENT_CODE)
    set(${out} ${CMAKE_POSITION_INDEPENDENT_CODE} PARENT_SCOPE)
  else()
    set(${out} ON PARENT_SCOPE)
  endif()
endfunction()

# One layer of the library (docs/architecture.md): an OBJECT library whose sources see only the
# public headers of this layer and of the layers it USES, directly or through them, so an include
# against the direction fails to compile. Each layer compiles against a tree of its own,
# ${PROJECT_BINARY_DIR}/layers/<name>/calltrack/, of links to the headers it may include; its
# INTERNAL headers (src/<layer>/x.hpp) appear there, and above, as <calltrack/detail/x.hpp>, and
# never in the installed include directory.
#
#   calltrack_layer(name LIBRARY calltrack|sqlite|testing
#                   [USES layer...] [HEADERS public.hpp...] [INTERNAL x.hpp...]
#                   SOURCES x.cpp... [DEPENDS target...] [PRIVATE_HEADERS target...])
#
# LIBRARY says which library the objects go into (its CALLTRACK_BUILDING_* macro, export.hpp);
# DEPENDS are linked for their usage requirements; PRIVATE_HEADERS are header-only dependencies
# (calltrack_private_headers). The objects are $<TARGET_OBJECTS:calltrack_layer_<name>>.
function(calltrack_layer name)
  cmake_parse_arguments(PARSE_ARGV 1 arg ""
    "LIBRARY" "USES;HEADERS;INTERNAL;SOURCES;DEPENDS;PRIVATE_HEADERS")
  set(_target calltrack_layer_${name})
  # What this layer may include: its own headers and everything its layers may include.
  set(_public ${arg_HEADERS})
  set(_internal)
  foreach(_file IN LISTS arg_INTERNAL)
    list(APPEND _internal "${CMAKE_CURRENT_SOURCE_DIR}/${_file}")
  endforeach()
  foreach(_below IN LISTS arg_USES)
    get_property(_known GLOBAL PROPERTY CALLTRACK_LAYER_${_below}_PUBLIC SET)
    if(NOT _known)
      message(FATAL_ERROR "calltrack_layer(${name}): layer '${_below}' is not defined before it")
    endif()
    get_property(_below_public GLOBAL PROPERTY CALLTRACK_LAYER_${_below}_PUBLIC)
    get_property(_below_internal GLOBAL PROPERTY CALLTRACK_LAYER_${_below}_INTERNAL)
    list(APPEND _public ${_below_public})
    list(APPEND _internal ${_below_internal})
  endforeach()
  list(REMOVE_DUPLICATES _public)
  list(REMOVE_DUPLICATES _internal)
  set_property(GLOBAL PROPERTY CALLTRACK_LAYER_${name}_HEADERS "${arg_HEADERS}")
  set_property(GLOBAL PROPERTY CALLTRACK_LAYER_${name}_PUBLIC "${_public}")
  set_property(GLOBAL PROPERTY CALLTRACK_LAYER_${name}_INTERNAL "${_internal}")

  # Made anew at each configure, so a header taken out of a layer is gone from its tree too.
  set(_tree "${PROJECT_BINARY_DIR}/layers/${name}")
  file(REMOVE_RECURSE "${_tree}")
  file(MAKE_DIRECTORY "${_tree}/calltrack/detail")
  foreach(_header IN LISTS _public)
    get_filename_component(_dir "${_tree}/calltrack/${_header}" DIRECTORY)
    file(MAKE_DIRECTORY "${_dir}")
    file(CREATE_LINK "${PROJECT_SOURCE_DIR}/include/calltrack/${_header}"
      "${_tree}/calltrack/${_header}" SYMBOLIC)
  endforeach()
  foreach(_header IN LISTS _internal)
    get_filename_component(_file "${_header}" NAME)
    file(CREATE_LINK "${_header}" "${_tree}/calltrack/detail/${_file}" SYMBOLIC)
  endforeach()

  add_library(${_target} OBJECT ${arg_SOURCES})
  calltrack_position_independent(_pic)
  set_target_properties(${_target} PROPERTIES
    POSITION_INDEPENDENT_CODE ${_pic}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    UNITY_BUILD ${CALLTRACK_UNITY_BUILD}
    UNITY_BUILD_MODE BATCH
    UNITY_BUILD_BATCH_SIZE 8)
  string(TOUPPER "${arg_LIBRARY}" _library)
  target_compile_definitions(${_target} PRIVATE CALLTRACK_BUILDING_${_library}
    $<$<BOOL:${BUILD_SHARED_LIBS}>:CALLTRACK_SHARED>)
  target_compile_features(${_target} PRIVATE cxx_std_17)
  target_include_directories(${_target} PRIVATE "${_tree}")
  target_link_libraries(${_target} PRIVATE Boost::headers ${arg_DEPENDS})
  foreach(_dependency IN LISTS arg_PRIVATE_HEADERS)
    calltrack_private_headers(${_target} ${_dependency})
  endforeach()
  calltrack_set_warnings(${_target})
  set_property(GLOBAL APPEND PROPERTY CALLTRACK_LAYERS ${name})
  set_property(GLOBAL APPEND PROPERTY CALLTRACK_LAYER_TARGETS ${_target})
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
