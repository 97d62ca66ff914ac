#!/bin/sh
# check-potfiles.sh SRCDIR — fails when a source or UI file with translatable
# strings is missing from po/POTFILES.in, or when POTFILES.in names a file
# that does not exist, so no user-visible string is left out of translation.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u
cd "$1" || exit 1

status=0
listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d')

for file in $listed; do
  if [ ! -f "$file" ]; then
    echo "po/POTFILES.in names $file, which does not exist"
    status=1
  fi
done

# C files calling _() / N_() / C_() and UI files with translatable="yes".
found=$( (grep -lE '(^|[^a-zA-Z0-9_])(N?_|C_)[[:space:]]*\(' src/app/*.c 2>/dev/null
          grep -l 'translatable="yes"' ui/*.ui 2>/dev/null) | sort -u)

for file in $found; do
  if ! printf '%s\n' "$listed" | grep -qxF "$file"; then
    echo "$file has translatable strings but is not in po/POTFILES.in"
    status=1
  fi
done

[ "$status" -eq 0 ] && echo "po/POTFILES.in lists every file with translatable strings"
exit "$status"
