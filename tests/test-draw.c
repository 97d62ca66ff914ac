/* test-draw.c — the drawing layer: colour maps, ticks, labels, frequency
 * scales, the spectrogram renderer and its PNG/SVG/PDF export
 *
 * Images are drawn onto cairo image surfaces and read back pixel by pixel;
 * positions are predicted with the same layout functions a widget uses for
 * its cursor read-out. Set CRADLE_DRAW_PREVIEW_DIR to keep a PNG, SVG and PDF
 * of a realistic rendering (a chirp's mel spectrogram) there.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <cairo.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "cradle-axis.h"
#include "cradle-colormap.h"
#include "cradle-mel.h"
#include "cradle-spectrogram-render.h"
#include "cradle-stft.h"
#include "cradle-test-util.h"

/* LeakSanitizer (the -Db_sanitize=address build) cannot follow the
 * pointers fontconfig keeps in its pattern caches (which Pango fills and
 * keeps for the life of the process) and reports them as leaks. This hook
 * is read by LSan at start-up and ignored in other builds; leaks whose
 * allocation does not pass through fontconfig are still reported. */
const char *__lsan_default_suppressions (void);

const char *
__lsan_default_suppressions (void)
{
  return "leak:libfontconfig.so\n";
}

/* ---- Helpers ----------------------------------------------------------- */

typedef struct {
  float  *values;
  double *band_hz;
  CradleSpectrogramData data;
} TestSpectrogram;

static void
test_spectrogram_free (TestSpectrogram *s)
{
  if (s == NULL)
    return;
  g_free (s->values);
  g_free (s->band_hz);
  g_free (s);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestSpectrogram, test_spectrogram_free)

/* N_FRAMES × N_BANDS filled with COLD; band centres mel-spaced as librosa's
 * mel_frequencies (n_bands + 2, 0, 8000)[1:-1]; 16 kHz, hop 512. */
static TestSpectrogram *
test_spectrogram_new_mel (guint n_frames,
                          guint n_bands,
                          float cold)
{
  TestSpectrogram *s = g_new0 (TestSpectrogram, 1);
  double mel_max = cradle_hz_to_mel (8000.0);

  s->values = g_new (float, (gsize) n_frames * n_bands);
  for (gsize i = 0; i < (gsize) n_frames * n_bands; i++)
    s->values[i] = cold;
  s->band_hz = g_new (double, n_bands);
  for (guint b = 0; b < n_bands; b++)
    s->band_hz[b] = cradle_mel_to_hz (mel_max * (b + 1) / (n_bands + 1));

  s->data.values = s->values;
  s->data.n_frames = n_frames;
  s->data.n_bands = n_bands;
  s->data.seconds_per_frame = 512.0 / 16000.0;
  s->data.start_time = 0.0;
  s->data.band_hz = s->band_hz;
  s->data.fmin = 0.0;
  s->data.fmax = 8000.0;
  return s;
}

/* STFT-like: N_BANDS bins at k × 8000 / (n_bands − 1) Hz. */
static TestSpectrogram *
test_spectrogram_new_linear (guint n_frames,
                             guint n_bands,
                             float cold)
{
  TestSpectrogram *s = test_spectrogram_new_mel (n_frames, n_bands, cold);

  for (guint b = 0; b < n_bands; b++)
    s->band_hz[b] = 8000.0 * b / (n_bands - 1);
  return s;
}

static guint32
pixel_at (cairo_surface_t *surface,
          int              x,
          int              y)
{
  const guchar *data;
  int stride;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, cairo_image_surface_get_width (surface));
  g_assert_cmpint (y, <, cairo_image_surface_get_height (surface));

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  return *(const guint32 *) (gconstpointer) (data + (gsize) y * stride + (gsize) x * 4);
}

/* Opaque pixels only: 0xRRGGBB. */
static guint32
rgb_at (cairo_surface_t *surface,
        int              x,
        int              y)
{
  guint32 p = pixel_at (surface, x, y);

  g_assert_cmphex (p >> 24, ==, 0xff);
  return p & 0xffffff;
}

static int
channel_distance (guint32 a,
                  guint32 b)
{
  int d = 0;

  for (int shift = 0; shift <= 16; shift += 8)
    d = MAX (d, ABS ((int) ((a >> shift) & 0xff) - (int) ((b >> shift) & 0xff)));
  return d;
}

static cairo_surface_t *
render_to_image (int                           width,
                 int                           height,
                 const CradleSpectrogramData  *data,
                 const CradleSpectrogramStyle *style)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);

  cradle_spectrogram_render (cr, width, height, data, style);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

/* The row in column X whose colour is the map's top colour, searched within
 * [Y0, Y1); the middle one when several are. */
static double
find_hot_row (cairo_surface_t *surface,
              CradleColormap   map,
              int              x,
              int              y0,
              int              y1)
{
  guint32 hot = cradle_colormap_lookup (map, 1.0f);
  int first = -1;
  int last = -1;

  for (int y = y0; y < y1; y++)
    {
      if ((pixel_at (surface, x, y) & 0xffffff) == hot)
        {
          if (first < 0)
            first = y;
          last = y;
        }
    }
  g_assert_cmpint (first, >=, 0);
  return (first + last) / 2.0;
}

static char *
make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("cradle-draw-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_dir (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }
  g_dir_close (dir);
  g_rmdir (path);
}

static guint
count_dir_entries (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  g_dir_close (dir);
  return n;
}

/* ---- Colour maps ------------------------------------------------------- */

static void
test_colormap_endpoints (void)
{
  guint8 rgb[3];

  /* matplotlib's published end colours. */
  g_assert_cmphex (cradle_colormap_lookup (CRADLE_COLORMAP_VIRIDIS, 0.0f), ==, 0x440154);
  g_assert_cmphex (cradle_colormap_lookup (CRADLE_COLORMAP_VIRIDIS, 1.0f), ==, 0xfde725);
  g_assert_cmphex (cradle_colormap_lookup (CRADLE_COLORMAP_MAGMA, 0.0f), ==, 0x000004);
  g_assert_cmphex (cradle_colormap_lookup (CRADLE_COLORMAP_MAGMA, 1.0f), ==, 0xfcfdbf);
  /* viridis(0.5) is #21918c in matplotlib (index 128). */
  g_assert_cmphex (cradle_colormap_lookup (CRADLE_COLORMAP_VIRIDIS, 0.5f), ==, 0x21918c);

  g_assert_cmphex (cradle_colormap_lookup (CRADLE_COLORMAP_GRAYSCALE, 0.0f), ==, 0x000000);
  g_assert_cmphex (cradle_colormap_lookup (CRADLE_COLORMAP_GRAYSCALE, 1.0f), ==, 0xffffff);
  g_assert_cmphex (cradle_colormap_lookup (CRADLE_COLORMAP_GRAYSCALE, 0.5f), ==, 0x808080);

  /* Clamping, and NaN as 0. */
  g_assert_cmphex (cradle_colormap_lookup (CRADLE_COLORMAP_VIRIDIS, -3.0f), ==, 0x440154);
  g_assert_cmphex (cradle_colormap_lookup (CRADLE_COLORMAP_VIRIDIS, 7.0f), ==, 0xfde725);
  g_assert_cmphex (cradle_colormap_lookup (CRADLE_COLORMAP_VIRIDIS, NAN), ==, 0x440154);
  g_assert_cmpuint (cradle_colormap_index (0.0f), ==, 0);
  g_assert_cmpuint (cradle_colormap_index (1.0f), ==, 255);
  g_assert_cmpuint (cradle_colormap_index (0.5f), ==, 128);

  cradle_colormap_lookup_rgb (CRADLE_COLORMAP_MAGMA, 1.0f, rgb);
  g_assert_cmpuint (rgb[0], ==, 0xfc);
  g_assert_cmpuint (rgb[1], ==, 0xfd);
  g_assert_cmpuint (rgb[2], ==, 0xbf);

  /* Grayscale is the identity ramp; viridis and magma grow in lightness. */
  for (guint i = 0; i < CRADLE_COLORMAP_N_ENTRIES; i++)
    {
      const guint8 *gray = cradle_colormap_get_table (CRADLE_COLORMAP_GRAYSCALE) + 3 * i;

      g_assert_cmpuint (gray[0], ==, i);
      g_assert_cmpuint (gray[1], ==, i);
      g_assert_cmpuint (gray[2], ==, i);
    }
  for (guint m = CRADLE_COLORMAP_VIRIDIS; m <= CRADLE_COLORMAP_MAGMA; m++)
    {
      const guint8 *t = cradle_colormap_get_table (m);
      double previous = -1.0;

      for (guint i = 0; i < CRADLE_COLORMAP_N_ENTRIES; i += 16)
        {
          double luma = 0.2126 * t[3 * i] + 0.7152 * t[3 * i + 1] + 0.0722 * t[3 * i + 2];

          g_assert_cmpfloat (luma, >, previous);
          previous = luma;
        }
    }
}

static void
test_colormap_names (void)
{
  CradleColormap map = CRADLE_COLORMAP_GRAYSCALE;

  for (guint m = 0; m < CRADLE_COLORMAP_N_MAPS; m++)
    {
      CradleColormap back;

      g_assert_true (cradle_colormap_from_string (cradle_colormap_to_string (m), &back));
      g_assert_cmpint (back, ==, m);
    }
  g_assert_cmpstr (cradle_colormap_to_string (CRADLE_COLORMAP_VIRIDIS), ==, "viridis");
  g_assert_cmpstr (cradle_colormap_to_string (CRADLE_COLORMAP_MAGMA), ==, "magma");
  g_assert_cmpstr (cradle_colormap_to_string (CRADLE_COLORMAP_GRAYSCALE), ==, "grayscale");
  g_assert_null (cradle_colormap_to_string (99));

  g_assert_true (cradle_colormap_from_string ("MaGmA", &map));
  g_assert_cmpint (map, ==, CRADLE_COLORMAP_MAGMA);
  g_assert_true (cradle_colormap_from_string ("grey", &map));
  g_assert_cmpint (map, ==, CRADLE_COLORMAP_GRAYSCALE);
  map = CRADLE_COLORMAP_MAGMA;
  g_assert_false (cradle_colormap_from_string ("jet", &map));
  g_assert_false (cradle_colormap_from_string (NULL, &map));
  g_assert_cmpint (map, ==, CRADLE_COLORMAP_MAGMA);
}

/* ---- Ticks and labels -------------------------------------------------- */

static gboolean
is_one_two_five (double step)
{
  double base = pow (10.0, floor (log10 (step) + 1e-9));
  double m = step / base;

  return fabs (m - 1.0) < 1e-9 || fabs (m - 2.0) < 1e-9 || fabs (m - 5.0) < 1e-9;
}

static void
test_axis_nice_step (void)
{
  static const double ranges[] = { 0.003, 0.5, 1.0, 5.0, 7.3, 80.0, 123.4, 8000.0, 1e6 };
  static const double lengths[] = { 100.0, 333.0, 800.0, 1920.0 };
  static const double spacings[] = { 20.0, 60.0, 100.0 };

  g_assert_cmpfloat_with_epsilon (cradle_axis_nice_step (5.0, 800.0, 60.0), 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (cradle_axis_nice_step (80.0, 400.0, 30.0), 10.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (cradle_axis_nice_step (8000.0, 400.0, 36.0), 1000.0, 1e-9);

  /* Always 1-2-5, never closer than the spacing, and the next smaller 1-2-5
   * step would be. */
  for (guint r = 0; r < G_N_ELEMENTS (ranges); r++)
    for (guint l = 0; l < G_N_ELEMENTS (lengths); l++)
      for (guint s = 0; s < G_N_ELEMENTS (spacings); s++)
        {
          double step = cradle_axis_nice_step (ranges[r], lengths[l], spacings[s]);
          double px = step / ranges[r] * lengths[l];
          double base = pow (10.0, floor (log10 (step) + 1e-9));
          double m = step / base;
          double smaller = fabs (m - 1.0) < 1e-9 ? base / 2.0 : fabs (m - 2.0) < 1e-9 ? base : 2.0 * base;

          g_assert_true (is_one_two_five (step));
          g_assert_cmpfloat (px, >=, spacings[s] * (1.0 - 1e-9));
          g_assert_cmpfloat (smaller / ranges[r] * lengths[l], <, spacings[s]);
        }
}

static void
test_axis_time_ticks (void)
{
  g_autofree double *ticks = NULL;
  guint n = 0;
  double step = cradle_axis_time_step (5.0, 800.0, 60.0);

  /* 0–5 s over 800 px, labels ≥ 60 px apart: 0.5 s (80 px). */
  g_assert_true (step == 0.5 || step == 1.0);
  ticks = cradle_axis_ticks (0.0, 5.0, step, &n);
  g_assert_cmpuint (n, ==, (guint) (5.0 / step) + 1);
  g_assert_cmpfloat (ticks[0], ==, 0.0);
  g_assert_cmpfloat_with_epsilon (ticks[n - 1], 5.0, 1e-12);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpfloat (ticks[i], >=, 0.0);
      g_assert_cmpfloat (ticks[i], <=, 5.0);
      if (i > 0)
        {
          g_assert_cmpfloat (ticks[i], >, ticks[i - 1]);
          g_assert_cmpfloat ((ticks[i] - ticks[i - 1]) / 5.0 * 800.0, >=, 60.0);
        }
    }

  /* Clock steps past 10 s. */
  g_assert_cmpfloat (cradle_axis_time_step (600.0, 800.0, 60.0), ==, 60.0);
  g_assert_cmpfloat (cradle_axis_time_step (100.0, 800.0, 60.0), ==, 10.0);
  g_assert_cmpfloat (cradle_axis_time_step (200.0, 800.0, 60.0), ==, 15.0);
  g_assert_cmpfloat (cradle_axis_time_step (3 * 3600.0, 800.0, 60.0), ==, 900.0);
  g_assert_cmpfloat (cradle_axis_time_step (40 * 3600.0, 800.0, 60.0), ==, 3 * 3600.0);

  /* 0.1 steps land on k / 10 exactly (no running-sum drift). */
  g_clear_pointer (&ticks, g_free);
  ticks = cradle_axis_ticks (0.0, 1.0, 0.1, &n);
  g_assert_cmpuint (n, ==, 11);
  for (guint i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (ticks[i], i / 10.0, 1e-12);

  /* A range not starting on a multiple. */
  g_clear_pointer (&ticks, g_free);
  ticks = cradle_axis_ticks (-0.25, 0.75, 0.5, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpfloat (ticks[0], ==, 0.0);
  g_assert_cmpfloat (ticks[1], ==, 0.5);
}

static void
check_format (char       *got,
              const char *expected)
{
  g_assert_cmpstr (got, ==, expected);
  g_free (got);
}

static void
test_axis_labels (void)
{
  check_format (cradle_axis_format_time (0.5, 0.5, 5.0), "0.5 s");
  check_format (cradle_axis_format_time (1.0, 0.5, 5.0), "1.0 s");
  check_format (cradle_axis_format_time (0.0, 0.5, 5.0), "0.0 s");
  check_format (cradle_axis_format_time (2.0, 1.0, 5.0), "2 s");
  check_format (cradle_axis_format_time (0.25, 0.25, 1.0), "0.25 s");
  check_format (cradle_axis_format_time (0.3, 0.1, 1.0), "0.3 s");
  check_format (cradle_axis_format_time (65.0, 5.0, 120.0), "1:05");
  check_format (cradle_axis_format_time (0.0, 15.0, 120.0), "0:00");
  check_format (cradle_axis_format_time (59.96, 0.1, 120.0), "1:00.0");
  check_format (cradle_axis_format_time (62.5, 0.5, 120.0), "1:02.5");
  check_format (cradle_axis_format_time (3723.0, 60.0, 7200.0), "1:02:03");
  check_format (cradle_axis_format_time (36000.0, 3600.0, 40000.0), "10:00:00");

  check_format (cradle_axis_format_hz (0.0, 0.0), "0 Hz");
  check_format (cradle_axis_format_hz (500.0, 0.0), "500 Hz");
  check_format (cradle_axis_format_hz (12.5, 0.0), "12.5 Hz");
  check_format (cradle_axis_format_hz (1000.0, 0.0), "1 kHz");
  check_format (cradle_axis_format_hz (2000.0, 0.0), "2 kHz");
  check_format (cradle_axis_format_hz (2500.0, 0.0), "2.5 kHz");
  check_format (cradle_axis_format_hz (1250.0, 0.0), "1.25 kHz");
  check_format (cradle_axis_format_hz (2000.0, 500.0), "2 kHz");
  check_format (cradle_axis_format_hz (2345.6, 1.0), "2.346 kHz");
  check_format (cradle_axis_format_hz (440.4, 1.0), "440 Hz");

  check_format (cradle_axis_format_db (-80.0, 10.0), "−80 dB");
  check_format (cradle_axis_format_db (0.0, 10.0), "0 dB");
  check_format (cradle_axis_format_db (-0.01, 10.0), "0 dB");
  check_format (cradle_axis_format_db (-2.5, 0.5), "−2.5 dB");
  check_format (cradle_axis_format_db (12.0, 2.0), "12 dB");
}

/* ---- Frequency scales -------------------------------------------------- */

static void
test_axis_freq_scales (void)
{
  for (guint s = 0; s < CRADLE_FREQ_SCALE_N_SCALES; s++)
    {
      CradleFreqAxis axis;
      CradleFreqScale back;
      double previous = -INFINITY;

      g_assert_true (cradle_freq_scale_from_string (cradle_freq_scale_to_string (s), &back));
      g_assert_cmpint (back, ==, s);

      cradle_freq_axis_init (&axis, s, 0.0, 8000.0);
      g_assert_cmpfloat (axis.fmax, ==, 8000.0);
      if (s == CRADLE_FREQ_SCALE_LOG)
        g_assert_cmpfloat (axis.fmin, ==, CRADLE_FREQ_SCALE_LOG_MIN_HZ);
      else
        g_assert_cmpfloat (axis.fmin, ==, 0.0);

      g_assert_cmpfloat_with_epsilon (cradle_freq_axis_hz_to_pos (&axis, axis.fmin), 0.0, 1e-12);
      g_assert_cmpfloat_with_epsilon (cradle_freq_axis_hz_to_pos (&axis, axis.fmax), 1.0, 1e-12);

      /* Round trip hz → pos → hz and monotonic, to 1e-9 relative. */
      for (double hz = axis.fmin; hz <= axis.fmax; hz += 7.25)
        {
          double pos = cradle_freq_axis_hz_to_pos (&axis, hz);
          double again = cradle_freq_axis_pos_to_hz (&axis, pos);

          g_assert_cmpfloat (fabs (again - hz), <=, 1e-9 * MAX (hz, 1.0));
          g_assert_cmpfloat (pos, >, previous);
          previous = pos;
        }
      /* pos → hz → pos too. */
      for (double pos = 0.0; pos <= 1.0; pos += 1.0 / 64)
        {
          double hz = cradle_freq_axis_pos_to_hz (&axis, pos);

          g_assert_cmpfloat_with_epsilon (cradle_freq_axis_hz_to_pos (&axis, hz), pos, 1e-12);
        }
    }

  /* The scales are what they say: mid-points in mel and in octaves. */
  {
    CradleFreqAxis axis;
    double mid;

    cradle_freq_axis_init (&axis, CRADLE_FREQ_SCALE_MEL, 0.0, 8000.0);
    mid = cradle_mel_to_hz (cradle_hz_to_mel (8000.0) / 2.0);
    g_assert_cmpfloat_with_epsilon (cradle_freq_axis_hz_to_pos (&axis, mid), 0.5, 1e-12);
    /* Slaney: linear below 1 kHz. */
    g_assert_cmpfloat_with_epsilon (cradle_freq_axis_hz_to_pos (&axis, 500.0),
                                    cradle_freq_axis_hz_to_pos (&axis, 1000.0) / 2.0, 1e-12);

    cradle_freq_axis_init (&axis, CRADLE_FREQ_SCALE_LOG, 0.0, 8000.0);
    g_assert_cmpfloat_with_epsilon (cradle_freq_axis_hz_to_pos (&axis, sqrt (20.0 * 8000.0)),
                                    0.5, 1e-12);

    cradle_freq_axis_init (&axis, CRADLE_FREQ_SCALE_LINEAR, 0.0, 8000.0);
    g_assert_cmpfloat_with_epsilon (cradle_freq_axis_hz_to_pos (&axis, 2000.0), 0.25, 1e-12);
  }

  {
    CradleFreqScale scale = CRADLE_FREQ_SCALE_LOG;

    g_assert_true (cradle_freq_scale_from_string ("MEL", &scale));
    g_assert_cmpint (scale, ==, CRADLE_FREQ_SCALE_MEL);
    g_assert_false (cradle_freq_scale_from_string ("bark", &scale));
    g_assert_cmpint (scale, ==, CRADLE_FREQ_SCALE_MEL);
  }
}

static gboolean
is_nice_hz (double hz)
{
  double base;
  double m;

  if (hz == 0.0)
    return TRUE;
  base = pow (10.0, floor (log10 (hz) + 1e-9));
  m = hz / base;
  return fabs (m - round (m)) < 1e-9;
}

static gboolean
contains (const double *values,
          guint         n,
          double        v)
{
  for (guint i = 0; i < n; i++)
    if (fabs (values[i] - v) < 1e-9)
      return TRUE;
  return FALSE;
}

static void
test_axis_freq_ticks (void)
{
  for (guint s = 0; s < CRADLE_FREQ_SCALE_N_SCALES; s++)
    {
      static const double lengths[] = { 150.0, 400.0, 900.0 };

      for (guint l = 0; l < G_N_ELEMENTS (lengths); l++)
        {
          CradleFreqAxis axis;
          g_autofree double *hz = NULL;
          guint n = 0;

          cradle_freq_axis_init (&axis, s, 0.0, 8000.0);
          hz = cradle_freq_axis_ticks (&axis, lengths[l], 30.0, &n);
          g_test_message ("%s over %.0f px: %u ticks", cradle_freq_scale_to_string (s),
                          lengths[l], n);

          g_assert_cmpuint (n, >=, 3);
          if (s == CRADLE_FREQ_SCALE_LINEAR)
            g_assert_true (is_one_two_five (hz[1] - hz[0]));
          g_assert_cmpuint (n, <=, lengths[l] / 30.0 + 1.0);
          for (guint i = 0; i < n; i++)
            {
              g_assert_cmpfloat (hz[i], >=, axis.fmin - 1e-9);
              g_assert_cmpfloat (hz[i], <=, axis.fmax + 1e-9);
              /* Linear: multiples of one 1-2-5 step; mel and log: one
               * significant digit. */
              if (s == CRADLE_FREQ_SCALE_LINEAR)
                g_assert_cmpfloat (fabs (hz[i] - i * (hz[1] - hz[0])), <, 1e-6);
              else
                g_assert_true (is_nice_hz (hz[i]));
              if (i > 0)
                {
                  double gap = (cradle_freq_axis_hz_to_pos (&axis, hz[i])
                                - cradle_freq_axis_hz_to_pos (&axis, hz[i - 1])) * lengths[l];

                  g_assert_cmpfloat (hz[i], >, hz[i - 1]);
                  g_assert_cmpfloat (gap, >=, 30.0 - 1e-9);
                }
            }

          if (lengths[l] >= 400.0)
            {
              g_assert_true (contains (hz, n, 1000.0));
              if (s == CRADLE_FREQ_SCALE_LOG)
                {
                  /* 20 50 100 200 500 1k 2k 5k at 400 px, 20 40 60 80 100
                   * 200 400 … 8k at 900 px. */
                  g_assert_true (contains (hz, n, 20.0));
                  g_assert_true (contains (hz, n, 100.0));
                  g_assert_true (contains (hz, n, 200.0));
                  g_assert_true (contains (hz, n, 2000.0));
                }
              else
                {
                  g_assert_true (contains (hz, n, 0.0));
                }
            }
        }
    }
}

static void
test_axis_ruler (void)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 300, 100);
  cairo_t *cr = cairo_create (surface);
  PangoLayout *layout = pango_cairo_create_layout (cr);
  const cairo_rectangle_t rect = { 20.0, 10.0, 260.0, 40.0 };
  const CradleRGBA red = { 1.0, 0.0, 0.0, 1.0 };
  /* The middle label overlaps its neighbours and must be left out. */
  const CradleAxisTick ticks[] = {
    { 0.0, "0 s" }, { 0.5, "1 s" }, { 0.52, "overlapping" }, { 1.0, "2 s" }, { 0.75, NULL },
  };
  PangoFontDescription *font = pango_font_description_from_string ("Sans 10");
  double extent;
  gboolean label_pixels = FALSE;

  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);

  extent = cradle_axis_ruler_extent (layout, CRADLE_AXIS_EDGE_BOTTOM, ticks, G_N_ELEMENTS (ticks));
  g_assert_cmpfloat (extent, >, CRADLE_AXIS_TICK_LENGTH + CRADLE_AXIS_LABEL_GAP + 8.0);
  g_assert_cmpfloat (extent, <, CRADLE_AXIS_TICK_LENGTH + CRADLE_AXIS_LABEL_GAP + 30.0);
  g_assert_cmpfloat (cradle_axis_ruler_extent (layout, CRADLE_AXIS_EDGE_LEFT, ticks, 0),
                     ==, CRADLE_AXIS_TICK_LENGTH);

  cradle_axis_draw_ruler (cr, layout, &rect, CRADLE_AXIS_EDGE_BOTTOM, ticks,
                          G_N_ELEMENTS (ticks), &red);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_flush (surface);

  /* Tick marks: 1 px wide, below the edge, at the first and last plot
   * columns and at 0.75 (unlabelled), in red at 60 % alpha. */
  for (guint i = 0; i < 3; i++)
    {
      static const int xs[] = { 20, 279, 215 };
      guint32 p = pixel_at (surface, xs[i], 52);

      g_assert_cmphex (p >> 24, ==, 0x99);
      g_assert_cmphex ((p >> 16) & 0xff, ==, 0x99); /* premultiplied red */
      g_assert_cmphex (pixel_at (surface, xs[i] + 2, 52), ==, 0);
    }
  /* Nothing above the edge. */
  for (int x = 0; x < 300; x++)
    g_assert_cmphex (pixel_at (surface, x, 30), ==, 0);

  /* Label pixels below the ticks, around the middle tick (150 px) but not
   * far right of it, where "overlapping" would have reached. */
  for (int y = 57; y < 90; y++)
    {
      if (pixel_at (surface, 150, y) != 0 || pixel_at (surface, 147, y) != 0
          || pixel_at (surface, 153, y) != 0)
        label_pixels = TRUE;
      g_assert_cmphex (pixel_at (surface, 190, y), ==, 0);
    }
  g_assert_true (label_pixels);

  g_object_unref (layout);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

/* ---- Rendering --------------------------------------------------------- */

static void
test_render_hot_band_no_axes (void)
{
  const guint hot = 40;
  g_autoptr(TestSpectrogram) s = test_spectrogram_new_mel (100, 64, -80.0f);
  CradleSpectrogramStyle style;
  CradleSpectrogramLayout layout;

  /* Bands HOT − 1 .. HOT + 1, so that the rows between their centres are
   * exactly hot whatever the interpolation weights. */
  for (guint f = 0; f < s->data.n_frames; f++)
    for (guint b = hot - 1; b <= hot + 1; b++)
      s->values[f * s->data.n_bands + b] = 0.0f;

  cradle_spectrogram_style_init (&style);
  style.show_axes = FALSE;
  style.db_top = 0.0;
  style.db_range = 80.0;

  for (guint sc = 0; sc < CRADLE_FREQ_SCALE_N_SCALES; sc++)
    {
      cairo_surface_t *surface;
      double predicted;

      style.freq_scale = sc;
      for (guint m = 0; m < CRADLE_COLORMAP_N_MAPS; m++)
        {
          style.colormap = m;
          surface = render_to_image (400, 300, &s->data, &style);
          cradle_spectrogram_layout_compute (&layout, 400, 300, &s->data, &style);

          /* Without axes the plot is the whole area. */
          g_assert_cmpfloat (layout.plot.x, ==, 0.0);
          g_assert_cmpfloat (layout.plot.y, ==, 0.0);
          g_assert_cmpfloat (layout.plot.width, ==, 400.0);
          g_assert_cmpfloat (layout.plot.height, ==, 300.0);

          /* The hot band's centre row, where the mapping puts it (rows are
           * sampled at their centres, so ±1 px). */
          predicted = cradle_spectrogram_layout_hz_to_y (&layout, s->band_hz[hot]);
          for (int x = 5; x < 400; x += 97)
            g_assert_cmpfloat (fabs (find_hot_row (surface, m, x, 0, 300) + 0.5 - predicted),
                               <=, 1.0);

          /* Cold elsewhere: the map's bottom colour, exactly. */
          g_assert_cmphex (rgb_at (surface, 200, 2), ==, cradle_colormap_lookup (m, 0.0f));
          g_assert_cmphex (rgb_at (surface, 200, 297), ==, cradle_colormap_lookup (m, 0.0f));
          g_assert_cmphex (rgb_at (surface, 200, (int) predicted), ==,
                           cradle_colormap_lookup (m, 1.0f));
          cairo_surface_destroy (surface);
        }
    }
}

static void
test_render_colors_and_axes (void)
{
  const guint hot = 20;
  const CradleRGBA dark = { 0x20 / 255.0, 0x20 / 255.0, 0x28 / 255.0, 1.0 };
  const CradleRGBA light = { 0xee / 255.0, 0xee / 255.0, 0xee / 255.0, 1.0 };
  g_autoptr(TestSpectrogram) s = test_spectrogram_new_mel (157, 128, -70.0f);
  CradleSpectrogramStyle style;
  CradleSpectrogramLayout layout;
  cairo_surface_t *surface;
  int px;
  int py;
  int pw;
  int ph;
  guint32 bg = 0x202028;
  gboolean found_text = FALSE;

  /* A gradient over time in bands HOT ± 1 checks the dB → colour mapping
   * (three bands, so rows near HOT's centre interpolate between equal
   * values). */
  for (guint f = 0; f < s->data.n_frames; f++)
    for (guint b = hot - 1; b <= hot + 1; b++)
      s->values[f * s->data.n_bands + b] = -60.0f + 60.0f * f / (s->data.n_frames - 1);

  cradle_spectrogram_style_init (&style);
  style.colormap = CRADLE_COLORMAP_MAGMA;
  style.db_top = 0.0;
  style.db_range = 60.0;
  style.title = "Synthetic";
  style.foreground = light;
  style.background = dark;
  style.time_interp = CRADLE_SPECTROGRAM_INTERP_NEAREST;

  surface = render_to_image (800, 400, &s->data, &style);
  cradle_spectrogram_layout_compute (&layout, 800, 400, &s->data, &style);
  px = (int) layout.plot.x;
  py = (int) layout.plot.y;
  pw = (int) layout.plot.width;
  ph = (int) layout.plot.height;

  /* Room for the rulers on the left and bottom, the colour bar on the
   * right and the title on top. */
  g_assert_cmpint (px, >, 30);
  g_assert_cmpint (py, >, 15);
  g_assert_cmpint (px + pw, <, 800 - 40);
  g_assert_cmpint (py + ph, <, 400 - 15);
  g_assert_cmpfloat (layout.colorbar.width, >, 0.0);
  g_assert_cmpfloat (layout.colorbar.x, >, px + pw);
  g_assert_cmpfloat (layout.title.height, >, 0.0);
  g_assert_cmpfloat (layout.db_top, ==, 0.0);
  g_assert_cmpfloat (layout.db_bottom, ==, -60.0);
  g_assert_cmpfloat (layout.time_start, ==, 0.0);
  g_assert_cmpfloat_with_epsilon (layout.time_end, 156 * 512.0 / 16000.0, 1e-12);
  g_assert_true (cradle_spectrogram_layout_in_plot (&layout, px + 1, py + 1));
  g_assert_false (cradle_spectrogram_layout_in_plot (&layout, px - 1, py + 1));

  /* Background in the corners. */
  g_assert_cmphex (rgb_at (surface, 1, 1), ==, bg);
  g_assert_cmphex (rgb_at (surface, 798, 398), ==, bg);
  g_assert_cmphex (rgb_at (surface, 1, 398), ==, bg);

  /* Inside the plot: cold (−70 dB, below the range) is magma(0); along the
   * hot band each column has the colour of its frame's value. */
  g_assert_cmphex (rgb_at (surface, px + 3, py + 3), ==, 0x000004);
  {
    int y = (int) cradle_spectrogram_layout_hz_to_y (&layout, s->band_hz[hot]);

    for (int x = px; x < px + pw; x += 37)
      {
        double t = cradle_spectrogram_layout_x_to_time (&layout, x + 0.5);
        double frame = CLAMP (round (t / s->data.seconds_per_frame), 0, 156);
        float v = -60.0f + 60.0f * (float) frame / 156.0f;
        float readout;

        g_assert_cmphex (rgb_at (surface, x, y), ==,
                         cradle_colormap_lookup (CRADLE_COLORMAP_MAGMA, (v + 60.0f) / 60.0f));
        /* The read-out at the same place agrees with the data. */
        g_assert_true (cradle_spectrogram_data_value_at (&s->data, frame * s->data.seconds_per_frame,
                                                         s->band_hz[hot], &readout));
        g_assert_cmpfloat_with_epsilon (readout, v, 1e-4);
      }
  }

  /* The colour bar runs from magma(1) at the top to magma(0) at the
   * bottom (bilinear scaling: ±3 per channel). */
  {
    int cx = (int) (layout.colorbar.x + layout.colorbar.width / 2);

    g_assert_cmpint (channel_distance (rgb_at (surface, cx, py),
                                       cradle_colormap_lookup (CRADLE_COLORMAP_MAGMA, 1.0f)), <=, 3);
    g_assert_cmpint (channel_distance (rgb_at (surface, cx, py + ph - 1),
                                       cradle_colormap_lookup (CRADLE_COLORMAP_MAGMA, 0.0f)), <=, 3);
  }

  /* Tick marks in the foreground colour (60 % over the background) below
   * the plot at the time ticks: 0 s is at the plot's left column. */
  {
    guint32 tick = rgb_at (surface, px, py + ph + 2);

    g_assert_cmpint (channel_distance (tick, bg), >, 0x60);
    g_assert_cmphex (rgb_at (surface, px - 6, py + ph + 2), ==, bg);
  }

  /* Light text left of the plot (frequency labels) and below (time). */
  for (int y = py; y < py + ph && !found_text; y++)
    for (int x = 8; x < px - 8 && !found_text; x++)
      if (channel_distance (rgb_at (surface, x, y), bg) > 0x80)
        found_text = TRUE;
  g_assert_true (found_text);
  found_text = FALSE;
  for (int y = py + ph + 8; y < 400 - 4 && !found_text; y++)
    for (int x = px; x < px + pw && !found_text; x++)
      if (channel_distance (rgb_at (surface, x, y), bg) > 0x80)
        found_text = TRUE;
  g_assert_true (found_text);

  cairo_surface_destroy (surface);
}

static void
test_render_time_mapping (void)
{
  g_autoptr(TestSpectrogram) s = test_spectrogram_new_mel (200, 32, -80.0f);
  CradleSpectrogramStyle style;
  CradleSpectrogramLayout layout;
  const guint hot_frame = 150;
  cairo_surface_t *surface;
  double predicted;
  int best = -1;

  for (guint b = 0; b < s->data.n_bands; b++)
    s->values[hot_frame * s->data.n_bands + b] = 0.0f;

  cradle_spectrogram_style_init (&style);
  style.show_axes = FALSE;
  style.db_top = 0.0;
  style.time_interp = CRADLE_SPECTROGRAM_INTERP_NEAREST;

  /* Zoomed in on the second half: the hot frame (a block of ten columns
   * with nearest-frame colouring) is centred where layout_time_to_x()
   * says. */
  style.time_start = 100 * s->data.seconds_per_frame;
  style.time_end = 199 * s->data.seconds_per_frame;
  surface = render_to_image (990, 50, &s->data, &style);
  cradle_spectrogram_layout_compute (&layout, 990, 50, &s->data, &style);
  predicted = cradle_spectrogram_layout_time_to_x (&layout, hot_frame * s->data.seconds_per_frame);
  {
    int first = -1;
    int last = -1;

    for (int x = 0; x < 990; x++)
      if (rgb_at (surface, x, 25) == cradle_colormap_lookup (CRADLE_COLORMAP_VIRIDIS, 1.0f))
        {
          if (first < 0)
            first = x;
          last = x;
        }
    g_assert_cmpint (first, >=, 0);
    g_assert_cmpint (last - first + 1, >=, 9);
    g_assert_cmpint (last - first + 1, <=, 11);
    g_assert_cmpfloat (fabs ((first + last + 1) / 2.0 - predicted), <=, 1.0);
  }
  g_assert_cmpfloat_with_epsilon (cradle_spectrogram_layout_x_to_time (&layout, predicted),
                                  hot_frame * s->data.seconds_per_frame, 1e-9);
  cairo_surface_destroy (surface);

  /* Scrolled past the end of the data: transparent there. */
  style.time_start = 190 * s->data.seconds_per_frame;
  style.time_end = 210 * s->data.seconds_per_frame;
  style.background.alpha = 0.0;
  surface = render_to_image (200, 20, &s->data, &style);
  g_assert_cmphex (pixel_at (surface, 10, 10) >> 24, ==, 0xff);
  g_assert_cmphex (pixel_at (surface, 190, 10), ==, 0);
  cairo_surface_destroy (surface);

  /* Zoomed out: 200 frames in 20 columns; the single hot frame survives
   * (the maximum over each column's frames is drawn). */
  style.time_start = style.time_end = 0.0;
  surface = render_to_image (20, 20, &s->data, &style);
  best = -1;
  for (int x = 0; x < 20; x++)
    if (rgb_at (surface, x, 10) == cradle_colormap_lookup (CRADLE_COLORMAP_VIRIDIS, 1.0f))
      best = x;
  g_assert_cmpint (best, ==, (int) (150.0 / 199.0 * 20.0));
  cairo_surface_destroy (surface);
}

static void
test_render_dense_bins (void)
{
  /* 1025 STFT bins on a 100 px axis: one hot bin still shows. */
  g_autoptr(TestSpectrogram) s = test_spectrogram_new_linear (10, 1025, -80.0f);
  CradleSpectrogramStyle style;
  CradleSpectrogramLayout layout;
  cairo_surface_t *surface;
  const guint hot = 700;

  for (guint f = 0; f < s->data.n_frames; f++)
    s->values[f * s->data.n_bands + hot] = 0.0f;

  cradle_spectrogram_style_init (&style);
  style.show_axes = FALSE;
  style.db_top = 0.0;
  for (guint sc = 0; sc < CRADLE_FREQ_SCALE_N_SCALES; sc++)
    {
      style.freq_scale = sc;
      surface = render_to_image (50, 100, &s->data, &style);
      cradle_spectrogram_layout_compute (&layout, 50, 100, &s->data, &style);
      g_assert_cmpfloat (fabs (find_hot_row (surface, CRADLE_COLORMAP_VIRIDIS, 25, 0, 100) + 0.5
                               - cradle_spectrogram_layout_hz_to_y (&layout, s->band_hz[hot])),
                         <=, 1.0);
      cairo_surface_destroy (surface);
    }
}

static void
test_render_hidpi (void)
{
  /* A ramp over 200 linear bands on a 100-unit axis at device scale 2: the
   * image has 200 device rows, each its own colour (not doubled). */
  g_autoptr(TestSpectrogram) s = test_spectrogram_new_linear (4, 200, 0.0f);
  CradleSpectrogramStyle style;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 100, 200);
  cairo_t *cr;
  guint distinct = 0;

  for (guint f = 0; f < 4; f++)
    for (guint b = 0; b < 200; b++)
      s->values[f * 200 + b] = -80.0f + 80.0f * b / 199.0f;
  s->data.fmin = s->band_hz[0];
  s->data.fmax = s->band_hz[199];

  cradle_spectrogram_style_init (&style);
  style.show_axes = FALSE;
  style.freq_scale = CRADLE_FREQ_SCALE_LINEAR;
  style.colormap = CRADLE_COLORMAP_GRAYSCALE;
  style.db_top = 0.0;

  cairo_surface_set_device_scale (surface, 2.0, 2.0);
  cr = cairo_create (surface);
  cradle_spectrogram_render (cr, 50, 100, &s->data, &style);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  for (int y = 1; y < 200; y++)
    if (rgb_at (surface, 50, y) != rgb_at (surface, 50, y - 1))
      distinct++;
  g_assert_cmpuint (distinct, >=, 190);
  /* Brighter towards the top (higher bands). */
  g_assert_cmphex (rgb_at (surface, 50, 0) & 0xff, >, 0xf0);
  g_assert_cmphex (rgb_at (surface, 50, 199) & 0xff, <, 0x08);

  cairo_surface_destroy (surface);
}

static void
test_render_value_at (void)
{
  g_autoptr(TestSpectrogram) s = test_spectrogram_new_linear (3, 3, 0.0f);
  float db = 1234.0f;

  /* values[f][b] = 10 f + b */
  for (guint f = 0; f < 3; f++)
    for (guint b = 0; b < 3; b++)
      s->values[f * 3 + b] = 10.0f * f + b;
  s->data.seconds_per_frame = 1.0;

  g_assert_true (cradle_spectrogram_data_value_at (&s->data, 1.0, 4000.0, &db));
  g_assert_cmpfloat_with_epsilon (db, 11.0, 1e-6);
  g_assert_true (cradle_spectrogram_data_value_at (&s->data, 1.5, 2000.0, &db));
  g_assert_cmpfloat_with_epsilon (db, 15.5, 1e-6);
  g_assert_true (cradle_spectrogram_data_value_at (&s->data, -0.4, 8000.0, &db));
  g_assert_cmpfloat_with_epsilon (db, 2.0, 1e-6);

  db = 1234.0f;
  g_assert_false (cradle_spectrogram_data_value_at (&s->data, -0.6, 100.0, &db));
  g_assert_false (cradle_spectrogram_data_value_at (&s->data, 2.6, 100.0, &db));
  g_assert_false (cradle_spectrogram_data_value_at (&s->data, 1.0, 8001.0, &db));
  g_assert_cmpfloat (db, ==, 1234.0f);
}

static void
test_render_image_only (void)
{
  g_autoptr(TestSpectrogram) s = test_spectrogram_new_mel (50, 40, -80.0f);
  CradleSpectrogramStyle style;
  cairo_surface_t *image;

  cradle_spectrogram_style_init (&style);
  style.db_top = 0.0;
  s->values[25 * 40 + 20] = 0.0f;
  image = cradle_spectrogram_render_image (&s->data, &style, 64, 48);
  g_assert_nonnull (image);
  g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (image), ==, 64);
  g_assert_cmpint (cairo_image_surface_get_height (image), ==, 48);
  g_assert_cmphex (rgb_at (image, 0, 0), ==, 0x440154);
  cairo_surface_destroy (image);
}

/* ---- Export ------------------------------------------------------------ */

static void
test_export_formats (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autoptr(TestSpectrogram) s = test_spectrogram_new_mel (157, 128, -80.0f);
  CradleSpectrogramStyle style;
  static const char *const names[] = { "plot.png", "plot.svg", "plot.pdf", "UPPER.PNG" };

  for (guint f = 0; f < 157; f++)
    for (guint b = 0; b < 128; b++)
      s->values[f * 128 + b] = -80.0f + 80.0f * ((f + b) % 64) / 63.0f;

  cradle_spectrogram_style_init (&style);
  style.title = "Export";

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;
      gsize length = 0;

      g_assert_true (cradle_spectrogram_export (path, 640, 320, &s->data, &style, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_assert_cmpuint (length, >, 100);

      if (g_str_has_suffix (names[i], ".png") || g_str_has_suffix (names[i], ".PNG"))
        {
          cairo_surface_t *png = cairo_image_surface_create_from_png (path);

          g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
          g_assert_cmpint (cairo_image_surface_get_width (png), ==, 640);
          g_assert_cmpint (cairo_image_surface_get_height (png), ==, 320);
          /* White background by default. */
          g_assert_cmphex (rgb_at (png, 1, 1), ==, 0xffffff);
          cairo_surface_destroy (png);
        }
      else if (g_str_has_suffix (names[i], ".svg"))
        {
          g_assert_true (g_str_has_prefix (contents, "<?xml") || g_str_has_prefix (contents, "<svg"));
          g_assert_nonnull (strstr (contents, "width=\"640"));
        }
      else
        {
          g_assert_true (g_str_has_prefix (contents, "%PDF"));
        }
    }

  /* Overwriting an existing file works, and no temporary is left behind. */
  {
    g_autofree char *path = g_build_filename (dir, "plot.png", NULL);
    g_autoptr(GError) error = NULL;

    g_assert_true (cradle_spectrogram_export (path, 100, 80, &s->data, &style, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (count_dir_entries (dir), ==, G_N_ELEMENTS (names));

  remove_dir (dir);
}

static void
test_export_errors (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autoptr(TestSpectrogram) s = test_spectrogram_new_mel (10, 8, -80.0f);
  static const char *const bad_names[] = { "plot.bmp", "plot", "plot.png.txt", ".png" };

  for (guint i = 0; i < G_N_ELEMENTS (bad_names); i++)
    {
      g_autofree char *path = g_build_filename (dir, bad_names[i], NULL);
      g_autoptr(GError) error = NULL;

      g_assert_false (cradle_spectrogram_export (path, 100, 100, &s->data, NULL, &error));
      g_assert_error (error, CRADLE_DRAW_ERROR, CRADLE_DRAW_ERROR_UNKNOWN_FORMAT);
      g_assert_nonnull (strstr (error->message, path));
      g_test_message ("%s", error->message);
    }

  {
    g_autofree char *path = g_build_filename (dir, "missing", "plot.png", NULL);
    g_autoptr(GError) error = NULL;

    g_assert_false (cradle_spectrogram_export (path, 100, 100, &s->data, NULL, &error));
    g_assert_error (error, CRADLE_DRAW_ERROR, CRADLE_DRAW_ERROR_WRITE);
    g_assert_nonnull (strstr (error->message, path));
    g_test_message ("%s", error->message);
  }

  /* Too large for a cairo image surface: an error, not a crash. */
  {
    g_autofree char *path = g_build_filename (dir, "huge.png", NULL);
    g_autoptr(GError) error = NULL;

    g_assert_false (cradle_spectrogram_export (path, 40000, 10, &s->data, NULL, &error));
    g_assert_error (error, CRADLE_DRAW_ERROR, CRADLE_DRAW_ERROR_CAIRO);
    g_assert_nonnull (strstr (error->message, path));
    g_test_message ("%s", error->message);
  }

  /* Nothing was created, not even a temporary. */
  g_assert_cmpuint (count_dir_entries (dir), ==, 0);
  remove_dir (dir);
}

/* ---- A realistic rendering --------------------------------------------- */

#define CHIRP_RATE 16000
#define CHIRP_SECONDS 5.0
#define CHIRP_F0 200.0
#define CHIRP_F1 2500.0

/* A baby-cry-like test signal: a linear chirp CHIRP_F0 → CHIRP_F1 with
 * two weaker harmonics, a tremolo and a little noise. */
static float *
make_chirp (gsize *n)
{
  gsize len = (gsize) (CHIRP_RATE * CHIRP_SECONDS);
  g_autofree float *noise = cradle_test_noise (len, 0.003, 7);
  float *x = g_new (float, len);

  for (gsize i = 0; i < len; i++)
    {
      double t = (double) i / CHIRP_RATE;
      double phase = 2.0 * G_PI * (CHIRP_F0 * t + (CHIRP_F1 - CHIRP_F0) * t * t / (2.0 * CHIRP_SECONDS));
      double envelope = 0.6 + 0.4 * sin (2.0 * G_PI * 1.5 * t);

      x[i] = (float) (envelope * (0.5 * sin (phase) + 0.15 * sin (2.0 * phase)
                                  + 0.05 * sin (3.0 * phase)))
             + noise[i];
    }
  *n = len;
  return x;
}

typedef struct {
  float  *mel_db;
  double *band_hz;
  guint   n_frames;
  guint   n_mels;
} ChirpMel;

static void
chirp_mel (ChirpMel *out)
{
  const guint n_fft = 2048;
  const guint hop = 512;
  const guint n_mels = 128;
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleStft) stft = cradle_stft_new (n_fft, hop, &error);
  g_autoptr(CradleMelFilterbank) fb = NULL;
  g_autofree float *x = NULL;
  g_autofree float *power = NULL;
  gsize n = 0;

  g_assert_no_error (error);
  fb = cradle_mel_filterbank_new (CHIRP_RATE, n_fft, n_mels, 0.0f, CHIRP_RATE / 2.0f, &error);
  g_assert_no_error (error);

  x = make_chirp (&n);
  out->n_frames = cradle_stft_n_frames (stft, n);
  out->n_mels = n_mels;
  power = g_new (float, (gsize) out->n_frames * cradle_stft_get_n_bins (stft));
  cradle_stft_power (stft, x, n, power);
  out->mel_db = g_new (float, (gsize) out->n_frames * n_mels);
  cradle_mel_filterbank_apply (fb, power, out->n_frames, out->mel_db);
  cradle_power_to_db (out->mel_db, (gsize) out->n_frames * n_mels, 1.0f, 1e-10f, 80.0f);
  out->band_hz = g_new (double, n_mels);
  for (guint b = 0; b < n_mels; b++)
    out->band_hz[b] = cradle_mel_filterbank_band_hz (fb, b);
}

static void
test_render_chirp (void)
{
  g_autofree char *dir = make_temp_dir ();
  g_autofree char *png = g_build_filename (dir, "chirp-mel.png", NULL);
  const char *preview_dir = g_getenv ("CRADLE_DRAW_PREVIEW_DIR");
  g_autoptr(GError) error = NULL;
  ChirpMel mel;
  CradleSpectrogramData data;
  CradleSpectrogramStyle style;
  CradleSpectrogramLayout layout;
  cairo_surface_t *surface;

  chirp_mel (&mel);
  data = (CradleSpectrogramData) {
    .values = mel.mel_db,
    .n_frames = mel.n_frames,
    .n_bands = mel.n_mels,
    .seconds_per_frame = 512.0 / CHIRP_RATE,
    .start_time = 0.0,
    .band_hz = mel.band_hz,
    .fmin = 0.0,
    .fmax = CHIRP_RATE / 2.0,
  };
  g_assert_cmpuint (data.n_frames, ==, 157);

  cradle_spectrogram_style_init (&style);
  style.title = "Chirp 200 Hz → 2.5 kHz, mel spectrogram";

  g_assert_true (cradle_spectrogram_export (png, 1200, 600, &data, &style, &error));
  g_assert_no_error (error);
  g_test_message ("realistic rendering: %s", png);

  /* The ridge follows the chirp: in the columns at 1, 2.5 and 4 s the
   * brightest row is at the chirp's frequency, within 5 %. */
  surface = cairo_image_surface_create_from_png (png);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cradle_spectrogram_layout_compute (&layout, 1200, 600, &data, &style);
  for (guint i = 0; i < 3; i++)
    {
      static const double times[] = { 1.0, 2.5, 4.0 };
      double expected = CHIRP_F0 + (CHIRP_F1 - CHIRP_F0) * times[i] / CHIRP_SECONDS;
      int x = (int) cradle_spectrogram_layout_time_to_x (&layout, times[i]);
      guint32 hot = cradle_colormap_lookup (CRADLE_COLORMAP_VIRIDIS, 1.0f);
      int best_y = -1;
      int best_d = G_MAXINT;
      double found;

      /* Closest to the top colour. */
      for (int y = (int) layout.plot.y; y < (int) (layout.plot.y + layout.plot.height); y++)
        {
          int d = channel_distance (rgb_at (surface, x, y), hot);

          if (d < best_d)
            {
              best_d = d;
              best_y = y;
            }
        }
      found = cradle_spectrogram_layout_y_to_hz (&layout, best_y + 0.5);
      g_test_message ("t = %.1f s: ridge at %.0f Hz (chirp %.0f Hz)", times[i], found, expected);
      g_assert_cmpfloat (fabs (found - expected), <, 0.05 * expected);
    }
  cairo_surface_destroy (surface);

  if (preview_dir != NULL && preview_dir[0] != '\0')
    {
      static const char *const names[] = {
        "cradle-draw-preview.png", "cradle-draw-preview.svg", "cradle-draw-preview.pdf",
        "cradle-draw-preview-dark-log.png", "cradle-draw-preview-small.png",
      };

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *path = g_build_filename (preview_dir, names[i], NULL);
          CradleSpectrogramStyle s = style;
          int w = 1200;
          int h = 600;

          if (i == 3)
            {
              s.colormap = CRADLE_COLORMAP_MAGMA;
              s.freq_scale = CRADLE_FREQ_SCALE_LOG;
              s.foreground = (CradleRGBA) { 0.93, 0.93, 0.93, 1.0 };
              s.background = (CradleRGBA) { 0.14, 0.14, 0.16, 1.0 };
              s.title = "Dark theme, log scale, magma";
            }
          else if (i == 4)
            {
              s.title = NULL;
              w = 360;
              h = 180;
            }
          g_assert_true (cradle_spectrogram_export (path, w, h, &data, &s, &error));
          g_assert_no_error (error);
        }
    }

  g_free (mel.mel_db);
  g_free (mel.band_hz);
  remove_dir (dir);
}

/* ---- Timing ------------------------------------------------------------ */

static void
test_render_timing (void)
{
  ChirpMel mel;
  CradleSpectrogramData data;
  CradleSpectrogramStyle style;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1200, 600);
  const guint runs = 20;
  gint64 start;
  double full_ms;
  double image_ms;

  chirp_mel (&mel);
  data = (CradleSpectrogramData) {
    mel.mel_db, mel.n_frames, mel.n_mels, 512.0 / CHIRP_RATE, 0.0, mel.band_hz, 0.0,
    CHIRP_RATE / 2.0,
  };
  cradle_spectrogram_style_init (&style);
  style.title = "Timing";

  /* Warm up the font caches. */
  {
    cairo_t *cr = cairo_create (surface);

    cradle_spectrogram_render (cr, 1200, 600, &data, &style);
    cairo_destroy (cr);
  }

  start = g_get_monotonic_time ();
  for (guint i = 0; i < runs; i++)
    {
      cairo_t *cr = cairo_create (surface);

      cradle_spectrogram_render (cr, 1200, 600, &data, &style);
      cairo_destroy (cr);
    }
  full_ms = (g_get_monotonic_time () - start) / 1000.0 / runs;

  start = g_get_monotonic_time ();
  for (guint i = 0; i < runs; i++)
    cairo_surface_destroy (cradle_spectrogram_render_image (&data, &style, 1200, 600));
  image_ms = (g_get_monotonic_time () - start) / 1000.0 / runs;

  g_test_message ("5 s mel spectrogram at 1200×600: full render %.2f ms, image alone %.2f ms",
                  full_ms, image_ms);
  /* Generous, for sanitizer and debug builds on a loaded machine. */
  g_assert_cmpfloat (full_ms, <, 250.0);

  cairo_surface_destroy (surface);
  g_free (mel.mel_db);
  g_free (mel.band_hz);
}

int
main (int    argc,
      char **argv)
{
  /* Labels use the locale's decimal separator; test in C. */
  setlocale (LC_ALL, "C");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/draw/colormap/endpoints", test_colormap_endpoints);
  g_test_add_func ("/draw/colormap/names", test_colormap_names);
  g_test_add_func ("/draw/axis/nice-step", test_axis_nice_step);
  g_test_add_func ("/draw/axis/time-ticks", test_axis_time_ticks);
  g_test_add_func ("/draw/axis/labels", test_axis_labels);
  g_test_add_func ("/draw/axis/freq-scales", test_axis_freq_scales);
  g_test_add_func ("/draw/axis/freq-ticks", test_axis_freq_ticks);
  g_test_add_func ("/draw/axis/ruler", test_axis_ruler);
  g_test_add_func ("/draw/render/hot-band", test_render_hot_band_no_axes);
  g_test_add_func ("/draw/render/colors-and-axes", test_render_colors_and_axes);
  g_test_add_func ("/draw/render/time-mapping", test_render_time_mapping);
  g_test_add_func ("/draw/render/dense-bins", test_render_dense_bins);
  g_test_add_func ("/draw/render/hidpi", test_render_hidpi);
  g_test_add_func ("/draw/render/value-at", test_render_value_at);
  g_test_add_func ("/draw/render/image-only", test_render_image_only);
  g_test_add_func ("/draw/render/chirp", test_render_chirp);
  g_test_add_func ("/draw/render/timing", test_render_timing);
  g_test_add_func ("/draw/export/formats", test_export_formats);
  g_test_add_func ("/draw/export/errors", test_export_errors);

  return g_test_run ();
}
