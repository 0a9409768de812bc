#!/usr/bin/env bash
# The one list of system packages cathodelab needs (Debian 12). Installs only what is missing; uses
# sudo when not root; safe to run again. `--bench` also installs what the side-by-side benchmarks
# need to run the reference tools (never needed to build or test cathodelab).
set -euo pipefail

packages=(
  build-essential cmake git pkg-config python3 python3-numpy  # toolchain, layering check, .npy tests
  libgtest-dev libgmock-dev libbenchmark-dev                     # tests and benchmarks
  libfmt-dev libcli11-dev libtomlplusplus-dev nlohmann-json3-dev # formatting, CLI, TOML, JSON
  libsundials-dev libsuitesparse-dev                             # IDA DAE solver with KLU
  libtiff-dev libpng-dev zlib1g-dev                              # image import and export
  nodejs npm                                                     # charting assets for the report
  chromium                                                       # headless browser test of the report
  clang-format clang-tidy                                        # style
  clang libclang-rt-14-dev                                       # libFuzzer targets (tests/fuzz)
)
if [ "${1:-}" = "--bench" ]; then
  packages+=(
    hyperfine                                                    # timing whole commands
    python3-torch python3-scipy python3-skimage python3-psutil   # the reference voxel solver on CPU
    python3-matplotlib python3-ipython
  )
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
# node and npm may come from elsewhere than Debian's packages; accept working commands.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  filtered=()
  for package in "${missing[@]}"; do
    [[ "$package" == nodejs || "$package" == npm ]] || filtered+=("$package")
  done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
