/* test-augment.c — augmentations on synthetic signals
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "cradle-augment.h"
#include "cradle-test-util.h"

#define RATE 16000

static double
power (const float *x,
       gsize        n)
{
  double s = 0.0;

  for (gsize i = 0; i < n; i++)
    s += (double) x[i] * x[i];
  return s / n;
}

/* Frequency of a (near) pure tone from its rising zero crossings, over the
 * middle half of X (away from edge effects), with sub-sample interpolation. */
static double
tone_hz (const float *x,
         gsize        n)
{
  gsize from = n / 4;
  gsize to = 3 * n / 4;
  double first = -1.0;
  double last = -1.0;
  guint crossings = 0;

  for (gsize i = from; i + 1 < to; i++)
    if (x[i] <= 0.0f && x[i + 1] > 0.0f)
      {
        double t = i + x[i] / (double) (x[i] - x[i + 1]);

        if (first < 0.0)
          first = t;
        else
          crossings++;
        last = t;
      }
  g_assert_cmpuint (crossings, >, 10);
  return crossings * (double) RATE / (last - first);
}

static void
test_gain (void)
{
  g_autofree float *x = cradle_test_sine (1000, RATE, 300.0, 0.25);
  g_autofree float *y = g_memdup2 (x, 1000 * sizeof (float));

  cradle_augment_gain (y, 1000, 6.0);
  for (guint i = 0; i < 1000; i++)
    g_assert_cmpfloat_with_epsilon (y[i], x[i] * pow (10.0, 6.0 / 20.0), 1e-6);
  cradle_augment_gain (y, 1000, -6.0);
  g_assert_cmpfloat_with_epsilon (10 * log10 (power (y, 1000) / power (x, 1000)), 0.0, 1e-5);
}

static void
test_noise_snr (void)
{
  const gsize n = RATE * 2;
  const double snrs[3] = { 0.0, 10.0, 25.0 };

  for (guint k = 0; k < G_N_ELEMENTS (snrs); k++)
    {
      g_autofree float *x = cradle_test_sine (n, RATE, 440.0, 0.5);
      g_autofree float *y = g_memdup2 (x, n * sizeof (float));
      g_autofree float *again = g_memdup2 (x, n * sizeof (float));
      g_autofree float *noise = g_new (float, n);
      double snr;

      cradle_augment_noise (y, n, snrs[k], 123);
      for (gsize i = 0; i < n; i++)
        noise[i] = y[i] - x[i];
      snr = 10.0 * log10 (power (x, n) / power (noise, n));
      g_assert_cmpfloat_with_epsilon (snr, snrs[k], 0.5);
      /* Seeded: the same seed gives the same noise. */
      cradle_augment_noise (again, n, snrs[k], 123);
      g_assert_cmpmem (y, n * sizeof (float), again, n * sizeof (float));
    }
  {
    float silent[8] = { 0 };

    cradle_augment_noise (silent, 8, 10.0, 1);
    for (guint i = 0; i < 8; i++)
      g_assert_cmpfloat (silent[i], ==, 0.0f);
  }
}

static void
test_shift (void)
{
  float x[6] = { 1, 2, 3, 4, 5, 6 };
  const float circular[6] = { 5, 6, 1, 2, 3, 4 };
  const float zero_fill[6] = { 3, 4, 5, 6, 0, 0 };
  float y[6];

  memcpy (y, x, sizeof x);
  cradle_augment_shift (y, 6, 2, TRUE);
  g_assert_cmpmem (y, sizeof y, circular, sizeof circular);
  memcpy (y, x, sizeof x);
  cradle_augment_shift (y, 6, -2, FALSE);
  g_assert_cmpmem (y, sizeof y, zero_fill, sizeof zero_fill);
  memcpy (y, x, sizeof x);
  cradle_augment_shift (y, 6, -8, TRUE);  /* -8 ≡ -2 */
  g_assert_cmpfloat (y[0], ==, 3.0f);
}

static void
test_mix_snr (void)
{
  const gsize n = RATE;
  g_autofree float *x = cradle_test_sine (n, RATE, 500.0, 0.3);
  g_autofree float *y = g_memdup2 (x, n * sizeof (float));
  g_autofree float *bg = cradle_test_noise (RATE / 3, 0.05, 77);  /* shorter: looped */
  g_autofree float *added = g_new (float, n);

  cradle_augment_mix (y, n, bg, RATE / 3, 100, 12.0);
  for (gsize i = 0; i < n; i++)
    added[i] = y[i] - x[i];
  g_assert_cmpfloat_with_epsilon (10.0 * log10 (power (x, n) / power (added, n)), 12.0, 0.01);
  /* The background is read from the offset and looped. */
  g_assert_cmpfloat_with_epsilon (added[0] / bg[100], added[RATE / 3 - 100] / bg[0], 1e-4);
}

static void
test_time_stretch (void)
{
  const gsize n = RATE * 2;
  g_autofree float *x = g_new0 (float, n);
  g_autofree float *y = g_new (float, n);
  g_autofree float *tone = cradle_test_sine (n / 2, RATE, 440.0, 0.5);
  g_autoptr(GError) error = NULL;
  gsize first = n;
  gsize last = 0;

  /* A 1 s tone burst in the middle of 2 s; stretched by 1.25 it lasts
   * 1.25 s, at the same pitch, and the clip keeps its length. */
  memcpy (x + n / 4, tone, n / 2 * sizeof (float));
  g_assert_true (cradle_augment_time_stretch (x, n, RATE, 1.25, y, &error));
  g_assert_no_error (error);
  for (gsize i = 0; i < n; i++)
    if (fabsf (y[i]) > 0.1f)
      {
        first = MIN (first, i);
        last = i;
      }
  g_assert_cmpfloat_with_epsilon ((last - first) / (double) RATE, 1.25, 0.05);
  g_assert_cmpfloat_with_epsilon (tone_hz (y, n), 440.0, 440.0 * 0.01);

  g_assert_false (cradle_augment_time_stretch (x, n, RATE, 10.0, y, &error));
  g_assert_error (error, CRADLE_AUGMENT_ERROR, CRADLE_AUGMENT_ERROR_INVALID);
}

static void
test_pitch_shift (void)
{
  const gsize n = RATE * 2;
  g_autofree float *x = cradle_test_sine (n, RATE, 440.0, 0.5);
  g_autofree float *y = g_new (float, n);
  g_autoptr(GError) error = NULL;
  double hz;

  g_assert_true (cradle_augment_pitch_shift (x, n, RATE, 2.0, y, &error));
  g_assert_no_error (error);
  hz = tone_hz (y, n);
  g_assert_cmpfloat_with_epsilon (hz / 440.0, pow (2.0, 2.0 / 12.0), pow (2.0, 2.0 / 12.0) * 0.01);
  g_assert_true (cradle_augment_pitch_shift (x, n, RATE, -3.0, y, &error));
  g_assert_cmpfloat_with_epsilon (tone_hz (y, n) / 440.0, pow (2.0, -3.0 / 12.0), 0.01);
}

static void
test_policy (void)
{
  CradleAugmentPolicy policy;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) backgrounds = g_ptr_array_new_with_free_func ((GDestroyNotify) cradle_audio_free);
  CradleAudio *bg = cradle_audio_new (RATE, RATE);
  const gsize n = RATE;
  g_autofree float *x = cradle_test_sine (n, RATE, 400.0, 0.5);
  g_autofree float *a = g_memdup2 (x, n * sizeof (float));
  g_autofree float *b = g_memdup2 (x, n * sizeof (float));

  g_assert_true (cradle_augment_policy_parse (&policy, "noise,mix,copies=3", &error));
  g_assert_cmpuint (policy.flags, ==, CRADLE_AUGMENT_NOISE | CRADLE_AUGMENT_MIX);
  g_assert_cmpuint (policy.copies, ==, 3);
  text = cradle_augment_policy_to_string (&policy);
  g_assert_cmpstr (text, ==, "noise,mix,copies=3");
  g_assert_false (cradle_augment_policy_parse (&policy, "noise,wobble", &error));
  g_assert_error (error, CRADLE_AUGMENT_ERROR, CRADLE_AUGMENT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "wobble"));
  g_clear_error (&error);
  g_assert_false (cradle_augment_policy_parse (&policy, "copies=0", &error));
  g_clear_error (&error);

  /* The default policy, seeded twice alike: the same copy. */
  for (gsize i = 0; i < bg->n_samples; i++)
    bg->samples[i] = (float) sin (i * 0.37) * 0.1f;
  g_ptr_array_add (backgrounds, bg);
  g_assert_true (cradle_augment_policy_parse (&policy, "default", &error));
  {
    g_autoptr(GRand) r1 = g_rand_new_with_seed (5);
    g_autoptr(GRand) r2 = g_rand_new_with_seed (5);

    g_assert_true (cradle_augment_apply (&policy, a, n, RATE, backgrounds, r1, &error));
    g_assert_no_error (error);
    g_assert_true (cradle_augment_apply (&policy, b, n, RATE, backgrounds, r2, &error));
    g_assert_cmpmem (a, n * sizeof (float), b, n * sizeof (float));
    g_assert_true (memcmp (a, x, n * sizeof (float)) != 0);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/core/augment/gain", test_gain);
  g_test_add_func ("/core/augment/noise-snr", test_noise_snr);
  g_test_add_func ("/core/augment/shift", test_shift);
  g_test_add_func ("/core/augment/mix-snr", test_mix_snr);
  g_test_add_func ("/core/augment/time-stretch", test_time_stretch);
  g_test_add_func ("/core/augment/pitch-shift", test_pitch_shift);
  g_test_add_func ("/core/augment/policy", test_policy);
  return g_test_run ();
}
