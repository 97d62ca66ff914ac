/* cradle-plot.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cradle-plot.h"
#include "cradle-spectrogram-render.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_FONT "Sans 10"
#define TEXT_DPI     96.0
#define TITLE_GAP    6.0
#define OUTER_PAD    8.0

void
cradle_plot_style_init (CradlePlotStyle *style)
{
  g_return_if_fail (style != NULL);

  memset (style, 0, sizeof *style);
  style->foreground = (CradleRGBA) { 0.0, 0.0, 0.0, 1.0 };
  style->background = (CradleRGBA) { 1.0, 1.0, 1.0, 1.0 };
  style->grid = (CradleRGBA) { 0.0, 0.0, 0.0, 0.12 };
}

/* ---- Text ------------------------------------------------------------------ */

static PangoContext *
create_context (const CradlePlotStyle *style)
{
  PangoContext *context;
  cairo_font_options_t *options;

  if (style != NULL && style->pango_context != NULL)
    return g_object_ref (style->pango_context);

  context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  pango_cairo_context_set_font_options (context, options);
  cairo_font_options_destroy (options);
  pango_cairo_context_set_resolution (context, TEXT_DPI);
  return context;
}

PangoLayout *
cradle_plot_create_layout (const CradlePlotStyle *style,
                           double                 font_scale,
                           gboolean               bold)
{
  PangoContext *context = create_context (style);
  PangoLayout *layout = pango_layout_new (context);
  PangoFontDescription *font = style != NULL && style->font != NULL
                                 ? pango_font_description_copy (style->font)
                                 : pango_font_description_from_string (DEFAULT_FONT);
  int size = pango_font_description_get_size (font);

  if (size > 0 && font_scale != 1.0)
    {
      if (pango_font_description_get_size_is_absolute (font))
        pango_font_description_set_absolute_size (font, size * font_scale);
      else
        pango_font_description_set_size (font, (int) (size * font_scale));
    }
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  g_object_unref (context);
  return layout;
}

void
cradle_plot_text_size (PangoLayout *layout,
                       const char  *text,
                       double      *width,
                       double      *height)
{
  PangoRectangle logical;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  if (width != NULL)
    *width = logical.width;
  if (height != NULL)
    *height = logical.height;
}

void
cradle_plot_show_text (cairo_t     *cr,
                       PangoLayout *layout,
                       const char  *text,
                       double       x,
                       double       y)
{
  PangoRectangle logical;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  cairo_move_to (cr, round (x) - logical.x, round (y) - logical.y);
  pango_cairo_show_layout (cr, layout);
}

void
cradle_plot_set_color (cairo_t          *cr,
                       const CradleRGBA *color,
                       double            alpha_scale)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha_scale);
}

double
cradle_plot_begin (cairo_t               *cr,
                   double                 width,
                   double                 height,
                   const CradlePlotStyle *style)
{
  g_autoptr(PangoLayout) layout = NULL;
  double tw;
  double th;

  if (style->background.alpha > 0.0)
    {
      cradle_plot_set_color (cr, &style->background, 1.0);
      cairo_rectangle (cr, 0, 0, width, height);
      cairo_fill (cr);
    }
  if (style->title == NULL || style->title[0] == '\0')
    return 0.0;

  layout = cradle_plot_create_layout (style, 1.2, TRUE);
  pango_layout_set_width (layout, (int) (MAX (width - 2 * OUTER_PAD, 1.0) * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  cradle_plot_text_size (layout, style->title, &tw, &th);
  cradle_plot_set_color (cr, &style->foreground, 1.0);
  cairo_move_to (cr, OUTER_PAD, OUTER_PAD);
  pango_cairo_show_layout (cr, layout);
  return th + TITLE_GAP;
}

/* Adwaita's palette, the "3" shades: blue, orange, green, purple, red,
 * yellow-brown, teal-ish light blue, brown. */
static const guint32 palette[] = {
  0x3584e4, 0xff7800, 0x2ec27e, 0x9141ac, 0xe01b24, 0xe5a50a, 0x1a5fb4, 0x986a44,
};

void
cradle_plot_series_color (guint       index,
                          CradleRGBA *color)
{
  guint32 c = palette[index % G_N_ELEMENTS (palette)];

  color->red = ((c >> 16) & 0xff) / 255.0;
  color->green = ((c >> 8) & 0xff) / 255.0;
  color->blue = (c & 0xff) / 255.0;
  color->alpha = 1.0;
}

static double
linear_channel (double c)
{
  return c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

double
cradle_plot_luminance (const CradleRGBA *color)
{
  return 0.2126 * linear_channel (color->red) + 0.7152 * linear_channel (color->green)
         + 0.0722 * linear_channel (color->blue);
}

char *
cradle_plot_format_percent (double fraction,
                            guint  decimals)
{
  /* A narrow no-break space before the sign, as GNOME writes it. */
  return g_strdup_printf ("%.*f\u202f%%", (int) decimals, fraction * 100.0);
}

/* ---- Export ------------------------------------------------------------------ */

typedef enum {
  EXPORT_PNG,
  EXPORT_SVG,
  EXPORT_PDF,
} ExportFormat;

typedef struct {
  int fd;
  int saved_errno;
} WriteClosure;

static cairo_status_t
write_to_fd (void                *user_data,
             const unsigned char *bytes,
             unsigned int         length)
{
  WriteClosure *closure = user_data;

  while (length > 0)
    {
      ssize_t written = write (closure->fd, bytes, length);

      if (written < 0)
        {
          if (errno == EINTR)
            continue;
          closure->saved_errno = errno;
          return CAIRO_STATUS_WRITE_ERROR;
        }
      bytes += written;
      length -= (unsigned int) written;
    }
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
format_from_path (const char    *path,
                  ExportFormat  *format,
                  GError       **error)
{
  g_autofree char *base = g_path_get_basename (path);
  const char *dot = strrchr (base, '.');

  if (dot != NULL && dot != base)
    {
      if (g_ascii_strcasecmp (dot, ".png") == 0)
        *format = EXPORT_PNG;
      else if (g_ascii_strcasecmp (dot, ".svg") == 0)
        *format = EXPORT_SVG;
      else if (g_ascii_strcasecmp (dot, ".pdf") == 0)
        *format = EXPORT_PDF;
      else
        dot = NULL;
      if (dot != NULL)
        return TRUE;
    }

  g_set_error (error, CRADLE_DRAW_ERROR, CRADLE_DRAW_ERROR_UNKNOWN_FORMAT,
               "Cannot export “%s”: unknown file type (use .png, .svg or .pdf)", path);
  return FALSE;
}

static cairo_status_t
export_to_fd (ExportFormat           format,
              WriteClosure          *closure,
              int                    width,
              int                    height,
              CradlePlotRenderFunc   render,
              gconstpointer          data,
              const CradlePlotStyle *style)
{
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  switch (format)
    {
    case EXPORT_PNG:
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
      break;
    case EXPORT_SVG:
      surface = cairo_svg_surface_create_for_stream (write_to_fd, closure, width, height);
      if (cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS)
        cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
      break;
    case EXPORT_PDF:
    default:
      surface = cairo_pdf_surface_create_for_stream (write_to_fd, closure, width, height);
      if (cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS)
        cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Cradle");
      break;
    }

  status = cairo_surface_status (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      return status;
    }

  cr = cairo_create (surface);
  render (cr, width, height, data, style);
  status = cairo_status (cr);
  cairo_destroy (cr);

  if (status == CAIRO_STATUS_SUCCESS)
    {
      if (format == EXPORT_PNG)
        status = cairo_surface_write_to_png_stream (surface, write_to_fd, closure);
      else
        {
          cairo_surface_finish (surface);
          status = cairo_surface_status (surface);
        }
    }
  cairo_surface_destroy (surface);
  return status;
}

gboolean
cradle_plot_export (const char             *path,
                    int                     width,
                    int                     height,
                    CradlePlotRenderFunc    render,
                    gconstpointer           data,
                    const CradlePlotStyle  *style,
                    GError                **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp_name = NULL;
  g_autofree char *tmp_path = NULL;
  WriteClosure closure = { -1, 0 };
  CradlePlotStyle default_style;
  ExportFormat format;
  cairo_status_t status;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (width > 0 && height > 0, FALSE);
  g_return_val_if_fail (render != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (style == NULL)
    {
      cradle_plot_style_init (&default_style);
      style = &default_style;
    }
  if (!format_from_path (path, &format, error))
    return FALSE;

  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  tmp_name = g_strdup_printf (".%s.XXXXXX", base);
  tmp_path = g_build_filename (dir, tmp_name, NULL);

  closure.fd = g_mkstemp_full (tmp_path, O_RDWR | O_CLOEXEC, 0666);
  if (closure.fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, CRADLE_DRAW_ERROR, CRADLE_DRAW_ERROR_WRITE,
                   "Cannot write “%s”: %s", path, g_strerror (saved_errno));
      return FALSE;
    }

  status = export_to_fd (format, &closure, width, height, render, data, style);

  if (status == CAIRO_STATUS_SUCCESS && fsync (closure.fd) != 0)
    closure.saved_errno = errno;
  if (close (closure.fd) != 0 && closure.saved_errno == 0)
    closure.saved_errno = errno;

  if (status != CAIRO_STATUS_SUCCESS || closure.saved_errno != 0)
    {
      if (closure.saved_errno != 0)
        g_set_error (error, CRADLE_DRAW_ERROR, CRADLE_DRAW_ERROR_WRITE,
                     "Cannot write “%s”: %s", path, g_strerror (closure.saved_errno));
      else
        g_set_error (error, CRADLE_DRAW_ERROR, CRADLE_DRAW_ERROR_CAIRO,
                     "Cannot draw “%s”: %s", path, cairo_status_to_string (status));
      g_unlink (tmp_path);
      return FALSE;
    }

  if (g_rename (tmp_path, path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, CRADLE_DRAW_ERROR, CRADLE_DRAW_ERROR_WRITE,
                   "Cannot write “%s”: %s", path, g_strerror (saved_errno));
      g_unlink (tmp_path);
      return FALSE;
    }
  return TRUE;
}
