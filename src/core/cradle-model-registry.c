/* cradle-model-registry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cradle-model-registry.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <sqlite3.h>

#define SELECT_COLUMNS \
  "SELECT id, name, path, task, kind, config_hash, metrics, dataset_hash, created, active FROM models "

void
cradle_model_entry_free (CradleModelEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->name);
  g_free (entry->path);
  g_free (entry->task);
  g_free (entry->kind);
  g_free (entry->config_hash);
  g_free (entry->metrics);
  g_free (entry->dataset_hash);
  g_free (entry->created);
  g_free (entry);
}

static gboolean
sql_error (CradleDataset  *dataset,
           const char     *what,
           GError        **error)
{
  g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_SQL,
               "Could not %s in the dataset %s: %s", what, cradle_dataset_get_dir (dataset),
               sqlite3_errmsg (cradle_dataset_get_db (dataset)));
  return FALSE;
}

static char *
column_text (sqlite3_stmt *s,
             int           i)
{
  const unsigned char *t = sqlite3_column_text (s, i);

  return t != NULL ? g_strdup ((const char *) t) : NULL;
}

static CradleModelEntry *
entry_from_row (sqlite3_stmt *s)
{
  CradleModelEntry *e = g_new0 (CradleModelEntry, 1);

  e->id = sqlite3_column_int64 (s, 0);
  e->name = column_text (s, 1);
  e->path = column_text (s, 2);
  e->task = column_text (s, 3);
  e->kind = column_text (s, 4);
  e->config_hash = column_text (s, 5);
  e->metrics = column_text (s, 6);
  e->dataset_hash = column_text (s, 7);
  e->created = column_text (s, 8);
  e->active = sqlite3_column_int (s, 9) != 0;
  return e;
}

char *
cradle_model_registry_dir (CradleDataset  *dataset,
                           GError        **error)
{
  g_autofree char *dir = NULL;

  g_return_val_if_fail (dataset != NULL, NULL);

  dir = g_build_filename (cradle_dataset_get_dir (dataset), CRADLE_MODEL_REGISTRY_DIR, NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_IO,
                   "Cannot create the models folder %s: %s", dir, g_strerror (saved_errno));
      return NULL;
    }
  return g_steal_pointer (&dir);
}

GPtrArray *
cradle_model_registry_list (CradleDataset  *dataset,
                            GError        **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) cradle_model_entry_free);
  sqlite3 *db;
  sqlite3_stmt *s = NULL;
  int rc;

  g_return_val_if_fail (dataset != NULL, NULL);

  db = cradle_dataset_get_db (dataset);
  if (sqlite3_prepare_v2 (db, SELECT_COLUMNS "ORDER BY created DESC, id DESC", -1, &s, NULL) != SQLITE_OK)
    {
      sql_error (dataset, "list the models", error);
      return NULL;
    }
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    g_ptr_array_add (list, entry_from_row (s));
  sqlite3_finalize (s);
  if (rc != SQLITE_DONE)
    {
      sql_error (dataset, "list the models", error);
      return NULL;
    }
  return g_steal_pointer (&list);
}

CradleModelEntry *
cradle_model_registry_get (CradleDataset  *dataset,
                           gint64          id,
                           GError        **error)
{
  sqlite3_stmt *s = NULL;
  CradleModelEntry *e = NULL;
  int rc;

  g_return_val_if_fail (dataset != NULL, NULL);

  if (sqlite3_prepare_v2 (cradle_dataset_get_db (dataset), SELECT_COLUMNS "WHERE id = ?1", -1, &s,
                          NULL) != SQLITE_OK)
    {
      sql_error (dataset, "read a model", error);
      return NULL;
    }
  sqlite3_bind_int64 (s, 1, id);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    e = entry_from_row (s);
  sqlite3_finalize (s);
  if (rc == SQLITE_DONE)
    g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_FOUND,
                 "The dataset %s has no model %" G_GINT64_FORMAT, cradle_dataset_get_dir (dataset), id);
  else if (rc != SQLITE_ROW)
    sql_error (dataset, "read a model", error);
  return e;
}

/* Runs SQL with ?1 = ID (and ?2 = TEXT when not NULL); FALSE on error,
 * *CHANGED the rows it changed. */
static gboolean
exec_with_id (CradleDataset  *dataset,
              const char     *sql,
              gint64          id,
              const char     *text,
              int            *changed,
              GError        **error)
{
  sqlite3 *db = cradle_dataset_get_db (dataset);
  sqlite3_stmt *s = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &s, NULL) != SQLITE_OK)
    return sql_error (dataset, "change the models table", error);
  sqlite3_bind_int64 (s, 1, id);
  if (text != NULL)
    sqlite3_bind_text (s, 2, text, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (s);
  sqlite3_finalize (s);
  if (rc != SQLITE_DONE)
    return sql_error (dataset, "change the models table", error);
  if (changed != NULL)
    *changed = sqlite3_changes (db);
  return TRUE;
}

static gboolean
not_found (CradleDataset  *dataset,
           gint64          id,
           GError        **error)
{
  g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_FOUND,
               "The dataset %s has no model %" G_GINT64_FORMAT, cradle_dataset_get_dir (dataset), id);
  return FALSE;
}

gboolean
cradle_model_registry_rename (CradleDataset  *dataset,
                              gint64          id,
                              const char     *name,
                              GError        **error)
{
  g_autofree char *stripped = NULL;
  int changed = 0;

  g_return_val_if_fail (dataset != NULL && name != NULL, FALSE);

  stripped = g_strstrip (g_strdup (name));
  if (stripped[0] == '\0')
    {
      g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_INVALID,
                   "A model needs a name that is not empty");
      return FALSE;
    }
  if (!exec_with_id (dataset, "UPDATE models SET name = ?2 WHERE id = ?1", id, stripped, &changed, error))
    return FALSE;
  return changed > 0 ? TRUE : not_found (dataset, id, error);
}

gboolean
cradle_model_registry_set_active (CradleDataset  *dataset,
                                  gint64          id,
                                  GError        **error)
{
  g_autoptr(CradleModelEntry) entry = cradle_model_registry_get (dataset, id, error);

  if (entry == NULL)
    return FALSE;
  if (!cradle_dataset_begin (dataset, error))
    return FALSE;
  if (!exec_with_id (dataset, "UPDATE models SET active = (id = ?1) WHERE task = ?2", id, entry->task,
                     NULL, error))
    {
      cradle_dataset_rollback (dataset);
      return FALSE;
    }
  return cradle_dataset_commit (dataset, error);
}

gboolean
cradle_model_registry_delete (CradleDataset  *dataset,
                              gint64          id,
                              GError        **error)
{
  g_autoptr(CradleModelEntry) entry = cradle_model_registry_get (dataset, id, error);
  g_autofree char *models_dir = NULL;
  g_autofree char *parent = NULL;

  if (entry == NULL)
    return FALSE;
  if (!exec_with_id (dataset, "DELETE FROM models WHERE id = ?1", id, NULL, NULL, error))
    return FALSE;

  /* The file goes only when the dataset owns it (saved or imported into
   * DIR/models); a model recorded from elsewhere is left in place. */
  models_dir = g_build_filename (cradle_dataset_get_dir (dataset), CRADLE_MODEL_REGISTRY_DIR, NULL);
  parent = g_path_get_dirname (entry->path);
  {
    g_autofree char *a = g_canonicalize_filename (models_dir, NULL);
    g_autofree char *b = g_canonicalize_filename (parent, NULL);

    if (g_str_equal (a, b) && g_unlink (entry->path) != 0 && errno != ENOENT)
      {
        int saved_errno = errno;

        g_set_error (error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_IO,
                     "The model was removed from the dataset, but its file %s could not be "
                     "deleted: %s", entry->path, g_strerror (saved_errno));
        return FALSE;
      }
  }
  return TRUE;
}

double
cradle_model_entry_macro_f1 (const CradleModelEntry *entry)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  JsonObject *obj;

  g_return_val_if_fail (entry != NULL, NAN);

  if (entry->metrics == NULL)
    return NAN;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, entry->metrics, -1, NULL))
    return NAN;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NAN;
  obj = json_node_get_object (root);
  if (!json_object_has_member (obj, "macro_f1")
      || json_node_get_value_type (json_object_get_member (obj, "macro_f1")) != G_TYPE_DOUBLE)
    return NAN;
  return json_object_get_double_member (obj, "macro_f1");
}
