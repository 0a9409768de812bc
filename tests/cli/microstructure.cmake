# `cathodelab build` and `cathodelab import`: every output written, bad input gives one clear line
# and exit code 2, and a build -> import round trip reproduces the labels byte for byte.
set(MS_OUT ${CMAKE_CURRENT_BINARY_DIR}/cli_microstructure)
set(MS_RECIPE ${PROJECT_SOURCE_DIR}/examples/02_ncm811_lpscl_vgcf/recipe.toml)

# cathodelab_ms_expect(NAME RC REGEX ARGS...): exit code RC and output matching REGEX.
function(cathodelab_ms_expect name rc regex)
  add_test(NAME cli.microstructure.${name}
    COMMAND bash -c "out=$(\"$0\" \"$@\" 2>&1); code=$?; printf '%s\\n' \"$out\"; [ $code -eq ${rc} ] && printf '%s' \"$out\" | grep -qE -- '${regex}'"
      ${CATHODELAB_EXE} ${ARGN})
  set_tests_properties(cli.microstructure.${name} PROPERTIES LABELS cli)
endfunction()

file(MAKE_DIRECTORY ${MS_OUT})
file(WRITE ${MS_OUT}/bad_fraction.toml "[microstructure]\ndomain = \"10 um\"\nthickness = \"8 um\"\nvoxel_size = \"0.5 um\"\n[microstructure.phases.pore]\nshape = \"pore\"\n[microstructure.phases.NCM811]\nvolume_fraction = 1.2\ndiameter = \"3 um\"\n")
file(WRITE ${MS_OUT}/bad_key.toml "[microstructure]\ndomain = \"10 um\"\nthickness = \"8 um\"\nvoxel_size = \"0.5 um\"\n[microstructure.phases.NCM811]\nvolume_fracton = 0.5\ndiameter = \"3 um\"\n")
file(WRITE ${MS_OUT}/bare_number.toml "[microstructure]\ndomain = 10\nthickness = \"8 um\"\nvoxel_size = \"0.5 um\"\n")
file(WRITE ${MS_OUT}/short.raw "0123456789")

cathodelab_ms_expect(build_writes_everything 0 "measured 0.6000"
  build ${MS_RECIPE} --out ${MS_OUT}/build)
add_test(NAME cli.microstructure.build_outputs_exist
  COMMAND bash -c "for f in microstructure.json labels.tif microstructure.vti particles.csv slice_xy_mid.png slice_xz_mid.png; do test -s $0/$f || { echo missing $f; exit 1; }; done; grep -q 'Target volume fraction' $0/microstructure.json && grep -q 'Measured volume fraction' $0/microstructure.json"
    ${MS_OUT}/build)
set_tests_properties(cli.microstructure.build_outputs_exist PROPERTIES DEPENDS cli.microstructure.build_writes_everything LABELS cli)
cathodelab_ms_expect(import_round_trip 0 "imported 80x80x60 voxels"
  import ${MS_OUT}/build/labels.tif --voxel-size "0.3 um" --phase 0=pore "--phase" "1=ionic:0 S/m@NCM811"
  "--phase" "2=ionic:0.3 mS/cm@Li6PS5Cl" "--phase" "3=electronic:100 S/m@VGCF" "--phase" "4=ionic:0 S/m@coating"
  --out ${MS_OUT}/import)
set_tests_properties(cli.microstructure.import_round_trip PROPERTIES DEPENDS cli.microstructure.build_writes_everything)
add_test(NAME cli.microstructure.round_trip_identical
  COMMAND ${CMAKE_COMMAND} -E compare_files ${MS_OUT}/build/labels.tif ${MS_OUT}/import/labels.tif)
set_tests_properties(cli.microstructure.round_trip_identical PROPERTIES DEPENDS cli.microstructure.import_round_trip LABELS cli)

cathodelab_ms_expect(fractions_above_one 2 "bad_fraction.toml.*microstructure.phases.NCM811.volume_fraction.*outside .0, 1."
  build ${MS_OUT}/bad_fraction.toml --out ${MS_OUT}/bad)
cathodelab_ms_expect(unknown_key 2 "unknown key .volume_fracton..*did you mean .volume_fraction."
  build ${MS_OUT}/bad_key.toml --out ${MS_OUT}/bad)
cathodelab_ms_expect(bare_number 2 "bare_number.toml:2:.*microstructure.domain"
  build ${MS_OUT}/bare_number.toml --out ${MS_OUT}/bad)
cathodelab_ms_expect(missing_label 2 "contains label.s. 1, 2, 3 that the phase map does not name"
  import ${MS_OUT}/build/labels.tif --voxel-size "0.3 um" --phase 0=pore --out ${MS_OUT}/bad)
cathodelab_ms_expect(anisotropic 2 "anisotropic voxels"
  import ${MS_OUT}/build/labels.tif --voxel-size "0.3 um, 0.3 um, 0.6 um" --phase 0=pore --out ${MS_OUT}/bad)
cathodelab_ms_expect(raw_size_mismatch 2 "short.raw. has 10 bytes but shape 4x4x4"
  import ${MS_OUT}/short.raw --raw-shape "4 4 4" --voxel-size "1 um" --phase 0=pore --out ${MS_OUT}/bad)
cathodelab_ms_expect(unreadable_tiff 2 "cannot read .*short.tif. as TIFF|short.tif"
  import ${MS_OUT}/short.tif --voxel-size "1 um" --phase 0=pore --out ${MS_OUT}/bad)
file(WRITE ${MS_OUT}/short.tif "II*\\0garbage")
file(WRITE ${MS_OUT}/study.toml "[cathode]\nthickness = \"60 um\"\n[microstructure]\n")
cathodelab_ms_expect(study_file_read_as_study 2 "study.toml:.*key .cathode.components.: no cathode components"
  build ${MS_OUT}/study.toml --out ${MS_OUT}/bad)
