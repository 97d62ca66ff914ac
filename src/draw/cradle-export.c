/* cradle-export.c — writing a drawing to a PNG, SVG or PDF file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cradle-export.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "cradle-spectrogram-render.h"

/* ---- Export ------------------------------------------------------------ */

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
        {
          *format = EXPORT_PNG;
          return TRUE;
        }
      if (g_ascii_strcasecmp (dot, ".svg") == 0)
        {
          *format = EXPORT_SVG;
          return TRUE;
        }
      if (g_ascii_strcasecmp (dot, ".pdf") == 0)
        {
          *format = EXPORT_PDF;
          return TRUE;
        }
    }

  g_set_error (error, CRADLE_DRAW_ERROR, CRADLE_DRAW_ERROR_UNKNOWN_FORMAT,
               "Cannot export “%s”: unknown file type%s%s%s (use .png, .svg or .pdf)",
               path,
               dot != NULL && dot != base ? " “" : "",
               dot != NULL && dot != base ? dot : "",
               dot != NULL && dot != base ? "”" : "");
  return FALSE;
}

static cairo_status_t
export_to_fd (ExportFormat    format,
              WriteClosure   *closure,
              int             width,
              int             height,
              CradleDrawFunc  draw,
              gpointer        user_data)
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
  draw (cr, width, height, user_data);
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
cradle_draw_export (const char      *path,
                    int              width,
                    int              height,
                    CradleDrawFunc   draw,
                    gpointer         user_data,
                    GError         **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp_name = NULL;
  g_autofree char *tmp_path = NULL;
  WriteClosure closure = { -1, 0 };
  ExportFormat format;
  cairo_status_t status;

  g_return_val_if_fail (path != NULL, FALSE);
  /* Sizes too large for cairo are the caller's users' doing: they come back
   * as a CRADLE_DRAW_ERROR_CAIRO error, not a critical. */
  g_return_val_if_fail (width > 0, FALSE);
  g_return_val_if_fail (height > 0, FALSE);
  g_return_val_if_fail (draw != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!format_from_path (path, &format, error))
    return FALSE;

  /* A temporary beside PATH, so the final rename cannot cross file
   * systems; hidden, so a half-written file is never mistaken for a plot. */
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

  status = export_to_fd (format, &closure, width, height, draw, user_data);

  if (status == CAIRO_STATUS_SUCCESS && fsync (closure.fd) != 0)
    closure.saved_errno = errno;
  if (close (closure.fd) != 0 && closure.saved_errno == 0)
    closure.saved_errno = errno;
  closure.fd = -1;

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
