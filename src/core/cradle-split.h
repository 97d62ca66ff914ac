/* cradle-split.h — grouped, stratified splits that do not leak
 *
 * Clips of one group (a baby, a phone, a source recording) are strongly
 * alike, so every split assigns whole groups: no group is ever on both
 * sides. Within that constraint the class proportions of each part are kept
 * close to those of the whole set: groups are placed one at a time, largest
 * first (a seeded shuffle orders groups of equal size), each into the part
 * whose per-class counts it brings closest to their targets.
 *
 * The same inputs and seed give the same split.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CRADLE_SPLIT_ERROR (cradle_split_error_quark ())

typedef enum {
  CRADLE_SPLIT_ERROR_INVALID,         /* bad arguments: k < 2, fractions outside [0, 1) … */
  CRADLE_SPLIT_ERROR_TOO_FEW_GROUPS,  /* fewer groups than folds (or non-empty parts) */
} CradleSplitError;

GQuark cradle_split_error_quark (void);

/* The parts of cradle_split_train_valid_test(). */
typedef enum {
  CRADLE_SPLIT_TRAIN = 0,
  CRADLE_SPLIT_VALID = 1,
  CRADLE_SPLIT_TEST  = 2,
} CradleSplitPart;

/* Grouped, stratified K-fold: FOLD[i] in 0 .. K-1 for each of the N
 * samples, whose classes Y are < N_CLASSES and whose groups are GROUPS (any
 * strings; equal strings are one group). Every fold holds at least one
 * group. TOO_FEW_GROUPS when K exceeds the number of groups. */
gboolean cradle_split_kfold            (const guint        *y,
                                        const char * const *groups,
                                        guint               n,
                                        guint               n_classes,
                                        guint               k,
                                        guint32             seed,
                                        guint              *fold,
                                        GError            **error);

/* Grouped, stratified train / validation / test split by fractions of the
 * samples: PART[i] is a CradleSplitPart. VALID_FRACTION or TEST_FRACTION
 * may be 0 (that part stays empty); a part with a non-zero fraction gets at
 * least one group, and train always does. */
gboolean cradle_split_train_valid_test (const guint        *y,
                                        const char * const *groups,
                                        guint               n,
                                        guint               n_classes,
                                        double              valid_fraction,
                                        double              test_fraction,
                                        guint32             seed,
                                        guint              *part,
                                        GError            **error);

/* The number of distinct groups among the N samples. */
guint    cradle_split_count_groups     (const char * const *groups,
                                        guint               n);

G_END_DECLS
