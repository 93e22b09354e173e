#!/usr/bin/env bash
# GPU check of djl-gather's op library on a machine with an NVIDIA GPU and Python PyTorch.
#
# The GPU machine may have no Java and no network, so the check runs in two steps:
#
#   Step 1, where Java 17 and Maven are (this repository, e.g. a developer machine or CI):
#       djl-gather-cuda/tools/gpu-check.sh export [ARCHIVE]
#     runs, from the repository root,
#       mvn -q -pl djl-gather-cuda -am compile exec:java -Dcuda.tools.skip=false \
#           -Dexec.mainClass=io.djlgather.cuda.tools.ExportOpLibrary -Dexec.args=ARCHIVE
#     which writes the op library (the TorchScript module every Java op runs) to ARCHIVE
#     (default djl-gather-cuda/target/op-library.pt). Nothing binary is committed: the archive
#     is made from the .torchscript sources each time. Copy ARCHIVE and gpu_check.py to the GPU
#     machine (or copy this tools/ folder with ARCHIVE beside it).
#
#   Step 2, on the GPU machine (Python 3 with a CUDA build of PyTorch):
#       ./gpu-check.sh run [ARCHIVE] [--show-assert]
#     runs python3 gpu_check.py ARCHIVE under a 5-minute limit: every method of the archive on
#     CUDA tensors against torch eager (values, and gradients of the deterministic methods), the
#     deterministic methods 5 times (bit-identical), the CHECKED index check on a bad index and
#     an op after it (the context still works); prints one table; exit status 0 when all pass.
#     --show-assert also runs an unchecked bad index in a child process, to show the device-side
#     assert that CHECKED avoids.
#
#   Without a subcommand: step 1 if ARCHIVE is missing and mvn is on the PATH, then step 2.
# Environment: PYTHON (default python3), TIMEOUT (seconds, default 300).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${PYTHON:-python3}"
limit="${TIMEOUT:-300}"

export_archive() {
  local archive="$1"
  command -v mvn >/dev/null || { echo "step 1 needs Maven and Java 17 (mvn not found)" >&2; exit 2; }
  case "$archive" in /*) ;; *) archive="$PWD/$archive" ;; esac
  (cd "$root" && mvn -q -pl djl-gather-cuda -am compile exec:java -Dcuda.tools.skip=false \
      -Dexec.mainClass=io.djlgather.cuda.tools.ExportOpLibrary -Dexec.args="$archive")
}

run_check() {
  local archive="$1"; shift
  [ -f "$archive" ] || { echo "no archive at $archive: run step 1 (export) where Java is" >&2; exit 2; }
  timeout "$limit" "$python" "$here/gpu_check.py" "$archive" "$@"
}

default_archive() {
  if [ -f "$here/op-library.pt" ]; then echo "$here/op-library.pt"
  else echo "$root/djl-gather-cuda/target/op-library.pt"; fi
}

cmd="${1:-all}"
case "$cmd" in
  export) export_archive "${2:-$root/djl-gather-cuda/target/op-library.pt}" ;;
  run)    shift; archive="$(default_archive)"
          if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then archive="$1"; shift; fi
          run_check "$archive" "$@" ;;
  all)    archive="$(default_archive)"
          [ -f "$archive" ] || export_archive "$archive"
          run_check "$archive" ;;
  *)      sed -n '2,30p' "${BASH_SOURCE[0]}"; exit 2 ;;
esac
