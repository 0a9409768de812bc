# examples/quickstart runs as a test: the outputs exist and the numbers are sane.
add_test(NAME examples.quickstart
  COMMAND bash -c "set -e; out=$(mktemp -d); trap 'rm -rf $out' EXIT; \"$1\" -q run \"$2\" --out $out >/dev/null; python3 \"$3\" $out"
    bash ${CATHODELAB_EXE} ${PROJECT_SOURCE_DIR}/examples/quickstart/study.toml
    ${PROJECT_SOURCE_DIR}/tests/examples/quickstart_check.py)
set_tests_properties(examples.quickstart PROPERTIES LABELS examples PASS_REGULAR_EXPRESSION "PASS"
  TIMEOUT 300)
