#!/bin/bash
# Runs on the GPU machine (NVIDIA driver, CUDA toolkit, cmake; no Node, no npm, no network), from the
# folder scripts/gpu/prepare.sh filled and carried over; results go to $OUT.
#   bash .gpu/device.sh build          node-llama-cpp's CUDA backend from its bundled llama.cpp source,
#                                      for sm_90 (H100/H200): 3 to 5 minutes. (It is 127 MB xz-compressed,
#                                      more than a call brings back, so every fresh machine builds again.)
#   bash .gpu/device.sh bench [ARGS]   the GPU suite (bench engine --device cuda on both shapes and its
#                                      variants, bench drift), or one `bench ARGS`; → $OUT/results.jsonl
#   bash .gpu/device.sh all [ARGS]     both, in one call (a fresh machine needs the build: ≈3 min)
#   bash .gpu/device.sh sim            the 50 + 10 simulation on the machine's CPUs (no GPU): its scenarios
#                                      in groups, each group a fresh swarm of its own, all groups at once;
#                                      → $OUT/sim.tar.gz (each group's JSON figures and log)
# SUITE="llama8b drift …" runs those suite items, in that order (default: all); a call is at most 10
# minutes, so with DEADLINE=<seconds> (counted from the script's start) a bench gets only the time left
# and one with under 30 s left is skipped.
# Everything unpacks under /tmp/mesh-gpu, which outlives a command while the machine stays up, so a
# second call reuses the build.
set -uo pipefail
G=$(cd "$(dirname "$0")" && pwd)
W=/tmp/mesh-gpu
OUT=${OUT:-$W/out}
M=$W/m
LLAMA=$M/node_modules/node-llama-cpp/llama
T0=$(date +%s)
mkdir -p "$W" "$OUT"
elapsed() { echo "[$(( $(date +%s) - T0 )) s] $*"; }

setup() {
  [ -x "$W/node" ] || { xz -dc "$G/node.xz" > "$W/node" && chmod +x "$W/node"; }
  mkdir -p "$M" && xz -dc "$G/m.tar.xz" | tar -xf - -C "$M"
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
  # Only Hopper's kernels (sm_90). The option is part of the build's folder name; mesh reads it back from
  # the build's metadata (src/inference/llama-runtime.ts), so nothing after the build sets it.
  (cd "$M" && PATH=$W/bin:$PATH npm_config_nodedir=$W/nodehdr CMAKE_BUILD_PARALLEL_LEVEL=$(nproc) \
    NODE_LLAMA_CPP_CMAKE_OPTION_CMAKE_CUDA_ARCHITECTURES=90 \
    timeout 540 "$W/node" node_modules/node-llama-cpp/dist/cli/cli.js source build --gpu cuda > "$OUT/build.log" 2>&1)
  local rc=$?
  elapsed "build rc=$rc"
  tail -5 "$OUT/build.log"
  [ $rc -eq 0 ] || return $rc
}

# One benchmark: `label timeout-seconds bench-name args…`; its JSON figures become one line of
# $OUT/results.jsonl ({"label": …, "figures": …}); its log's tail goes to $OUT/bench.log.
bench() {
  local label=$1 limit=$2; shift 2
  if [ -n "${DEADLINE:-}" ]; then
    local left=$(( DEADLINE - ($(date +%s) - T0) ))
    if [ $left -lt 30 ]; then elapsed "bench $label skipped: ${left} s left"; return 0; fi
    [ $left -lt "$limit" ] && limit=$left
  fi
  elapsed "bench $label: $*"
  local figures
  figures=$(cd "$M" && timeout "$limit" "$W/node" --import ./dist/src/polyfill.js dist/bench/main.js "$@" --json 2> >(tail -20 >> "$OUT/bench.log") | tail -1)
  [ -n "$figures" ] || figures='{"error":"no figures (see bench.log)"}'
  echo "{\"label\":\"$label\",\"figures\":$figures}" | tee -a "$OUT/results.jsonl"
}

# The GPU suite: both shapes against llama.cpp's figures, the variants that explain the batching,
# and the CPU-vs-GPU drift of the consensus output.
suite() {
  local bw; bw=$(cat "$W/gpu-bandwidth.txt")
  elapsed "the backend check mesh run makes (src/inference/gpu-probe.ts)"
  (cd "$M" && "$W/node" --input-type=module -e "import { chooseDevice } from './dist/src/inference/gpu-probe.js'
    for (const d of ['auto', 'cuda']) console.log(d, JSON.stringify(await chooseDevice(d).catch((e) => e.message)))") 2>&1 | tee "$OUT/probe.txt"
  local common=(engine --device cuda --tokens 64 --bandwidth-gbs "$bw" --diagnose)
  for item in ${SUITE:-tinyllama llama8b tinyllama-4threads drift tinyllama-no-fa api}; do
    case $item in
      tinyllama) bench tinyllama 100 "${common[@]}" --shape tinyllama ;;
      llama8b) bench llama8b 150 "${common[@]}" --shape llama8b --streams 1,16,64 ;;
      llama8b-no-fa) bench llama8b-no-fa 150 "${common[@]}" --shape llama8b --streams 1,16,64 --flash-attention off ;;
      tinyllama-4threads) bench tinyllama-4threads 60 "${common[@]}" --shape tinyllama --threads 4 ;;
      drift) bench drift 150 drift --device cuda --shape tinyllama --challenges 8 ;;
      tinyllama-no-fa) bench tinyllama-no-fa 60 "${common[@]}" --shape tinyllama --flash-attention off --streams 1,4,16 ;;
      # Through the API and the network (one hoster on the GPU, the gateway and client on the CPU).
      api) bench api 120 api --device cuda --rounds 8 ;;
      *) elapsed "unknown suite item $item" ;;
    esac
  done
}

# The simulation's scenarios in groups (a hoster adversary's three fractions together; the honest
# baseline with the lying elected validator; each audit cheater alone, as its audit rounds run the
# real engine), all groups at once, each a fresh 50 + 10 swarm in its own process.
sim() {
  local groups
  groups=$(cd "$M" && "$W/node" --input-type=module -e "
    import { fullScenarios } from './dist/test/consensus/simulation.js'
    const groups = new Map()
    for (const s of fullScenarios()) {
      const key = s.kind === 'honest' || s.kind === 'lying-elected' ? 'baseline' : s.kind === 'audit-cheater' ? s.kind + '-' + s.fraction : s.kind
      groups.set(key, [...(groups.get(key) ?? []), s.kind + ':' + s.fraction])
    }
    for (const [key, scenarios] of groups) console.log(key + ' ' + scenarios.join(','))")
  local dir=$W/sim && rm -rf "$dir" && mkdir -p "$dir"
  { nproc; grep -m1 'model name' /proc/cpuinfo; } > "$dir/machine.txt"
  elapsed "simulation: $(echo "$groups" | wc -l) groups at once"
  # A call brings back at most 8 files: the groups' files come back as one archive, so each group
  # stops in time for it (at DEADLINE, default 560 s after the start).
  local left=$(( ${DEADLINE:-560} - ($(date +%s) - T0) ))
  while read -r name scenarios; do
    (cd "$M" && MESH_LOG_LEVEL=warn timeout "$left" "$W/node" --import ./dist/src/polyfill.js dist/bench/main.js simulation \
       --scenarios "$scenarios" --json > "$dir/$name.json" 2> "$dir/$name.log"
     elapsed "$name rc=$?" >> "$dir/done.txt") &
  done <<< "$groups"
  wait
  cat "$dir/done.txt"
  tar -czf "$OUT/sim.tar.gz" -C "$dir" .
}

setup || exit 1
gpu_bandwidth
case "${1:-all}" in
  build) build ;;
  bench) shift; if [ $# -eq 0 ]; then suite; else bench custom 540 "$@"; fi ;;
  all) shift; build && if [ $# -eq 0 ]; then suite; else bench custom 540 "$@"; fi ;;
  sim) sim ;;
  *) echo "usage: device.sh build | bench [BENCH ARGS] | all [BENCH ARGS] | sim" >&2; exit 2 ;;
esac
