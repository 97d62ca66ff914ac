/* cradle-cli.h — shared pieces of the cradle-cli subcommands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "cradle-core.h"
#include "cradle-dataset.h"
#include "cradle-import.h"

G_BEGIN_DECLS

/* Exit statuses. */
#define CRADLE_CLI_EXIT_OK    0
#define CRADLE_CLI_EXIT_ERROR 1
#define CRADLE_CLI_EXIT_USAGE 2

/* Each subcommand: argv[0] is the subcommand's name. */
int cradle_cli_info            (int argc, char **argv);
int cradle_cli_features        (int argc, char **argv);
int cradle_cli_spectrogram     (int argc, char **argv);
int cradle_cli_bench_features  (int argc, char **argv);
/* The dataset (cradle-cli-dataset.c) */
int cradle_cli_stats           (int argc, char **argv);
int cradle_cli_list            (int argc, char **argv);
int cradle_cli_label           (int argc, char **argv);
int cradle_cli_baby            (int argc, char **argv);
int cradle_cli_delete          (int argc, char **argv);
int cradle_cli_forget_baby     (int argc, char **argv);
int cradle_cli_vocabulary      (int argc, char **argv);
int cradle_cli_check           (int argc, char **argv);
/* Moving data in and out (cradle-cli-import.c) */
int cradle_cli_import          (int argc, char **argv);
int cradle_cli_export          (int argc, char **argv);
int cradle_cli_segments        (int argc, char **argv);
/* Models (cradle-cli-models.c) */
int cradle_cli_train           (int argc, char **argv);
int cradle_cli_evaluate        (int argc, char **argv);
int cradle_cli_predict         (int argc, char **argv);
int cradle_cli_compare         (int argc, char **argv);
/* The live monitor (cradle-cli-monitor.c) */
int cradle_cli_monitor         (int argc, char **argv);
int cradle_cli_evaluate_stream (int argc, char **argv);
int cradle_cli_tune_detector (int argc, char **argv);

/* The --dataset DIR option every dataset command takes. */
GOptionEntry  cradle_cli_dataset_option         (char **dir);
/* Opens DIR, else $CRADLE_DATASET, else the default dataset. */
CradleDataset *cradle_cli_open_dataset          (const char *dir,
                                                 GError    **error);

/* Analysis options shared by the commands that compute features:
 * --sample-rate, --n-fft, --hop, --n-mels, --n-mfcc, --clip-seconds. */
typedef struct {
  int    sample_rate;
  int    n_fft;
  int    hop_length;
  int    n_mels;
  int    n_mfcc;
  double clip_seconds;
} CradleCliAnalysisOptions;

GOptionGroup *cradle_cli_analysis_option_group  (CradleCliAnalysisOptions *options);
gboolean      cradle_cli_analysis_options_apply (const CradleCliAnalysisOptions *options,
                                                 CradleAnalysisConfig           *config,
                                                 GError                        **error);

/* The default configuration with OPTIONS applied, validated, and an
 * extractor for it; prints the error and returns NULL on a bad option. */
CradleFeatureExtractor *cradle_cli_make_extractor (const CradleCliAnalysisOptions *options,
                                                   CradleAnalysisConfig           *config);

/* Parses ARGV with CONTEXT (whose help names "cradle-cli COMMAND");
 * prints the error and returns FALSE on a usage error. */
gboolean      cradle_cli_parse                  (GOptionContext *context,
                                                 int            *argc,
                                                 char         ***argv);

/* Prints ERROR as "cradle-cli: message" on stderr. */
void          cradle_cli_print_error            (const GError *error);

/* Prints NODE as one compact JSON line on stdout. */
void          cradle_cli_print_json_line        (JsonNode *node);

/* A float as the shortest decimal that reads back as the same float, so JSON
 * shows 0.3 rather than 0.30000001192092896. */
double        cradle_cli_float_for_json         (float value);

/* Every audio file under DIR (recursively), sorted; by extension. */
GPtrArray    *cradle_cli_list_audio_files       (const char *dir,
                                                 GError    **error);

G_END_DECLS
