# SIGINT/SIGTERM during `cathodelab cell`: computed rows kept, summary written, one line, exit 128+N.
add_test(NAME cli.cell.interrupt_keeps_computed_rows
  COMMAND bash ${PROJECT_SOURCE_DIR}/tests/cli/cell_interrupt.sh ${CATHODELAB_EXE}
    ${PROJECT_SOURCE_DIR}/data/parameters/NCM811_Li6PS5Cl_Li.toml)
set_tests_properties(cli.cell.interrupt_keeps_computed_rows PROPERTIES LABELS cli
  PASS_REGULAR_EXPRESSION "PASS" TIMEOUT 120)
