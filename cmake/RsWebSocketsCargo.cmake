# SPDX-FileCopyrightText: 2026 RsWebSockets contributors
# SPDX-License-Identifier: MIT OR Apache-2.0

# CMake drives Cargo directly (no Corrosion): one custom target runs
#   cargo build --locked -p rswebsockets-bridge [--release]
# with CARGO_TARGET_DIR inside the CMake build dir, and passes the directory that the bridge's
# build.rs exports the generated headers (+ rust/cxx.h) to through RSWEBSOCKETS_BRIDGE_INCLUDE_DIR.
#
# Results (for the rest of the build):
#   RsWebSocketsBridge             INTERFACE target (exported as RsWebSockets::Bridge) carrying the
#                                  Rust archive + Threads + dl + m + rt in its link interface
#   RSWEBSOCKETS_BRIDGE_INCLUDE_DIR where the generated headers are (PRIVATE include of Core only)
#   RSWEBSOCKETS_CARGO_TARGET_DIR   Cargo's target dir (shared by the cargo ctest wrappers)
#   RSWEBSOCKETS_CARGO_PROFILE      release or dev
#   CARGO_EXECUTABLE

find_program(CARGO_EXECUTABLE cargo
    HINTS "$ENV{CARGO_HOME}/bin" "$ENV{HOME}/.cargo/bin"
    REQUIRED)

set(RSWEBSOCKETS_CARGO_TARGET_DIR "${CMAKE_BINARY_DIR}/cargo" CACHE PATH
    "Cargo target dir used by the build and by the cargo tests")
set(RSWEBSOCKETS_BRIDGE_INCLUDE_DIR "${CMAKE_BINARY_DIR}/bridge-include")

if(CMAKE_BUILD_TYPE MATCHES "^(Release|RelWithDebInfo|MinSizeRel)$")
    set(RSWEBSOCKETS_CARGO_PROFILE release)
    set(_rsws_cargo_profile_args --release)
    set(_rsws_cargo_profile_dir release)
else()
    set(RSWEBSOCKETS_CARGO_PROFILE dev)
    set(_rsws_cargo_profile_args)
    set(_rsws_cargo_profile_dir debug)
endif()

set(_rsws_cargo_locked)
if(RSWEBSOCKETS_CARGO_LOCKED)
    set(_rsws_cargo_locked --locked)
endif()

set(RSWEBSOCKETS_BRIDGE_ARCHIVE
    "${RSWEBSOCKETS_CARGO_TARGET_DIR}/${_rsws_cargo_profile_dir}/${CMAKE_STATIC_LIBRARY_PREFIX}rswebsockets_bridge${CMAKE_STATIC_LIBRARY_SUFFIX}")

# The environment every cargo invocation of this build gets (also used by the ctest wrappers).
set(RSWEBSOCKETS_CARGO_ENV
    "CARGO_TARGET_DIR=${RSWEBSOCKETS_CARGO_TARGET_DIR}"
    "RSWEBSOCKETS_BRIDGE_INCLUDE_DIR=${RSWEBSOCKETS_BRIDGE_INCLUDE_DIR}"
    "CXX=${CMAKE_CXX_COMPILER}")

# The bridge modules are listed once, in bridge/build.rs (const BRIDGES); each one's generated
# header is a byproduct of the cargo step.
set(_rsws_bridge_build_rs "${PROJECT_SOURCE_DIR}/bridge/build.rs")
set_property(DIRECTORY "${PROJECT_SOURCE_DIR}" APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_rsws_bridge_build_rs}")
file(READ "${_rsws_bridge_build_rs}" _rsws_build_rs)
string(REGEX MATCH "const BRIDGES[^;]*;" _rsws_bridges_const "${_rsws_build_rs}")
string(REGEX MATCHALL "src/[A-Za-z0-9_/]+\\.rs" _rsws_bridges "${_rsws_bridges_const}")
if(NOT _rsws_bridges)
    message(FATAL_ERROR "no bridge modules found in ${_rsws_bridge_build_rs} (const BRIDGES)")
endif()
set(RSWEBSOCKETS_BRIDGE_HEADERS "${RSWEBSOCKETS_BRIDGE_INCLUDE_DIR}/rust/cxx.h")
foreach(_bridge IN LISTS _rsws_bridges)
    list(APPEND RSWEBSOCKETS_BRIDGE_HEADERS "${RSWEBSOCKETS_BRIDGE_INCLUDE_DIR}/rswebsockets-bridge/${_bridge}.h")
endforeach()

# Always run: Cargo knows best whether anything changed (a no-op build takes a fraction of a
# second), and it only rewrites the archive and the exported headers when they change.
add_custom_target(rswebsockets_cargo_build ALL
    COMMAND ${CMAKE_COMMAND} -E make_directory "${RSWEBSOCKETS_BRIDGE_INCLUDE_DIR}"
    COMMAND ${CMAKE_COMMAND} -E env ${RSWEBSOCKETS_CARGO_ENV}
            "${CARGO_EXECUTABLE}" build ${_rsws_cargo_locked} -p rswebsockets-bridge ${_rsws_cargo_profile_args}
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
    BYPRODUCTS "${RSWEBSOCKETS_BRIDGE_ARCHIVE}" ${RSWEBSOCKETS_BRIDGE_HEADERS}
    USES_TERMINAL
    COMMENT "cargo build -p rswebsockets-bridge (${RSWEBSOCKETS_CARGO_PROFILE})"
    VERBATIM)

# What a program linking the Rust archive needs from the system (`--print native-static-libs`).
set(_rsws_native_libs Threads::Threads ${CMAKE_DL_LIBS})
if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
    list(APPEND _rsws_native_libs m rt)
endif()

add_library(RsWebSocketsBridge INTERFACE)
target_link_libraries(RsWebSocketsBridge INTERFACE
    "$<BUILD_INTERFACE:${RSWEBSOCKETS_BRIDGE_ARCHIVE}>"
    "$<INSTALL_INTERFACE:$<INSTALL_PREFIX>/${CMAKE_INSTALL_LIBDIR}/${CMAKE_STATIC_LIBRARY_PREFIX}rswebsockets_bridge${CMAKE_STATIC_LIBRARY_SUFFIX}>"
    ${_rsws_native_libs})
add_dependencies(RsWebSocketsBridge rswebsockets_cargo_build)
set_target_properties(RsWebSocketsBridge PROPERTIES EXPORT_NAME Bridge)

install(TARGETS RsWebSocketsBridge EXPORT RsWebSocketsCoreTargets)
install(FILES "${RSWEBSOCKETS_BRIDGE_ARCHIVE}" DESTINATION "${CMAKE_INSTALL_LIBDIR}")
