# `cathodelab analyze`: bad input gives one clear line and exit code 2; a small image end to end.
set(ANALYZE_OUT ${CMAKE_CURRENT_BINARY_DIR}/cli_analyze)

# cathodelab_analyze_expect(NAME RC REGEX ARGS...): runs `cathodelab ARGS...`, passes when the exit
# code is RC and the combined output matches REGEX (no single quotes in REGEX: use '.').
function(cathodelab_analyze_expect name rc regex)
  add_test(NAME cli.analyze.${name}
    COMMAND bash -c "out=$(\"$0\" \"$@\" 2>&1); code=$?; printf '%s\\n' \"$out\"; [ $code -eq ${rc} ] && printf '%s' \"$out\" | grep -qE -- '${regex}'"
      ${CATHODELAB_EXE} ${ARGN})
  set_tests_properties(cli.analyze.${name} PROPERTIES LABELS cli)
endfunction()

cathodelab_analyze_expect(malformed_phase 2 "malformed phase .1."
  analyze none.npy --voxel-size "1 um" --phase 1 --out ${ANALYZE_OUT}/bad)
cathodelab_analyze_expect(unknown_material 2 "unknown material .Li6PS5Cll..*did you mean .Li6PS5Cl."
  analyze none.npy --voxel-size "1 um" --phase 1=Li6PS5Cll --out ${ANALYZE_OUT}/bad)
cathodelab_analyze_expect(nan_conductivity 2 "--phase 2=ionic:nan S/m"
  analyze none.npy --voxel-size "1 um" "--phase" "2=ionic:nan S/m" --out ${ANALYZE_OUT}/bad)
cathodelab_analyze_expect(negative_conductivity 2 "not a finite value >= 0|negative"
  analyze none.npy --voxel-size "1 um" "--phase" "2=electronic:-5 S/m" --out ${ANALYZE_OUT}/bad)
cathodelab_analyze_expect(unknown_kind 2 "unknown conductivity kind .ionc..*did you mean .ionic."
  analyze none.npy --voxel-size "1 um" "--phase" "2=ionc:1 S/m" --out ${ANALYZE_OUT}/bad)
cathodelab_analyze_expect(mixed_needs_two 2 "needs two conductivities"
  analyze none.npy --voxel-size "1 um" "--phase" "4=mixed:1 S/m" --out ${ANALYZE_OUT}/bad)
cathodelab_analyze_expect(bad_label 2 ".300. is not a label"
  analyze none.npy --voxel-size "1 um" --phase 300=pore --out ${ANALYZE_OUT}/bad)
cathodelab_analyze_expect(duplicate_label 2 "label 1 is given twice"
  analyze none.npy --voxel-size "1 um" --phase 1=pore --phase "1=ionic:1 S/m" --out ${ANALYZE_OUT}/bad)
cathodelab_analyze_expect(unknown_axis 2 "unknown axis .w."
  analyze none.npy --voxel-size "1 um" --phase 0=pore --axes x,w --out ${ANALYZE_OUT}/bad)
