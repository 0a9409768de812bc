# Common random numbers (study/design.hpp): sweeping a key that does not shape the cathode reuses
# the byte-identical structure; a key that shapes it changes it (tests/cli/common_random_numbers.sh).
add_test(NAME cli.study.common_random_numbers
  COMMAND bash ${PROJECT_SOURCE_DIR}/tests/cli/common_random_numbers.sh ${CATHODELAB_EXE}
    ${PROJECT_SOURCE_DIR}/tests/cli/study_small_structure.toml)
set_tests_properties(cli.study.common_random_numbers PROPERTIES LABELS cli
  PASS_REGULAR_EXPRESSION "PASS" TIMEOUT 300)
