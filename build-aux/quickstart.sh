#!/usr/bin/env bash
# Quick start on a fresh Debian 12 machine: install the Debian packages Cradle
# needs (with sudo when not root), build, then launch the app or run the tests.
#
#   bash build-aux/quickstart.sh run    # install, build, launch Cradle
#   bash build-aux/quickstart.sh test   # install, build, run the whole test suite
#
# Environment: BUILDDIR (default build), MESON_ARGS (extra `meson setup` options).
set -euo pipefail

mode=${1:-run}
case "$mode" in
  run|test) ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

cd "$(dirname "$0")/.."
builddir=${BUILDDIR:-build}

as_root=()
if [ "$(id -u)" != 0 ]; then
  as_root=(sudo)
fi

# shellcheck disable=SC2207
packages=($(grep -v '^\s*#' build-aux/debian-packages.txt | xargs))
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -f "$builddir/build.ninja" ]; then
  # shellcheck disable=SC2086
  meson setup "$builddir" ${MESON_ARGS:-}
fi
meson compile -C "$builddir"

if [ "$mode" = run ]; then
  exec "$builddir/src/app/cradle"
fi
meson test -C "$builddir" --print-errorlogs
