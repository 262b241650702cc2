#!/usr/bin/env bash
# Runs the whole test suite with Node's built-in runner through tsx (explicit file list: Node 20
# finds no .ts tests on its own): first everything outside test/browser/, then the browser suite in
# headless Chromium as its own run, so its test count is printed on its own. Extra arguments are
# passed to node (e.g. --test-name-pattern).
set -euo pipefail
shopt -s globstar nullglob
cd "$(dirname "$0")/.."
# Examples import 'neurite', which resolves to dist/: rebuild first when any source is newer than
# the build, so tests never run stale code.
if [ ! -f dist/index.js ] || [ -n "$(find src scripts/build-wasm.mjs -newer dist/index.js -print -quit)" ]; then
  echo "test.sh: dist/ is older than src/; running npm run build first" >&2
  npm run build >&2
fi
files=() browser=()
for f in test/**/*.test.ts; do
  if [[ "$f" == test/browser/* ]]; then browser+=("$f"); else files+=("$f"); fi
done
if [ ${#files[@]} -eq 0 ]; then echo "no test files found under test/" >&2; exit 1; fi
status=0
node --import tsx --test "$@" "${files[@]}" || status=$?
if [ ${#browser[@]} -gt 0 ]; then
  echo "# ---- browser suite: ${#browser[@]} files in headless Chromium (test/browser/) ----"
  node --import tsx --test "$@" "${browser[@]}" || status=$?
fi
exit "$status"
