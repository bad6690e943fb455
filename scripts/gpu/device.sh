#!/bin/bash
# Runs on the GPU machine (NVIDIA driver, CUDA toolkit, cmake; no Node, no npm, no network), from the
# folder scripts/gpu/prepare.sh filled and carried over; results go to $OUT.
#   bash .gpu/device.sh build          node-llama-cpp's CUDA backend from its bundled llama.cpp source,
#                                      for sm_90 (H100/H200); writes $OUT/cuda-build.tar.xz.*
#   bash .gpu/device.sh bench [ARGS]   the engine benchmarks (bench engine --device cuda / cpu, the drift)
#   bash .gpu/device.sh all [ARGS]     both, in one call
# Everything unpacks under /tmp/mesh-gpu, which outlives a command while the machine stays up, so a
# second call reuses the build. With $G/cuda-build.tar.xz (an earlier build) nothing is built.
set -uo pipefail
G=$(cd "$(dirname "$0")" && pwd)
W=/tmp/mesh-gpu
OUT=${OUT:-$W/out}
M=$W/m
LLAMA=$M/node_modules/node-llama-cpp/llama
T0=$(date +%s)
mkdir -p "$W" "$OUT"
elapsed() { echo "[$(( $(date +%s) - T0 )) s] $*"; }
# The local build's folder name carries its cmake options: set at build and at load alike.
export NODE_LLAMA_CPP_CMAKE_OPTION_CMAKE_CUDA_ARCHITECTURES=90

setup() {
  [ -x "$W/node" ] || { xz -dc "$G/node.xz" > "$W/node" && chmod +x "$W/node"; }
  mkdir -p "$M" && xz -dc "$G/m.tar.xz" | tar -xf - -C "$M"
  if [ -f "$G/cuda-build.tar.xz" ] && [ ! -d "$LLAMA/localBuilds" ]; then xz -dc "$G/cuda-build.tar.xz" | tar -xf - -C "$LLAMA"; fi
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm,clocks.max.mem --format=csv,noheader | tee "$OUT/gpu.txt"
  elapsed "unpacked: node $("$W/node" --version)"
}

# The GPU's memory bandwidth (GB/s), bytes read plus written by a 4 GiB device-to-device copy through
# PyTorch (on the machine's image), the median of 20 after 3 warm-ups: the bound on tokens/s a stream.
gpu_bandwidth() {
  [ -s "$W/gpu-bandwidth.txt" ] || python3 - > "$W/gpu-bandwidth.txt" <<'PY'
import torch
n = 4 << 30
a = torch.empty(n, dtype=torch.uint8, device='cuda').random_(); b = torch.empty_like(a)
for _ in range(3): b.copy_(a)
times = []
for _ in range(20):
    s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    s.record(); b.copy_(a); e.record(); e.synchronize(); times.append(s.elapsed_time(e))
times.sort()
print(round(2 * n / (times[len(times) // 2] / 1e3) / 1e9, 1))
PY
  cp "$W/gpu-bandwidth.txt" "$OUT/" && elapsed "GPU memory bandwidth $(cat "$W/gpu-bandwidth.txt") GB/s"
}

build() {
  if [ -d "$LLAMA/localBuilds" ]; then elapsed "already built"; return 0; fi
  mkdir -p "$W/nodehdr" && tar -xJf "$G/nodehdr.tar.xz" -C "$W/nodehdr"
  # node-llama-cpp wants its llama.cpp checkout with a .git folder beside the source.
  mkdir -p "$LLAMA/llama.cpp/.git" && tar -xJf "$G/llama-src.tar.xz" -C "$LLAMA/llama.cpp"
  # It builds through `npm run -s cmake-js-llama -- ARGS` (= cd llama && cmake-js ARGS); there is no npm.
  mkdir -p "$W/bin" && cat > "$W/bin/npm" <<SH
#!/bin/bash
while [ \$# -gt 0 ] && [ "\$1" != "--" ]; do shift; done; shift
cd "$LLAMA" && exec "$W/node" "$M/node_modules/cmake-js/bin/cmake-js" "\$@"
SH
  chmod +x "$W/bin/npm"
  (cd "$M" && PATH=$W/bin:$PATH npm_config_nodedir=$W/nodehdr CMAKE_BUILD_PARALLEL_LEVEL=$(nproc) \
    timeout 540 "$W/node" node_modules/node-llama-cpp/dist/cli/cli.js source build --gpu cuda > "$OUT/build.log" 2>&1)
  local rc=$?
  elapsed "build rc=$rc"
  tail -5 "$OUT/build.log"
  [ $rc -eq 0 ] || return $rc
  # Only the built libraries come back (not the cmake tree), in parts under the 16 MiB a file of $OUT.
  tar -C "$LLAMA" -cf - localBuilds lastBuild.json | xz -T0 -6 | split -b 15M -d - "$OUT/cuda-build.tar.xz."
  ls -la "$OUT"/cuda-build.tar.xz.*
}

bench() {
  cd "$M" || return 1
  local node="$W/node --import ./dist/src/polyfill.js"
  $node dist/bench/main.js gpu --json "$@" 2> >(grep -v '^\s*$' | tail -40 >&2) | tail -1 | tee "$OUT/bench-gpu.json"
  elapsed "bench done"
}

setup || exit 1
gpu_bandwidth
case "${1:-all}" in
  build) build ;;
  bench) shift; bench "$@" ;;
  all) shift; build && bench "$@" ;;
  *) echo "usage: device.sh build | bench [ARGS] | all [ARGS]" >&2; exit 2 ;;
esac
