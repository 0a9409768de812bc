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
cathodelab_analyze_expect(bad_connectivity 2 "unknown connectivity .vertx..*did you mean .vertex."
  analyze none.npy --voxel-size "1 um" --phase 0=pore --connectivity vertx --out ${ANALYZE_OUT}/bad)

# End to end on a 24^3 image written by plain Python (no numpy needed): five CAM spheres (label 2)
# in a random electrolyte (label 1, 60 % of the rest) and pores (label 0).
file(MAKE_DIRECTORY ${ANALYZE_OUT})
file(WRITE ${ANALYZE_OUT}/make_image.py [=[
import random, struct, sys
n = 24
random.seed(3)
img = bytearray(n * n * n)
centres = [(6, 6, 6), (18, 12, 6), (12, 12, 16), (6, 18, 18), (18, 18, 20)]
for k in range(n):
    for j in range(n):
        for i in range(n):
            x, y, z = i + 0.5, j + 0.5, k + 0.5
            v = i + n * (j + n * k)  # Fortran order: element [i, j, k] = voxel (x=i, y=j, z=k)
            if any((x - a) ** 2 + (y - b) ** 2 + (z - c) ** 2 <= 36 for a, b, c in centres):
                img[v] = 2
            elif random.random() < 0.6:
                img[v] = 1
header = "{'descr': '|u1', 'fortran_order': True, 'shape': (%d, %d, %d), }" % (n, n, n)
header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
with open(sys.argv[1], "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + bytes(img))
]=])
file(WRITE ${ANALYZE_OUT}/check_analysis.py [=[
import csv, json, math, sys
out, expect_particles = sys.argv[1], int(sys.argv[2])
solved = sys.argv[3] if len(sys.argv) > 3 else "xyz"  # axes with a conductivity solve
def no_nan(x):
    raise ValueError("non-finite number in analysis.json: " + x)
a = json.load(open(out + "/analysis.json"), parse_constant=no_nan)
for net in ("ionic", "electronic"):
    for axis in "xyz":
        r = a["Networks"][net][axis]
        assert 0 <= r["Percolating fraction"] <= 1 and "Volume fraction" in r
        if axis not in solved:
            assert "Effective conductivity [S.m-1]" not in r
            continue
        for key in ("Volume fraction", "Percolating fraction", "Effective conductivity [S.m-1]",
                    "Tortuosity factor", "Converged", "Iterations", "Relative residual"):
            assert key in r, (net, axis, key)
        assert 0 <= r["Percolating fraction"] <= 1
        assert r["Converged"] is True
        if r["Percolates"]:
            assert r["Tortuosity factor"] >= 1 - 1e-9, r
            assert abs(r["Current in [A]"] - r["Current out [A]"]) <= 1e-3 * abs(r["Current in [A]"])
        else:
            assert r["Effective conductivity [S.m-1]"] == 0 and r["Tortuosity factor"] is None
am = a["Active material"]
assert am["Particle count"] == expect_particles, am["Particle count"]
assert 0 <= am["Utilizable fraction"] <= 1 and 0 <= am["Active area fraction"] <= 1
rows = list(csv.DictReader(open(out + "/particles_analysis.csv")))
assert len(rows) == expect_particles
total = sum(float(r["Volume [m3]"]) for r in rows)
assert math.isclose(total / (24 ** 3 * 0.5e-6 ** 3), am["Volume fraction"], rel_tol=1e-9)
import os
for f in a["Slice images"]["Files"]:
    assert open(os.path.join(out, f), "rb").read(8) == b"\x89PNG\r\n\x1a\n", f
assert len(a["Slice images"]["Files"]) == 4
print("analysis ok")
]=])
add_test(NAME cli.analyze.make_image
  COMMAND ${Python3_EXECUTABLE} ${ANALYZE_OUT}/make_image.py ${ANALYZE_OUT}/small.npy)
set_tests_properties(cli.analyze.make_image PROPERTIES FIXTURES_SETUP analyze_image LABELS cli)

add_test(NAME cli.analyze.library_phases
  COMMAND bash -c "\"$0\" analyze \"$1\" --voxel-size '0.5 um' --phase 0=pore --phase 1=Li6PS5Cl --phase 2=NCM811 --temperature '25 degC' --out \"$2\" && \"$3\" \"$4\" \"$2\" 2"
    ${CATHODELAB_EXE} ${ANALYZE_OUT}/small.npy ${ANALYZE_OUT}/library ${Python3_EXECUTABLE}
    ${ANALYZE_OUT}/check_analysis.py)
add_test(NAME cli.analyze.explicit_phases
  COMMAND bash -c "\"$0\" analyze \"$1\" --voxel-size '0.5 um' --phase 0=void --phase '1=ionic:1 S/m' --phase '2=mixed:0.073 S/m,10 S/m' --active 2 --axes z --out \"$2\" && \"$3\" \"$4\" \"$2\" 2 z"
    ${CATHODELAB_EXE} ${ANALYZE_OUT}/small.npy ${ANALYZE_OUT}/explicit ${Python3_EXECUTABLE}
    ${ANALYZE_OUT}/check_analysis.py)
cathodelab_analyze_expect(label_without_phase 2 "label 2 occurs in the image but has no phase"
  analyze ${ANALYZE_OUT}/small.npy --voxel-size "1 um" --phase 0=pore --phase 1=Li6PS5Cl
  --out ${ANALYZE_OUT}/bad)
cathodelab_analyze_expect(missing_voxel_size 2 "no voxel size given"
  analyze ${ANALYZE_OUT}/small.npy --phase 0=pore --out ${ANALYZE_OUT}/bad)
set_tests_properties(cli.analyze.library_phases cli.analyze.explicit_phases
  cli.analyze.label_without_phase cli.analyze.missing_voxel_size
  PROPERTIES FIXTURES_REQUIRED analyze_image LABELS cli)

# A `cathodelab build` folder: voxel size, periodicity and phases come from its microstructure.json,
# and the particles are the generator's (the particle ids of its microstructure.vti), not the
# connected clusters (touching NCM811 particles would merge into one): the active-material particle
# count equals the NCM811 rows of the folder's particles.csv.
add_test(NAME cli.analyze.build_folder
  COMMAND bash -c "\"$0\" -q build \"$1\" --out \"$2\" && \"$0\" analyze \"$2\" --no-transport --out \"$3\" && grep -q '\"Periodic in plane\": true' \"$3/analysis.json\" && grep -q '\"Particles from\": \"particle id map\"' \"$3/analysis.json\" && python3 -c 'import csv,json,sys; a=json.load(open(sys.argv[1])); n=sum(1 for r in csv.DictReader(open(sys.argv[2])) if r[\"phase\"]==\"NCM811\"); c=a[\"Active material\"][\"Particle count\"]; print(c, n); sys.exit(0 if c==n and n>1 else 1)' \"$3/analysis.json\" \"$2/particles.csv\""
    ${CATHODELAB_EXE} ${PROJECT_SOURCE_DIR}/examples/02_ncm811_lpscl_vgcf/recipe.toml
    ${ANALYZE_OUT}/built ${ANALYZE_OUT}/built_analysis)
set_tests_properties(cli.analyze.build_folder PROPERTIES LABELS cli)

# A solve that cannot reach its tolerance (1e-30 is below double precision) is reported with exit 2
# and its statistics, after everything computed (networks, particles, the other solves) is written.
add_test(NAME cli.analyze.failed_solve_keeps_results
  COMMAND bash -c "out=$(\"$0\" analyze \"$1\" --voxel-size '0.5 um' --phase 0=pore --phase 1=Li6PS5Cl --phase 2=NCM811 --axes z --tolerance 1e-30 --out \"$2\" 2>&1); code=$?; printf '%s\\n' \"$out\"; [ $code -eq 2 ] && printf '%s' \"$out\" | grep -q 'did not converge.*every other result is in' && grep -q '\"Converged\": false' \"$2/analysis.json\" && grep -q '\"Particle count\"' \"$2/analysis.json\""
    ${CATHODELAB_EXE} ${ANALYZE_OUT}/small.npy ${ANALYZE_OUT}/failed)
set_tests_properties(cli.analyze.failed_solve_keeps_results
  PROPERTIES FIXTURES_REQUIRED analyze_image LABELS cli)
