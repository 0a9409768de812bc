# `cathodelab cell`: a discharge writes its files; bad inputs exit with code 2 and a clear message.
set(cell_params ${PROJECT_SOURCE_DIR}/data/parameters)
add_test(NAME cli.cell.discharge_writes_results
  COMMAND ${CMAKE_COMMAND} -E env ${CATHODELAB_EXE} cell ${cell_params}/NCM811_Li6PS5Cl_Li.toml
          --experiment "Discharge at 1C until 3.0 V; Rest for 10 minutes" --impedance --frequencies 10
          --profile-times 600 --out ${CMAKE_CURRENT_BINARY_DIR}/cell_discharge)
add_test(NAME cli.cell.discharge_files_exist
  COMMAND ${CMAKE_COMMAND} -E cat ${CMAKE_CURRENT_BINARY_DIR}/cell_discharge/timeseries.csv
          ${CMAKE_CURRENT_BINARY_DIR}/cell_discharge/summary.json
          ${CMAKE_CURRENT_BINARY_DIR}/cell_discharge/impedance.csv
          ${CMAKE_CURRENT_BINARY_DIR}/cell_discharge/profiles.csv)
set_tests_properties(cli.cell.discharge_files_exist PROPERTIES DEPENDS cli.cell.discharge_writes_results
  PASS_REGULAR_EXPRESSION "Discharge capacity \\[mA.h.g-1\\].*lower voltage cut-off|Discharge capacity \\[mA.h.g-1\\].*particle surface")
add_test(NAME cli.cell.marquis2019_dfn
  COMMAND ${CATHODELAB_EXE} cell ${cell_params}/Marquis2019.toml --experiment "Discharge at 1C until 3.105 V"
          --out ${CMAKE_CURRENT_BINARY_DIR}/cell_marquis)
add_test(NAME cli.cell.bad_experiment_suggests
  COMMAND ${CATHODELAB_EXE} cell ${cell_params}/Marquis2019.toml --experiment "Dischrage at 1C until 3 V"
          --out ${CMAKE_CURRENT_BINARY_DIR}/cell_bad)
set_tests_properties(cli.cell.bad_experiment_suggests PROPERTIES WILL_FAIL FALSE
  PASS_REGULAR_EXPRESSION "did you mean 'Discharge'")
add_test(NAME cli.cell.cutoff_reached_at_start_ends_the_step
  COMMAND ${CMAKE_COMMAND} -D EXE=${CATHODELAB_EXE} -D PARAMS=${cell_params}/Marquis2019.toml
          -D OUT=${CMAKE_CURRENT_BINARY_DIR}/cell_violated
          -P ${CMAKE_CURRENT_LIST_DIR}/cell_step_ends_at_start.cmake.txt)
set_tests_properties(cli.cell.cutoff_reached_at_start_ends_the_step PROPERTIES
  PASS_REGULAR_EXPRESSION "upper voltage cut-off \\(reached at the start\\)")
add_test(NAME cli.cell.negative_thickness_exits_2
  COMMAND ${CMAKE_COMMAND} -D EXE=${CATHODELAB_EXE} -D PARAMS=${cell_params}/NCM811_Li6PS5Cl_Li.toml
          -D OUT=${CMAKE_CURRENT_BINARY_DIR}/cell_negative_thickness
          -P ${CMAKE_CURRENT_LIST_DIR}/cell_negative_thickness.cmake.txt)
set_tests_properties(cli.cell.negative_thickness_exits_2 PROPERTIES
  PASS_REGULAR_EXPRESSION "positive.thickness")
add_test(NAME cli.cell.bpx_json_runs
  COMMAND ${CATHODELAB_EXE} cell ${cell_params}/bpx/nmc_graphite_example.json
          --experiment "Discharge at 1C until 2.8 V" --out ${CMAKE_CURRENT_BINARY_DIR}/cell_bpx)
add_test(NAME cli.cell.initial_stoichiometry_outside_ocp_table_exits_2
  COMMAND ${CMAKE_COMMAND} -D EXE=${CATHODELAB_EXE} -D PARAMS=${cell_params}/NCM811_Li6PS5Cl_Li.toml
          -D X0=0.27 -D OUT=${CMAKE_CURRENT_BINARY_DIR}/cell_table_initial
          -P ${CMAKE_CURRENT_LIST_DIR}/cell_ocp_table.cmake.txt)
set_tests_properties(cli.cell.initial_stoichiometry_outside_ocp_table_exits_2 PROPERTIES
  PASS_REGULAR_EXPRESSION "positive.initial_stoichiometry.*0.27 lies outside the OCP table's range \\[0.3, 1\\]")
add_test(NAME cli.cell.initial_stoichiometry_outside_diffusivity_table_exits_2
  COMMAND ${CMAKE_COMMAND} -D EXE=${CATHODELAB_EXE} -D PARAMS=${cell_params}/NCM811_Li6PS5Cl_Li.toml
          -D X0=0.27 -D TABLE=diffusivity -D OUT=${CMAKE_CURRENT_BINARY_DIR}/cell_dtable_initial
          -P ${CMAKE_CURRENT_LIST_DIR}/cell_ocp_table.cmake.txt)
set_tests_properties(cli.cell.initial_stoichiometry_outside_diffusivity_table_exits_2 PROPERTIES
  PASS_REGULAR_EXPRESSION "positive.initial_stoichiometry.*0.27 lies outside the .*diffusivity.* table's range \\[0.3, 1\\]")
add_test(NAME cli.cell.surface_leaving_ocp_table_exits_2
  COMMAND ${CMAKE_COMMAND} -D EXE=${CATHODELAB_EXE} -D PARAMS=${cell_params}/NCM811_Li6PS5Cl_Li.toml
          -D X0=0.45 -D OUT=${CMAKE_CURRENT_BINARY_DIR}/cell_table_surface
          -P ${CMAKE_CURRENT_LIST_DIR}/cell_ocp_table.cmake.txt)
set_tests_properties(cli.cell.surface_leaving_ocp_table_exits_2 PROPERTIES
  PASS_REGULAR_EXPRESSION "step 2 .*failed at t = [0-9.]+ s: surface stoichiometry 0.3000 of the positive electrode left the OCP table \\[0.3, 1\\]")
add_test(NAME cli.cell.gitt_writes_theta_and_warning
  COMMAND ${CATHODELAB_EXE} cell ${cell_params}/NCM811_Li6PS5Cl_Li.toml --gitt-pulses 2
          --out ${CMAKE_CURRENT_BINARY_DIR}/cell_gitt)
add_test(NAME cli.cell.gitt_csv_has_theta
  COMMAND ${CMAKE_COMMAND} -E cat ${CMAKE_CURRENT_BINARY_DIR}/cell_gitt/gitt.csv)
# The default 600 s pulses are far outside the Weppner-Huggins regime for this cathode.
set_tests_properties(cli.cell.gitt_csv_has_theta PROPERTIES DEPENDS cli.cell.gitt_writes_theta_and_warning
  PASS_REGULAR_EXPRESSION "Theta \\[-\\],Delta E_t reading,Warning\n0,[^\n]*,sqrt\\(t\\) slope,pulse too long for Weppner-Huggins")
