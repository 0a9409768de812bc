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

# study.replicates = 3 over two NCM811 fractions: designs.csv holds mean and spread per point,
# replicates.csv every replicate, and the report (means with error bars) renders in the browser.
add_test(NAME report.replicates_mean_and_spread
  COMMAND bash -c "set -e; out=$(mktemp -d); trap 'rm -rf $out' EXIT; { sed 's/^seed = 3$/seed = 3\\nreplicates = 3/' \"$2\"; printf '\\n[sweep]\\n\"cathode.components.NCM811.fraction\" = [\"70 wt%%\", \"80 wt%%\"]\\n'; } > $out/study.toml; \"$1\" -q run $out/study.toml --out $out/run >/dev/null; python3 \"$3\" $out/run 2 3; if [ -n \"$5\" ]; then CHROMIUM=\"$5\" python3 \"$4\" $out/run/report/index.html; fi"
    bash ${CATHODELAB_EXE} ${PROJECT_SOURCE_DIR}/tests/cli/study_small_structure.toml
    ${PROJECT_SOURCE_DIR}/tests/report/replicates_check.py ${PROJECT_SOURCE_DIR}/tests/report/check_report.py
    "${CATHODELAB_CHROMIUM}")
set_tests_properties(report.replicates_mean_and_spread PROPERTIES LABELS report
  PASS_REGULAR_EXPRESSION "PASS" FAIL_REGULAR_EXPRESSION "FAIL|Error|Traceback" TIMEOUT 300)
