/* test-draw-plots.c — the evaluation plots: confusion matrix, x-y curves,
 * bars, and their PNG/SVG/PDF export
 *
 * Plots are drawn onto cairo image surfaces and read back; where a cell or a
 * point lands is predicted with the same layout functions the widgets use
 * for clicks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <cairo.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "cradle-colormap.h"
#include "cradle-plot-confusion.h"
#include "cradle-plot-curves.h"
#include "cradle-spectrogram-render.h"
#include "cradle-test-util.h"

/* See test-draw.c: fontconfig's caches are not Cradle's leaks. */
const char *__lsan_default_suppressions (void);

const char *
__lsan_default_suppressions (void)
{
  return "leak:libfontconfig.so\n";
}

static const char * const labels[] = { "not-cry", "cry", "laugh" };
/* Rows: truth. Row 0: 8 / 2 / 0; row 1: 1 / 9 / 0; row 2 empty. */
static const guint counts[] = { 8, 2, 0, 1, 9, 0, 0, 0, 0 };

static CradleConfusionData
confusion_data (void)
{
  CradleConfusionData data = { 3, labels, counts, -1, -1, NULL, NULL };

  return data;
}

/* The colour of pixel X, Y of an ARGB32 surface, as 0xRRGGBB. */
static guint32
pixel_at (cairo_surface_t *surface,
          int              x,
          int              y)
{
  const guint8 *p = cairo_image_surface_get_data (surface) + y * cairo_image_surface_get_stride (surface);
  guint32 argb;

  cairo_surface_flush (surface);
  memcpy (&argb, p + x * 4, 4);
  return argb & 0xffffff;
}

static cairo_surface_t *
render (CradlePlotRenderFunc  func,
        gconstpointer         data,
        int                   width,
        int                   height,
        const CradlePlotStyle *style)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);

  func (cr, width, height, data, style);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  return surface;
}

static void
test_confusion_fractions_and_colors (void)
{
  CradleConfusionData data = confusion_data ();
  CradleRGBA fill;
  CradleRGBA text;
  guint32 top = cradle_colormap_lookup (CRADLE_COLORMAP_VIRIDIS, 1.0f);
  guint32 bottom = cradle_colormap_lookup (CRADLE_COLORMAP_VIRIDIS, 0.0f);

  /* Row-normalised shares, with an empty row all zero (tolerance: exact
   * ratios of small integers in double). */
  g_assert_cmpfloat_with_epsilon (cradle_confusion_row_fraction (&data, 0, 0), 0.8, 1e-12);
  g_assert_cmpfloat_with_epsilon (cradle_confusion_row_fraction (&data, 0, 1), 0.2, 1e-12);
  g_assert_cmpfloat_with_epsilon (cradle_confusion_row_fraction (&data, 1, 1), 0.9, 1e-12);
  g_assert_cmpfloat (cradle_confusion_row_fraction (&data, 2, 2), ==, 0.0);

  /* 0 % is viridis' dark purple with white text; 100 % would be its yellow. */
  cradle_confusion_cell_colors (&data, 0, 2, &fill, &text);
  g_assert_cmpuint ((guint32) round (fill.red * 255) << 16 | (guint32) round (fill.green * 255) << 8
                    | (guint32) round (fill.blue * 255), ==, bottom);
  g_assert_cmpfloat (text.red, ==, 1.0);
  cradle_confusion_cell_colors (&data, 1, 1, &fill, &text);
  g_assert_cmpfloat (text.red, ==, 0.0);  /* 90 %: yellow-green, black text */
  g_assert_cmpuint (top, !=, bottom);
}

static void
test_confusion_layout_and_pixels (void)
{
  CradleConfusionData data = confusion_data ();
  CradleConfusionLayout layout;
  cairo_rectangle_t cell;
  cairo_surface_t *surface;
  guint truth;
  guint predicted;

  cradle_confusion_layout_compute (&layout, 600, 500, &data, NULL);
  /* Square cells, inside the area, and the colour bar right of the grid. */
  g_assert_cmpfloat (layout.cell_width, ==, layout.cell_height);
  g_assert_cmpfloat (layout.cell_width, >=, 60);
  g_assert_cmpfloat (layout.grid.x + layout.grid.width, <, layout.colorbar.x);
  g_assert_cmpfloat (layout.colorbar.x + layout.colorbar.width, <=, 600);
  g_assert_cmpfloat (layout.grid.y + layout.grid.height, <=, 500);

  /* Hit tests: the centre of every cell finds it; outside finds nothing. */
  for (guint t = 0; t < 3; t++)
    for (guint p = 0; p < 3; p++)
      {
        cradle_confusion_layout_cell (&layout, t, p, &cell);
        g_assert_true (cradle_confusion_layout_hit (&layout, &data, cell.x + cell.width / 2,
                                                    cell.y + cell.height / 2, &truth, &predicted));
        g_assert_cmpuint (truth, ==, t);
        g_assert_cmpuint (predicted, ==, p);
      }
  g_assert_false (cradle_confusion_layout_hit (&layout, &data, layout.grid.x - 1, layout.grid.y + 1,
                                               &truth, &predicted));
  g_assert_false (cradle_confusion_layout_hit (&layout, &data, layout.grid.x + 1,
                                               layout.grid.y + layout.grid.height + 1, &truth, &predicted));

  /* The rendered cell corners have the colour the layout predicts (the
   * corner: away from the count's text). */
  surface = render (cradle_confusion_render, &data, 600, 500, NULL);
  for (guint t = 0; t < 3; t++)
    for (guint p = 0; p < 3; p++)
      {
        CradleRGBA fill;
        CradleRGBA text;
        guint32 expected;

        cradle_confusion_layout_cell (&layout, t, p, &cell);
        cradle_confusion_cell_colors (&data, t, p, &fill, &text);
        expected = (guint32) round (fill.red * 255) << 16 | (guint32) round (fill.green * 255) << 8
                   | (guint32) round (fill.blue * 255);
        g_assert_cmphex (pixel_at (surface, (int) cell.x + 4, (int) cell.y + 4), ==, expected);
      }
  /* The background is the style's (white by default). */
  g_assert_cmphex (pixel_at (surface, 1, 1), ==, 0xffffff);
  cairo_surface_destroy (surface);
}

static void
test_confusion_selection_and_dark (void)
{
  CradleConfusionData data = confusion_data ();
  CradleConfusionLayout layout;
  CradlePlotStyle style;
  cairo_rectangle_t cell;
  cairo_surface_t *surface;

  cradle_plot_style_init (&style);
  style.background = (CradleRGBA) { 0.2, 0.2, 0.2, 1.0 };  /* 51 = 0x33 exactly */
  style.foreground = (CradleRGBA) { 1.0, 0.0, 0.0, 1.0 };  /* red: easy to find */
  data.selected_truth = 1;
  data.selected_predicted = 0;
  cradle_confusion_layout_compute (&layout, 500, 400, &data, &style);
  cradle_confusion_layout_cell (&layout, 1, 0, &cell);
  surface = render (cradle_confusion_render, &data, 500, 400, &style);
  /* The selected cell is framed in the foreground colour. */
  g_assert_cmphex (pixel_at (surface, (int) (cell.x + cell.width / 2), (int) cell.y + 2), ==, 0xff0000);
  /* The dark background fills the area. */
  g_assert_cmphex (pixel_at (surface, 1, 1), ==, 0x333333);
  cairo_surface_destroy (surface);
}

static void
test_xy_layout_and_nearest (void)
{
  const double x[] = { 0.0, 0.0, 0.5, 1.0 };
  const double y[] = { 0.0, 0.6, 0.9, 1.0 };
  CradleXySeries series = { "cry (AUC 0.900)", x, y, 4, 0, CRADLE_XY_LINE, FALSE };
  CradleXyData data = { &series, 1, 0, 1, 0, 1, "False-positive rate", "True-positive rate", TRUE,
                        FALSE, 0, 0, NULL, CRADLE_XY_LEGEND_BOTTOM_RIGHT };
  CradleXyLayout layout;
  cairo_surface_t *surface;
  CradleRGBA blue;
  guint32 expected;
  guint s;
  guint i;
  double px;
  double py;

  cradle_xy_layout_compute (&layout, 640, 480, &data, NULL);
  g_assert_cmpfloat (layout.x_min, ==, 0.0);
  g_assert_cmpfloat (layout.x_max, ==, 1.0);
  g_assert_cmpfloat (cradle_xy_layout_x_to_px (&layout, 0.0), ==, layout.plot.x);
  g_assert_cmpfloat (cradle_xy_layout_y_to_px (&layout, 0.0), ==, layout.plot.y + layout.plot.height);
  g_assert_cmpfloat (cradle_xy_layout_y_to_px (&layout, 1.0), ==, layout.plot.y);

  /* The point under (0.5, 0.9), and none far from every point. */
  px = cradle_xy_layout_x_to_px (&layout, 0.5) + 3;
  py = cradle_xy_layout_y_to_px (&layout, 0.9) - 2;
  g_assert_true (cradle_xy_layout_nearest (&layout, &data, px, py, 10, -1, &s, &i));
  g_assert_cmpuint (s, ==, 0);
  g_assert_cmpuint (i, ==, 2);
  g_assert_false (cradle_xy_layout_nearest (&layout, &data, cradle_xy_layout_x_to_px (&layout, 0.8),
                                            cradle_xy_layout_y_to_px (&layout, 0.1), 10, -1, &s, &i));
  /* Only series 0 may be picked: asking for series 1 finds nothing. */
  g_assert_false (cradle_xy_layout_nearest (&layout, &data, px, py, 10, 1, &s, &i));

  /* The curve is drawn in series colour 0 halfway along its vertical
   * first segment (x = 0 is the plot's left edge, the line 2 px wide and
   * clipped to the plot: its first pixel column). */
  surface = render (cradle_xy_render, &data, 640, 480, NULL);
  cradle_plot_series_color (0, &blue);
  expected = (guint32) round (blue.red * 255) << 16 | (guint32) round (blue.green * 255) << 8
             | (guint32) round (blue.blue * 255);
  g_assert_cmphex (pixel_at (surface, (int) layout.plot.x,
                             (int) cradle_xy_layout_y_to_px (&layout, 0.3)), ==, expected);
  cairo_surface_destroy (surface);
}

static void
test_xy_auto_range (void)
{
  const double x[] = { -2.0, 3.0 };
  const double y[] = { 10.0, 20.0 };
  CradleXySeries series = { NULL, x, y, 2, 1, CRADLE_XY_MARKERS, FALSE };
  CradleXyData data = { &series, 1, 0, 0, 0, 0, NULL, NULL, FALSE, FALSE, 0, 0, NULL, CRADLE_XY_LEGEND_NONE };
  CradleXyLayout layout;

  cradle_xy_layout_compute (&layout, 400, 300, &data, NULL);
  /* The data's range with a 5 % margin each side (exact in double up to
   * rounding: tolerance 1e-9). */
  g_assert_cmpfloat_with_epsilon (layout.x_min, -2.25, 1e-9);
  g_assert_cmpfloat_with_epsilon (layout.x_max, 3.25, 1e-9);
  g_assert_cmpfloat_with_epsilon (layout.y_min, 9.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (layout.y_max, 20.5, 1e-9);
}

static gboolean
file_starts_with (const char *path,
                  const char *magic,
                  gsize       n)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return length > n && memcmp (contents, magic, n) == 0;
}

static void
test_export_formats (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cradle-plots-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "confusion.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "confusion.SVG", NULL);
  g_autofree char *pdf = g_build_filename (dir, "confusion.pdf", NULL);
  g_autofree char *bad = g_build_filename (dir, "confusion.jpg", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", "a.png", NULL);
  CradleConfusionData data = confusion_data ();
  const double names_v[] = { 0.3, 0.1 };
  const char * const names[] = { "mfcc_00_mean", "rms_std" };
  CradleBarsData bars = { 2, names, names_v, "Drop in macro-F1" };
  g_autofree char *bars_png = g_build_filename (dir, "bars.png", NULL);
  g_autoptr(GError) error = NULL;
  cairo_surface_t *read_back;
  GDir *listing;
  guint n_files = 0;

  g_assert_true (cradle_plot_export (png, 640, 480, cradle_confusion_render, &data, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cradle_plot_export (svg, 640, 480, cradle_confusion_render, &data, NULL, &error));
  g_assert_true (cradle_plot_export (pdf, 640, 480, cradle_confusion_render, &data, NULL, &error));
  g_assert_true (cradle_plot_export (bars_png, 500, 300, cradle_bars_render, &bars, NULL, &error));

  read_back = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (read_back), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (read_back), ==, 640);
  g_assert_cmpint (cairo_image_surface_get_height (read_back), ==, 480);
  cairo_surface_destroy (read_back);
  g_assert_true (file_starts_with (svg, "<?xml", 5));
  g_assert_true (file_starts_with (pdf, "%PDF-", 5));

  /* Unknown extension and unwritable folder: errors naming the file, and
   * nothing left behind. */
  g_assert_false (cradle_plot_export (bad, 640, 480, cradle_confusion_render, &data, NULL, &error));
  g_assert_error (error, CRADLE_DRAW_ERROR, CRADLE_DRAW_ERROR_UNKNOWN_FORMAT);
  g_assert_nonnull (strstr (error->message, bad));
  g_clear_error (&error);
  g_assert_false (cradle_plot_export (missing, 640, 480, cradle_confusion_render, &data, NULL, &error));
  g_assert_error (error, CRADLE_DRAW_ERROR, CRADLE_DRAW_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  listing = g_dir_open (dir, 0, NULL);
  while (g_dir_read_name (listing) != NULL)
    n_files++;
  g_dir_close (listing);
  g_assert_cmpuint (n_files, ==, 4);
  cradle_test_rm_rf (dir);
}

/* With CRADLE_DRAW_PREVIEW_DIR set, keeps a five-class confusion matrix
 * (the cause task's labels) and a ROC plot there to look at. */
static void
test_preview (void)
{
  const char *dir = g_getenv ("CRADLE_DRAW_PREVIEW_DIR");
  const char * const causes[] = { "hunger", "pain", "sleepy", "burping", "discomfort" };
  const guint m[] = { 250, 20, 10, 8, 10, 15, 12, 3, 1, 2, 9, 2, 4, 0, 1, 5, 1, 0, 2, 0, 12, 3, 1, 0, 11 };
  CradleConfusionData data = { 5, causes, m, 1, 0, "True class", "Predicted class" };
  const double x[] = { 0.0, 0.1, 0.3, 0.6, 1.0 };
  const double y1[] = { 0.0, 0.5, 0.8, 0.9, 1.0 };
  const double y2[] = { 0.0, 0.2, 0.4, 0.7, 1.0 };
  CradleXySeries series[] = {
    { "hunger (AUC 0.812)", x, y1, 5, 0, CRADLE_XY_LINE, FALSE },
    { "pain (AUC 0.634)", x, y2, 5, 1, CRADLE_XY_LINE, FALSE },
  };
  CradleXyData roc = { series, 2, 0, 1, 0, 1, "False-positive rate", "True-positive rate", TRUE,
                       TRUE, 0.3, 0.8, "Monitor threshold 0.42", CRADLE_XY_LEGEND_BOTTOM_RIGHT };
  CradlePlotStyle style;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autoptr(GError) error = NULL;

  if (dir == NULL || *dir == '\0')
    {
      g_test_skip ("CRADLE_DRAW_PREVIEW_DIR is not set");
      return;
    }
  cradle_plot_style_init (&style);
  style.title = "Confusion matrix — cause, gbt";
  a = g_build_filename (dir, "plot-confusion-5.png", NULL);
  b = g_build_filename (dir, "plot-roc.png", NULL);
  g_assert_true (cradle_plot_export (a, 760, 680, cradle_confusion_render, &data, &style, &error));
  style.title = "ROC curves — cause, gbt";
  g_assert_true (cradle_plot_export (b, 900, 700, cradle_xy_render, &roc, &style, &error));
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/draw/plots/confusion/fractions-and-colors", test_confusion_fractions_and_colors);
  g_test_add_func ("/draw/plots/confusion/layout-and-pixels", test_confusion_layout_and_pixels);
  g_test_add_func ("/draw/plots/confusion/selection-and-dark", test_confusion_selection_and_dark);
  g_test_add_func ("/draw/plots/xy/layout-and-nearest", test_xy_layout_and_nearest);
  g_test_add_func ("/draw/plots/xy/auto-range", test_xy_auto_range);
  g_test_add_func ("/draw/plots/export", test_export_formats);
  g_test_add_func ("/draw/plots/preview", test_preview);

  return g_test_run ();
}
