/* cradle-export.c — exporting a dataset as label folders with a manifest,
 * as CSV, as JSON, or as Audacity label files
 *
 * The manifest (cradle-manifest.json) is what makes an export a complete
 * copy: the vocabulary, the babies with all their fields and, per
 * recording, its path in the export, label, status, labeler, confidence,
 * baby, group, dates, source, notes and segments. cradle_import_folder()
 * reads it back. Every file is written to a temporary name and renamed into
 * place; the manifest comes last, so a folder with a manifest is complete.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-import.h"
#include "cradle-import-private.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

/* The export holds children's recordings: only the user may read it. */
#define EXPORT_DIR_MODE  0700
#define EXPORT_FILE_MODE 0600

static const char * const format_names[] = {
  [CRADLE_EXPORT_FOLDERS] = "folders",
  [CRADLE_EXPORT_CSV] = "csv",
  [CRADLE_EXPORT_JSON] = "json",
  [CRADLE_EXPORT_AUDACITY] = "audacity",
};

gboolean
cradle_export_format_from_string (const char         *name,
                                  CradleExportFormat *format)
{
  g_return_val_if_fail (format != NULL, FALSE);

  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (format_names); i++)
    if (g_ascii_strcasecmp (name, format_names[i]) == 0)
      {
        *format = (CradleExportFormat) i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
export_fail_errno (GError     **error,
                   const char  *what,
                   const char  *path,
                   int          saved_errno)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_EXPORT, "Cannot %s “%s”: %s",
               what, display, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
make_dir (const char  *path,
          GError     **error)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return TRUE;
  if (g_mkdir_with_parents (path, EXPORT_DIR_MODE) != 0)
    return export_fail_errno (error, "create the folder", path, errno);
  return TRUE;
}

/* ---- The manifest ----------------------------------------------------------- */

static void
add_string (JsonBuilder *b,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (b, member);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_segments (JsonBuilder *b,
              GPtrArray   *segments)
{
  json_builder_set_member_name (b, "segments");
  json_builder_begin_array (b);
  for (guint i = 0; i < segments->len; i++)
    {
      CradleSegment *s = g_ptr_array_index (segments, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "start");
      json_builder_add_double_value (b, s->start);
      json_builder_set_member_name (b, "end");
      json_builder_add_double_value (b, s->end);
      add_string (b, "label", s->label);
      add_string (b, "labeler", s->labeler);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
add_recording (JsonBuilder     *b,
               CradleRecording *r,
               const char      *path,
               GPtrArray       *segments)
{
  json_builder_begin_object (b);
  add_string (b, "path", path);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, r->id);
  add_string (b, "label", r->label);
  add_string (b, "label_status", cradle_label_status_to_string (r->label_status));
  add_string (b, "labeler", r->labeler);
  json_builder_set_member_name (b, "confidence");
  if (r->confidence >= 0)
    json_builder_add_double_value (b, r->confidence);
  else
    json_builder_add_null_value (b);
  add_string (b, "baby", r->baby_alias);
  add_string (b, "group", r->group_key);
  add_string (b, "created", r->created);
  add_string (b, "source", r->source);
  add_string (b, "source_path", r->source_path);
  add_string (b, "device", r->device);
  add_string (b, "notes", r->notes);
  json_builder_set_member_name (b, "sample_rate");
  json_builder_add_int_value (b, r->sample_rate);
  json_builder_set_member_name (b, "channels");
  json_builder_add_int_value (b, r->channels);
  json_builder_set_member_name (b, "duration");
  json_builder_add_double_value (b, r->duration);
  add_string (b, "sha256", r->sha256);
  add_string (b, "source_sha256", r->source_sha256);
  add_segments (b, segments);
  json_builder_end_object (b);
}

/* The manifest text for RECORDINGS, each at PATHS[i], with SEGMENTS[i]. */
static char *
manifest_text (CradleDataset  *dataset,
               GPtrArray      *recordings,
               GPtrArray      *paths,
               GPtrArray      *segments,
               gboolean        all_babies,
               GError        **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  g_autoptr(GPtrArray) babies = NULL;
  g_autoptr(GHashTable) used_babies = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *exported = g_date_time_format_iso8601 (now);

  labels = cradle_dataset_list_labels (dataset, error);
  if (labels == NULL)
    return NULL;
  babies = cradle_dataset_list_babies (dataset, error);
  if (babies == NULL)
    return NULL;
  for (guint i = 0; i < recordings->len; i++)
    {
      CradleRecording *r = g_ptr_array_index (recordings, i);

      if (r->baby_alias != NULL)
        g_hash_table_add (used_babies, r->baby_alias);
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "cradle_manifest");
  json_builder_add_int_value (b, CRADLE_MANIFEST_VERSION);
  add_string (b, "exported", exported);

  json_builder_set_member_name (b, "labels");
  json_builder_begin_array (b);
  for (guint i = 0; i < labels->len; i++)
    {
      CradleLabelInfo *l = g_ptr_array_index (labels, i);

      json_builder_begin_object (b);
      add_string (b, "name", l->name);
      json_builder_set_member_name (b, "is_cry");
      json_builder_add_boolean_value (b, l->is_cry);
      add_string (b, "description", l->description);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "babies");
  json_builder_begin_array (b);
  for (guint i = 0; i < babies->len; i++)
    {
      CradleBaby *baby = g_ptr_array_index (babies, i);

      if (!all_babies && !g_hash_table_contains (used_babies, baby->alias))
        continue;
      json_builder_begin_object (b);
      add_string (b, "alias", baby->alias);
      add_string (b, "birth_date", baby->birth_date);
      add_string (b, "age_band", baby->age_band);
      add_string (b, "gender", baby->gender);
      add_string (b, "notes", baby->notes);
      add_string (b, "created", baby->created);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "recordings");
  json_builder_begin_array (b);
  for (guint i = 0; i < recordings->len; i++)
    add_recording (b, g_ptr_array_index (recordings, i), g_ptr_array_index (paths, i),
                   g_ptr_array_index (segments, i));
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

/* ---- CSV ----------------------------------------------------------------------- */

/* RFC 4180: a field with a comma, quote or line break is quoted, its quotes
 * doubled. */
static void
csv_field (GString    *out,
           const char *value,
           gboolean    last)
{
  if (value != NULL)
    {
      if (strpbrk (value, ",\"\r\n") != NULL)
        {
          g_string_append_c (out, '"');
          for (const char *p = value; *p != '\0'; p++)
            {
              if (*p == '"')
                g_string_append_c (out, '"');
              g_string_append_c (out, *p);
            }
          g_string_append_c (out, '"');
        }
      else
        g_string_append (out, value);
    }
  g_string_append (out, last ? "\r\n" : ",");
}

static char *
csv_text (CradleDataset  *dataset,
          GPtrArray      *recordings,
          GPtrArray      *segments)
{
  static const char * const header[] = {
    "id", "path", "label", "label_status", "baby", "group", "duration", "sample_rate",
    "channels", "sha256", "source", "created", "notes", "n_segments",
  };
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (header); i++)
    csv_field (out, header[i], i + 1 == G_N_ELEMENTS (header));
  for (guint i = 0; i < recordings->len; i++)
    {
      CradleRecording *r = g_ptr_array_index (recordings, i);
      GPtrArray *s = g_ptr_array_index (segments, i);
      g_autofree char *path = cradle_dataset_resolve_path (dataset, r->path);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, r->id);
      g_autofree char *rate = g_strdup_printf ("%u", r->sample_rate);
      g_autofree char *channels = g_strdup_printf ("%u", r->channels);
      g_autofree char *n_segments = g_strdup_printf ("%u", s->len);
      char duration[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (duration, sizeof duration, "%.6f", r->duration);
      csv_field (out, id, FALSE);
      csv_field (out, path, FALSE);
      csv_field (out, r->label, FALSE);
      csv_field (out, cradle_label_status_to_string (r->label_status), FALSE);
      csv_field (out, r->baby_alias, FALSE);
      csv_field (out, r->group_key, FALSE);
      csv_field (out, duration, FALSE);
      csv_field (out, rate, FALSE);
      csv_field (out, channels, FALSE);
      csv_field (out, r->sha256, FALSE);
      csv_field (out, r->source, FALSE);
      csv_field (out, r->created, FALSE);
      csv_field (out, r->notes, FALSE);
      csv_field (out, n_segments, TRUE);
    }
  return g_string_free (out, FALSE);
}

/* ---- Folders ------------------------------------------------------------------- */

static gboolean
copy_file (const char  *from,
           const char  *to,
           GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  if (!g_file_get_contents (from, &contents, &length, &local_error))
    {
      g_set_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_EXPORT, "%s",
                   local_error->message);
      return FALSE;
    }
  return cradle_import_write_file_atomic (to, contents, length, EXPORT_FILE_MODE, error);
}

/* A name not yet in USED: BASE, else "STEM-2.EXT", "STEM-3.EXT", … */
static char *
unique_name (GHashTable *used,
             const char *dir,
             const char *base)
{
  char *name = g_strdup (base);
  const char *dot = strrchr (base, '.');
  g_autofree char *stem = dot != NULL ? g_strndup (base, dot - base) : g_strdup (base);

  for (guint n = 2; ; n++)
    {
      char *key = g_build_filename (dir, name, NULL);

      if (!g_hash_table_contains (used, key))
        {
          g_hash_table_add (used, key);
          return name;
        }
      g_free (key);
      g_free (name);
      name = g_strdup_printf ("%s-%u%s", stem, n, dot != NULL ? dot : "");
    }
}

/* OUT must be missing, empty, or an earlier export (it has a manifest). */
static gboolean
check_out_dir (const char  *out,
               GError     **error)
{
  g_autoptr(GDir) d = NULL;
  g_autofree char *manifest = g_build_filename (out, CRADLE_MANIFEST_NAME, NULL);
  g_autofree char *display = g_filename_display_name (out);

  if (!g_file_test (out, G_FILE_TEST_EXISTS))
    return TRUE;
  if (!g_file_test (out, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_EXPORT,
                   "“%s” exists and is not a folder", display);
      return FALSE;
    }
  if (g_file_test (manifest, G_FILE_TEST_IS_REGULAR))
    return TRUE;
  d = g_dir_open (out, 0, NULL);
  if (d != NULL && g_dir_read_name (d) != NULL)
    {
      g_set_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_EXPORT,
                   "“%s” is not empty and not an earlier Cradle export; choose a new folder",
                   display);
      return FALSE;
    }
  return TRUE;
}

static gboolean
export_folders (CradleDataset  *dataset,
                const char     *out,
                GPtrArray      *recordings,
                GPtrArray      *segments,
                gboolean        all_babies,
                GError        **error)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *text = NULL;
  g_autofree char *manifest_path = NULL;

  if (!check_out_dir (out, error) || !make_dir (out, error))
    return FALSE;

  for (guint i = 0; i < recordings->len; i++)
    {
      CradleRecording *r = g_ptr_array_index (recordings, i);
      const char *folder = r->label != NULL ? r->label : CRADLE_DATASET_UNLABELED_DIR;
      g_autofree char *dir = g_build_filename (out, folder, NULL);
      g_autofree char *base = g_path_get_basename (r->path);
      g_autofree char *name = unique_name (used, folder, base);
      g_autofree char *from = cradle_dataset_resolve_path (dataset, r->path);
      g_autofree char *to = g_build_filename (dir, name, NULL);

      if (!make_dir (dir, error) || !copy_file (from, to, error))
        return FALSE;
      g_ptr_array_add (paths, g_strconcat (folder, "/", name, NULL));
    }

  text = manifest_text (dataset, recordings, paths, segments, all_babies, error);
  if (text == NULL)
    return FALSE;
  manifest_path = g_build_filename (out, CRADLE_MANIFEST_NAME, NULL);
  return cradle_import_write_file_atomic (manifest_path, text, strlen (text), EXPORT_FILE_MODE,
                                          error);
}

static gboolean
export_audacity (CradleDataset  *dataset,
                 const char     *out,
                 GPtrArray      *recordings,
                 GPtrArray      *segments,
                 guint          *n_written,
                 GError        **error)
{
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  *n_written = 0;
  if (!make_dir (out, error))
    return FALSE;
  for (guint i = 0; i < recordings->len; i++)
    {
      CradleRecording *r = g_ptr_array_index (recordings, i);
      GPtrArray *s = g_ptr_array_index (segments, i);
      g_autofree char *base = NULL;
      g_autofree char *txt = NULL;
      g_autofree char *name = NULL;
      g_autofree char *path = NULL;
      char *dot;

      if (s->len == 0)
        continue;
      base = g_path_get_basename (r->path);
      dot = strrchr (base, '.');
      if (dot != NULL)
        *dot = '\0';
      txt = g_strconcat (base, ".txt", NULL);
      name = unique_name (used, "", txt);
      path = g_build_filename (out, name, NULL);
      if (!cradle_audacity_labels_write (path, s, error))
        return FALSE;
      (*n_written)++;
    }
  return TRUE;
}

gboolean
cradle_export (CradleDataset                *dataset,
               CradleExportFormat            format,
               const char                   *out,
               const CradleRecordingFilter  *filter,
               guint                        *n_exported,
               GError                      **error)
{
  g_autoptr(GPtrArray) recordings = NULL;
  g_autoptr(GPtrArray) segments = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  guint n = 0;

  g_return_val_if_fail (dataset != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  recordings = cradle_dataset_list_recordings (dataset, filter, error);
  if (recordings == NULL)
    return FALSE;
  for (guint i = 0; i < recordings->len; i++)
    {
      CradleRecording *r = g_ptr_array_index (recordings, i);
      GPtrArray *s = cradle_dataset_list_segments (dataset, r->id, error);

      if (s == NULL)
        return FALSE;
      g_ptr_array_add (segments, s);
    }

  switch (format)
    {
    case CRADLE_EXPORT_FOLDERS:
      if (!export_folders (dataset, out, recordings, segments, filter == NULL, error))
        return FALSE;
      n = recordings->len;
      break;

    case CRADLE_EXPORT_CSV:
      {
        g_autofree char *text = csv_text (dataset, recordings, segments);

        if (!cradle_import_write_file_atomic (out, text, strlen (text), EXPORT_FILE_MODE, error))
          return FALSE;
        n = recordings->len;
      }
      break;

    case CRADLE_EXPORT_JSON:
      {
        g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
        g_autofree char *text = NULL;

        for (guint i = 0; i < recordings->len; i++)
          {
            CradleRecording *r = g_ptr_array_index (recordings, i);

            g_ptr_array_add (paths, cradle_dataset_resolve_path (dataset, r->path));
          }
        text = manifest_text (dataset, recordings, paths, segments, filter == NULL, error);
        if (text == NULL ||
            !cradle_import_write_file_atomic (out, text, strlen (text), EXPORT_FILE_MODE, error))
          return FALSE;
        n = recordings->len;
      }
      break;

    case CRADLE_EXPORT_AUDACITY:
      if (!export_audacity (dataset, out, recordings, segments, &n, error))
        return FALSE;
      break;

    default:
      g_return_val_if_reached (FALSE);
    }

  if (n_exported != NULL)
    *n_exported = n;
  return TRUE;
}
