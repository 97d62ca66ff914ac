/* cradle-model.h — a trained model and its self-describing file
 *
 * A CradleModel is a classifier plus everything needed to use it safely on
 * new audio: the analysis configuration (and its hash) the inputs were made
 * with, the task, the label names, the input kind, the scaler
 * (standardisation lives inside the model), the training metrics, a hash of
 * the dataset snapshot it was trained on and the seed.
 *
 * File format (little-endian), version 1:
 *
 *   magic             8 bytes  "CRADLEMD"
 *   format version    u32      1
 *   header length     u32      H
 *   header            H bytes  UTF-8 JSON: config (every field), config_hash,
 *                              task, kind, input, labels, n_features, height,
 *                              width, feature_names (clip vectors), params,
 *                              seed, dataset_hash, created, metrics,
 *                              and (optional) detector: the streaming
 *                              detector's tuned settings, see
 *                              cradle_detector_settings_init_for_model
 *   scaler length     u32      S (floats)
 *   scaler mean       S × f32
 *   scaler scale      S × f32
 *   payload length    u64      P
 *   payload           P bytes  the classifier's own bytes
 *   checksum          32 bytes SHA-256 of everything before it
 *
 * Loading never runs code from the file: JSON through json-glib, numbers and
 * the classifier's own parser. A file with another magic is NOT_MODEL; one
 * shorter than its lengths is TRUNCATED; a checksum mismatch or an
 * unparsable section is CORRUPT; a version above 1 is FUTURE_VERSION. Every
 * message names the file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cradle-classifier.h"
#include "cradle-config.h"

G_BEGIN_DECLS

#define CRADLE_MODEL_MAGIC          "CRADLEMD"
#define CRADLE_MODEL_FORMAT_VERSION 1

typedef enum {
  CRADLE_TASK_DETECT,  /* cry (every cry label) vs not-cry */
  CRADLE_TASK_CAUSE,   /* among the cry labels that name a cause */
} CradleTask;

const char *cradle_task_to_string   (CradleTask  task);      /* "detect", "cause" */
gboolean    cradle_task_from_string (const char *name,
                                     CradleTask *task);

typedef enum {
  CRADLE_MODEL_INPUT_CLIP_VECTOR,  /* the named clip feature vector (classical models) */
  CRADLE_MODEL_INPUT_LOG_MEL,      /* the log-mel spectrogram of the clip, frames × mels (CNN) */
} CradleModelInput;

typedef struct _CradleModel CradleModel;

/* A new, untrained model. LABELS: N_CLASSES class names, in class order.
 * FEATURE_NAMES (nullable; clip vectors): n_features names. */
CradleModel *cradle_model_new            (CradleModelKind             kind,
                                          CradleTask                  task,
                                          CradleModelInput            input,
                                          const CradleAnalysisConfig *config,
                                          const char * const         *labels,
                                          guint                       n_classes,
                                          GError                    **error);
void         cradle_model_free           (CradleModel                *self);

/* Fits the scaler on TRAIN (raw inputs: per feature for clip vectors, per
 * mel band over all frames for log-mel), standardises TRAIN and VALID
 * (nullable) and trains the classifier. REQUEST's train/valid/n_classes are
 * filled in from these; its other fields (seed, params, progress, …) are
 * used as given. */
gboolean     cradle_model_fit            (CradleModel                *self,
                                          const CradleMatrix         *train,
                                          const CradleMatrix         *valid,
                                          const CradleTrainRequest   *request,
                                          GError                    **error);
/* X: raw inputs (n_rows × n_features); PROBA: n_rows × n_classes. */
void         cradle_model_predict_proba  (CradleModel                *self,
                                          const float                *x,
                                          guint                       n_rows,
                                          float                      *proba);

gboolean     cradle_model_save           (CradleModel                *self,
                                          const char                 *path,
                                          GError                    **error);
CradleModel *cradle_model_load           (const char                 *path,
                                          GError                    **error);
/* Same, from bytes (PATH_FOR_ERRORS names them in messages). */
CradleModel *cradle_model_load_from_bytes (GBytes                    *bytes,
                                           const char                *path_for_errors,
                                           GError                   **error);

CradleModelKind             cradle_model_get_kind         (CradleModel *self);
CradleTask                  cradle_model_get_task         (CradleModel *self);
CradleModelInput            cradle_model_get_input        (CradleModel *self);
const CradleAnalysisConfig *cradle_model_get_config       (CradleModel *self);
const char                 *cradle_model_get_config_hash  (CradleModel *self);
guint                       cradle_model_get_n_classes    (CradleModel *self);
const char * const         *cradle_model_get_labels       (CradleModel *self);
/* Index of LABEL, or -1. */
int                         cradle_model_find_label       (CradleModel *self,
                                                           const char  *label);
guint                       cradle_model_get_n_features   (CradleModel *self);
guint                       cradle_model_get_height       (CradleModel *self);
guint                       cradle_model_get_width        (CradleModel *self);
/* (nullable) NULL-terminated, clip vectors only */
const char * const         *cradle_model_get_feature_names (CradleModel *self);
void                        cradle_model_set_feature_names (CradleModel *self,
                                                            const char * const *names);
guint32                     cradle_model_get_seed         (CradleModel *self);
const char                 *cradle_model_get_dataset_hash (CradleModel *self);
void                        cradle_model_set_dataset_hash (CradleModel *self,
                                                           const char  *hash);
const char                 *cradle_model_get_created      (CradleModel *self);  /* ISO 8601 UTC */
/* Training metrics, any JSON object (transfer none / the model keeps a ref). */
JsonNode                   *cradle_model_get_metrics      (CradleModel *self);
void                        cradle_model_set_metrics      (CradleModel *self,
                                                           JsonNode    *metrics);
/* The streaming detector's tuned settings (a JSON object, written by
 * `cradle-cli tune-detector`; read by cradle-detector.h), or NULL.
 * (transfer none) */
JsonNode                   *cradle_model_get_detector     (CradleModel *self);
void                        cradle_model_set_detector     (CradleModel *self,
                                                           JsonNode    *detector);
CradleClassifier           *cradle_model_get_classifier   (CradleModel *self);
/* The fitted scaler: N values (n_features for clip vectors, width for
 * log-mel bands); standardised = (raw − mean) / scale. FALSE before fitting. */
gboolean                    cradle_model_get_scaler       (CradleModel  *self,
                                                           guint        *n,
                                                           const float **mean,
                                                           const float **scale);
/* Kind, task, labels, hyperparameters: one line. (transfer full) */
char                       *cradle_model_describe         (CradleModel *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleModel, cradle_model_free)

G_END_DECLS
