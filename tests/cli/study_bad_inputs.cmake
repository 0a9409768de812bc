# `cathodelab check` on broken study files: one line naming file:line:col, the key and the fix; exit 2.
set(_bad ${PROJECT_SOURCE_DIR}/tests/data/bad_inputs)
set(_expect ${PROJECT_SOURCE_DIR}/tests/cli/expect_input_error.sh)
include(${PROJECT_SOURCE_DIR}/tests/cmake/split_case.cmake)
foreach(_case
    "no_unit|no_unit\\.toml:29:13: key 'separator\\.thickness': must be a value with its unit; .*thickness = \"30 um\""
    "unknown_material|unknown_material\\.toml:28:12: key 'separator\\.material': unknown material 'Li6PSCl'; did you mean 'Li6PS5Cl'"
    "fractions_over_one|fractions_over_one\\.toml:[0-9]+:[0-9]+: key 'cathode\\.components': volume fractions sum to 1\\.15.*\\(> 1\\); make the component fractions add up to 100 %"
    "misspelt_key|misspelt_key\\.toml:9:1[01]: key 'cathode\\.porosty': unknown key 'porosty'; did you mean 'porosity'"
    "syntax_error|syntax_error\\.toml:11:[0-9]+: key 'area': TOML syntax error: .*; fix the syntax")
  cathodelab_split_case("${_case}" _name _regex)
  add_test(NAME cli.study.bad_input.${_name}
    COMMAND bash ${_expect} 1 "${_regex}" ${CATHODELAB_EXE} check ${_bad}/${_name}.toml
    WORKING_DIRECTORY ${_bad})
  set_tests_properties(cli.study.bad_input.${_name} PROPERTIES LABELS cli PASS_REGULAR_EXPRESSION "PASS")
endforeach()

add_test(NAME cli.study.check_ok
  COMMAND ${CATHODELAB_EXE} check ${PROJECT_SOURCE_DIR}/tests/cli/study_calculator_only.toml)
set_tests_properties(cli.study.check_ok PROPERTIES LABELS cli PASS_REGULAR_EXPRESSION "^ok: 12 designs")

# kill -9 in the middle of a sweep, then --resume: every finished design kept, the rest computed,
# nothing duplicated; and a design's design.toml re-runs it alone with the same numbers.
add_test(NAME cli.study.resume_after_kill
  COMMAND bash ${PROJECT_SOURCE_DIR}/tests/cli/study_resume.sh ${CATHODELAB_EXE}
    ${PROJECT_SOURCE_DIR}/tests/cli/study_resume.toml)
set_tests_properties(cli.study.resume_after_kill PROPERTIES LABELS cli PASS_REGULAR_EXPRESSION "PASS"
  TIMEOUT 120)
add_test(NAME cli.study.rerun_one_design
  COMMAND bash ${PROJECT_SOURCE_DIR}/tests/cli/study_rerun.sh ${CATHODELAB_EXE}
    ${PROJECT_SOURCE_DIR}/tests/cli/study_calculator_only.toml)
set_tests_properties(cli.study.rerun_one_design PROPERTIES LABELS cli PASS_REGULAR_EXPRESSION "PASS")
