# examples/quickstart (the file `make run` runs, not a reduced copy) runs as a test: every design
# went the whole path (microstructure, networks, cell model fed by the microstructure's numbers),
# each property names its source, microstructure.json records the generation targets, every C/10
# discharge ends at the 2.5 V cut-off, and the sweep shows the trend (ionic sigma_eff falls with
# the NCM811 share; the 1C capacity is electron-limited at 55 wt% and levels off above its best).
# About 10-30 s on 2 cores.
add_test(NAME examples.quickstart
  COMMAND bash -c "set -e; out=$(mktemp -d); trap 'rm -rf $out' EXIT; \"$1\" -q run \"$2\" --out $out >/dev/null; python3 \"$3\" $out"
    bash ${CATHODELAB_EXE} ${PROJECT_SOURCE_DIR}/examples/quickstart/study.toml
    ${PROJECT_SOURCE_DIR}/tests/examples/quickstart_check.py)
set_tests_properties(examples.quickstart PROPERTIES LABELS examples PASS_REGULAR_EXPRESSION "PASS"
  TIMEOUT 300)
