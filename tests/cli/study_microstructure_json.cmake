# `cathodelab run` writes each design's microstructure.json with the generator's report, as
# `cathodelab build` does: the target volume fraction of every drawn phase is a number, not null
# (the microstructure stage hands its GenerationReport to the sink next to the structure).
add_test(NAME cli.study.run_records_generation_targets
  COMMAND bash -c "set -e; out=$(mktemp -d); trap 'rm -rf $out' EXIT; \"$1\" -q run \"$2\" --out $out >/dev/null; python3 \"$3\" $out/designs/*/microstructure.json"
    bash ${CATHODELAB_EXE} ${PROJECT_SOURCE_DIR}/tests/cli/study_small_structure.toml
    ${PROJECT_SOURCE_DIR}/tests/cli/check_generation_targets.py)
set_tests_properties(cli.study.run_records_generation_targets PROPERTIES LABELS cli
  PASS_REGULAR_EXPRESSION "PASS" TIMEOUT 120)
