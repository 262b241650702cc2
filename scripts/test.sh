#!/usr/bin/env bash
# Runs the whole test suite with Node's built-in runner through tsx (explicit file list: Node 20
# finds no .ts tests on its own). Extra arguments are passed to node (e.g. --test-name-pattern).
set -euo pipefail
shopt -s globstar nullglob
cd "$(dirname "$0")/.."
# Examples import 'neurite', which resolves to dist/: rebuild first when any source is newer than
# the build, so tests never run stale code.
if [ ! -f dist/index.js ] || [ -n "$(find src scripts/build-wasm.mjs -newer dist/index.js -print -quit)" ]; then
  echo "test.sh: dist/ is older than src/; running npm run build first" >&2
  npm run build >&2
fi
files=(test/**/*.test.ts)
if [ ${#files[@]} -eq 0 ]; then echo "no test files found under test/" >&2; exit 1; fi
exec node --import tsx --test "$@" "${files[@]}"
