# The bad-input corpus: ordinary mistakes on every subcommand's command line and in its input files.
# Each case must exit with code 2 in at most 3 lines that name the file (where there is one), the
# key or flag, and never show raw library text (expect_input_error.sh). One input file per case in
# tests/data/bad_inputs/, its first line saying what is wrong; the images for import/analyze are
# written by make_bad_input_images.py before the cases run.
set(_bad ${PROJECT_SOURCE_DIR}/tests/data/bad_inputs)
set(_driver ${PROJECT_SOURCE_DIR}/tests/cli/expect_input_error.sh)
set(_images ${CMAKE_CURRENT_BINARY_DIR}/bad_input_images)
set(_out ${CMAKE_CURRENT_BINARY_DIR}/bad_input_out)
set(_cell_ok ${_bad}/cell_ok.toml)
set(_porous_cell ${PROJECT_SOURCE_DIR}/data/parameters/Marquis2019.toml)
set(_study_ok ${PROJECT_SOURCE_DIR}/tests/cli/study_calculator_only.toml)
set(_not_a_folder ${_images}/not_a_folder)

add_test(NAME cli.bad_input.make_images
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tests/cli/make_bad_input_images.py ${_images})
set_tests_properties(cli.bad_input.make_images PROPERTIES LABELS cli
  FIXTURES_SETUP bad_input_images)

include(${PROJECT_SOURCE_DIR}/tests/cmake/split_case.cmake)

# bad_input(NAME REGEX COMMAND_ARGS...): `cathodelab COMMAND_ARGS...` must fail as described above
# with output matching REGEX.
function(bad_input name regex)
  add_test(NAME cli.bad_input.${name}
    COMMAND bash ${_driver} 3 "${regex}" ${CATHODELAB_EXE} ${ARGN})
  set_tests_properties(cli.bad_input.${name} PROPERTIES LABELS cli PASS_REGULAR_EXPRESSION "PASS"
    TIMEOUT 60 FIXTURES_REQUIRED bad_input_images)
endfunction()

# ---- cell: flags (each would reach a solver precondition, exit 70, or allocate without bound)
set(_discharge --experiment "Discharge at 1C until 3.0 V")
bad_input(cell.frequencies_zero "key '--frequencies': must be at least 1, got 0"
  cell ${_cell_ok} --impedance --frequencies 0 --out ${_out}/cell)
bad_input(cell.frequencies_oversize "key '--frequencies': 2000000000 is above the limit of [0-9]+ .*[0-9.]+ GB"
  cell ${_cell_ok} --impedance --frequencies 2000000000 --out ${_out}/cell)
bad_input(cell.frequencies_not_integer "--frequencies"
  cell ${_cell_ok} --impedance --frequencies 1e3 --out ${_out}/cell)
bad_input(cell.min_frequency_above_max "key '--min-frequency': 10 Hz is above --max-frequency 1 Hz"
  cell ${_cell_ok} --impedance --min-frequency 10 --max-frequency 1 --out ${_out}/cell)
bad_input(cell.min_frequency_negative "key '--min-frequency': must be a positive finite number, got -1"
  cell ${_cell_ok} --impedance --min-frequency -1 --out ${_out}/cell)
bad_input(cell.max_frequency_inf "key '--max-frequency': must be a positive finite number, got inf"
  cell ${_cell_ok} --impedance --max-frequency inf --out ${_out}/cell)
bad_input(cell.rtol_negative "key '--rtol': must lie in \\(0, 1\\), got -1"
  cell ${_cell_ok} ${_discharge} --rtol -1 --out ${_out}/cell)
bad_input(cell.rtol_nan "key '--rtol': must lie in \\(0, 1\\), got nan"
  cell ${_cell_ok} ${_discharge} --rtol nan --out ${_out}/cell)
bad_input(cell.volumes_negative_zero "key '--volumes-negative': must be at least 1, got 0"
  cell ${_porous_cell} ${_discharge} --volumes-negative 0 --out ${_out}/cell)
bad_input(cell.volumes_separator_zero "key '--volumes-separator': must be at least 1, got 0"
  cell ${_cell_ok} ${_discharge} --volumes-separator 0 --out ${_out}/cell)
bad_input(cell.volumes_positive_zero "key '--volumes-positive': must be at least 1, got 0"
  cell ${_cell_ok} ${_discharge} --volumes-positive 0 --out ${_out}/cell)
bad_input(cell.volumes_particle_zero "key '--volumes-particle': must be at least 2, got 0"
  cell ${_cell_ok} ${_discharge} --volumes-particle 0 --out ${_out}/cell)
bad_input(cell.volumes_positive_oversize "key '--volumes-positive': 2000000000 is above the limit of [0-9]+ \\(the mesh would need about .* GB\\)"
  cell ${_cell_ok} ${_discharge} --volumes-positive 2000000000 --out ${_out}/cell)
bad_input(cell.mesh_unknowns_oversize "key '--volumes-particle': .*unknowns.* GB"
  cell ${_cell_ok} ${_discharge} --volumes-positive 100000 --volumes-particle 100000 --out ${_out}/cell)
bad_input(cell.gitt_pulse_zero "key '--gitt-pulse': must be a positive finite number, got 0"
  cell ${_cell_ok} --gitt-pulses 1 --gitt-pulse 0 --out ${_out}/cell)
bad_input(cell.gitt_pulse_nan "key '--gitt-pulse': must be a positive finite number, got nan"
  cell ${_cell_ok} --gitt-pulses 1 --gitt-pulse nan --out ${_out}/cell)
bad_input(cell.gitt_rest_zero "key '--gitt-rest': must be a positive finite number, got 0"
  cell ${_cell_ok} --gitt-pulses 1 --gitt-rest 0 --out ${_out}/cell)
bad_input(cell.gitt_pulses_negative "key '--gitt-pulses': must be at least 0, got -1"
  cell ${_cell_ok} --gitt-pulses -1 --out ${_out}/cell)
bad_input(cell.gitt_c_rate_zero "key '--gitt-c-rate': must be finite and not 0"
  cell ${_cell_ok} --gitt-pulses 1 --gitt-c-rate 0 --out ${_out}/cell)
bad_input(cell.profile_time_nan "key '--profile-times': must be a finite number >= 0, got nan"
  cell ${_cell_ok} ${_discharge} --profile-times nan --out ${_out}/cell)
bad_input(cell.nothing_to_do "key '--experiment': nothing to do"
  cell ${_cell_ok} --out ${_out}/cell)
bad_input(cell.out_is_a_file "key '--out': output folder '.*not_a_folder' is an existing file"
  cell ${_cell_ok} --impedance --frequencies 3 --out ${_not_a_folder})
bad_input(cell.out_unwritable "key '--out': cannot create output folder '.*not_a_folder/sub': Not a directory"
  cell ${_cell_ok} --impedance --frequencies 3 --out ${_not_a_folder}/sub)
bad_input(cell.parameters_missing "File does not exist: .*no_such_cell\\.toml"
  cell ${_bad}/no_such_cell.toml ${_discharge} --out ${_out}/cell)
# ---- cell: experiments
bad_input(cell.experiment_misspelt "experiment.*Dischrage.*did you mean 'Discharge'"
  cell ${_cell_ok} --experiment "Dischrage at 1C until 3 V" --out ${_out}/cell)
bad_input(cell.experiment_without_end "experiment.*Discharge at 1C.*until"
  cell ${_cell_ok} --experiment "Discharge at 1C" --out ${_out}/cell)

# ---- cell: parameter files (TOML)
foreach(_case
    "transport_factor_nan|:26:26: key 'positive\\.ionic_transport_factor': must be finite, got nan"
    "transport_factor_negative|:26:26: key 'positive\\.ionic_transport_factor': must lie in \\(0, 1\\], got -1"
    "transport_factor_zero|:26:26: key 'positive\\.ionic_transport_factor': must lie in \\(0, 1\\], got 0"
    "separator_transport_factor_above_one|:18:26: key 'separator\\.ionic_transport_factor': must lie in \\(0, 1\\], got 1\\.5"
    "alpha_inf|:14:16: key 'negative\\.alpha_anodic': must be finite, got inf"
    "porosity_nan|:22:12: key 'positive\\.porosity': must be finite, got nan"
    "syntax_error|:23:[0-9]+: key 'radius': TOML syntax error"
    "misspelt_key|:22:11: key 'positive\\.porosty': unknown key 'porosty'; did you mean 'porosity'"
    "thickness_no_unit|:21:13: key 'positive\\.thickness': must be a value with its unit. write e\\.g\\. thickness = \"60 um\""
    "unknown_unit|:21:13: key 'positive\\.thickness': unknown unit 'furlong'"
    "missing_positive|:[0-9]+:[0-9]+: key 'positive': missing section. add a \\[positive\\] section"
    "unknown_electrolyte_model|:8:9: key 'electrolyte\\.model': unknown value 'binery'; did you mean 'binary'"
    "ocp_increasing|:30:13: key 'positive\\.material\\.ocp': the OCP table must decrease"
    "ocp_table_nan|:30:[0-9]+: key 'positive\\.material\\.ocp\\.y': list entries must be finite, got nan"
    "voltage_limits_swapped|: key 'lower_voltage_limit': lower voltage limit must be below the upper one"
    "fractions_over_one|: key 'positive': active volume fraction 0\\.7 plus porosity 0\\.4 exceeds 1"
    "initial_stoichiometry_outside|: key 'positive\\.initial_stoichiometry': initial stoichiometry 0\\.1 lies outside")
  cathodelab_split_case("${_case}" _name _regex)
  bad_input(cell.file.${_name} "cell_${_name}\\.toml${_regex}"
    cell ${_bad}/cell_${_name}.toml ${_discharge} --out ${_out}/cell)
endforeach()

# ---- cell: parameter files (BPX JSON)
foreach(_case
    "number_overflow|:47:21: number 1e400 is out of the range of a double"
    "syntax_error|:20:[0-9]+: JSON syntax error: syntax error while parsing object key"
    "transport_efficiency_zero|:65:4: key 'Parameterisation\\.Separator\\.Transport efficiency': must lie in \\(0, 1\\], got 0"
    "transport_efficiency_above_one|:37:4: key 'Parameterisation\\.Negative electrode\\.Transport efficiency': must lie in \\(0, 1\\], got 1\\.7"
    "title_not_string|:4:3: key 'Header\\.Title': must be a string. write \"Title\""
    "table_not_numbers|:50:5: key 'Parameterisation\\.Positive electrode\\.OCP \\[V\\]\\.x': a list must hold only strings, only numbers or only tables"
    "area_string|:16:4: key 'Parameterisation\\.Cell\\.Electrode area \\[m2\\]': must be a number. write \"Electrode area \\[m2\\]\": <number>"
    "missing_porosity|:46:4: key 'Parameterisation\\.Positive electrode\\.Porosity': missing value. add \"Porosity\": <number>"
    "porosity_above_one|: key 'separator\\.porosity': must lie in \\(0, 1\\], got 1\\.2"
    "no_parameterisation|:1:2: key 'Parameterisation': not a BPX file")
  cathodelab_split_case("${_case}" _name _regex)
  bad_input(cell.bpx.${_name} "bpx_${_name}\\.json${_regex}"
    cell ${_bad}/bpx_${_name}.json --experiment "Discharge at 1C until 2.8 V" --out ${_out}/cell)
endforeach()

# ---- build: recipes and flags
foreach(_case
    "tilt_spread_nan|:25:19: key 'microstructure\\.phases\\.VGCF\\.tilt_spread_deg': must be finite, got nan"
    "tilt_spread_negative|: key 'microstructure\\.phases\\.VGCF\\.tilt_spread_deg': tilt spread -5 deg is not a finite angle >= 0"
    "spread_inf|:17:10: key 'microstructure\\.phases\\.NCM811\\.spread': must be finite, got inf"
    "volume_fraction_nan|:15:19: key 'microstructure\\.phases\\.NCM811\\.volume_fraction': must be finite, got nan"
    "overlap_too_large|: key 'microstructure\\.phases\\.NCM811\\.overlap': allowed overlap 0\\.95 is outside"
    "min_above_max_diameter|: key 'microstructure\\.phases\\.NCM811\\.min_diameter': min_diameter 4 um is not below max_diameter 2 um"
    "max_sweeps_not_integer|:9:14: key 'microstructure\\.packing\\.max_sweeps': must be an integer from 0 to 2147483647"
    "packing_tolerance_zero|: key 'microstructure\\.packing\\.tolerance': tolerance 0 is not a positive finite number"
    "grid_too_large|: key 'microstructure\\.voxel_size': the grid would have 4e\\+15 voxels \\(limit 1e\\+12\\) and need about .* GB"
    "out_of_memory|: key 'microstructure\\.domain': generating the microstructure needs [0-9.]+ GB of memory"
    "domain_below_two_voxels|: key 'microstructure\\.thickness': thickness is less than two voxels"
    "unknown_shape|:14:9: key 'microstructure\\.phases\\.NCM811\\.shape': unknown shape 'cube'"
    "no_microstructure|: key 'microstructure': missing section; add a \\[microstructure\\] section"
    "seed_negative|:3:8: key 'microstructure\\.seed': must be an integer from 0 to [0-9]+, got -3"
    "fractions_over_one|: key 'microstructure\\.phases': volume fractions add up to 1\\.0200 > 1"
    "voxel_size_no_unit|:6:14: key 'microstructure\\.voxel_size': must be a value with its unit"
    "label_gap|:14:9: key 'microstructure\\.phases\\.NCM811\\.label': phase 'NCM811' asks for label 5")
  cathodelab_split_case("${_case}" _name _regex)
  bad_input(build.recipe.${_name} "recipe_${_name}\\.toml${_regex}"
    build ${_bad}/recipe_${_name}.toml --out ${_out}/build)
endforeach()
bad_input(build.seed_negative "key '--seed': seed '-1' is not a whole number >= 0"
  build ${_bad}/recipe_ok.toml --seed -1 --out ${_out}/build)
bad_input(build.seed_exponent "key '--seed': seed '1e23' is not a whole number >= 0"
  build ${_bad}/recipe_ok.toml --seed 1e23 --out ${_out}/build)
bad_input(build.seed_above_2_64 "key '--seed': seed 18446744073709551616 is larger than 2\\^64 - 1"
  build ${_bad}/recipe_ok.toml --seed 18446744073709551616 --out ${_out}/build)
bad_input(build.seed_fraction "key '--seed': seed '4\\.5' is not a whole number >= 0"
  build ${_bad}/recipe_ok.toml --seed 4.5 --out ${_out}/build)
bad_input(build.out_is_a_file "key '--out': output folder '.*not_a_folder' is an existing file"
  build ${_bad}/recipe_ok.toml --out ${_not_a_folder})
bad_input(build.study_out_of_memory "study_structure_out_of_memory\\.toml:[0-9]+:[0-9]+: key 'microstructure\\.domain': .*needs [0-9.]+ GB"
  build ${_bad}/study_structure_out_of_memory.toml --out ${_out}/build)
bad_input(build.missing_file "file not found: .*no_such_recipe\\.toml"
  build ${_bad}/no_such_recipe.toml --out ${_out}/build)

# ---- check and run: study files whose microstructure `build` could not draw, and run's flags
foreach(_case
    "structure_out_of_memory|:[0-9]+:[0-9]+: key 'microstructure\\.domain': generating the microstructure needs [0-9.]+ GB of memory"
    "structure_grid_too_large|:[0-9]+:[0-9]+: key 'microstructure\\.voxel_size': the grid would have .* voxels \\(limit 1e\\+12\\)"
    "voxel_size_negative|:[0-9]+:[0-9]+: key 'microstructure\\.voxel_size': voxel size must be positive"
    "thickness_below_two_voxels|:[0-9]+:[0-9]+: key 'microstructure\\.thickness': thickness is less than two voxels"
    "spread_inf|:[0-9]+:[0-9]+: key 'microstructure\\.components\\.NCM811\\.spread': must be finite, got inf"
    "microstructure_misspelt_key|:30:13: key 'microstructure\\.voxelsize': unknown key 'voxelsize'; did you mean 'voxel_size'"
    "seed_negative|:4:8: key 'study\\.seed':"
    "porosity_nan|:7:12: key 'cathode\\.porosity': must be finite, got nan")
  cathodelab_split_case("${_case}" _name _regex)
  bad_input(check.${_name} "study_${_name}\\.toml${_regex}" check ${_bad}/study_${_name}.toml)
endforeach()
bad_input(check.missing_file "file not found: .*no_such_study\\.toml" check ${_bad}/no_such_study.toml)
bad_input(run.structure_out_of_memory "study_structure_out_of_memory\\.toml:[0-9]+:[0-9]+: key 'microstructure\\.domain': .*needs [0-9.]+ GB"
  run ${_bad}/study_structure_out_of_memory.toml --out ${_out}/run)
bad_input(run.out_is_a_file "key '--out': output folder '.*not_a_folder' is an existing file"
  run ${_study_ok} --out ${_not_a_folder})
bad_input(run.out_unwritable "key '--out': cannot create output folder '.*not_a_folder/sub'"
  run ${_study_ok} --out ${_not_a_folder}/sub)
bad_input(run.jobs_negative "--jobs" run ${_study_ok} --jobs -1 --out ${_out}/run)

# ---- import: flags on a valid 8^3 image
set(_image ${_images}/labels_ok.npy)
set(_phases --phase 0=pore --phase 1=NCM811 --phase 2=Li6PS5Cl)
bad_input(import.crop_not_a_number "key '--crop': crop bound 'abc' in '0:abc,0:4,0:4' is not a voxel index"
  import ${_image} --voxel-size "0.5 um" ${_phases} --crop "0:abc,0:4,0:4" --out ${_out}/import)
bad_input(import.crop_out_of_range "key '--crop': crop bound '99999999999999999999999' .* is not a voxel index"
  import ${_image} --voxel-size "0.5 um" ${_phases} --crop "0:99999999999999999999999,0:4,0:4"
  --out ${_out}/import)
bad_input(import.crop_negative "key '--crop': crop bound '-1'"
  import ${_image} --voxel-size "0.5 um" ${_phases} --crop "-1:4,0:4,0:4" --out ${_out}/import)
bad_input(import.crop_two_ranges "key '--crop': crop '0:4,0:4' needs three ranges"
  import ${_image} --voxel-size "0.5 um" ${_phases} --crop "0:4,0:4" --out ${_out}/import)
bad_input(import.voxel_size_zero "key '--voxel-size': voxel size must be positive"
  import ${_image} --voxel-size "0 um" ${_phases} --out ${_out}/import)
bad_input(import.voxel_size_unknown_unit "key '--voxel-size': unknown unit 'furlong'"
  import ${_image} --voxel-size "0.5 furlong" ${_phases} --out ${_out}/import)
bad_input(import.phase_label_not_a_number "key '--phase x=pore': 'x' is not a label value"
  import ${_image} --voxel-size "0.5 um" --phase x=pore --phase 1=NCM811 --phase 2=Li6PS5Cl
  --out ${_out}/import)
bad_input(import.unknown_material "key '--phase 1=NCM812': unknown material 'NCM812'; did you mean 'NCM811'"
  import ${_image} --voxel-size "0.5 um" --phase 0=pore --phase 1=NCM812 --phase 2=Li6PS5Cl
  --out ${_out}/import)
bad_input(import.negative_conductivity "key '--phase 2=ionic:-1 S/m': conductivity '-1 S/m' must be finite and >= 0"
  import ${_image} --voxel-size "0.5 um" --phase 0=pore --phase 1=NCM811 --phase "2=ionic:-1 S/m"
  --out ${_out}/import)
bad_input(import.downsample_zero "key '--downsample': downsample factor must be >= 1"
  import ${_image} --voxel-size "0.5 um" ${_phases} --downsample 0 --out ${_out}/import)
bad_input(import.out_is_a_file "key '--out': output folder '.*not_a_folder' is an existing file"
  import ${_image} --voxel-size "0.5 um" ${_phases} --out ${_not_a_folder})
bad_input(import.missing_image "image not found: '.*no_such_image\\.npy'"
  import ${_images}/no_such_image.npy --voxel-size "0.5 um" ${_phases} --out ${_out}/import)

# ---- analyze
set(_analyze analyze ${_image} --voxel-size "1 um" ${_phases})
bad_input(analyze.stoichiometry_nan "key '--stoichiometry': must lie in \\[0, 1\\], got nan"
  ${_analyze} --stoichiometry nan --out ${_out}/analyze)
bad_input(analyze.tolerance_zero "key '--tolerance': must lie in \\(0, 1\\), got 0"
  ${_analyze} --tolerance 0 --out ${_out}/analyze)
bad_input(analyze.unknown_axis "key '--axes': unknown axis 'w'"
  ${_analyze} --axes w --out ${_out}/analyze)
bad_input(analyze.no_axis "key '--axes': no axis given" ${_analyze} --axes "," --out ${_out}/analyze)
bad_input(analyze.unknown_connectivity "key '--connectivity': unknown connectivity '7'"
  ${_analyze} --connectivity 7 --out ${_out}/analyze)
bad_input(analyze.temperature_below_zero "key '--temperature': .* K is not above absolute zero"
  ${_analyze} --temperature "-400 degC" --out ${_out}/analyze)
bad_input(analyze.label_without_phase "key '--phase': label 2 occurs in the image but has no phase"
  analyze ${_image} --voxel-size "1 um" --phase 0=pore --phase 1=NCM811 --out ${_out}/analyze)
bad_input(analyze.label_twice "key '--phase': label 1 is given twice"
  ${_analyze} --phase 1=pore --out ${_out}/analyze)
bad_input(analyze.no_voxel_size "key '--voxel-size': no voxel size given"
  analyze ${_image} ${_phases} --out ${_out}/analyze)
bad_input(analyze.value_not_a_label "labels_300\\.npy: key 'input': image value 300 is not a label 0\\.\\.255"
  analyze ${_images}/labels_300.npy --voxel-size "1 um" --phase 0=pore --out ${_out}/analyze)
bad_input(analyze.out_is_a_file "key '--out': output folder '.*not_a_folder' is an existing file"
  ${_analyze} --out ${_not_a_folder})

# ---- materials, version and the top level
bad_input(materials.unknown_name "unknown material 'NCM812'; did you mean 'NCM811'" materials show NCM812)
bad_input(materials.unknown_class "key '--class': unknown material class 'cathode'"
  materials list --class cathode)
bad_input(materials.missing_data_dir "material data folder '.*no_such_folder' does not exist"
  materials --data-dir ${_bad}/no_such_folder list)
bad_input(version.unknown_flag "--foo" version --foo)
bad_input(top.unknown_command "unknown command 'biuld'; did you mean 'build'" biuld)
