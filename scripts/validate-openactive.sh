#!/usr/bin/env bash
# Validates the OpenActive feeds of a running youthhub with OpenActive's own
# validators, offline: @openactive/data-model-validator checks the items of
# each page against the Modelling Opportunity Data models and the activity
# list; @openactive/rpde-validator walks the feed (paging, last page, headers).
#
#   scripts/validate-openactive.sh [--pages N] [FEED_URL ...]
#
# With no URL it checks the first page of both feeds of $BASE_URL
# (http://localhost:8080 by default: `make run`). --pages N follows next for
# up to N pages. Exit status 1 if any item has a failure.
#
# The validators are installed once with npm under .data/openactive-validator
# (the only step that needs the npm registry). Its remote-JSON cache is laid
# out in a temporary folder from ../shared/data/standards/openactive/vocab
# (STANDARDS_DIR overrides), as that folder's README describes, plus the site's
# own activity list fetched from the site; the script fails if the validator
# tried to fetch anything else. Not part of `make test`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
standards=${STANDARDS_DIR:-$root/../shared/data/standards}
base=${BASE_URL:-http://localhost:8080}
dir=$root/.data/openactive-validator
packages=(@openactive/data-model-validator@3.0.3 @openactive/rpde-validator@3.0.3571)

pages=()
if [ "${1:-}" = "--pages" ]; then pages=(--pages "$2"); shift 2; fi
urls=("$@")
if [ ${#urls[@]} -eq 0 ]; then urls=("$base/openactive/session-series" "$base/openactive/scheduled-sessions"); fi

command -v node >/dev/null || { echo "validate-openactive: Node.js is required" >&2; exit 2; }
[ -f "$standards/openactive/vocab/url-map.json" ] || { echo "validate-openactive: no $standards/openactive/vocab/url-map.json" >&2; exit 2; }
if [ ! -f "$dir/node_modules/@openactive/data-model-validator/package.json" ] || [ ! -f "$dir/node_modules/@openactive/rpde-validator/package.json" ]; then
  echo "validate-openactive: installing ${packages[*]} under .data/openactive-validator" >&2
  mkdir -p "$dir"
  [ -f "$dir/package.json" ] || echo '{"private": true}' >"$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error "${packages[@]}" >/dev/null)
fi

cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
NODE_PATH="$dir/node_modules" node "$root/scripts/openactive/validate.cjs" --standards "$standards" --cache "$cache" "${pages[@]}" "${urls[@]}"
