/* test-config.c — the analysis configuration and its hash
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "cradle-core.h"

static void
test_defaults (void)
{
  CradleAnalysisConfig config;
  g_autoptr(GError) error = NULL;

  cradle_analysis_config_init_default (&config);
  g_assert_true (cradle_analysis_config_validate (&config, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (config.sample_rate, ==, 16000);
  g_assert_cmpuint (config.n_fft, ==, 2048);
  g_assert_cmpuint (config.hop_length, ==, 512);
  g_assert_cmpuint (config.n_mels, ==, 128);
  g_assert_cmpuint (config.n_mfcc, ==, 40);
  g_assert_cmpfloat (cradle_analysis_config_get_fmax (&config), ==, 8000.0f);
  g_assert_cmpuint (cradle_analysis_config_clip_samples (&config), ==, 80000);
}

/* The hash is part of every model file and feature-cache row: it must never
 * change for the same configuration, across builds and machines. A change
 * here means every stored model and cache is invalidated — bump
 * CRADLE_FEATURE_VERSION deliberately and update this value. */
static void
test_hash_stable (void)
{
  CradleAnalysisConfig config;
  g_autofree char *hash = NULL;
  g_autofree char *text = NULL;

  cradle_analysis_config_init_default (&config);
  text = cradle_analysis_config_to_string (&config);
  g_assert_cmpstr (text, ==,
                   "cradle-analysis;feature_version=1;sample_rate=16000;n_fft=2048;hop_length=512;"
                   "n_mels=128;n_mfcc=40;fmin=0;fmax=8000;clip_seconds=5;trim_top_db=20;"
                   "yin_fmin=150;yin_fmax=1000;yin_frame_length=1024;yin_hop_length=512;"
                   "yin_threshold=0.100000001");
  hash = cradle_analysis_config_hash (&config);
  g_assert_cmpuint (strlen (hash), ==, 16);
  /* sha256 of the text above (checked with sha256sum), first 16 digits */
  g_assert_cmpstr (hash, ==, "40c7f3d7648710f6");
}

static void
test_hash_sensitive (void)
{
  CradleAnalysisConfig a, b;
  g_autofree char *ha = NULL;

  cradle_analysis_config_init_default (&a);
  ha = cradle_analysis_config_hash (&a);

  /* Every field takes part in the hash. */
  for (guint field = 0; field < 14; field++)
    {
      g_autofree char *hb = NULL;

      b = a;
      switch (field)
        {
        case 0: b.sample_rate = 22050; break;
        case 1: b.n_fft = 1024; break;
        case 2: b.hop_length = 256; break;
        case 3: b.n_mels = 64; break;
        case 4: b.n_mfcc = 13; break;
        case 5: b.fmin = 20.0f; break;
        case 6: b.fmax = 7000.0f; break;
        case 7: b.clip_seconds = 4.0f; break;
        case 8: b.trim_top_db = 30.0f; break;
        case 9: b.yin_fmin = 100.0f; break;
        case 10: b.yin_fmax = 900.0f; break;
        case 11: b.yin_frame_length = 2048; break;
        case 12: b.yin_hop_length = 256; break;
        case 13: b.yin_threshold = 0.2f; break;
        default: g_assert_not_reached ();
        }
      hb = cradle_analysis_config_hash (&b);
      g_assert_cmpstr (ha, !=, hb);
      g_assert_false (cradle_analysis_config_equal (&a, &b));
    }

  /* fmax 0 means Nyquist: the same analysis, the same hash. */
  b = a;
  b.fmax = 8000.0f;
  g_assert_true (cradle_analysis_config_equal (&a, &b));
}

static void
test_invalid (void)
{
  CradleAnalysisConfig config;
  struct { const char *field; CradleAnalysisConfig c; } bad[16];
  guint n = 0;

  cradle_analysis_config_init_default (&config);
#define BAD(f, stmt) do { bad[n].field = f; bad[n].c = config; { CradleAnalysisConfig *c = &bad[n].c; stmt; } n++; } while (0)
  BAD ("sample_rate", c->sample_rate = 100);
  BAD ("n_fft", c->n_fft = 1000);
  BAD ("n_fft", c->n_fft = 32);
  BAD ("hop_length", c->hop_length = 0);
  BAD ("hop_length", c->hop_length = 4096);
  BAD ("n_mels", c->n_mels = 2);
  BAD ("n_mfcc", c->n_mfcc = 12);
  BAD ("n_mfcc", c->n_mfcc = 41);
  BAD ("fmax", c->fmax = 9000.0f);
  BAD ("fmin", c->fmin = -1.0f);
  BAD ("clip_seconds", c->clip_seconds = 0.0f);
  BAD ("yin_fmin", c->yin_fmin = 2000.0f);
  BAD ("yin_frame_length", c->yin_frame_length = 64; c->yin_fmin = 100.0f; c->yin_fmax = 300.0f);
  BAD ("yin_threshold", c->yin_threshold = 1.5f);
#undef BAD

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (cradle_analysis_config_validate (&bad[i].c, &error));
      g_assert_error (error, CRADLE_FEATURE_ERROR, CRADLE_FEATURE_ERROR_INVALID_CONFIG);
      if (strstr (error->message, bad[i].field) == NULL)
        g_error ("case %u: “%s” does not name %s", i, error->message, bad[i].field);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/config/defaults", test_defaults);
  g_test_add_func ("/core/config/hash-stable", test_hash_stable);
  g_test_add_func ("/core/config/hash-sensitive", test_hash_sensitive);
  g_test_add_func ("/core/config/invalid", test_invalid);

  return g_test_run ();
}
