# Examples 02-05: every microstructure recipe builds and writes its outputs (small domains, seconds).
set(MS_EXAMPLES_OUT ${CMAKE_CURRENT_BINARY_DIR}/examples_microstructure)
foreach(recipe
    02_ncm811_lpscl_vgcf/recipe.toml
    03_ncm811_halide_lwoc/recipe.toml
    04_polymer_cathode_porosity/cal.toml
    04_polymer_cathode_porosity/hotcal.toml
    04_polymer_cathode_porosity/covered.toml
    05_dual_conducting_cathode/recipe.toml)
  string(REPLACE "/" "_" name ${recipe})
  string(REPLACE ".toml" "" name ${name})
  add_test(NAME examples.microstructure.${name}
    COMMAND bash -c "\"$0\" build \"$1\" --out \"$2\" && test -s \"$2/microstructure.json\" && test -s \"$2/labels.tif\""
      ${CATHODELAB_EXE} ${PROJECT_SOURCE_DIR}/examples/${recipe} ${MS_EXAMPLES_OUT}/${name})
  set_tests_properties(examples.microstructure.${name} PROPERTIES LABELS examples)
endforeach()
