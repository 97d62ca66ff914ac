/* cradle-colormap.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cradle-colormap.h"

#include "cradle-colormap-tables.h"

static const char *const colormap_names[CRADLE_COLORMAP_N_MAPS] = {
  [CRADLE_COLORMAP_VIRIDIS] = "viridis",
  [CRADLE_COLORMAP_MAGMA] = "magma",
  [CRADLE_COLORMAP_GRAYSCALE] = "grayscale",
};

gboolean
cradle_colormap_from_string (const char     *name,
                             CradleColormap *map)
{
  static const struct {
    const char     *name;
    CradleColormap  map;
  } aliases[] = {
    { "viridis", CRADLE_COLORMAP_VIRIDIS },
    { "magma", CRADLE_COLORMAP_MAGMA },
    { "grayscale", CRADLE_COLORMAP_GRAYSCALE },
    { "greyscale", CRADLE_COLORMAP_GRAYSCALE },
    { "gray", CRADLE_COLORMAP_GRAYSCALE },
    { "grey", CRADLE_COLORMAP_GRAYSCALE },
  };

  g_return_val_if_fail (map != NULL, FALSE);

  if (name == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    {
      if (g_ascii_strcasecmp (name, aliases[i].name) == 0)
        {
          *map = aliases[i].map;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
cradle_colormap_to_string (CradleColormap map)
{
  if ((guint) map >= CRADLE_COLORMAP_N_MAPS)
    return NULL;
  return colormap_names[map];
}

const guint8 *
cradle_colormap_get_table (CradleColormap map)
{
  switch (map)
    {
    case CRADLE_COLORMAP_VIRIDIS:
      return &viridis_table[0][0];
    case CRADLE_COLORMAP_MAGMA:
      return &magma_table[0][0];
    case CRADLE_COLORMAP_GRAYSCALE:
      return &grayscale_table[0][0];
    default:
      g_return_val_if_reached (&viridis_table[0][0]);
    }
}

guint
cradle_colormap_index (float t)
{
  /* The negated comparison also sends NaN to 0. */
  if (!(t > 0.0f))
    return 0;
  if (t >= 1.0f)
    return CRADLE_COLORMAP_N_ENTRIES - 1;
  return (guint) (t * (CRADLE_COLORMAP_N_ENTRIES - 1) + 0.5f);
}

void
cradle_colormap_lookup_rgb (CradleColormap map,
                            float          t,
                            guint8         rgb[3])
{
  const guint8 *entry = cradle_colormap_get_table (map) + 3 * cradle_colormap_index (t);

  rgb[0] = entry[0];
  rgb[1] = entry[1];
  rgb[2] = entry[2];
}

guint32
cradle_colormap_lookup (CradleColormap map,
                        float          t)
{
  guint8 rgb[3];

  cradle_colormap_lookup_rgb (map, t, rgb);
  return ((guint32) rgb[0] << 16) | ((guint32) rgb[1] << 8) | rgb[2];
}
