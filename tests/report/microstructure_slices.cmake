# Microstructure pictures in the design folders and in the report: `cathodelab run` on
# examples/01_whole_path (a study with [microstructure]) leaves slice_xy_mid.png, slice_xz_mid.png
# (real PNG files), microstructure.json and microstructure.vti in every design folder next to the
# COMPLETE marker, and report/index.html has a "Microstructure" section with the slices embedded as
# data URIs and the target and measured volume fraction table.
# Added as a test when included by tests/CMakeLists.txt; the check itself when run with `cmake -P`.
if(CMAKE_SCRIPT_MODE_FILE)
  file(REMOVE_RECURSE "${OUT}")
  execute_process(
    COMMAND "${EXE}" -q run "${SRC}/examples/01_whole_path/study.toml" --out "${OUT}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cathodelab run exited with ${rc}\n${stdout}\n${stderr}")
  endif()
  file(GLOB design_dirs LIST_DIRECTORIES true "${OUT}/designs/*")
  list(LENGTH design_dirs count)
  if(NOT count EQUAL 2)
    message(FATAL_ERROR "expected 2 design folders (no temporary ones left), found: ${design_dirs}")
  endif()
  foreach(dir IN LISTS design_dirs)
    foreach(name COMPLETE slice_xy_mid.png slice_xz_mid.png microstructure.json microstructure.vti)
      if(NOT EXISTS "${dir}/${name}")
        message(FATAL_ERROR "design folder ${dir} lacks ${name}")
      endif()
    endforeach()
    foreach(png slice_xy_mid.png slice_xz_mid.png)
      file(READ "${dir}/${png}" signature LIMIT 8 HEX)
      if(NOT signature STREQUAL "89504e470d0a1a0a")
        message(FATAL_ERROR "${dir}/${png} is not a PNG (starts with ${signature})")
      endif()
    endforeach()
  endforeach()
  file(READ "${OUT}/report/index.html" html)
  foreach(needle "<h2>Microstructure</h2>" "data:image/png;base64," "measured volume fraction [-]"
          "NCM811" "class=\"swatch\"")
    string(FIND "${html}" "${needle}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "report/index.html lacks '${needle}'")
    endif()
  endforeach()
  string(REGEX MATCHALL "src=\"data:image/png" images "${html}")  # no ";": a CMake list
  list(LENGTH images image_count)
  if(NOT image_count EQUAL 4)
    message(FATAL_ERROR "expected 4 embedded slices (x-y and x-z for 2 designs), found ${image_count}")
  endif()
  return()
endif()

add_test(NAME report.microstructure_slices
  COMMAND ${CMAKE_COMMAND} -DEXE=${CATHODELAB_EXE} -DSRC=${PROJECT_SOURCE_DIR}
          -DOUT=${CMAKE_CURRENT_BINARY_DIR}/report_microstructure_slices -P ${CMAKE_CURRENT_LIST_FILE})
set_tests_properties(report.microstructure_slices PROPERTIES LABELS report TIMEOUT 300
  ENVIRONMENT "OMP_WAIT_POLICY=passive")
