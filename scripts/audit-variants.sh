#!/bin/bash
# Honest audits across the CPU variants of llama.cpp that node-llama-cpp ships (docs/reliability.md,
# "Audits"). node-llama-cpp loads the best variant for the CPU itself and has no option to choose
# one, so each variant gets a folder whose node_modules is the project's, except that
# @node-llama-cpp/linux-x64 holds that one variant's libggml-cpu-*.so; node runs there with
# --preserve-symlinks. Each variant serves the honest scenarios (`bench audits --only honest
# --save-served`), audited in its own process (other threads and batch), and then audits the
# answers the previous variant served (`--audit-served`): answers computed by one variant's
# kernels, judged by another's. Which variant was loaded is read from /proc/<pid>/maps.
#   bash scripts/audit-variants.sh REQUESTS [VARIANT...]    (after `npx tsc -p .`)
# Results: one JSON line a run in $W/results.jsonl (W=/tmp/mesh-audit-variants by default).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
REQUESTS=${1:?usage: audit-variants.sh REQUESTS [VARIANT...]}
shift
W=${W:-/tmp/mesh-audit-variants}
MODULES=$(readlink -f "$ROOT/node_modules")
BINS=$MODULES/@node-llama-cpp/linux-x64/bins/linux-x64
VARIANTS=("$@")
if [ ${#VARIANTS[@]} -eq 0 ]; then
  for f in "$BINS"/libggml-cpu-*.so; do v=$(basename "$f" .so); VARIANTS+=("${v#libggml-cpu-}"); done
fi
mkdir -p "$W"

# A folder that runs the project's dist/ with only variant $1 of the CPU backend.
prepare() {
  local d=$W/$1 e n
  rm -rf "$d"; mkdir -p "$d/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64"
  for e in "$MODULES"/* "$MODULES"/.bin; do n=$(basename "$e"); [ "$n" = @node-llama-cpp ] || ln -s "$e" "$d/node_modules/$n"; done
  for e in "$MODULES"/@node-llama-cpp/*; do n=$(basename "$e"); [ "$n" = linux-x64 ] || ln -s "$e" "$d/node_modules/@node-llama-cpp/$n"; done
  for e in "$MODULES"/@node-llama-cpp/linux-x64/*; do n=$(basename "$e"); [ "$n" = bins ] || ln -s "$e" "$d/node_modules/@node-llama-cpp/linux-x64/$n"; done
  # Copies, not links: llama.cpp looks for its backends beside the addon's own path.
  for e in "$BINS"/*; do n=$(basename "$e"); case $n in libggml-cpu-*) ;; *) cp "$e" "$d/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/";; esac; done
  cp "$BINS/libggml-cpu-$1.so" "$d/node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/"
  cp -r "$ROOT/dist" "$d/dist"
  ln -s "$ROOT/package.json" "$d/package.json"
  ln -s "$(readlink -f "$ROOT/.cache")" "$d/.cache"
}

# bench audits in variant $1's folder, with the rest of the arguments; checks the variant loaded.
bench() {
  local v=$1; shift
  (cd "$W/$v" && exec node --preserve-symlinks --import ./dist/src/polyfill.js dist/bench/main.js audits --only honest --json "$@" > "$W/$v.log" 2>&1) &
  local pid=$! loaded=''
  while kill -0 $pid 2>/dev/null; do
    loaded=$(grep -o 'libggml-cpu-[a-z0-9]*' /proc/$pid/maps 2>/dev/null | sort -u | tr '\n' ' ')
    [ -n "$loaded" ] && break
    sleep 0.2
  done
  wait $pid; local rc=$?
  if [ $rc -ne 0 ] || [ -z "$loaded" ]; then echo "variant $v: bench failed (rc $rc), see $W/$v.log" >&2; return 1; fi
  tail -1 "$W/$v.log" | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const r=JSON.parse(s);r.variant='$v';r.loaded='${loaded% }';r.args='$*';console.log(JSON.stringify(r))})" >> "$W/results.jsonl"
}

previous=''
for v in "${VARIANTS[@]}"; do
  prepare "$v"
  bench "$v" --requests "$REQUESTS" --save-served "$W/$v.served.json" || continue
  if [ -n "$previous" ]; then bench "$v" --audit-served "$W/$previous.served.json" || true; fi
  previous=$v
  echo "$(date -u +%H:%M:%S) variant $v done"
done
