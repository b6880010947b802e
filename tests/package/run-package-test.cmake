# SPDX-FileCopyrightText: 2026 RsWebSockets contributors
# SPDX-License-Identifier: MIT OR Apache-2.0

# cmake -DBUILD_DIR=… -DWORK_DIR=… -DSOURCE_DIR=… -DCONSUMERS=a;b -DGENERATOR=… -P run-package-test.cmake
# Installs BUILD_DIR into WORK_DIR/prefix, then for every consumer project: configure against that
# prefix only, build, and run its ctest. The Core consumer is configured with Qt hidden, which
# proves that find_package(RsWebSockets COMPONENTS Core) and RsWebSockets::Core need no Qt.

function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE result)
    if(NOT result EQUAL 0)
        list(JOIN ARGN " " command)
        message(FATAL_ERROR "package test: failed (${result}): ${command}")
    endif()
endfunction()

set(prefix "${WORK_DIR}/prefix")
file(REMOVE_RECURSE "${WORK_DIR}")
message(STATUS "package test: installing into ${prefix}")
run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}")

foreach(consumer IN LISTS CONSUMERS)
    if(IS_ABSOLUTE "${consumer}")
        set(source "${consumer}")
    else()
        set(source "${SOURCE_DIR}/${consumer}")
    endif()
    get_filename_component(name "${source}" NAME)
    set(build "${WORK_DIR}/build-${name}")
    set(extra)
    if(name STREQUAL "coreconsumer")
        list(APPEND extra -DCMAKE_DISABLE_FIND_PACKAGE_Qt6=ON)
    endif()
    message(STATUS "package test: ${name}")
    run(${CMAKE_COMMAND} -S "${source}" -B "${build}" -G "${GENERATOR}"
        "-DCMAKE_PREFIX_PATH=${prefix}" "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}"
        "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF ${extra})
    run(${CMAKE_COMMAND} --build "${build}")
    run(${CMAKE_CTEST_COMMAND} --test-dir "${build}" --output-on-failure)
endforeach()
message(STATUS "package test: all consumers built and ran against ${prefix}")
