# The study report in a real browser: headless Chromium opens the quickstart report from file:// with
# no network, every chart renders to SVG, no script error, and the screenshot is not blank.
find_program(CATHODELAB_CHROMIUM NAMES chromium chromium-browser)
if(CATHODELAB_CHROMIUM)
  add_test(NAME report.study_quickstart_in_chromium
    COMMAND bash -c "set -e; out=$(mktemp -d); trap 'rm -rf $out' EXIT; \"$1\" -q run \"$2\" --out $out >/dev/null; CHROMIUM=\"$3\" python3 \"$4\" $out/report/index.html"
      bash ${CATHODELAB_EXE} ${PROJECT_SOURCE_DIR}/examples/quickstart/study.toml ${CATHODELAB_CHROMIUM}
      ${PROJECT_SOURCE_DIR}/tests/report/check_report.py)
  set_tests_properties(report.study_quickstart_in_chromium PROPERTIES LABELS report
    PASS_REGULAR_EXPRESSION "PASS" TIMEOUT 300)
else()
  message(WARNING "chromium not found: the report browser test is skipped (Debian package chromium)")
endif()
