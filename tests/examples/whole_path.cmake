# examples/01_whole_path end to end through the CLI: every design ok, designs.csv carries the
# columns of the microstructure, analysis and cell stages, and the report is written.
# This file adds the test when included by tests/CMakeLists.txt and is the check itself when run
# with `cmake -P` (CMAKE_SCRIPT_MODE_FILE set).
if(CMAKE_SCRIPT_MODE_FILE AND MODE STREQUAL "misspelt_key")
  # A misspelt [microstructure] key: `check` exits 2 with the position and a did-you-mean.
  file(READ "${SRC}/examples/01_whole_path/study.toml" text)
  string(REPLACE "voxel_size =" "voxel_sise =" text "${text}")
  file(WRITE "${OUT}/misspelt.toml" "${text}")
  execute_process(COMMAND "${EXE}" check "${OUT}/misspelt.toml"
    RESULT_VARIABLE rc OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr)
  if(NOT rc EQUAL 2 OR NOT stderr MATCHES "misspelt.toml:[0-9]+:[0-9]+: key 'microstructure.voxel_sise'.*did you mean 'voxel_size'")
    message(FATAL_ERROR "expected exit 2 with a did-you-mean, got ${rc}:\n${stdout}\n${stderr}")
  endif()
  return()
endif()
if(CMAKE_SCRIPT_MODE_FILE)
  file(REMOVE_RECURSE "${OUT}")
  execute_process(
    COMMAND "${EXE}" run "${SRC}/examples/01_whole_path/study.toml" --out "${OUT}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "cathodelab run exited with ${rc}\n${stdout}\n${stderr}")
  endif()
  file(READ "${OUT}/designs.csv" csv)
  foreach(column
      "Measured volume fraction NCM811 [-]"
      "Effective ionic conductivity [S.m-1]"
      "Effective electronic conductivity [S.m-1]"
      "Ionic tortuosity factor [-]"
      "Utilizable active material fraction [-]"
      "Active area per volume [m-1]"
      "Discharge capacity [mA.h.g-1]"
      "Mean discharge voltage [V]"
      "Energy [W.h]"
      "Capacity at C/10 [mA.h.g-1]"
      "Capacity at 1C [mA.h.g-1]"
      "Effective property source")
    string(FIND "${csv}" "${column}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "designs.csv lacks the column '${column}':\n${csv}")
    endif()
  endforeach()
  string(REGEX MATCHALL ",ok," ok_rows "${csv}")
  list(LENGTH ok_rows ok_count)
  if(NOT ok_count EQUAL 2)
    message(FATAL_ERROR "expected 2 designs with status ok, found ${ok_count}:\n${csv}")
  endif()
  if(NOT EXISTS "${OUT}/report/index.html")
    message(FATAL_ERROR "no report at ${OUT}/report/index.html")
  endif()
  return()
endif()

add_test(NAME examples.whole_path
  COMMAND ${CMAKE_COMMAND} -DEXE=${CATHODELAB_EXE} -DSRC=${PROJECT_SOURCE_DIR}
          -DOUT=${CMAKE_CURRENT_BINARY_DIR}/examples_whole_path -P ${CMAKE_CURRENT_LIST_FILE})
# Passive OpenMP waiting: spinning worker threads make the run many times slower on a loaded
# machine (measured 37 s instead of 6 s with 2 cores under load 15).
set_tests_properties(examples.whole_path PROPERTIES LABELS examples TIMEOUT 300
  ENVIRONMENT "OMP_WAIT_POLICY=passive")

file(MAKE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/examples_whole_path_bad)
add_test(NAME examples.whole_path_misspelt_key
  COMMAND ${CMAKE_COMMAND} -DEXE=${CATHODELAB_EXE} -DSRC=${PROJECT_SOURCE_DIR} -DMODE=misspelt_key
          -DOUT=${CMAKE_CURRENT_BINARY_DIR}/examples_whole_path_bad -P ${CMAKE_CURRENT_LIST_FILE})
set_tests_properties(examples.whole_path_misspelt_key PROPERTIES LABELS examples TIMEOUT 60)

# The whole-path report sections (voltage curves, rate capability, transport bars) render in a real
# browser with no script error.
find_program(CATHODELAB_CHROMIUM NAMES chromium chromium-browser)
if(CATHODELAB_CHROMIUM)
  add_test(NAME examples.whole_path_report_in_chromium
    COMMAND bash -c "set -e; out=$(mktemp -d); trap 'rm -rf $out' EXIT; \"$1\" -q run \"$2\" --out $out >/dev/null; CHROMIUM=\"$3\" python3 \"$4\" $out/report/index.html"
      bash ${CATHODELAB_EXE} ${PROJECT_SOURCE_DIR}/examples/01_whole_path/study.toml
      ${CATHODELAB_CHROMIUM} ${PROJECT_SOURCE_DIR}/tests/report/check_report.py)
  set_tests_properties(examples.whole_path_report_in_chromium PROPERTIES LABELS examples
    PASS_REGULAR_EXPRESSION "PASS" TIMEOUT 300 ENVIRONMENT "OMP_WAIT_POLICY=passive")
endif()
