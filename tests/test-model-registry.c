/* test-model-registry.c — the dataset's models table: list, rename,
 * activate (one per task), delete (with the dataset's own files)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <math.h>

#include "cradle-model-registry.h"
#include "cradle-test-model.h"
#include "cradle-test-util.h"
#include "cradle-trainer.h"

static gint64
save_and_record (CradleDataset *ds,
                 CradleModel   *model,
                 const char    *dir,
                 const char    *file,
                 const char    *name)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GError) error = NULL;
  gint64 id;

  g_assert_true (cradle_model_save (model, path, &error));
  g_assert_no_error (error);
  id = cradle_trainer_record_model (ds, model, path, name, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
test_registry (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cradle-registry-XXXXXX", &error);
  g_autofree char *outside = g_build_filename (dir, "elsewhere", NULL);
  g_autoptr(CradleDataset) ds = cradle_dataset_open (dir, &error);
  g_autoptr(CradleModel) detect = cradle_test_model_train (CRADLE_TASK_DETECT);
  g_autoptr(CradleModel) cause = cradle_test_model_train (CRADLE_TASK_CAUSE);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(CradleModelEntry) entry = NULL;
  g_autofree char *models_dir = NULL;
  g_autofree char *a_path = NULL;
  g_autofree char *c_path = NULL;
  g_autoptr(JsonNode) metrics = json_from_string ("{\"macro_f1\": 0.75}", NULL);
  gint64 a;
  gint64 b;
  gint64 c;
  gint64 d;

  g_assert_no_error (error);
  models_dir = cradle_model_registry_dir (ds, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (models_dir, G_FILE_TEST_IS_DIR));
  g_assert_cmpint (g_mkdir (outside, 0700), ==, 0);

  cradle_model_set_metrics (detect, metrics);
  a = save_and_record (ds, detect, models_dir, "a.model", "first");
  b = save_and_record (ds, detect, models_dir, "b.model", NULL);
  c = save_and_record (ds, cause, models_dir, "c.model", "cause one");
  d = save_and_record (ds, detect, outside, "d.model", "outside");

  list = cradle_model_registry_list (ds, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 4);
  entry = cradle_model_registry_get (ds, b, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (entry->name, ==, "detect-logreg");
  g_assert_cmpstr (entry->task, ==, "detect");
  g_assert_cmpstr (entry->kind, ==, "logreg");
  g_assert_false (entry->active);
  g_assert_cmpfloat_with_epsilon (cradle_model_entry_macro_f1 (entry), 0.75, 1e-12);
  g_clear_pointer (&entry, cradle_model_entry_free);

  /* Rename: trimmed; empty names and unknown ids are refused. */
  g_assert_true (cradle_model_registry_rename (ds, a, "  renamed ", &error));
  entry = cradle_model_registry_get (ds, a, NULL);
  g_assert_cmpstr (entry->name, ==, "renamed");
  a_path = g_strdup (entry->path);
  g_clear_pointer (&entry, cradle_model_entry_free);
  g_assert_false (cradle_model_registry_rename (ds, a, "  ", &error));
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (cradle_model_registry_rename (ds, 9999, "x", &error));
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* One active model per task. */
  g_assert_true (cradle_model_registry_set_active (ds, a, &error));
  g_assert_true (cradle_model_registry_set_active (ds, c, &error));
  g_assert_true (cradle_model_registry_set_active (ds, b, &error));
  g_assert_no_error (error);
  entry = cradle_model_registry_get (ds, a, NULL);
  g_assert_false (entry->active);
  g_clear_pointer (&entry, cradle_model_entry_free);
  entry = cradle_model_registry_get (ds, b, NULL);
  g_assert_true (entry->active);
  g_clear_pointer (&entry, cradle_model_entry_free);
  entry = cradle_model_registry_get (ds, c, NULL);
  g_assert_true (entry->active);
  c_path = g_strdup (entry->path);
  g_clear_pointer (&entry, cradle_model_entry_free);

  /* Delete removes the dataset's own file, and leaves one recorded from
   * elsewhere in place. */
  g_assert_true (cradle_model_registry_delete (ds, a, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (a_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (c_path, G_FILE_TEST_EXISTS));
  entry = cradle_model_registry_get (ds, d, NULL);
  g_assert_true (cradle_model_registry_delete (ds, d, &error));
  g_assert_true (g_file_test (entry->path, G_FILE_TEST_EXISTS));
  g_clear_pointer (&entry, cradle_model_entry_free);
  g_assert_null (cradle_model_registry_get (ds, a, &error));
  g_assert_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_clear_pointer (&list, g_ptr_array_unref);
  list = cradle_model_registry_list (ds, &error);
  g_assert_cmpuint (list->len, ==, 2);

  g_clear_pointer (&ds, cradle_dataset_free);
  cradle_test_rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/model-registry/list-rename-activate-delete", test_registry);

  return g_test_run ();
}
