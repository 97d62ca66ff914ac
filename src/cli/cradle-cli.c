/* cradle-cli.c — the command-line front end of the Cradle core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cradle-cli.h"

typedef struct {
  const char *name;
  int       (*run) (int argc, char **argv);
  const char *summary;
} Command;

static const Command commands[] = {
  { "info", cradle_cli_info, "Show format, sample rate, channels and duration of audio files" },
  { "features", cradle_cli_features, "Compute the named clip feature vector of audio files" },
  { "spectrogram", cradle_cli_spectrogram, "Draw the log-mel spectrogram of a file to PNG, SVG or PDF" },
  { "bench-features", cradle_cli_bench_features, "Featurise every audio file under a folder and time it" },
  { "import", cradle_cli_import, "Import a folder of audio files into the dataset" },
  { "export", cradle_cli_export, "Export the dataset as label folders, CSV, JSON or Audacity labels" },
  { "stats", cradle_cli_stats, "Counts and durations per label, baby and group" },
  { "list", cradle_cli_list, "List recordings, filtered by label, baby or group" },
  { "label", cradle_cli_label, "Set the clip label of a recording" },
  { "segments", cradle_cli_segments, "Show, import or export the labelled time segments of a recording" },
  { "baby", cradle_cli_baby, "Add or list babies" },
  { "delete", cradle_cli_delete, "Delete recordings and their files" },
  { "forget-baby", cradle_cli_forget_baby, "Remove every recording and file of a baby, and the baby" },
  { "vocabulary", cradle_cli_vocabulary, "List and edit the label vocabulary" },
  { "check", cradle_cli_check, "Check the dataset's integrity" },
  { "train", cradle_cli_train, "Train a model (detect or cause) with grouped cross-validation" },
  { "evaluate", cradle_cli_evaluate, "Score a model on a labelled folder tree or the dataset" },
  { "predict", cradle_cli_predict, "Label audio files with a model" },
  { "compare", cradle_cli_compare, "Every model kind on the same grouped folds, one table" },
  { "monitor", cradle_cli_monitor, "Detect crying live from a device, or in a file, and save the events" },
  { "evaluate-stream", cradle_cli_evaluate_stream, "Score the detector on a stream with labelled cries" },
  { "tune-detector", cradle_cli_tune_detector, "Choose the detector's threshold on labelled dev streams" },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "Usage:\n  cradle-cli COMMAND [OPTION…]\n\n"
                "Baby-cry data and models, from the command line.\n\nCommands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-16s %s\n", commands[i].name, commands[i].summary);
  fprintf (out, "\nRun “cradle-cli COMMAND --help” for the options of a command.\n"
                "Options:\n  -h, --help       Show this help\n  --version        Show the version\n");
}

int
main (int    argc,
      char **argv)
{
  const char *name;

  /* XGBoost's OpenMP threads busy-wait between parallel regions by default;
   * on a 2-core machine shared with other work that turns seconds of
   * training into minutes. libgomp reads its policy when it is loaded,
   * before main(), so set it and start again once. */
  if (g_getenv ("OMP_WAIT_POLICY") == NULL)
    {
      g_setenv ("OMP_WAIT_POLICY", "passive", TRUE);
      execv ("/proc/self/exe", argv);
      /* If that fails, carry on with the default policy. */
    }

  setlocale (LC_ALL, "");
  /* Numbers on stdout are machine-readable: always a decimal point. */
  setlocale (LC_NUMERIC, "C");

  if (argc < 2)
    {
      print_usage (stderr);
      return CRADLE_CLI_EXIT_USAGE;
    }

  name = argv[1];
  if (g_str_equal (name, "--help") || g_str_equal (name, "-h") || g_str_equal (name, "help"))
    {
      if (argc >= 3 && !g_str_equal (name, "--help") && !g_str_equal (name, "-h"))
        {
          char *help_argv[] = { argv[2], (char *) "--help", NULL };

          for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
            if (g_str_equal (commands[i].name, argv[2]))
              return commands[i].run (2, help_argv);
          fprintf (stderr, "cradle-cli: unknown command “%s”\n", argv[2]);
          return CRADLE_CLI_EXIT_USAGE;
        }
      print_usage (stdout);
      return CRADLE_CLI_EXIT_OK;
    }
  if (g_str_equal (name, "--version"))
    {
      printf ("cradle-cli %s\n", PACKAGE_VERSION);
      return CRADLE_CLI_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      return commands[i].run (argc - 1, argv + 1);

  fprintf (stderr, "cradle-cli: unknown command “%s”\n\n", name);
  print_usage (stderr);
  return CRADLE_CLI_EXIT_USAGE;
}
