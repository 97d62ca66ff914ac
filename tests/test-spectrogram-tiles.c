/* test-spectrogram-tiles.c — tiled dB spectrograms against the whole-signal
 * STFT, on threads, under a memory limit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "cradle-error.h"
#include "cradle-mel.h"
#include "cradle-spectrogram-tiles.h"
#include "cradle-test-util.h"

#define RATE 16000
#define TOLERANCE_DB 1e-4

/* 3.3 s: a chirp 200 Hz → 6 kHz over noise, with a silent gap. */
static float *
make_signal (gsize *n)
{
  gsize len = (gsize) (3.3 * RATE);
  g_autofree float *noise = cradle_test_noise (len, 0.01, 7);
  float *x = g_new (float, len);

  for (gsize i = 0; i < len; i++)
    {
      double t = (double) i / RATE;
      double phase = 2.0 * G_PI * (200.0 * t + 0.5 * (5800.0 / 3.3) * t * t);

      x[i] = (float) (0.5 * sin (phase)) + noise[i];
      if (t > 1.0 && t < 1.2)
        x[i] = 0.0f;
    }
  *n = len;
  return x;
}

/* The reference: the whole signal through cradle_stft_power (), bands, dB. */
static float *
whole_db (const CradleSpectrogramParams *p,
          const float                   *x,
          gsize                          n,
          guint                         *n_frames,
          guint                         *n_bands)
{
  g_autoptr(CradleStft) stft = cradle_stft_new_with_window (p->n_fft, p->hop, p->window, NULL);
  g_autofree float *power = NULL;
  float *out;
  double half;

  g_assert_nonnull (stft);
  *n_frames = cradle_stft_n_frames (stft, n);
  power = g_new (float, (gsize) *n_frames * cradle_stft_get_n_bins (stft));
  cradle_stft_power (stft, x, n, power);
  half = cradle_stft_get_window_sum (stft) / 2.0;

  if (p->n_mels > 0)
    {
      g_autoptr(CradleMelFilterbank) fb =
        cradle_mel_filterbank_new (p->sample_rate, p->n_fft, p->n_mels, p->fmin,
                                   p->fmax > 0 ? p->fmax : p->sample_rate / 2.0f, NULL);

      g_assert_nonnull (fb);

      out = g_new (float, (gsize) *n_frames * p->n_mels);
      cradle_mel_filterbank_apply (fb, power, *n_frames, out);
      *n_bands = p->n_mels;
    }
  else
    {
      out = g_steal_pointer (&power);
      *n_bands = p->n_fft / 2 + 1;
    }
  /* Frame by frame: the reference must not floor at the global maximum. */
  for (guint f = 0; f < *n_frames; f++)
    cradle_power_to_db (out + (gsize) f * *n_bands, *n_bands, (float) (half * half), 1e-10f, 0.0f);
  return out;
}

/* Max |a − b| over columns; NaN in either side fails. */
static double
max_diff (const float *a,
          const float *b,
          gsize        n)
{
  double worst = 0.0;

  for (gsize i = 0; i < n; i++)
    {
      g_assert_true (isfinite (a[i]) && isfinite (b[i]));
      worst = MAX (worst, fabs ((double) a[i] - b[i]));
    }
  return worst;
}

/* The reference at DECIMATION: the maximum of each run of frames. */
static float *
decimate (const float *db,
          guint        n_frames,
          guint        n_bands,
          guint        decimation,
          guint       *n_columns)
{
  float *out;

  *n_columns = (n_frames + decimation - 1) / decimation;
  out = g_new (float, (gsize) *n_columns * n_bands);
  for (guint c = 0; c < *n_columns; c++)
    for (guint b = 0; b < n_bands; b++)
      {
        float m = -INFINITY;

        for (guint f = c * decimation; f < MIN ((c + 1) * decimation, n_frames); f++)
          m = MAX (m, db[(gsize) f * n_bands + b]);
        out[(gsize) c * n_bands + b] = m;
      }
  return out;
}

static void
wait_idle (CradleSpectrogramTiles *tiles)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (cradle_spectrogram_tiles_get_pending (tiles) > 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (1000);
    }
}

static void
check_params (const CradleSpectrogramParams *p)
{
  gsize n;
  g_autofree float *x = make_signal (&n);
  g_autofree float *ref = NULL;
  g_autoptr(CradleSpectrogramComputer) computer = NULL;
  g_autoptr(GError) error = NULL;
  guint n_frames;
  guint n_bands;
  /* Ranges: the start, a middle piece across the gap, the end (partial). */
  const guint64 firsts[] = { 0, 97, 0 };
  guint counts[] = { 5, 60, 0 };

  ref = whole_db (p, x, n, &n_frames, &n_bands);
  computer = cradle_spectrogram_computer_new (p, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cradle_spectrogram_computer_get_n_bands (computer), ==, n_bands);

  counts[2] = 40;
  for (guint r = 0; r < G_N_ELEMENTS (firsts); r++)
    {
      guint64 first = r == 2 ? n_frames - 40 : firsts[r];
      g_autofree float *got = g_new (float, (gsize) counts[r] * n_bands);

      cradle_spectrogram_computer_do (computer, x, n, first, counts[r], 1, got);
      g_assert_cmpfloat (max_diff (got, ref + first * n_bands, (gsize) counts[r] * n_bands), <=, TOLERANCE_DB);
    }

  /* Past the end: NaN. */
  {
    g_autofree float *got = g_new (float, (gsize) 2 * n_bands);

    cradle_spectrogram_computer_do (computer, x, n, n_frames - 1, 2, 1, got);
    g_assert_true (isfinite (got[0]));
    g_assert_true (isnan (got[n_bands]));
  }
}

static void
test_matches_whole_stft (void)
{
  for (guint w = CRADLE_STFT_WINDOW_HANN; w <= CRADLE_STFT_WINDOW_BLACKMAN; w++)
    {
      CradleSpectrogramParams p;

      cradle_spectrogram_params_init (&p, RATE);
      p.n_fft = 512;
      p.hop = 128;
      p.window = w;
      g_test_message ("window %s", cradle_stft_window_to_string (w));
      check_params (&p);
    }
}

static void
test_matches_whole_mel (void)
{
  CradleSpectrogramParams p;

  cradle_spectrogram_params_init (&p, RATE);
  p.n_fft = 1024;
  p.hop = 256;
  p.n_mels = 64;
  p.fmin = 50.0f;
  check_params (&p);
}

/* The tile cache, at levels 0 and 3, equals the whole-signal reference. */
static void
test_tiles_match (void)
{
  gsize n;
  g_autofree float *x = make_signal (&n);
  g_autoptr(GBytes) signal = g_bytes_new (x, n * sizeof (float));
  g_autoptr(CradleSpectrogramTiles) tiles = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *ref = NULL;
  CradleSpectrogramParams p;
  guint n_frames;
  guint n_bands;

  cradle_spectrogram_params_init (&p, RATE);
  p.n_fft = 256;
  p.hop = 64;   /* 826 frames: 4 tiles at level 0, the last one short */
  ref = whole_db (&p, x, n, &n_frames, &n_bands);

  tiles = cradle_spectrogram_tiles_new (&p, signal, 2, 64 << 20, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cradle_spectrogram_tiles_get_n_frames (tiles), ==, n_frames);
  g_assert_cmpuint (cradle_spectrogram_tiles_get_n_bands (tiles), ==, n_bands);
  g_assert_cmpfloat_with_epsilon (cradle_spectrogram_tiles_get_band_hz (tiles)[1], RATE / 256.0, 1e-9);

  for (guint level = 0; level <= 3; level += 3)
    {
      guint n_columns;
      g_autofree float *want = decimate (ref, n_frames, n_bands, 1u << level, &n_columns);
      g_autofree float *got = g_new (float, (gsize) n_columns * n_bands);
      guint64 missing;

      g_assert_cmpuint (cradle_spectrogram_tiles_n_columns (tiles, level), ==, n_columns);
      /* First copy: nothing computed yet, all NaN, all queued. */
      missing = cradle_spectrogram_tiles_copy (tiles, level, 0, n_columns, TRUE, got);
      g_assert_cmpuint (missing, ==, n_columns);
      g_assert_true (isnan (got[0]));
      wait_idle (tiles);
      missing = cradle_spectrogram_tiles_copy (tiles, level, 0, n_columns, TRUE, got);
      g_assert_cmpuint (missing, ==, 0);
      g_assert_cmpfloat (max_diff (got, want, (gsize) n_columns * n_bands), <=, TOLERANCE_DB);

      /* A range across a tile boundary, and one running past the end. */
      {
        g_autofree float *part = g_new (float, (gsize) 20 * n_bands);

        if (n_columns > 266)
          {
            g_assert_cmpuint (cradle_spectrogram_tiles_copy (tiles, level, 246, 20, FALSE, part), ==, 0);
            g_assert_cmpfloat (max_diff (part, want + 246 * n_bands, (gsize) 20 * n_bands), <=, TOLERANCE_DB);
          }
        g_assert_cmpuint (cradle_spectrogram_tiles_copy (tiles, level, n_columns - 5, 20, FALSE, part), ==, 15);
        g_assert_cmpfloat (max_diff (part, want + (n_columns - 5) * n_bands, (gsize) 5 * n_bands), <=, TOLERANCE_DB);
        g_assert_true (isnan (part[(gsize) 5 * n_bands]));
      }
    }
}

/* A full-scale sine on a bin centre reads 0 dB (re full scale). */
static void
test_full_scale_sine (void)
{
  gsize n = RATE;
  g_autofree float *x = cradle_test_sine (n, RATE, 1000.0, 1.0);  /* bin 32 of 512 */
  g_autoptr(CradleSpectrogramComputer) computer = NULL;
  g_autofree float *db = NULL;
  CradleSpectrogramParams p;
  guint nb;
  guint peak = 0;

  for (guint w = CRADLE_STFT_WINDOW_HANN; w <= CRADLE_STFT_WINDOW_BLACKMAN; w++)
    {
      cradle_spectrogram_params_init (&p, RATE);
      p.n_fft = 512;
      p.hop = 128;
      p.window = w;
      computer = cradle_spectrogram_computer_new (&p, NULL);
      nb = cradle_spectrogram_computer_get_n_bands (computer);
      g_free (db);
      db = g_new (float, nb);
      cradle_spectrogram_computer_do (computer, x, n, 40, 1, 1, db);
      for (guint b = 0; b < nb; b++)
        if (db[b] > db[peak])
          peak = b;
      g_assert_cmpuint (peak, ==, 32);
      g_assert_cmpfloat_with_epsilon (db[peak], 0.0, 0.01);
      /* Far from the tone the window's leakage is low. */
      g_assert_cmpfloat (db[200], <, -60.0);
      g_clear_pointer (&computer, cradle_spectrogram_computer_free);
    }
}

typedef struct {
  CradleSpectrogramTiles *tiles;
  guint                   n_columns;
  guint                   n_bands;
  guint                   seed;
} CopyJob;

static gpointer
copy_thread (gpointer data)
{
  CopyJob *job = data;
  g_autoptr(GRand) rand = g_rand_new_with_seed (job->seed);
  g_autofree float *buf = g_new (float, (gsize) 300 * job->n_bands);

  for (guint i = 0; i < 200; i++)
    {
      guint first = g_rand_int_range (rand, 0, job->n_columns);

      cradle_spectrogram_tiles_copy (job->tiles, g_rand_int_range (rand, 0, 3), first, 300, TRUE, buf);
    }
  return NULL;
}

static void
count_ready (guint    level,
             guint64  index,
             gpointer user_data)
{
  g_atomic_int_inc ((gint *) user_data);
}

/* Four workers, three threads copying and requesting at once, a cache too
 * small for everything: every value that comes back equals the serial one. */
static void
test_threads (void)
{
  gsize n;
  g_autofree float *x = make_signal (&n);
  g_autoptr(GBytes) signal = g_bytes_new (x, n * sizeof (float));
  g_autoptr(CradleSpectrogramTiles) tiles = NULL;
  g_autofree float *ref = NULL;
  g_autofree float *got = NULL;
  GThread *threads[3];
  CopyJob jobs[3];
  CradleSpectrogramParams p;
  guint n_frames;
  guint n_bands;
  gint n_ready = 0;

  cradle_spectrogram_params_init (&p, RATE);
  p.n_fft = 128;
  p.hop = 16;  /* 3301 frames, 13 tiles at level 0 */
  ref = whole_db (&p, x, n, &n_frames, &n_bands);
  tiles = cradle_spectrogram_tiles_new (&p, signal, 4, 6 * 256 * n_bands * sizeof (float),
                                        count_ready, &n_ready, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      jobs[i] = (CopyJob) { tiles, n_frames, n_bands, i + 1 };
      threads[i] = g_thread_new ("copy", copy_thread, &jobs[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  wait_idle (tiles);
  g_assert_cmpint (g_atomic_int_get (&n_ready), >, 0);

  /* Everything at level 0, one tile at a time (the cache holds 6). */
  got = g_new (float, (gsize) 256 * n_bands);
  for (guint64 first = 0; first < n_frames; first += 256)
    {
      guint count = (guint) MIN ((guint64) 256, n_frames - first);

      cradle_spectrogram_tiles_copy (tiles, 0, first, count, TRUE, got);
      wait_idle (tiles);
      g_assert_cmpuint (cradle_spectrogram_tiles_copy (tiles, 0, first, count, TRUE, got), ==, 0);
      g_assert_cmpfloat (max_diff (got, ref + first * n_bands, (gsize) count * n_bands), <=, TOLERANCE_DB);
    }
}

/* The cache stays under its limit (plus the latest copy's tiles). */
static void
test_memory_limit (void)
{
  gsize n = (gsize) RATE * 20;
  g_autofree float *x = cradle_test_noise (n, 0.1, 3);
  g_autoptr(GBytes) signal = g_bytes_new (x, n * sizeof (float));
  g_autoptr(CradleSpectrogramTiles) tiles = NULL;
  g_autofree float *buf = NULL;
  CradleSpectrogramParams p;
  gsize tile_bytes;
  gsize limit;
  gsize peak = 0;
  guint nb;

  cradle_spectrogram_params_init (&p, RATE);
  p.n_fft = 256;
  p.hop = 32;   /* 10001 frames: 40 tiles */
  nb = p.n_fft / 2 + 1;
  tile_bytes = (gsize) 256 * nb * sizeof (float);
  limit = 5 * tile_bytes;
  tiles = cradle_spectrogram_tiles_new (&p, signal, 2, limit, NULL, NULL, NULL);
  buf = g_new (float, (gsize) 512 * nb);

  for (guint64 first = 0; first + 512 <= 10001; first += 512)
    {
      cradle_spectrogram_tiles_copy (tiles, 0, first, 512, TRUE, buf);
      wait_idle (tiles);
      g_assert_cmpuint (cradle_spectrogram_tiles_copy (tiles, 0, first, 512, TRUE, buf), ==, 0);
      g_assert_cmpuint (cradle_spectrogram_tiles_get_memory (tiles, NULL), <=, limit);
    }
  cradle_spectrogram_tiles_get_memory (tiles, &peak);
  g_test_message ("peak %" G_GSIZE_FORMAT " bytes, limit %" G_GSIZE_FORMAT, peak, limit);
  /* A tile may land before the eviction that follows it. */
  g_assert_cmpuint (peak, <=, limit + tile_bytes);
  g_assert_cmpuint (peak, >=, 2 * tile_bytes);
}

static void
test_bad_input (void)
{
  CradleSpectrogramParams p;
  g_autoptr(GError) error = NULL;
  float one = 0.0f;
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GBytes) ragged = g_bytes_new (&one, 3);

  cradle_spectrogram_params_init (&p, RATE);
  p.n_fft = 1001;
  g_assert_null (cradle_spectrogram_computer_new (&p, &error));
  g_assert_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, "1001"));
  g_clear_error (&error);

  cradle_spectrogram_params_init (&p, RATE);
  p.hop = 0;
  g_assert_null (cradle_spectrogram_computer_new (&p, &error));
  g_assert_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_INVALID_CONFIG);
  g_clear_error (&error);

  cradle_spectrogram_params_init (&p, 0);
  g_assert_null (cradle_spectrogram_computer_new (&p, &error));
  g_assert_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_INVALID_CONFIG);
  g_assert_nonnull (strstr (error->message, "sample rate"));
  g_clear_error (&error);

  cradle_spectrogram_params_init (&p, RATE);
  p.n_mels = 4000;
  g_assert_null (cradle_spectrogram_computer_new (&p, &error));
  g_assert_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_INVALID_CONFIG);
  g_clear_error (&error);

  cradle_spectrogram_params_init (&p, RATE);
  g_assert_null (cradle_spectrogram_tiles_new (&p, empty, 1, 1 << 20, NULL, NULL, &error));
  g_assert_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_TOO_SHORT);
  g_clear_error (&error);
  g_assert_null (cradle_spectrogram_tiles_new (&p, ragged, 1, 1 << 20, NULL, NULL, &error));
  g_assert_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_TOO_SHORT);
}

static void
test_waveform_peaks (void)
{
  const float x[] = { 0.1f, -0.5f, 0.3f, 0.9f, -0.2f, 0.0f, 0.4f };
  float mins[3];
  float maxs[3];
  float mins8[8];
  float maxs8[8];

  cradle_waveform_peaks (x, G_N_ELEMENTS (x), 3, mins, maxs);
  /* Buckets [0, 2), [2, 4), [4, 7). */
  g_assert_cmpfloat (mins[0], ==, -0.5f);
  g_assert_cmpfloat (maxs[0], ==, 0.1f);
  g_assert_cmpfloat (mins[1], ==, 0.3f);
  g_assert_cmpfloat (maxs[1], ==, 0.9f);
  g_assert_cmpfloat (mins[2], ==, -0.2f);
  g_assert_cmpfloat (maxs[2], ==, 0.4f);

  /* More buckets than samples: each holds a sample. */
  cradle_waveform_peaks (x, G_N_ELEMENTS (x), 8, mins8, maxs8);
  for (guint i = 0; i < 8; i++)
    {
      g_assert_cmpfloat (mins8[i], ==, maxs8[i]);
      g_assert_cmpfloat (mins8[i], >=, -0.5f);
    }
  g_assert_cmpfloat (mins8[7], ==, 0.4f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/spectrogram-tiles/matches-whole-stft", test_matches_whole_stft);
  g_test_add_func ("/core/spectrogram-tiles/matches-whole-mel", test_matches_whole_mel);
  g_test_add_func ("/core/spectrogram-tiles/tiles-match-whole", test_tiles_match);
  g_test_add_func ("/core/spectrogram-tiles/full-scale-sine", test_full_scale_sine);
  g_test_add_func ("/core/spectrogram-tiles/threads", test_threads);
  g_test_add_func ("/core/spectrogram-tiles/memory-limit", test_memory_limit);
  g_test_add_func ("/core/spectrogram-tiles/bad-input", test_bad_input);
  g_test_add_func ("/core/waveform-peaks", test_waveform_peaks);

  return g_test_run ();
}
