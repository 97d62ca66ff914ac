/* cradle-export.h — writing a drawing to a PNG, SVG or PDF file
 *
 * One writer for every plot's export (the spectrogram, the confusion matrix,
 * the curves): the format comes from the file's extension, the drawing goes
 * to a hidden temporary beside the file, which is fsynced and renamed into
 * place, so a failed or interrupted export never leaves a half-written
 * file. Errors are CRADLE_DRAW_ERROR and name the file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

/* Draws onto CR, a surface of WIDTH × HEIGHT user units. */
typedef void (*CradleDrawFunc) (cairo_t  *cr,
                                int       width,
                                int       height,
                                gpointer  user_data);

gboolean cradle_draw_export (const char      *path,
                             int              width,
                             int              height,
                             CradleDrawFunc   draw,
                             gpointer         user_data,
                             GError         **error);

G_END_DECLS
