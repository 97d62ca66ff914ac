/* cradle-cli-bench.c — `cradle-cli bench-features DIR`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include "cradle-cli.h"

int
cradle_cli_bench_features (int    argc,
                           char **argv)
{
  g_auto(GStrv) dirs = NULL;
  CradleCliAnalysisOptions analysis;
  int repeat = 1;
  const GOptionEntry entries[] = {
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat,
      "Featurise the whole folder N times and report the fastest pass (1)", "N" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &dirs, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("DIR — time feature extraction");
  g_autoptr(CradleFeatureExtractor) extractor = NULL;
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree float *vector = NULL;
  CradleAnalysisConfig config;
  double best = G_MAXDOUBLE;
  double audio_seconds = 0.0;
  guint files = 0;
  guint failed = 0;

  g_option_context_set_summary (context,
    "Featurises every audio file under DIR, end to end and on one thread (load, resample,\n"
    "preprocess, full clip vector), and prints one JSON line:\n"
    "  {\"files\":N,\"audio_seconds\":S,\"seconds\":T}\n"
    "Real-time factor = audio_seconds / seconds.");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, cradle_cli_analysis_option_group (&analysis));
  if (!cradle_cli_parse (context, &argc, &argv))
    return CRADLE_CLI_EXIT_USAGE;
  if (dirs == NULL || dirs[0] == NULL || dirs[1] != NULL)
    {
      fprintf (stderr, "cradle-cli: bench-features needs exactly one DIR\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  if (repeat < 1)
    {
      fprintf (stderr, "cradle-cli: --repeat must be at least 1\n");
      return CRADLE_CLI_EXIT_USAGE;
    }

  extractor = cradle_cli_make_extractor (&analysis, &config);
  if (extractor == NULL)
    return CRADLE_CLI_EXIT_USAGE;

  paths = cradle_cli_list_audio_files (dirs[0], &error);
  if (paths == NULL)
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_ERROR;
    }
  if (paths->len == 0)
    {
      fprintf (stderr, "cradle-cli: no audio files under “%s”\n", dirs[0]);
      return CRADLE_CLI_EXIT_ERROR;
    }

  vector = g_new (float, cradle_feature_extractor_n_values (extractor));
  for (int pass = 0; pass < repeat; pass++)
    {
      gint64 start = g_get_monotonic_time ();
      double seconds;

      files = failed = 0;
      audio_seconds = 0.0;
      for (guint i = 0; i < paths->len; i++)
        {
          g_autoptr(GError) file_error = NULL;
          double duration = 0.0;

          if (!cradle_feature_extractor_file_vector (extractor, g_ptr_array_index (paths, i), vector,
                                                     &duration, &file_error))
            {
              if (pass == 0)
                cradle_cli_print_error (file_error);
              failed++;
              continue;
            }
          files++;
          audio_seconds += duration;
        }
      seconds = (g_get_monotonic_time () - start) / 1e6;
      best = MIN (best, seconds);
    }

  /* A fixed format: json-glib would print doubles with 17 digits. */
  printf ("{\"files\":%u,\"audio_seconds\":%.3f,\"seconds\":%.6f}\n", files, audio_seconds, best);

  return failed > 0 ? CRADLE_CLI_EXIT_ERROR : CRADLE_CLI_EXIT_OK;
}
