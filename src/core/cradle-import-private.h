/* cradle-import-private.h — pieces shared by cradle-import.c and
 * cradle-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cradle-import.h"

G_BEGIN_DECLS

/* The manifest's format tag and version (the "cradle_manifest" member). */
#define CRADLE_MANIFEST_VERSION 1

/* Writes CONTENTS to PATH through a temporary file in the same folder,
 * fsynced and renamed into place, with MODE. Errors are
 * CRADLE_IMPORT_ERROR_EXPORT naming PATH. */
gboolean cradle_import_write_file_atomic (const char  *path,
                                          const char  *contents,
                                          gsize        length,
                                          int          mode,
                                          GError     **error);

G_END_DECLS
