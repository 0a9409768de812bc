# `cathodelab build STUDY.toml`: a study file gives one microstructure per design (DIR/<design id>/
# for a sweep), and a study without a [microstructure] section is refused with exit code 2 and a
# line naming the section.
set(BUILD_STUDY_OUT ${CMAKE_CURRENT_BINARY_DIR}/cli_build_study)
set(BUILD_STUDY_WHOLE_PATH ${PROJECT_SOURCE_DIR}/examples/01_whole_path/study.toml)

# The whole-path study sweeps two additives: two design folders, each with every output, and one
# log line per design.
add_test(NAME cli.build_study.sweep_one_folder_per_design
  COMMAND bash -c "rm -rf \"$1\"; out=$(\"$0\" build \"$2\" --out \"$1\" 2>&1); code=$?; printf '%s\\n' \"$out\"; [ $code -eq 0 ] || { echo \"exit code $code\"; exit 1; }; n=0; for d in \"$1\"/*/; do for f in microstructure.json labels.tif microstructure.vti particles.csv; do test -s \"$d$f\" || { echo \"missing $d$f\"; exit 1; }; done; grep -q 'Measured volume fraction' \"$d/microstructure.json\" || { echo \"no measured fractions in $d\"; exit 1; }; n=$((n+1)); done; [ $n -eq 2 ] || { echo \"expected 2 design folders, found $n\"; exit 1; }; lines=$(printf '%s\\n' \"$out\" | grep -cE 'design [0-9a-f]{16} .*built'); [ $lines -eq 2 ] || { echo \"expected 2 design lines, found $lines\"; exit 1; }"
    ${CATHODELAB_EXE} ${BUILD_STUDY_OUT}/whole_path ${BUILD_STUDY_WHOLE_PATH})
set_tests_properties(cli.build_study.sweep_one_folder_per_design PROPERTIES LABELS cli)

# A study without [microstructure]: exit 2, the problem and the fix name the section.
add_test(NAME cli.build_study.no_microstructure_section
  COMMAND bash -c "out=$(\"$0\" build \"$2\" --out \"$1\" 2>&1); code=$?; printf '%s\\n' \"$out\"; [ $code -eq 2 ] && printf '%s' \"$out\" | grep -q 'the study has no \\[microstructure\\] section' && printf '%s' \"$out\" | grep -q 'add a \\[microstructure\\] section' && test ! -e \"$1\""
    ${CATHODELAB_EXE} ${BUILD_STUDY_OUT}/calculator_only ${PROJECT_SOURCE_DIR}/tests/cli/study_calculator_only.toml)
set_tests_properties(cli.build_study.no_microstructure_section PROPERTIES LABELS cli)

# The same study without its sweep is one design: the outputs go straight into DIR.
file(MAKE_DIRECTORY ${BUILD_STUDY_OUT})
file(READ ${BUILD_STUDY_WHOLE_PATH} BUILD_STUDY_TEXT)
string(REGEX REPLACE "\\[sweep\\].*" "" BUILD_STUDY_TEXT "${BUILD_STUDY_TEXT}")
file(WRITE ${BUILD_STUDY_OUT}/one_design.toml "${BUILD_STUDY_TEXT}")
add_test(NAME cli.build_study.one_design_into_out
  COMMAND bash -c "rm -rf \"$1\"; \"$0\" build \"$2\" --out \"$1\" || exit 1; for f in microstructure.json labels.tif microstructure.vti particles.csv; do test -s \"$1/$f\" || { echo \"missing $1/$f\"; exit 1; }; done; if ls -d \"$1\"/*/ 2>/dev/null; then echo 'unexpected design folder'; exit 1; fi"
    ${CATHODELAB_EXE} ${BUILD_STUDY_OUT}/one_design ${BUILD_STUDY_OUT}/one_design.toml)
set_tests_properties(cli.build_study.one_design_into_out PROPERTIES LABELS cli)
