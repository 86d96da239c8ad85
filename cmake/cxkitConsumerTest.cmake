# ctest driver (cmake -P) for one consumer build of examples/cpp:
#   -DMODE=installed|subdirectory|fetchcontent -DSOURCE_DIR=<repo> -DWORK_DIR=<scratch>
#   -DBUILD_DIR=<cxkit build, for MODE=installed> -DGENERATOR=... -DBUILD_TYPE=...
# Configures, builds and runs every example; any failure fails the test.
foreach(var MODE SOURCE_DIR WORK_DIR GENERATOR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "cxkitConsumerTest.cmake needs -D${var}=")
  endif()
endforeach()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}")
  endif()
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
set(options -G "${GENERATOR}" -DCMAKE_BUILD_TYPE=${BUILD_TYPE})
if(MODE STREQUAL "installed")
  run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${WORK_DIR}/prefix")
  run(${CMAKE_COMMAND} -S "${SOURCE_DIR}/examples/cpp" -B "${WORK_DIR}/build" ${options}
      "-DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix")
else()
  # The library is compiled again from source here: without optimisation or debug info
  # (an empty build type), which is what keeps these two tests cheap.
  run(${CMAKE_COMMAND} -S "${SOURCE_DIR}/tests/consumer" -B "${WORK_DIR}/build" -G "${GENERATOR}"
      -DCMAKE_BUILD_TYPE=
      "-DCXKIT_SOURCE_DIR=${SOURCE_DIR}" "-DCXKIT_CONSUMER_MODE=${MODE}")
endif()
run(${CMAKE_COMMAND} --build "${WORK_DIR}/build")

file(GLOB_RECURSE examples LIST_DIRECTORIES false "${WORK_DIR}/build/cxkit_example_*")
list(LENGTH examples n)
if(n LESS 5)
  message(FATAL_ERROR "expected 5 example programs, found ${n}: ${examples}")
endif()
foreach(exe ${examples})
  if(exe MATCHES "quickstart")
    run("${exe}" "${SOURCE_DIR}/tests/cpp/data/quickstart_events.csv")
  else()
    run("${exe}")
  endif()
endforeach()
