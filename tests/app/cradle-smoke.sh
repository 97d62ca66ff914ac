#!/bin/sh
# cradle-smoke.sh CRADLE [SECONDS] — runs the real program on the X server that
# xvfb-run provides and fails if it exits by itself before SECONDS (default 3)
# or writes a GLib/GTK warning, critical or error to stderr.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

cradle=$1
seconds=${2:-3}
log=$(mktemp "${TMPDIR:-/tmp}/cradle-smoke.XXXXXX")
# A fresh home for the default dataset, never the developer's own.
XDG_DATA_HOME=$(mktemp -d "${TMPDIR:-/tmp}/cradle-smoke-data.XXXXXX")
export XDG_DATA_HOME
trap 'rm -f "$log"; rm -rf "$XDG_DATA_HOME"' EXIT

timeout "$seconds" "$cradle" 2>"$log"
status=$?

if [ -s "$log" ]; then
  echo "cradle wrote to stderr:"
  cat "$log"
fi

if [ "$status" -ne 124 ]; then
  echo "FAIL: cradle exited with status $status before the $seconds s timeout"
  exit 1
fi

if grep -Eq -- '-(WARNING|CRITICAL|ERROR)|\*\*' "$log"; then
  echo "FAIL: cradle logged a warning, critical or error"
  exit 1
fi

echo "cradle ran for $seconds s without warnings"
exit 0
