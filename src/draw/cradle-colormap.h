/* cradle-colormap.h — colour maps for spectrograms and heat maps
 *
 * VIRIDIS and MAGMA are matplotlib's perceptually uniform maps (CC0), as
 * 256-entry tables generated once by gen-colormaps.py; GRAYSCALE runs from
 * black to white. A value t in [0, 1] picks entry round (t * 255); t outside
 * [0, 1] is clamped and NaN counts as 0.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CRADLE_COLORMAP_N_ENTRIES 256

typedef enum {
  CRADLE_COLORMAP_VIRIDIS,
  CRADLE_COLORMAP_MAGMA,
  CRADLE_COLORMAP_GRAYSCALE,
} CradleColormap;

#define CRADLE_COLORMAP_N_MAPS (CRADLE_COLORMAP_GRAYSCALE + 1)

/**
 * CradleRGBA:
 *
 * A colour with straight (not premultiplied) alpha, every channel in [0, 1],
 * as GdkRGBA but in doubles and without GTK; the caller passes the theme's
 * colours in these so that plots follow dark mode.
 */
typedef struct {
  double red;
  double green;
  double blue;
  double alpha;
} CradleRGBA;

/* "viridis", "magma", "grayscale" (also "greyscale", "gray", "grey"), any
 * case. Returns FALSE, leaving *MAP untouched, for any other name. */
gboolean        cradle_colormap_from_string (const char     *name,
                                             CradleColormap *map);
/* The canonical name, or NULL for a value outside the enum. */
const char     *cradle_colormap_to_string   (CradleColormap  map);

/* The map's table: CRADLE_COLORMAP_N_ENTRIES rows of { r, g, b }. */
const guint8   *cradle_colormap_get_table   (CradleColormap  map);

/* The colour of T packed as 0xRRGGBB. */
guint32         cradle_colormap_lookup      (CradleColormap  map,
                                             float           t);
/* The colour of T as three bytes, r, g, b. */
void            cradle_colormap_lookup_rgb  (CradleColormap  map,
                                             float           t,
                                             guint8          rgb[3]);
/* The table index that T picks: round (t * 255) after clamping. */
guint           cradle_colormap_index       (float           t);

G_END_DECLS
