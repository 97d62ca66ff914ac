/* cradle-trainer.h — from a dataset to evaluated, recorded models
 *
 * The trainer turns a CradleDataset into a task's data (classes, groups,
 * clip vectors through the dataset's feature cache, log-mel images for the
 * CNN), runs grouped cross-validation that never lets a group (a baby, a
 * source recording) sit on both sides, applies class balancing and
 * augmentation inside training folds only, computes metrics on the
 * out-of-fold predictions, compares every model kind on the same folds,
 * searches hyperparameters, measures permutation importance on held-out
 * folds, fits the final model on all data and records it in the dataset.
 *
 * Tasks:
 *   detect  classes "not-cry", "cry": every confirmed clip label, split by
 *           the vocabulary's is_cry.
 *   cause   the cry labels that name a cause (every cry label but "cry",
 *           cause unknown) held by at least CRADLE_TRAINER_MIN_CAUSE_GROUPS
 *           groups — a cause seen in one group only can never be both
 *           trained on and tested on unseen groups. Not-cry clips are left
 *           out (they are backgrounds for augmentation).
 * Only confirmed labels are used (not "don't know", not predicted).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cradle-augment.h"
#include "cradle-classifier.h"
#include "cradle-config.h"
#include "cradle-dataset.h"
#include "cradle-metrics.h"
#include "cradle-model.h"

G_BEGIN_DECLS

#define CRADLE_TRAINER_ERROR (cradle_trainer_error_quark ())

typedef enum {
  CRADLE_TRAINER_ERROR_NO_DATA,    /* too few recordings, classes or groups for the task */
  CRADLE_TRAINER_ERROR_INVALID,    /* a bad option: search space, folds … */
  CRADLE_TRAINER_ERROR_CANCELLED,
} CradleTrainerError;

GQuark cradle_trainer_error_quark (void);

#define CRADLE_TRAINER_MIN_CAUSE_GROUPS 2
/* A recording stored at more than this rate holds content above 4 kHz. */
#define CRADLE_TRAINER_NARROW_BAND_RATE 8000

/* The analysis configuration models use by default: every clip analysed at
 * 8 kHz (sample_rate 8000, n_fft 1024, hop 256, n_mels 64, 40 MFCCs,
 * yin_frame_length 512, yin_hop_length 256, 5 s clips), so that 8 kHz
 * phone recordings and full-band recordings are band-limited alike and no
 * model can learn "band-limited means cry". */
void cradle_trainer_default_config (CradleAnalysisConfig *config);

/* ---- The task's data ------------------------------------------------------ */

typedef struct {
  CradleTask            task;
  CradleAnalysisConfig  config;
  char                 *config_hash;
  guint                 n;               /* samples (recordings) */
  guint                 n_classes;
  char                **classes;         /* n_classes names, NULL-terminated */
  guint                *y;               /* n */
  char                **groups;          /* n group keys, NULL-terminated */
  char                **labels;          /* n dataset labels, NULL-terminated */
  gint64               *ids;             /* n recording ids */
  char                **paths;           /* n absolute paths, NULL-terminated */
  char                **sha256;          /* n stored-file hashes, NULL-terminated */
  guint                *sample_rates;    /* n stored rates */
  gboolean             *is_background;   /* n: a not-cry clip (mixing source) */
  char                **extra_backgrounds; /* not-cry paths outside the task (cause), NULL-terminated */
  guint                 n_features;      /* clip vector length, 0 when not loaded */
  char                **feature_names;   /* NULL-terminated */
  float                *x;               /* n × n_features, or NULL */
  guint                 height;          /* log-mel frames, 0 when not loaded */
  guint                 width;           /* mel bands */
  float                *images;          /* n × height × width, or NULL */
  char                 *dataset_hash;    /* SHA-256 over the sorted (sha256, label, group) rows */
  guint                 n_crops;         /* samples per recording (crops), 0: one whole clip each */
  guint32               crop_seed;
  gboolean              room_tone;       /* not-cry crops also over room tone */
  gboolean              onset;           /* onset crops, faint cry crops kept */
  guint                 n_cache_hits;    /* values found in the feature cache */
  guint                 n_computed;      /* values computed (and stored) */
} CradleTaskData;

/* Lists the task's recordings, computes (or takes from the cache) clip
 * vectors when VECTORS and log-mel images when IMAGES, on N_THREADS threads
 * (0: every core). Clip vectors are cached under (sha256, config hash),
 * log-mel images under (sha256, config hash + "/log-mel"). */
CradleTaskData *cradle_task_data_load (CradleDataset              *dataset,
                                       CradleTask                  task,
                                       const CradleAnalysisConfig *config,
                                       gboolean                    vectors,
                                       gboolean                    images,
                                       guint                       n_threads,
                                       GCancellable               *cancellable,
                                       GError                    **error);

/* Crops: the limits, the quiet-crop rule, the room tone and the onset crops of
 * cradle_task_data_load_crops. */
#define CRADLE_TRAINER_MAX_CROPS              64
#define CRADLE_TRAINER_CROP_DRAWS             16
#define CRADLE_TRAINER_CROP_QUIET_DB          10.0
#define CRADLE_TRAINER_ROOM_TONE_DBFS        -50.0
#define CRADLE_TRAINER_ROOM_TONE_LEVEL_MIN   -30.0
#define CRADLE_TRAINER_ROOM_TONE_LEVEL_MAX    -6.0
#define CRADLE_TRAINER_ONSET_EVERY             4
#define CRADLE_TRAINER_ONSET_DB               30.0
#define CRADLE_TRAINER_ONSET_MIN_SECONDS       0.25
#define CRADLE_TRAINER_ONSET_QUIET_DB         25.0

typedef struct {
  guint    n_crops;    /* per recording, 1 .. CRADLE_TRAINER_MAX_CROPS */
  guint32  seed;
  gboolean room_tone;  /* every second crop of a not-cry recording placed over room tone */
  gboolean onset;      /* every fourth crop an onset crop; cry crops kept down to 25 dB under the loudest */
} CradleCropOptions;

/* As cradle_task_data_load, but every recording gives N_CROPS samples: each
 * a crop of config->clip_seconds at a uniformly drawn place in its audio
 * (the whole recording when it is shorter), preprocessed as the streaming
 * detector preprocesses a window. A crop inherits the recording's class and
 * group, so grouped folds keep a recording's crops together. A crop of a cry
 * recording whose mean square is more than CRADLE_TRAINER_CROP_QUIET_DB
 * under that of the recording's loudest clip-length stretch (a pause, or a
 * crop that only grazes the cry) is drawn again, up to
 * CRADLE_TRAINER_CROP_DRAWS times, then that loudest stretch is taken. Draws are
 * seeded by CROPS->seed and the recording's SHA-256, so they do not depend
 * on the dataset's order or the threads. With CROPS->room_tone every second
 * crop of a not-cry recording is scaled to a peak drawn from
 * CRADLE_TRAINER_ROOM_TONE_LEVEL_MIN .. _MAX dBFS and laid over white noise
 * of CRADLE_TRAINER_ROOM_TONE_DBFS (as a quiet background sounds in a room:
 * the hard negatives of a live monitor).
 *
 * With CROPS->onset every CRADLE_TRAINER_ONSET_EVERY-th crop of every
 * recording (cry or not) is an onset crop instead, what a live window holds
 * just after a sound begins: silence, then the first
 * CRADLE_TRAINER_ONSET_MIN_SECONDS to clip_seconds of the recording's sound,
 * scaled to a random peak as above and laid over the room tone. The sound
 * begins at the first 10 ms frame within CRADLE_TRAINER_ONSET_DB of the
 * recording's loudest. And cry crops are only redrawn when more than
 * CRADLE_TRAINER_ONSET_QUIET_DB (not CRADLE_TRAINER_CROP_QUIET_DB) under the
 * loudest stretch, so the faint start of a cry that grows louder counts as
 * cry. A monitor alerts sooner on such cries (and on the first second of
 * any cry), at the cost of more false alarms at the same threshold.
 * Crop features are not cached. */
CradleTaskData *cradle_task_data_load_crops (CradleDataset              *dataset,
                                             CradleTask                  task,
                                             const CradleAnalysisConfig *config,
                                             const CradleCropOptions    *crops,
                                             gboolean                    vectors,
                                             gboolean                    images,
                                             guint                       n_threads,
                                             GCancellable               *cancellable,
                                             GError                    **error);
void            cradle_task_data_free (CradleTaskData *data);
/* Is sample I full-band (stored above CRADLE_TRAINER_NARROW_BAND_RATE)? */
gboolean        cradle_task_data_is_full_band (const CradleTaskData *data,
                                               guint                 i);

/* ---- Training and cross-validation -------------------------------------- */

typedef enum {
  CRADLE_BALANCE_NONE,
  CRADLE_BALANCE_WEIGHTS,     /* per-row weights n / (C · n_c) of the training part */
  CRADLE_BALANCE_OVERSAMPLE,  /* rows of smaller classes repeated (seeded) up to the largest */
} CradleBalance;

typedef struct {
  CradleModelKind             kind;
  GHashTable                 *params;          /* nullable: name → value */
  guint32                     seed;
  guint                       n_threads;       /* 0: every core */
  CradleBalance               balance;         /* WEIGHTS */
  const CradleAugmentPolicy  *augment;         /* nullable: no augmentation */
  double                      valid_fraction;  /* grouped validation part of each training
                                                * set for early stopping; < 0: 0.15 for the
                                                * CNN, 0 otherwise */
  CradleTrainProgressFunc     progress;        /* nullable */
  gpointer                    user_data;
  GCancellable               *cancellable;     /* nullable */
} CradleTrainOptions;

void cradle_train_options_init (CradleTrainOptions *options);

typedef struct {
  CradleModelKind  kind;
  guint            k;
  guint           *fold;               /* n */
  float           *proba;              /* n × n_classes, out of fold */
  CradleMetrics   *metrics;            /* of the out-of-fold predictions */
  CradleMetrics   *full_band;          /* nullable: restricted to full-band clips, when the
                                        * data mixes narrow- and full-band recordings */
  double           seconds;            /* training and prediction, all folds */
  guint            n_epochs;           /* progress steps over all folds (CNN epochs) */
  double           seconds_per_epoch;  /* CNN: training seconds per epoch; NAN otherwise */
  guint            n_augmented;        /* augmented training rows made, all folds */
  float           *importance;         /* nullable: n_features mean macro-F1 drops */
} CradleCvResult;

void            cradle_cv_result_free (CradleCvResult *result);

/* Grouped, stratified folds of DATA (n values). */
guint          *cradle_trainer_make_folds      (const CradleTaskData     *data,
                                                guint                     k,
                                                guint32                   seed,
                                                GError                  **error);

/* Grouped K-fold cross-validation on FOLD (nullable: made from the seed).
 * With PERMUTATION_IMPORTANCE (clip vectors), each feature of each held-out
 * fold is shuffled in turn and the drop in macro-F1 averaged. */
CradleCvResult *cradle_trainer_cross_validate  (const CradleTaskData     *data,
                                                const CradleTrainOptions *options,
                                                guint                     k,
                                                const guint              *fold,
                                                gboolean                  permutation_importance,
                                                GError                  **error);

/* Every kind in KINDS on the same folds (made once from the seed). Returns
 * (element-type CradleCvResult) in KINDS order. */
GPtrArray      *cradle_trainer_compare         (const CradleTaskData     *data,
                                                const CradleTrainOptions *options,
                                                const CradleModelKind    *kinds,
                                                guint                     n_kinds,
                                                guint                     k,
                                                GError                  **error);

/* The final model: fitted on every sample of DATA (augmented when asked),
 * with the dataset hash, feature names and METRICS (nullable; a ref is
 * taken) set. */
CradleModel    *cradle_trainer_fit             (const CradleTaskData     *data,
                                                const CradleTrainOptions *options,
                                                JsonNode                 *metrics,
                                                GError                  **error);

/* ---- Hyperparameter search ---------------------------------------------- */

typedef struct {
  GHashTable *params;        /* the candidate's hyperparameters */
  double      macro_f1;      /* of grouped CV; NAN when training failed */
  double      balanced_accuracy;
  double      seconds;
  char       *error;         /* nullable: why it failed */
} CradleSearchTrial;

void        cradle_search_trial_free       (CradleSearchTrial *trial);
/* The built-in space of KIND, "name=v1|v2|…,name=…" (nullable: none). */
const char *cradle_trainer_default_space   (CradleModelKind kind);
/* Grid search over SPACE (nullable: the default space) when it has at most
 * BUDGET points, else BUDGET points drawn from it without replacement
 * (seeded). Every candidate is scored by grouped K-fold CV on the same
 * folds; OPTIONS->params are the fixed base the candidates override.
 * Returns (element-type CradleSearchTrial), best macro-F1 first. */
GPtrArray  *cradle_trainer_search          (const CradleTaskData     *data,
                                            const CradleTrainOptions *options,
                                            const char               *space,
                                            guint                     budget,
                                            guint                     k,
                                            GError                  **error);

/* "name=value,…" into a new table (name → value). A value may itself hold
 * commas ("channels=16,32,64"): an item without "=" continues the previous
 * value. (transfer full) */
GHashTable *cradle_trainer_parse_params    (const char  *text,
                                            GError     **error);

/* ---- Results ------------------------------------------------------------ */

/* A JSON object: kind, folds, seconds, seconds_per_epoch, the metrics'
 * members (cradle_metrics_to_json), full_band (metrics, when mixed), and
 * top_confusions with the recordings involved ({id, path} each, at most 10
 * per pair). (transfer full) */
JsonNode   *cradle_cv_result_to_json       (const CradleCvResult *result,
                                            const CradleTaskData *data,
                                            gboolean              with_curves);

/* Records MODEL (saved at PATH) in the dataset's models table; NAME
 * (nullable) defaults to "<task>-<kind>". Returns the row id, or 0. */
gint64      cradle_trainer_record_model    (CradleDataset  *dataset,
                                            CradleModel    *model,
                                            const char     *path,
                                            const char     *name,
                                            GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleTaskData, cradle_task_data_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleCvResult, cradle_cv_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleSearchTrial, cradle_search_trial_free)

G_END_DECLS
