#!/usr/bin/env bash
# Rebuild the vendored Plotly bundle:
#   theme/assets/javascripts/vendor/plotly.min.js   (Plotly "basic" dist, minified)
#   theme/assets/javascripts/vendor/LICENSE-plotly.txt
#
# The version is pinned by scripts/plotly-bundle/package.json and
# scripts/plotly-bundle/package-lock.json (exact version + sha512 integrity).
# Everything happens in a temporary folder; only the two files above change.
# The result is byte-identical on every run (the file is copied verbatim from
# the pinned npm tarball, which npm verifies against the lockfile).
#
# Usage:
#   scripts/build_plotly_bundle.sh                  # (re)vendor the pinned bundle
#   scripts/build_plotly_bundle.sh --compare-custom # only measure: build a custom
#       core-only (scatter) bundle with esbuild and print its size next to the
#       vendored one; writes nothing into the repository.
#
# To upgrade Plotly: change the version in scripts/plotly-bundle/package.json,
# run `npm install --package-lock-only --ignore-scripts` in that folder, then
# run this script and update vendor/README.md (version, sizes, sha256).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PIN_DIR="$ROOT/scripts/plotly-bundle"
VENDOR_DIR="$ROOT/theme/assets/javascripts/vendor"
PKG="plotly.js-basic-dist-min"

MODE="${1:-vendor}"
case "$MODE" in
  vendor|--compare-custom) ;;
  *) echo "usage: $0 [--compare-custom]" >&2; exit 2 ;;
esac

WORK="$(mktemp -d "${TMPDIR:-/tmp}/plotly-bundle.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

size_line() { # name file
  printf '%-34s raw %9d B   gzip -9 %8d B\n' "$1" "$(wc -c <"$2")" "$(gzip -9 -n -c "$2" | wc -c)"
}

cp "$PIN_DIR/package.json" "$PIN_DIR/package-lock.json" "$WORK/"
(cd "$WORK" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

SRC="$WORK/node_modules/$PKG"
VERSION="$(node -p "require('$SRC/package.json').version")"
# Sanity checks: pinned version, licence header present.
head -c 200 "$SRC/plotly-basic.min.js" | grep -q "plotly.js (basic - minified) v$VERSION" \
  || { echo "unexpected header in $SRC/plotly-basic.min.js" >&2; exit 1; }
head -c 300 "$SRC/plotly-basic.min.js" | grep -q "Licensed under the MIT license" \
  || { echo "MIT licence header missing" >&2; exit 1; }

if [[ "$MODE" == "--compare-custom" ]]; then
  # Measurement only (not vendored): plotly.js core, which registers only the
  # `scatter` trace, bundled and minified with esbuild using the same
  # settings as plotly.js's own esbuild-config.js (iife, global Plotly, es2016).
  # maplibre-gl's CSS (only needed by map traces) is dropped via the empty loader.
  (cd "$WORK" && npm install --no-save --ignore-scripts --no-audit --no-fund --loglevel=error \
      "plotly.js@$VERSION" "esbuild@0.28.2")
  printf "'use strict';\nmodule.exports = require('plotly.js/lib/core');\n" >"$WORK/entry.js"
  (cd "$WORK" && ./node_modules/.bin/esbuild entry.js --bundle --format=iife --global-name=Plotly \
      --minify --target=es2016 --define:global=window --define:define.amd=false \
      --loader:.css=empty --log-level=warning --outfile=plotly-core.min.js)
  size_line "custom core (scatter only)" "$WORK/plotly-core.min.js"
  size_line "$PKG@$VERSION" "$SRC/plotly-basic.min.js"
  size_line "plotly.js full dist" "$WORK/node_modules/plotly.js/dist/plotly.min.js"
  exit 0
fi

mkdir -p "$VENDOR_DIR"
install -m 0644 "$SRC/plotly-basic.min.js" "$VENDOR_DIR/plotly.min.js"
install -m 0644 "$SRC/LICENSE" "$VENDOR_DIR/LICENSE-plotly.txt"

echo "Vendored $PKG@$VERSION -> ${VENDOR_DIR#"$ROOT"/}/plotly.min.js"
size_line "plotly.min.js" "$VENDOR_DIR/plotly.min.js"
(cd "$VENDOR_DIR" && sha256sum plotly.min.js LICENSE-plotly.txt)
