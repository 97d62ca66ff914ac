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
trap 'rm -f "$log"' EXIT

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
