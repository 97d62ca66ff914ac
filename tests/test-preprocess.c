/* test-preprocess.c — trim, peak normalisation, fixed length
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "cradle-core.h"
#include "cradle-test-util.h"

static const char *const fixtures[] = { "chirp", "noise", "cry", "cry_padded" };

/* librosa.effects.trim (y, top_db=20) (frame 2048, hop 512): the kept
 * [start, end) within one hop (512) — measured: identical. */
static void
test_trim_matches_librosa (void)
{
  for (guint f = 0; f < G_N_ELEMENTS (fixtures); f++)
    {
      g_autofree char *wav = g_strdup_printf ("%s.wav", fixtures[f]);
      g_autofree char *csv = g_strdup_printf ("%s.trim.csv", fixtures[f]);
      g_autoptr(CradleTestMatrix) ref = cradle_test_matrix_load (csv);
      g_autofree float *x = NULL;
      gsize n, start, end;
      guint sr;

      x = cradle_test_fixture_audio (wav, &n, &sr);
      cradle_trim_silence (x, n, 20.0f, 2048, 512, &start, &end);
      g_assert_cmpuint (ref->cols, ==, 2);
      g_test_message ("%s: [%zu, %zu), librosa [%.0f, %.0f)", fixtures[f], start, end,
                      cradle_test_matrix_get (ref, 0, 0), cradle_test_matrix_get (ref, 0, 1));
      g_assert_cmpfloat_with_epsilon ((double) start, cradle_test_matrix_get (ref, 0, 0), 512.0);
      g_assert_cmpfloat_with_epsilon ((double) end, cradle_test_matrix_get (ref, 0, 1), 512.0);
    }
}

/* The same decision computed the slow way: RMS per centred zero-padded
 * frame, dB relative to the loudest with amin 1e-5. */
static void
naive_trim (const float *x,
            gsize        n,
            double       top_db,
            guint        frame,
            guint        hop,
            gsize       *start,
            gsize       *end)
{
  guint n_frames = 1 + n / hop;
  g_autofree double *rms = g_new (double, n_frames);
  double peak = 0.0;
  gssize first = -1, last = -1;

  for (guint t = 0; t < n_frames; t++)
    {
      double sum = 0.0;

      for (guint i = 0; i < frame; i++)
        {
          gssize j = (gssize) t * hop + i - frame / 2;

          if (j >= 0 && j < (gssize) n)
            sum += (double) x[j] * x[j];
        }
      rms[t] = sqrt (sum / frame);
      peak = MAX (peak, rms[t]);
    }
  for (guint t = 0; t < n_frames; t++)
    if (20.0 * log10 (MAX (1e-5, rms[t])) - 20.0 * log10 (MAX (1e-5, peak)) > -top_db)
      {
        if (first < 0)
          first = t;
        last = t;
      }
  *start = MIN (n, (gsize) first * hop);
  *end = MIN (n, (gsize) (last + 1) * hop);
}

/* zeros + tone + zeros: the tone's span, widened by at most a frame and
 * aligned to hops, and the same as the slow definition. */
static void
test_trim_tone (void)
{
  const guint sr = 16000;
  const gsize lead = 16000, len = 16000, tail = 12000;
  gsize n = lead + len + tail, start, end, want_start, want_end;
  g_autofree float *x = g_new0 (float, n);
  g_autofree float *tone = cradle_test_sine (len, sr, 440.0, 0.5);

  memcpy (x + lead, tone, len * sizeof (float));
  cradle_trim_silence (x, n, 20.0f, 2048, 512, &start, &end);
  naive_trim (x, n, 20.0, 2048, 512, &want_start, &want_end);
  g_assert_cmpuint (start, ==, want_start);
  g_assert_cmpuint (end, ==, want_end);

  g_assert_cmpuint (start % 512, ==, 0);
  g_assert_cmpuint (start, <=, lead);
  g_assert_cmpuint (start, >=, lead - 1024);   /* within half a frame */
  g_assert_cmpuint (end, >=, lead + len);
  g_assert_cmpuint (end, <=, lead + len + 1024 + 512);

  /* a quieter tone is still kept when it is within top_db of the loud one */
  for (gsize i = 0; i < 4000; i++)
    x[i + 2000] = 0.2f * (float) sin (i * 0.1);   /* -8 dB: kept */
  cradle_trim_silence (x, n, 20.0f, 2048, 512, &start, &end);
  g_assert_cmpuint (start, <=, 2000);
  for (gsize i = 0; i < 4000; i++)
    x[i + 2000] = 0.01f * (float) sin (i * 0.1);  /* -34 dB: silence */
  cradle_trim_silence (x, n, 20.0f, 2048, 512, &start, &end);
  g_assert_cmpuint (start, ==, want_start);
}

/* Random shapes against the slow definition. */
static void
test_trim_definition (void)
{
  const struct { gsize n; guint frame, hop; float top_db; } cases[] = {
    { 20000, 2048, 512, 20.0f }, { 7777, 1024, 256, 30.0f }, { 5000, 401, 100, 10.0f },
    { 3000, 256, 300, 20.0f }, { 100, 2048, 512, 20.0f },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      gsize n = cases[c].n, start, end, want_start, want_end;
      g_autofree float *x = cradle_test_noise (n, 0.1, 77 + c);

      /* fade in and out over the first and last thirds */
      for (gsize i = 0; i < n; i++)
        {
          double pos = (double) i / n;
          double gain = pos < 1.0 / 3 ? pow (pos * 3, 4.0) : pos > 2.0 / 3 ? pow ((1 - pos) * 3, 4.0) : 1.0;

          x[i] *= (float) gain;
        }
      cradle_trim_silence (x, n, cases[c].top_db, cases[c].frame, cases[c].hop, &start, &end);
      naive_trim (x, n, cases[c].top_db, cases[c].frame, cases[c].hop, &want_start, &want_end);
      g_assert_cmpuint (start, ==, want_start);
      g_assert_cmpuint (end, ==, want_end);
      g_assert_cmpuint (start, <, end);
    }
}

/* Documented: an all-silent signal (even the loudest frame below the
 * 1e-5 amplitude floor) and the empty signal give 0, 0. */
static void
test_trim_silent (void)
{
  gsize n = 10000, start = 99, end = 99;
  g_autofree float *x = g_new0 (float, n);

  cradle_trim_silence (x, n, 20.0f, 2048, 512, &start, &end);
  g_assert_cmpuint (start, ==, 0);
  g_assert_cmpuint (end, ==, 0);

  for (gsize i = 0; i < n; i++)
    x[i] = 1e-6f * (float) sin (i * 0.3);
  cradle_trim_silence (x, n, 20.0f, 2048, 512, &start, &end);
  g_assert_cmpuint (start, ==, 0);
  g_assert_cmpuint (end, ==, 0);

  start = end = 99;
  cradle_trim_silence (NULL, 0, 20.0f, 2048, 512, &start, &end);
  g_assert_cmpuint (start, ==, 0);
  g_assert_cmpuint (end, ==, 0);
}

static void
test_peak_normalize (void)
{
  float x[] = { 0.1f, -0.4f, 0.2f, 0.0f, 0.35f, -0.1f, 0.05f, 0.3f, -0.2f, 0.15f, 0.01f };
  float orig[G_N_ELEMENTS (x)];
  float zeros[5] = { 0 };

  memcpy (orig, x, sizeof x);
  cradle_peak_normalize (x, G_N_ELEMENTS (x));
  g_assert_cmpfloat (x[1], ==, -1.0f);   /* the peak is negative: sign kept */
  for (guint i = 0; i < G_N_ELEMENTS (x); i++)
    {
      g_assert_cmpfloat (fabsf (x[i]), <=, 1.0f);
      g_assert_cmpfloat_with_epsilon (x[i], orig[i] / 0.4f, 1e-6);
    }

  cradle_peak_normalize (zeros, 5);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpfloat (zeros[i], ==, 0.0f);

  /* a long one: exactly one sample at +-1 */
  {
    gsize n = 10001;
    g_autofree float *y = cradle_test_noise (n, 0.05, 3);
    guint n_unit = 0;

    y[7777] = 0.9f;
    cradle_peak_normalize (y, n);
    for (gsize i = 0; i < n; i++)
      {
        g_assert_cmpfloat (fabsf (y[i]), <=, 1.0f);
        n_unit += fabsf (y[i]) == 1.0f;
      }
    g_assert_cmpfloat (y[7777], ==, 1.0f);
    g_assert_cmpuint (n_unit, ==, 1);
  }
}

static void
test_fix_length (void)
{
  const float x[] = { 1, 2, 3, 4, 5, 6, 7 };
  float out[12];

  /* pad 7 -> 10: 1 zero before, 2 after (the extra goes after) */
  cradle_fix_length_centered (x, 7, out, 10);
  {
    const float want[] = { 0, 1, 2, 3, 4, 5, 6, 7, 0, 0 };

    g_assert_cmpmem (out, sizeof want, want, sizeof want);
  }
  /* pad 7 -> 11: 2 and 2 */
  cradle_fix_length_centered (x, 7, out, 11);
  {
    const float want[] = { 0, 0, 1, 2, 3, 4, 5, 6, 7, 0, 0 };

    g_assert_cmpmem (out, sizeof want, want, sizeof want);
  }
  /* trim 7 -> 4: drop 1 before, 2 after */
  cradle_fix_length_centered (x, 7, out, 4);
  {
    const float want[] = { 2, 3, 4, 5 };

    g_assert_cmpmem (out, sizeof want, want, sizeof want);
  }
  /* trim 7 -> 3: the centre */
  cradle_fix_length_centered (x, 7, out, 3);
  {
    const float want[] = { 3, 4, 5 };

    g_assert_cmpmem (out, sizeof want, want, sizeof want);
  }
  /* equal: a copy */
  cradle_fix_length_centered (x, 7, out, 7);
  g_assert_cmpmem (out, sizeof x, x, sizeof x);
  /* empty input: zeros */
  for (guint i = 0; i < 5; i++)
    out[i] = 9.0f;
  cradle_fix_length_centered (NULL, 0, out, 5);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpfloat (out[i], ==, 0.0f);
}

/* The whole chain under the default configuration (5 s at 16 kHz):
 * a quiet 2 s tone in 3 s of silence comes out centred, normalised to 1,
 * zero-padded; a 7 s tone is cropped to its centre. */
static void
test_preprocess_clip (void)
{
  CradleAnalysisConfig config;
  gsize target;

  cradle_analysis_config_init_default (&config);
  target = cradle_analysis_config_clip_samples (&config);
  g_assert_cmpuint (target, ==, 80000);

  {
    gsize n = 48000, lead = 8000, len = 32000;
    g_autofree float *x = g_new0 (float, n);
    g_autofree float *tone = cradle_test_sine (len, 16000, 300.0, 0.05);
    g_autofree float *out = g_new (float, target);
    gsize start, end, first = target, last = 0;
    float peak = 0.0f;

    memcpy (x + lead, tone, len * sizeof (float));
    cradle_trim_silence (x, n, config.trim_top_db, config.n_fft, config.hop_length, &start, &end);
    cradle_preprocess_clip (&config, x, n, out);
    for (gsize i = 0; i < target; i++)
      {
        peak = MAX (peak, fabsf (out[i]));
        if (out[i] != 0.0f)
          {
            first = MIN (first, i);
            last = i;
          }
      }
    g_assert_cmpfloat_with_epsilon (peak, 1.0, 1e-6);
    /* the kept [start, end) sits centred: (target - kept) / 2 zeros first */
    g_assert_cmpuint (first, >=, (target - (end - start)) / 2);
    g_assert_cmpuint (first, <=, (target - (end - start)) / 2 + lead - start + 1);
    g_assert_cmpuint (last, <, (target - (end - start)) / 2 + (end - start));
    /* the tone's samples, scaled by 1 / 0.05 */
    for (gsize i = 0; i < end - start; i++)
      g_assert_cmpfloat_with_epsilon (out[(target - (end - start)) / 2 + i], x[start + i] / 0.05f, 1e-4);
  }

  {
    gsize n = 7 * 16000;
    g_autofree float *x = cradle_test_sine (n, 16000, 200.0, 0.5);
    g_autofree float *out = g_new (float, target);
    gsize offset = (n - target) / 2;

    x[100] = 0.8f;   /* the peak, outside the kept centre: still the normaliser */
    cradle_preprocess_clip (&config, x, n, out);
    for (gsize i = 0; i < target; i++)
      g_assert_cmpfloat_with_epsilon (out[i], x[offset + i] / 0.8f, 1e-6);
  }

  {
    g_autofree float *x = g_new0 (float, 1000);
    g_autofree float *out = g_new (float, target);

    cradle_preprocess_clip (&config, x, 1000, out);
    for (gsize i = 0; i < target; i++)
      g_assert_cmpfloat (out[i], ==, 0.0f);
  }
}

typedef struct {
  const CradleAnalysisConfig *config;
  const float                *x;
  gsize                       n;
  float                      *out;
} PreprocessRun;

static void
run_preprocess (gpointer data)
{
  PreprocessRun *r = data;

  cradle_preprocess_clip (r->config, r->x, r->n, r->out);
}

/* A 5.25 s recording (tone in noise, quiet ends) to a 5 s clip. */
static void
test_timing (void)
{
  CradleAnalysisConfig config;
  gsize n = 84000;
  g_autofree float *x = cradle_test_noise (n, 0.001, 4);
  g_autofree float *out = NULL;
  PreprocessRun r;
  double us;

  if (!g_test_perf ())
    {
      g_test_skip ("timing runs with -m perf");
      return;
    }
  cradle_analysis_config_init_default (&config);
  out = g_new (float, cradle_analysis_config_clip_samples (&config));
  for (gsize i = 8000; i < n - 8000; i++)
    x[i] += 0.3f * (float) sin (i * 0.2);
  r = (PreprocessRun) { &config, x, n, out };
  us = cradle_test_best_time_us (run_preprocess, &r, 200);
  g_test_minimized_result (us, "cradle_preprocess_clip, 5.25 s to 5 s: %.0f us", us);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/preprocess/trim-matches-librosa", test_trim_matches_librosa);
  g_test_add_func ("/core/preprocess/trim-tone", test_trim_tone);
  g_test_add_func ("/core/preprocess/trim-definition", test_trim_definition);
  g_test_add_func ("/core/preprocess/trim-silent", test_trim_silent);
  g_test_add_func ("/core/preprocess/peak-normalize", test_peak_normalize);
  g_test_add_func ("/core/preprocess/fix-length", test_fix_length);
  g_test_add_func ("/core/preprocess/clip", test_preprocess_clip);
  g_test_add_func ("/core/preprocess/timing", test_timing);

  return g_test_run ();
}
