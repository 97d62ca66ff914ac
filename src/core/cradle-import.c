/* cradle-import.c — file-name parsing, the label map, importing folders and
 * Audacity label files
 *
 * An import walks DIR, and for each audio file decides its label from the
 * folder it is in (through the label map), its group and baby from its name
 * (donateacry, ESC-50, chunked "<source>_<n>" names), hashes its bytes
 * (SHA-256, streamed) and skips it when the dataset already holds that
 * content. Only then is it decoded and stored. Files are added in batches,
 * one transaction each; a file that cannot be used is listed with its
 * reason and the import goes on. A folder exported by cradle_export() has a
 * cradle-manifest.json at its root, which then says everything per file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cradle-import.h"
#include "cradle-import-private.h"
#include "cradle-error.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

G_DEFINE_QUARK (cradle-import-error-quark, cradle_import_error)

#define DEFAULT_BATCH_SIZE 64
#define HASH_BLOCK         65536
/* The largest rate a FLAC stream can carry. */
#define FLAC_MAX_RATE      655350

/* ---- Layouts ------------------------------------------------------------ */

static const char * const layout_names[] = {
  [CRADLE_IMPORT_LAYOUT_AUTO] = "auto",
  [CRADLE_IMPORT_LAYOUT_FOLDERS] = "folders",
  [CRADLE_IMPORT_LAYOUT_DONATEACRY] = "donateacry",
  [CRADLE_IMPORT_LAYOUT_ESC50] = "esc50",
};

gboolean
cradle_import_layout_from_string (const char         *name,
                                  CradleImportLayout *layout)
{
  g_return_val_if_fail (layout != NULL, FALSE);

  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (layout_names); i++)
    if (g_ascii_strcasecmp (name, layout_names[i]) == 0)
      {
        *layout = (CradleImportLayout) i;
        return TRUE;
      }
  return FALSE;
}

const char *
cradle_import_layout_to_string (CradleImportLayout layout)
{
  g_return_val_if_fail ((guint) layout < G_N_ELEMENTS (layout_names), NULL);
  return layout_names[layout];
}

/* ---- File names ----------------------------------------------------------- */

void
cradle_name_info_clear (CradleNameInfo *info)
{
  if (info == NULL)
    return;
  g_clear_pointer (&info->group_key, g_free);
  g_clear_pointer (&info->baby, g_free);
  g_clear_pointer (&info->gender, g_free);
  g_clear_pointer (&info->age_band, g_free);
  g_clear_pointer (&info->cause, g_free);
  g_clear_pointer (&info->reason, g_free);
  info->created = 0;
}

/* BASENAME without an extension: a last ".xyz" of 1–5 letters and digits
 * with at least one letter. Donateacry names without their extension end in
 * "-1.7-m-04-hu", whose last dot is not an extension. */
static char *
name_stem (const char *basename)
{
  const char *dot = strrchr (basename, '.');
  gboolean has_alpha = FALSE;
  gsize ext_len;

  if (dot == NULL || dot == basename)
    return g_strdup (basename);
  ext_len = strlen (dot + 1);
  if (ext_len == 0 || ext_len > 5)
    return g_strdup (basename);
  for (const char *p = dot + 1; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p))
        return g_strdup (basename);
      if (g_ascii_isalpha (*p))
        has_alpha = TRUE;
    }
  return has_alpha ? g_strndup (basename, dot - basename) : g_strdup (basename);
}

static gboolean
all_digits (const char *s)
{
  if (s == NULL || *s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

static gboolean
all_hex (const char *s,
         gsize       len)
{
  if (strlen (s) != len)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isxdigit (s[i]))
      return FALSE;
  return TRUE;
}

static const struct {
  const char *code;
  const char *band;
} age_bands[] = {
  { "04", "0–4 weeks" },
  { "48", "4–8 weeks" },
  { "26", "2–6 months" },
  { "72", "7 months–2 years" },
  { "22", "over 2 years" },
};

/* Donateacry reason codes. ch (cold/hot) is filed under discomfort, as the
 * cleaned corpus itself does; lo (lonely) and sc (scared) mean the baby wants
 * someone: attention. dk (don't know) has no label: the import stores the
 * file with label status "dont-know". */
static const struct {
  const char *code;
  const char *label;
} reason_codes[] = {
  { "hu", "hunger" },
  { "bu", "burping" },
  { "bp", "pain" },
  { "dc", "discomfort" },
  { "ti", "sleepy" },
  { "ch", "discomfort" },
  { "lo", "attention" },
  { "sc", "attention" },
  { "dk", NULL },
};

/* <uuid>-<unix time (s or ms)>-<app version>-<m|f>-<age code>-<reason code> */
static gboolean
parse_donateacry (const char     *stem,
                  CradleNameInfo *info)
{
  static const gsize uuid_lengths[] = { 8, 4, 4, 4, 12 };
  g_auto(GStrv) parts = g_strsplit (stem, "-", -1);
  const char *age = NULL;
  const char *reason_label = NULL;
  gboolean reason_ok = FALSE;
  g_autofree char *uuid = NULL;
  g_autofree char *reason = NULL;
  guint64 t;

  if (g_strv_length (parts) != 10)
    return FALSE;
  for (guint i = 0; i < 5; i++)
    if (!all_hex (parts[i], uuid_lengths[i]))
      return FALSE;
  if (!all_digits (parts[5]) || strlen (parts[5]) > 13)
    return FALSE;
  if (parts[6][0] == '\0' || !g_ascii_isdigit (parts[6][0]) ||
      strspn (parts[6], "0123456789.") != strlen (parts[6]))
    return FALSE;
  if (g_ascii_strcasecmp (parts[7], "m") != 0 && g_ascii_strcasecmp (parts[7], "f") != 0)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (age_bands); i++)
    if (g_str_equal (parts[8], age_bands[i].code))
      age = age_bands[i].band;
  if (age == NULL)
    return FALSE;
  reason = g_ascii_strdown (parts[9], -1);
  for (guint i = 0; i < G_N_ELEMENTS (reason_codes); i++)
    if (g_str_equal (reason, reason_codes[i].code))
      {
        reason_ok = TRUE;
        reason_label = reason_codes[i].label;
      }
  if (!reason_ok)
    return FALSE;

  t = g_ascii_strtoull (parts[5], NULL, 10);
  /* Later app versions wrote milliseconds. */
  if (t >= G_GUINT64_CONSTANT (100000000000))
    t /= 1000;

  uuid = g_strjoin ("-", parts[0], parts[1], parts[2], parts[3], parts[4], NULL);
  info->group_key = g_ascii_strdown (uuid, -1);
  info->baby = g_strdup (info->group_key);
  info->gender = g_ascii_strdown (parts[7], -1);
  info->age_band = g_strdup (age);
  info->cause = g_strdup (reason_label);
  info->reason = g_steal_pointer (&reason);
  info->created = (gint64) t;
  return TRUE;
}

static gboolean
is_take (const char *s)
{
  if (s == NULL || *s == '\0' || strlen (s) > 3)
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isalpha (*s))
      return FALSE;
  return TRUE;
}

/* "esc50-<fold>-<clip id>-<take>" (this project's data) or ESC-50's own
 * "<fold>-<clip id>-<take>-<class>". */
static gboolean
parse_esc50 (const char     *stem,
             CradleNameInfo *info)
{
  g_auto(GStrv) parts = g_strsplit (stem, "-", -1);

  if (g_strv_length (parts) != 4)
    return FALSE;
  if (g_ascii_strcasecmp (parts[0], "esc50") == 0)
    {
      if (!all_digits (parts[1]) || strlen (parts[1]) > 2 || !all_digits (parts[2]) ||
          !is_take (parts[3]))
        return FALSE;
      info->group_key = g_strconcat ("esc50-", parts[2], NULL);
      return TRUE;
    }
  if (all_digits (parts[0]) && strlen (parts[0]) <= 2 && all_digits (parts[1]) &&
      is_take (parts[2]) && all_digits (parts[3]) && strlen (parts[3]) <= 2)
    {
      guint64 target = g_ascii_strtoull (parts[3], NULL, 10);

      if (target > 49)
        return FALSE;
      info->group_key = g_strconcat ("esc50-", parts[1], NULL);
      /* ESC-50's classes 20 (crying_baby) and 26 (laughing); every other
       * class is an environmental sound. */
      info->cause = g_strdup (target == 20 ? "cry" : target == 26 ? "laugh" : "background");
      return TRUE;
    }
  return FALSE;
}

/* "<source>_<n>": consecutive chunks of one recording. */
static gboolean
parse_chunk (const char     *stem,
             CradleNameInfo *info)
{
  const char *underscore = strrchr (stem, '_');

  if (underscore == NULL || underscore == stem || !all_digits (underscore + 1))
    return FALSE;
  info->group_key = g_strndup (stem, underscore - stem);
  return TRUE;
}

gboolean
cradle_import_parse_name (CradleImportLayout  layout,
                          const char         *basename,
                          CradleNameInfo     *info)
{
  g_autofree char *stem = NULL;

  g_return_val_if_fail (basename != NULL, FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  memset (info, 0, sizeof *info);
  stem = name_stem (basename);
  if (stem[0] == '\0')
    return FALSE;

  switch (layout)
    {
    case CRADLE_IMPORT_LAYOUT_AUTO:
      if (parse_donateacry (stem, info) || parse_esc50 (stem, info) || parse_chunk (stem, info))
        return TRUE;
      info->group_key = g_steal_pointer (&stem);
      return TRUE;

    case CRADLE_IMPORT_LAYOUT_FOLDERS:
      if (parse_chunk (stem, info))
        return TRUE;
      info->group_key = g_steal_pointer (&stem);
      return TRUE;

    case CRADLE_IMPORT_LAYOUT_DONATEACRY:
      return parse_donateacry (stem, info);

    case CRADLE_IMPORT_LAYOUT_ESC50:
      return parse_esc50 (stem, info);

    default:
      g_return_val_if_reached (FALSE);
    }
}

/* ---- The label map --------------------------------------------------------- */

struct _CradleLabelMap {
  GHashTable *map;   /* normalised FROM → TO */
  GPtrArray  *added; /* "FROM=TO" as given to cradle_label_map_add, in order */
};

static const char * const builtin_vocabulary[] = {
  "hunger", "pain", "sleepy", "diaper", "attention", "burping", "discomfort", "cry",
  "background", "laugh", "speech", "silence",
};

static const struct {
  const char *from;
  const char *to;
} builtin_aliases[] = {
  { "hungry", "hunger" },
  { "belly_pain", "pain" },
  { "tired", "sleepy" },
  { "noise", "background" },
  { "crying_baby", "cry" },
  { "laughing", "laugh" },
  { "talk", "speech" },
  { "quiet", "silence" },
};

/* Lower case, with "-" and " " as "_", surrounding blanks removed. */
static char *
normalise_key (const char *name)
{
  char *key = g_strstrip (g_ascii_strdown (name, -1));

  for (char *p = key; *p != '\0'; p++)
    if (*p == '-' || *p == ' ')
      *p = '_';
  return key;
}

CradleLabelMap *
cradle_label_map_new (void)
{
  CradleLabelMap *map = g_new0 (CradleLabelMap, 1);

  map->map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  map->added = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < G_N_ELEMENTS (builtin_vocabulary); i++)
    g_hash_table_insert (map->map, g_strdup (builtin_vocabulary[i]),
                         g_strdup (builtin_vocabulary[i]));
  for (guint i = 0; i < G_N_ELEMENTS (builtin_aliases); i++)
    g_hash_table_insert (map->map, g_strdup (builtin_aliases[i].from),
                         g_strdup (builtin_aliases[i].to));
  return map;
}

void
cradle_label_map_free (CradleLabelMap *map)
{
  if (map == NULL)
    return;
  g_hash_table_unref (map->map);
  g_ptr_array_unref (map->added);
  g_free (map);
}

static gboolean
is_label_name (const char *name)
{
  if (name == NULL || *name == '\0')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '_' || *p == '-'))
      return FALSE;
  return TRUE;
}

gboolean
cradle_label_map_add (CradleLabelMap  *map,
                      const char      *from_eq_to,
                      GError         **error)
{
  const char *eq;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  g_return_val_if_fail (map != NULL, FALSE);
  g_return_val_if_fail (from_eq_to != NULL, FALSE);

  eq = strchr (from_eq_to, '=');
  if (eq == NULL)
    {
      g_set_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_MAPPING,
                   "“%s” is not FROM=TO (for example streams=background)", from_eq_to);
      return FALSE;
    }
  {
    g_autofree char *raw = g_strndup (from_eq_to, eq - from_eq_to);

    from = normalise_key (raw);
  }
  to = g_strstrip (g_ascii_strdown (eq + 1, -1));
  if (from[0] == '\0' || to[0] == '\0')
    {
      g_set_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_MAPPING,
                   "“%s”: %s is empty (write FROM=TO, for example streams=background)",
                   from_eq_to, from[0] == '\0' ? "FROM" : "TO");
      return FALSE;
    }
  if (!is_label_name (to))
    {
      g_set_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_MAPPING,
                   "“%s”: “%s” cannot be a label name (letters, digits, “_” and “-” only)",
                   from_eq_to, to);
      return FALSE;
    }
  g_ptr_array_add (map->added, g_strdup_printf ("%s=%s", from, to));
  g_hash_table_insert (map->map, g_steal_pointer (&from), g_steal_pointer (&to));
  return TRUE;
}

const char *
cradle_label_map_lookup (CradleLabelMap *map,
                         const char     *folder)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (map != NULL, NULL);

  if (folder == NULL)
    return NULL;
  key = normalise_key (folder);
  return g_hash_table_lookup (map->map, key);
}

/* Every TO given with cradle_label_map_add must be in DATASET's vocabulary
 * (or "unlabeled"). */
static gboolean
label_map_check (CradleLabelMap  *map,
                 CradleDataset   *dataset,
                 GError         **error)
{
  for (guint i = 0; i < map->added->len; i++)
    {
      const char *entry = g_ptr_array_index (map->added, i);
      const char *to = strchr (entry, '=') + 1;

      if (!g_str_equal (to, CRADLE_IMPORT_UNLABELED) && !cradle_dataset_lookup_label (dataset, to, NULL))
        {
          g_set_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_MAPPING,
                       "--map %s: “%s” is not a label of the vocabulary (add it with "
                       "“cradle-cli vocabulary”, or map to “unlabeled”)", entry, to);
          return FALSE;
        }
    }
  return TRUE;
}

/* FOLDER through MAP, else a vocabulary name of the dataset (labels added
 * by the user are not in the built-in map). */
static const char *
folder_label (CradleLabelMap *map,
              CradleDataset  *dataset,
              const char     *folder)
{
  const char *to;
  g_autofree char *lower = NULL;

  if (folder == NULL)
    return NULL;
  to = cradle_label_map_lookup (map, folder);
  if (to != NULL)
    return to;
  lower = g_ascii_strdown (folder, -1);
  if (cradle_dataset_lookup_label (dataset, lower, NULL))
    return g_intern_string (lower);
  return NULL;
}

/* ---- Summary ------------------------------------------------------------- */

static void
import_skip_free (gpointer data)
{
  CradleImportSkip *skip = data;

  g_free (skip->path);
  g_free (skip->reason);
  g_free (skip);
}

void
cradle_import_summary_clear (CradleImportSummary *summary)
{
  if (summary == NULL)
    return;
  g_clear_pointer (&summary->skipped, g_ptr_array_unref);
  g_clear_pointer (&summary->added_per_label, g_hash_table_unref);
  memset (summary, 0, sizeof *summary);
}

static void
summary_skip (CradleImportSummary *summary,
              const char          *path,
              const char          *reason)
{
  CradleImportSkip *skip = g_new0 (CradleImportSkip, 1);

  skip->path = g_strdup (path);
  skip->reason = g_strdup (reason);
  g_ptr_array_add (summary->skipped, skip);
  summary->n_skipped++;
}

/* ---- Hashing ------------------------------------------------------------- */

static char *
hash_file (const char  *path,
           GError     **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree guchar *buffer = g_malloc (HASH_BLOCK);
  FILE *f = g_fopen (path, "rb");
  gsize n;

  if (f == NULL)
    {
      int saved = errno;
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "Cannot read “%s”: %s", display, g_strerror (saved));
      return NULL;
    }
  while ((n = fread (buffer, 1, HASH_BLOCK, f)) > 0)
    g_checksum_update (checksum, buffer, n);
  if (ferror (f))
    {
      int saved = errno;
      g_autofree char *display = g_filename_display_name (path);

      fclose (f);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "Cannot read “%s”: %s", display, g_strerror (saved));
      return NULL;
    }
  fclose (f);
  return g_strdup (g_checksum_get_string (checksum));
}

/* ---- The manifest --------------------------------------------------------- */

typedef struct {
  char              *path;           /* relative to the folder, "/"-separated */
  char              *label;
  CradleLabelStatus  label_status;
  char              *labeler;
  double             confidence;
  char              *baby;
  char              *group;
  gint64             created;
  char              *source;
  char              *device;
  char              *notes;
  guint              channels;
  char              *sha256;
  char              *source_sha256;
  GPtrArray         *segments;       /* (element-type CradleSegment) */
} ManifestEntry;

typedef struct {
  GPtrArray  *labels;   /* (element-type CradleLabelInfo) */
  GPtrArray  *babies;   /* (element-type CradleBaby) */
  GHashTable *entries;  /* path → ManifestEntry */
} Manifest;

static void
manifest_entry_free (gpointer data)
{
  ManifestEntry *e = data;

  g_free (e->path);
  g_free (e->label);
  g_free (e->labeler);
  g_free (e->baby);
  g_free (e->group);
  g_free (e->source);
  g_free (e->device);
  g_free (e->notes);
  g_free (e->sha256);
  g_free (e->source_sha256);
  g_clear_pointer (&e->segments, g_ptr_array_unref);
  g_free (e);
}

static void
manifest_free (Manifest *m)
{
  if (m == NULL)
    return;
  g_clear_pointer (&m->labels, g_ptr_array_unref);
  g_clear_pointer (&m->babies, g_ptr_array_unref);
  g_clear_pointer (&m->entries, g_hash_table_unref);
  g_free (m);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Manifest, manifest_free)

static gboolean
manifest_fail (GError     **error,
               const char  *path,
               const char  *where,
               const char  *member,
               const char  *what)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_MANIFEST,
               "%s: %s: “%s” %s", display, where, member, what);
  return FALSE;
}

/* A string member, NULL when absent or null. */
static gboolean
get_string (JsonObject  *o,
            const char  *member,
            char       **out,
            const char  *path,
            const char  *where,
            GError     **error)
{
  JsonNode *node = json_object_get_member (o, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return manifest_fail (error, path, where, member, "must be a string");
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

/* A number member; PRESENT FALSE when absent or null. */
static gboolean
get_number (JsonObject  *o,
            const char  *member,
            double      *out,
            gboolean    *present,
            const char  *path,
            const char  *where,
            GError     **error)
{
  JsonNode *node = json_object_get_member (o, member);
  GType type;

  *present = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return manifest_fail (error, path, where, member, "must be a number");
  *out = json_node_get_double (node);
  if (!isfinite (*out))
    return manifest_fail (error, path, where, member, "must be a finite number");
  *present = TRUE;
  return TRUE;
}

static gint64
parse_iso8601 (const char *text)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL)
    return 0;
  dt = g_date_time_new_from_iso8601 (text, utc);
  return dt != NULL ? g_date_time_to_unix (dt) : 0;
}

static JsonArray *
get_array (JsonObject  *o,
           const char  *member,
           const char  *path,
           GError     **error)
{
  JsonNode *node = json_object_get_member (o, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      manifest_fail (error, path, "top level", member, "must be an array");
      return NULL;
    }
  return json_node_get_array (node);
}

static ManifestEntry *
parse_manifest_entry (JsonNode    *node,
                      guint        index,
                      const char  *path,
                      GError     **error)
{
  g_autofree char *where = g_strdup_printf ("recording %u", index + 1);
  ManifestEntry *e;
  g_autofree char *status = NULL;
  g_autofree char *created = NULL;
  JsonObject *o;
  JsonNode *segments;
  double number;
  gboolean present;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      manifest_fail (error, path, where, "recordings", "must hold objects");
      return NULL;
    }
  o = json_node_get_object (node);
  e = g_new0 (ManifestEntry, 1);
  e->confidence = -1.0;
  e->segments = g_ptr_array_new_with_free_func ((GDestroyNotify) cradle_segment_free);
  if (!get_string (o, "path", &e->path, path, where, error) ||
      !get_string (o, "label", &e->label, path, where, error) ||
      !get_string (o, "label_status", &status, path, where, error) ||
      !get_string (o, "labeler", &e->labeler, path, where, error) ||
      !get_string (o, "baby", &e->baby, path, where, error) ||
      !get_string (o, "group", &e->group, path, where, error) ||
      !get_string (o, "created", &created, path, where, error) ||
      !get_string (o, "source", &e->source, path, where, error) ||
      !get_string (o, "device", &e->device, path, where, error) ||
      !get_string (o, "notes", &e->notes, path, where, error) ||
      !get_string (o, "sha256", &e->sha256, path, where, error) ||
      !get_string (o, "source_sha256", &e->source_sha256, path, where, error))
    goto fail;
  if (e->path == NULL)
    {
      manifest_fail (error, path, where, "path", "is missing");
      goto fail;
    }
  if (status == NULL)
    e->label_status = e->label != NULL ? CRADLE_LABEL_STATUS_CONFIRMED : CRADLE_LABEL_STATUS_NONE;
  else if (!cradle_label_status_from_string (status, &e->label_status))
    {
      manifest_fail (error, path, where, "label_status",
                     "must be none, confirmed, dont-know or predicted");
      goto fail;
    }
  e->created = parse_iso8601 (created);
  if (!get_number (o, "confidence", &number, &present, path, where, error))
    goto fail;
  if (present)
    e->confidence = number;
  if (!get_number (o, "channels", &number, &present, path, where, error))
    goto fail;
  if (present && number >= 1 && number <= CRADLE_AUDIO_MAX_CHANNELS)
    e->channels = (guint) number;

  segments = json_object_get_member (o, "segments");
  if (segments != NULL && !JSON_NODE_HOLDS_NULL (segments))
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (segments))
        {
          manifest_fail (error, path, where, "segments", "must be an array");
          goto fail;
        }
      array = json_node_get_array (segments);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *s = json_array_get_element (array, i);
          g_autoptr(CradleSegment) segment = g_new0 (CradleSegment, 1);
          gboolean has_start, has_end;

          if (!JSON_NODE_HOLDS_OBJECT (s))
            {
              manifest_fail (error, path, where, "segments", "must hold objects");
              goto fail;
            }
          if (!get_number (json_node_get_object (s), "start", &segment->start, &has_start,
                           path, where, error) ||
              !get_number (json_node_get_object (s), "end", &segment->end, &has_end,
                           path, where, error) ||
              !get_string (json_node_get_object (s), "label", &segment->label, path, where, error) ||
              !get_string (json_node_get_object (s), "labeler", &segment->labeler, path, where,
                           error))
            goto fail;
          if (!has_start || !has_end || segment->label == NULL)
            {
              manifest_fail (error, path, where, "segments", "need start, end and label");
              goto fail;
            }
          g_ptr_array_add (e->segments, g_steal_pointer (&segment));
        }
    }
  return e;

fail:
  manifest_entry_free (e);
  return NULL;
}

static Manifest *
manifest_load (const char  *path,
               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(Manifest) m = g_new0 (Manifest, 1);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display = g_filename_display_name (path);
  JsonNode *root;
  JsonObject *o;
  JsonArray *array;

  if (!json_parser_load_from_file (parser, path, &local_error))
    {
      g_set_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_MANIFEST,
                   "%s: %s", display, local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_MANIFEST,
                   "%s: not a Cradle manifest (the top level is not an object)", display);
      return NULL;
    }
  o = json_node_get_object (root);
  if (json_object_get_int_member_with_default (o, "cradle_manifest", 0) < 1)
    {
      g_set_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_MANIFEST,
                   "%s: not a Cradle manifest (no “cradle_manifest” version)", display);
      return NULL;
    }
  if (json_object_get_int_member_with_default (o, "cradle_manifest", 0) > CRADLE_MANIFEST_VERSION)
    {
      g_set_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_MANIFEST,
                   "%s: made by a newer Cradle (manifest version %" G_GINT64_FORMAT ")",
                   display, json_object_get_int_member (o, "cradle_manifest"));
      return NULL;
    }

  m->labels = g_ptr_array_new_with_free_func ((GDestroyNotify) cradle_label_info_free);
  m->babies = g_ptr_array_new_with_free_func ((GDestroyNotify) cradle_baby_free);
  m->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, manifest_entry_free);

  array = get_array (o, "labels", path, error);
  if (array == NULL && error != NULL && *error != NULL)
    return NULL;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *where = g_strdup_printf ("label %u", i + 1);
      g_autoptr(CradleLabelInfo) info = g_new0 (CradleLabelInfo, 1);
      JsonNode *is_cry;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return manifest_fail (error, path, where, "labels", "must hold objects"), NULL;
      if (!get_string (json_node_get_object (node), "name", &info->name, path, where, error) ||
          !get_string (json_node_get_object (node), "description", &info->description, path,
                       where, error))
        return NULL;
      if (info->name == NULL)
        return manifest_fail (error, path, where, "name", "is missing"), NULL;
      is_cry = json_object_get_member (json_node_get_object (node), "is_cry");
      info->is_cry = is_cry != NULL && JSON_NODE_HOLDS_VALUE (is_cry) &&
                     json_node_get_boolean (is_cry);
      info->position = i;
      g_ptr_array_add (m->labels, g_steal_pointer (&info));
    }

  array = get_array (o, "babies", path, error);
  if (array == NULL && error != NULL && *error != NULL)
    return NULL;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      g_autofree char *where = g_strdup_printf ("baby %u", i + 1);
      g_autoptr(CradleBaby) baby = g_new0 (CradleBaby, 1);
      JsonObject *b;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return manifest_fail (error, path, where, "babies", "must hold objects"), NULL;
      b = json_node_get_object (node);
      if (!get_string (b, "alias", &baby->alias, path, where, error) ||
          !get_string (b, "birth_date", &baby->birth_date, path, where, error) ||
          !get_string (b, "age_band", &baby->age_band, path, where, error) ||
          !get_string (b, "gender", &baby->gender, path, where, error) ||
          !get_string (b, "notes", &baby->notes, path, where, error) ||
          !get_string (b, "created", &baby->created, path, where, error))
        return NULL;
      if (baby->alias == NULL || baby->alias[0] == '\0')
        return manifest_fail (error, path, where, "alias", "is missing"), NULL;
      g_ptr_array_add (m->babies, g_steal_pointer (&baby));
    }

  array = get_array (o, "recordings", path, error);
  if (array == NULL && error != NULL && *error != NULL)
    return NULL;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      ManifestEntry *e = parse_manifest_entry (json_array_get_element (array, i), i, path, error);

      if (e == NULL)
        return NULL;
      g_hash_table_replace (m->entries, e->path, e);
    }
  return g_steal_pointer (&m);
}

/* ---- The import ------------------------------------------------------------ */

typedef struct {
  CradleDataset             *dataset;
  const CradleImportOptions *options;
  CradleLabelMap            *map;
  CradleImportSummary       *summary;
  char                      *dir;          /* as given */
  char                      *dataset_dir;  /* canonical, to leave out */
  Manifest                  *manifest;     /* nullable */
  GHashTable                *babies;       /* alias → gint64 * */
  GHashTable                *seen;         /* source sha256 added in this run */
  GHashTable                *pending;      /* label → count, added in the open batch */
} Importer;

static void
importer_clear (Importer *im)
{
  g_clear_pointer (&im->dir, g_free);
  g_clear_pointer (&im->dataset_dir, g_free);
  g_clear_pointer (&im->manifest, manifest_free);
  g_clear_pointer (&im->babies, g_hash_table_unref);
  g_clear_pointer (&im->seen, g_hash_table_unref);
  g_clear_pointer (&im->pending, g_hash_table_unref);
}

static gboolean
is_audio_name (const char *name)
{
  static const char * const extensions[] = {
    ".wav", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".aif", ".aiff", ".aifc", ".au", ".snd",
    ".w64", ".caf", ".rf64",
  };
  g_autofree char *lower = g_ascii_strdown (name, -1);

  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    if (g_str_has_suffix (lower, extensions[i]))
      return TRUE;
  return FALSE;
}

/* Relative paths ("/"-separated) of the audio files under DIR, leaving out
 * hidden names, symbolic links to folders and the dataset's own folder. A
 * sub-folder that cannot be read is listed as skipped. */
static void
list_audio_files (Importer   *im,
                  const char *dir,
                  const char *relative,
                  GPtrArray  *out,
                  guint       depth)
{
  g_autoptr(GDir) d = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;

  if (depth > 32)
    return;
  d = g_dir_open (dir, 0, &error);
  if (d == NULL)
    {
      summary_skip (im->summary, dir, error->message);
      return;
    }
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *rel = relative != NULL ? g_strconcat (relative, "/", name, NULL)
                                              : g_strdup (name);

      if (name[0] == '.')
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          g_autofree char *canonical = NULL;

          if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
            continue;
          canonical = g_canonicalize_filename (path, NULL);
          if (im->dataset_dir != NULL && g_str_equal (canonical, im->dataset_dir))
            continue;
          list_audio_files (im, path, rel, out, depth + 1);
        }
      else if (is_audio_name (name))
        g_ptr_array_add (out, g_steal_pointer (&rel));
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The baby with ALIAS, created with FIELDS (nullable) when missing. */
static gint64
ensure_baby (Importer          *im,
             const char        *alias,
             const CradleBaby  *fields,
             GError           **error)
{
  gint64 *cached = g_hash_table_lookup (im->babies, alias);
  g_autoptr(CradleBaby) found = NULL;
  g_autoptr(GError) local_error = NULL;
  CradleBaby spec = { 0 };
  gint64 id;

  if (cached != NULL)
    return *cached;
  found = cradle_dataset_find_baby (im->dataset, alias, &local_error);
  if (found != NULL)
    id = found->id;
  else if (local_error != NULL &&
           !g_error_matches (local_error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return 0;
    }
  else
    {
      if (fields != NULL)
        spec = *fields;
      spec.alias = (char *) alias;
      id = cradle_dataset_add_baby (im->dataset, &spec, error);
      if (id == 0)
        return 0;
    }
  g_hash_table_insert (im->babies, g_strdup (alias), g_memdup2 (&id, sizeof id));
  return id;
}

typedef enum {
  FILE_ADDED,
  FILE_DUPLICATE,
  FILE_SKIPPED,
  FILE_FATAL,
} FileOutcome;

/* "stem_20240101T120000" or "stem_20240101T120000-2" → "stem": the name a
 * stored file had before the dataset added its time stamp. */
static char *
strip_stored_suffix (const char *stem)
{
  const char *u = strrchr (stem, '_');
  const char *p;

  if (u == NULL || u == stem)
    return g_strdup (stem);
  p = u + 1;
  for (guint i = 0; i < 15; i++, p++)
    if (i == 8 ? *p != 'T' : !g_ascii_isdigit (*p))
      return g_strdup (stem);
  if (*p == '-' && all_digits (p + 1))
    p += strlen (p);
  return *p == '\0' ? g_strndup (stem, u - stem) : g_strdup (stem);
}

/* What to store for a file: everything but the audio. */
typedef struct {
  const char        *label;
  CradleLabelStatus  status;
  const char        *labeler;
  double             confidence;
  const char        *baby;        /* alias, nullable */
  const CradleBaby  *baby_fields; /* nullable */
  const char        *group;
  gint64             created;
  const char        *source;
  const char        *device;
  const char        *notes;
  guint              channels;
  GPtrArray         *segments;    /* nullable */
  char              *stem;
} FilePlan;

static FileOutcome
import_file (Importer    *im,
             const char  *relative,
             char       **reason,
             const char **added_label,
             GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *source_path = NULL;
  g_auto(CradleNameInfo) info = { 0 };
  g_auto(CradleAudioInfo) audio_info = { 0 };
  g_autoptr(CradleAudio) audio = NULL;
  g_autoptr(GError) local_error = NULL;
  CradleBaby baby_fields = { 0 };
  CradleRecordingSpec spec = { 0 };
  FilePlan plan = { 0 };
  ManifestEntry *entry = NULL;
  const char *dedup_key;
  const char *slash;
  gint64 baby_id = 0;
  gint64 id;
  GStatBuf st;

  path = g_build_filename (im->dir, relative, NULL);
  basename = g_path_get_basename (relative);
  slash = strrchr (relative, '/');
  if (slash != NULL)
    {
      const char *start = slash;

      while (start > relative && start[-1] != '/')
        start--;
      folder = g_strndup (start, slash - start);
    }

  plan.confidence = -1.0;
  plan.source = "import";

  if (im->manifest != NULL)
    entry = g_hash_table_lookup (im->manifest->entries, relative);

  if (entry != NULL)
    {
      g_autofree char *stem = name_stem (basename);

      if (entry->label != NULL && !cradle_dataset_lookup_label (im->dataset, entry->label, NULL))
        {
          *reason = g_strdup_printf ("the manifest's label “%s” is not in the vocabulary",
                                     entry->label);
          return FILE_SKIPPED;
        }
      plan.label = entry->label;
      plan.status = entry->label != NULL ? entry->label_status
                    : entry->label_status == CRADLE_LABEL_STATUS_DONT_KNOW
                      ? CRADLE_LABEL_STATUS_DONT_KNOW : CRADLE_LABEL_STATUS_NONE;
      plan.labeler = entry->labeler;
      plan.confidence = entry->confidence;
      plan.baby = entry->baby;
      for (guint i = 0; entry->baby != NULL && i < im->manifest->babies->len; i++)
        {
          CradleBaby *b = g_ptr_array_index (im->manifest->babies, i);

          if (g_str_equal (b->alias, entry->baby))
            plan.baby_fields = b;
        }
      plan.group = entry->group;
      plan.created = entry->created;
      if (entry->source != NULL)
        plan.source = entry->source;
      plan.device = entry->device;
      plan.notes = entry->notes;
      plan.channels = entry->channels;
      plan.segments = entry->segments;
      plan.stem = strip_stored_suffix (stem);
    }
  else
    {
      const char *to;

      if (!cradle_import_parse_name (im->options->layout, basename, &info))
        {
          *reason = g_strdup_printf ("the file name does not fit the %s layout",
                                     cradle_import_layout_to_string (im->options->layout));
          return FILE_SKIPPED;
        }
      to = folder_label (im->map, im->dataset, folder);
      if (to != NULL)
        {
          gboolean unlabeled = g_str_equal (to, CRADLE_IMPORT_UNLABELED);

          plan.label = unlabeled ? NULL : to;
          plan.status = unlabeled ? CRADLE_LABEL_STATUS_NONE : CRADLE_LABEL_STATUS_CONFIRMED;
        }
      else if (info.reason != NULL && g_str_equal (info.reason, "dk"))
        plan.status = CRADLE_LABEL_STATUS_DONT_KNOW;
      else if (info.cause != NULL && cradle_dataset_lookup_label (im->dataset, info.cause, NULL))
        {
          plan.label = info.cause;
          plan.status = CRADLE_LABEL_STATUS_CONFIRMED;
        }
      else
        {
          if (folder != NULL)
            *reason = g_strdup_printf ("folder “%s” is not a label; use --map %s=LABEL",
                                       folder, folder);
          else
            *reason = g_strdup ("not in a label folder; put it in a folder named after its label");
          return FILE_SKIPPED;
        }
      plan.baby = info.baby;
      if (info.baby != NULL)
        {
          baby_fields.gender = info.gender;
          baby_fields.age_band = info.age_band;
          plan.baby_fields = &baby_fields;
        }
      plan.group = info.group_key;
      plan.created = info.created;
      /* Stored as audio/<label>/<baby or group>_<timestamp>.flac; the
       * original name stays in the recording's source_path. */
      plan.stem = NULL;
    }

  /* Same bytes already stored (or added earlier in this run): only hashed. */
  sha = hash_file (path, &local_error);
  if (sha == NULL)
    {
      g_free (plan.stem);
      *reason = g_strdup (local_error->message);
      return FILE_SKIPPED;
    }
  dedup_key = sha;
  /* An exported file whose bytes are what the manifest says keeps the
   * original's source hash, so importing an export into the dataset it
   * came from adds nothing. */
  if (entry != NULL && entry->source_sha256 != NULL && entry->sha256 != NULL &&
      g_ascii_strcasecmp (entry->sha256, sha) == 0)
    dedup_key = entry->source_sha256;
  if (g_hash_table_contains (im->seen, dedup_key) ||
      cradle_dataset_find_by_source_sha256 (im->dataset, dedup_key) != 0 ||
      (dedup_key != sha && cradle_dataset_find_by_source_sha256 (im->dataset, sha) != 0))
    {
      g_free (plan.stem);
      return FILE_DUPLICATE;
    }

  if (!cradle_audio_probe (path, &audio_info, &local_error) ||
      !(audio = cradle_audio_load (path, 0, &local_error)))
    {
      g_free (plan.stem);
      *reason = g_strdup (local_error->message);
      return FILE_SKIPPED;
    }
  if (audio->sample_rate > FLAC_MAX_RATE)
    {
      g_free (plan.stem);
      *reason = g_strdup_printf ("its sample rate (%u Hz) is above what FLAC can store",
                                 audio->sample_rate);
      return FILE_SKIPPED;
    }

  if (plan.created == 0 && g_stat (path, &st) == 0)
    plan.created = (gint64) st.st_mtime;
  if (plan.baby != NULL)
    {
      baby_id = ensure_baby (im, plan.baby, plan.baby_fields, error);
      if (baby_id == 0)
        {
          g_free (plan.stem);
          return FILE_FATAL;
        }
    }

  source_path = g_canonicalize_filename (path, NULL);
  spec.audio = audio;
  spec.label = plan.label;
  spec.label_status = plan.status;
  spec.labeler = plan.labeler;
  spec.confidence = plan.confidence;
  spec.baby_id = baby_id;
  spec.group_key = plan.group;
  spec.source = plan.source;
  spec.source_path = source_path;
  spec.source_sha256 = dedup_key;
  spec.channels = plan.channels != 0 ? plan.channels : audio_info.channels;
  spec.device = plan.device;
  spec.created = plan.created;
  spec.notes = plan.notes;
  spec.file_stem = plan.stem;
  id = cradle_dataset_add_recording (im->dataset, &spec, &local_error);
  g_free (plan.stem);
  if (id == 0)
    {
      /* A value the store refuses is this file's problem; anything else
       * (disk full, the database) ends the import. */
      if (g_error_matches (local_error, CRADLE_DATASET_ERROR, CRADLE_DATASET_ERROR_INVALID) ||
          local_error->domain == CRADLE_AUDIO_ERROR)
        {
          *reason = g_strdup (local_error->message);
          return FILE_SKIPPED;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FILE_FATAL;
    }

  for (guint i = 0; plan.segments != NULL && i < plan.segments->len; i++)
    {
      CradleSegment *s = g_ptr_array_index (plan.segments, i);

      if (cradle_dataset_add_segment (im->dataset, id, s->start, s->end, s->label, s->labeler,
                                      &local_error) == 0)
        {
          if (local_error->domain == CRADLE_DATASET_ERROR &&
              (local_error->code == CRADLE_DATASET_ERROR_INVALID ||
               local_error->code == CRADLE_DATASET_ERROR_NOT_FOUND))
            {
              g_warning ("%s: segment %g–%g %s left out: %s", relative, s->start, s->end, s->label,
                         local_error->message);
              g_clear_error (&local_error);
              continue;
            }
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FILE_FATAL;
        }
    }

  g_hash_table_add (im->seen, g_strdup (dedup_key));
  *added_label = plan.label != NULL ? plan.label : CRADLE_IMPORT_UNLABELED;
  return FILE_ADDED;
}

static void
merge_pending (Importer *im)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, im->pending);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (im->summary->added_per_label, key));

      g_hash_table_insert (im->summary->added_per_label, g_strdup (key),
                           GUINT_TO_POINTER (n + GPOINTER_TO_UINT (value)));
      im->summary->n_added += GPOINTER_TO_UINT (value);
    }
  g_hash_table_remove_all (im->pending);
}

/* Labels and babies the manifest names, added before any file. */
static gboolean
apply_manifest_vocabulary (Importer  *im,
                           GError   **error)
{
  for (guint i = 0; i < im->manifest->labels->len; i++)
    {
      CradleLabelInfo *info = g_ptr_array_index (im->manifest->labels, i);

      if (!cradle_dataset_lookup_label (im->dataset, info->name, NULL) &&
          !cradle_dataset_add_label (im->dataset, info->name, info->is_cry, info->description,
                                     error))
        return FALSE;
    }
  for (guint i = 0; i < im->manifest->babies->len; i++)
    {
      CradleBaby *b = g_ptr_array_index (im->manifest->babies, i);

      if (ensure_baby (im, b->alias, b, error) == 0)
        return FALSE;
    }
  return TRUE;
}

gboolean
cradle_import_folder (CradleDataset              *dataset,
                      const char                 *dir,
                      const CradleImportOptions  *options,
                      CradleImportSummary        *summary,
                      GError                    **error)
{
  static const CradleImportOptions default_options = { 0 };
  g_autoptr(CradleLabelMap) builtin_map = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *manifest_path = NULL;
  Importer im = { 0 };
  guint batch_size;
  guint in_batch = 0;
  gboolean in_transaction = FALSE;
  gboolean ok = TRUE;

  g_return_val_if_fail (dataset != NULL, FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);
  g_return_val_if_fail (summary != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (options == NULL)
    options = &default_options;
  cradle_import_summary_clear (summary);
  summary->skipped = g_ptr_array_new_with_free_func (import_skip_free);
  summary->added_per_label = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *display = g_filename_display_name (dir);

      g_set_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_FOLDER,
                   g_file_test (dir, G_FILE_TEST_EXISTS) ? "“%s” is not a folder"
                                                         : "“%s” does not exist", display);
      return FALSE;
    }
  if (g_access (dir, R_OK | X_OK) != 0)
    {
      int saved = errno;
      g_autofree char *display = g_filename_display_name (dir);

      g_set_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_FOLDER,
                   "Cannot read the folder “%s”: %s", display, g_strerror (saved));
      return FALSE;
    }

  if (options->map == NULL)
    builtin_map = cradle_label_map_new ();
  im.dataset = dataset;
  im.options = options;
  im.map = options->map != NULL ? options->map : builtin_map;
  im.summary = summary;
  im.dir = g_strdup (dir);
  im.dataset_dir = g_canonicalize_filename (cradle_dataset_get_dir (dataset), NULL);
  im.babies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  im.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  im.pending = g_hash_table_new (g_str_hash, g_str_equal);
  batch_size = options->batch_size != 0 ? options->batch_size : DEFAULT_BATCH_SIZE;

  if (!label_map_check (im.map, dataset, error))
    goto out_fail;

  manifest_path = g_build_filename (dir, CRADLE_MANIFEST_NAME, NULL);
  if (options->layout == CRADLE_IMPORT_LAYOUT_AUTO &&
      g_file_test (manifest_path, G_FILE_TEST_IS_REGULAR))
    {
      im.manifest = manifest_load (manifest_path, error);
      if (im.manifest == NULL || !apply_manifest_vocabulary (&im, error))
        goto out_fail;
    }

  files = g_ptr_array_new_with_free_func (g_free);
  list_audio_files (&im, dir, NULL, files, 0);
  g_ptr_array_sort (files, compare_strings);
  summary->n_files = files->len;

  for (guint i = 0; i < files->len; i++)
    {
      const char *relative = g_ptr_array_index (files, i);
      g_autofree char *reason = NULL;
      const char *added_label = NULL;
      FileOutcome outcome;

      if (g_cancellable_is_cancelled (options->cancellable))
        break;
      if (!in_transaction)
        {
          if (!cradle_dataset_begin (dataset, error))
            goto out_fail;
          in_transaction = TRUE;
        }

      outcome = import_file (&im, relative, &reason, &added_label, error);
      switch (outcome)
        {
        case FILE_ADDED:
          g_hash_table_insert (im.pending, (gpointer) g_intern_string (added_label),
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (
                                 g_hash_table_lookup (im.pending, added_label)) + 1));
          break;
        case FILE_DUPLICATE:
          summary->n_duplicates++;
          break;
        case FILE_SKIPPED:
          {
            g_autofree char *path = g_build_filename (dir, relative, NULL);

            summary_skip (summary, path, reason);
          }
          break;
        case FILE_FATAL:
        default:
          cradle_dataset_rollback (dataset);
          in_transaction = FALSE;
          g_hash_table_remove_all (im.pending);
          goto out_fail;
        }

      if (++in_batch >= batch_size)
        {
          if (!cradle_dataset_commit (dataset, error))
            {
              cradle_dataset_rollback (dataset);
              in_transaction = FALSE;
              goto out_fail;
            }
          in_transaction = FALSE;
          in_batch = 0;
          merge_pending (&im);
        }

      if (options->progress != NULL)
        {
          g_autofree char *path = g_build_filename (dir, relative, NULL);

          options->progress (i + 1, files->len, path, options->user_data);
        }
    }

  if (in_transaction)
    {
      if (!cradle_dataset_commit (dataset, error))
        {
          cradle_dataset_rollback (dataset);
          goto out_fail;
        }
      merge_pending (&im);
    }

  if (g_cancellable_is_cancelled (options->cancellable))
    {
      g_set_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_CANCELLED,
                   "The import was cancelled after %u of %u files (%u added)",
                   summary->n_added + summary->n_duplicates + summary->n_skipped,
                   summary->n_files, summary->n_added);
      ok = FALSE;
    }

  importer_clear (&im);
  return ok;

out_fail:
  importer_clear (&im);
  return FALSE;
}

/* ---- Audacity label files ------------------------------------------------- */

static gboolean
labels_file_fail (GError     **error,
                  const char  *path,
                  guint        line,
                  const char  *format,
                  ...) G_GNUC_PRINTF (4, 5);

static gboolean
labels_file_fail (GError     **error,
                  const char  *path,
                  guint        line,
                  const char  *format,
                  ...)
{
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *message = NULL;
  va_list ap;

  va_start (ap, format);
  message = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_LABELS_FILE,
               "%s, line %u: %s", display, line, message);
  return FALSE;
}

static gboolean
parse_seconds (const char *text,
               double     *value)
{
  char *end = NULL;

  while (*text == ' ')
    text++;
  if (*text == '\0')
    return FALSE;
  *value = g_ascii_strtod (text, &end);
  while (end != NULL && *end == ' ')
    end++;
  return end != NULL && end != text && *end == '\0' && isfinite (*value);
}

/* The segments of PATH and, in LINES (nullable), each one's line number. */
static GPtrArray *
audacity_read (const char  *path,
               GArray      *lines,
               GError     **error)
{
  g_autoptr(GPtrArray) segments =
    g_ptr_array_new_with_free_func ((GDestroyNotify) cradle_segment_free);
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) text_lines = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_LABELS_FILE, "%s",
                   local_error->message);
      return NULL;
    }
  if (memchr (contents, '\0', length) != NULL || !g_utf8_validate (contents, length, NULL))
    {
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_LABELS_FILE,
                   "%s: not a text file (Audacity labels are UTF-8 text)", display);
      return NULL;
    }

  text_lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; text_lines[i] != NULL; i++)
    {
      char *line = text_lines[i];
      guint number = i + 1;
      gsize len = strlen (line);
      g_auto(GStrv) fields = NULL;
      g_autoptr(CradleSegment) segment = NULL;
      char *label;

      if (len > 0 && line[len - 1] == '\r')
        line[--len] = '\0';
      /* The optional second line of a spectral selection. */
      if (line[0] == '\\')
        continue;
      if (line[strspn (line, " \t")] == '\0')
        continue;
      fields = g_strsplit (line, "\t", 3);
      if (g_strv_length (fields) < 3)
        return labels_file_fail (error, path, number,
                                 "expected start<TAB>end<TAB>label, found %u field%s",
                                 g_strv_length (fields),
                                 g_strv_length (fields) == 1 ? "" : "s"), NULL;
      segment = g_new0 (CradleSegment, 1);
      if (!parse_seconds (fields[0], &segment->start))
        return labels_file_fail (error, path, number, "the start “%s” is not a number of seconds",
                                 fields[0]), NULL;
      if (!parse_seconds (fields[1], &segment->end))
        return labels_file_fail (error, path, number, "the end “%s” is not a number of seconds",
                                 fields[1]), NULL;
      if (segment->start < 0)
        return labels_file_fail (error, path, number, "the start %g is negative",
                                 segment->start), NULL;
      if (segment->end < segment->start)
        return labels_file_fail (error, path, number, "the end %g is before the start %g",
                                 segment->end, segment->start), NULL;
      label = g_strstrip (fields[2]);
      if (label[0] == '\0')
        return labels_file_fail (error, path, number, "the label is empty"), NULL;
      segment->label = g_strdup (label);
      g_ptr_array_add (segments, g_steal_pointer (&segment));
      if (lines != NULL)
        g_array_append_val (lines, number);
    }
  return g_steal_pointer (&segments);
}

GPtrArray *
cradle_audacity_labels_read (const char  *path,
                             GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return audacity_read (path, NULL, error);
}

gboolean
cradle_audacity_labels_write (const char  *path,
                              GPtrArray   *segments,
                              GError     **error)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (segments != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < segments->len; i++)
    {
      CradleSegment *s = g_ptr_array_index (segments, i);
      char start[G_ASCII_DTOSTR_BUF_SIZE];
      char end[G_ASCII_DTOSTR_BUF_SIZE];

      /* Audacity writes six decimals; that is a microsecond. */
      g_ascii_formatd (start, sizeof start, "%.6f", s->start);
      g_ascii_formatd (end, sizeof end, "%.6f", s->end);
      g_string_append_printf (text, "%s\t%s\t%s\n", start, end, s->label != NULL ? s->label : "");
    }
  return cradle_import_write_file_atomic (path, text->str, text->len, 0644, error);
}

gboolean
cradle_import_audacity_labels (CradleDataset   *dataset,
                               gint64           recording_id,
                               const char      *path,
                               CradleLabelMap  *map,
                               guint           *n,
                               GError         **error)
{
  g_autoptr(CradleLabelMap) builtin_map = NULL;
  g_autoptr(CradleRecording) recording = NULL;
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) segments = NULL;

  g_return_val_if_fail (dataset != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (map == NULL)
    map = builtin_map = cradle_label_map_new ();
  if (!label_map_check (map, dataset, error))
    return FALSE;
  recording = cradle_dataset_get_recording (dataset, recording_id, error);
  if (recording == NULL)
    return FALSE;
  segments = audacity_read (path, lines, error);
  if (segments == NULL)
    return FALSE;

  for (guint i = 0; i < segments->len; i++)
    {
      CradleSegment *s = g_ptr_array_index (segments, i);
      guint line = g_array_index (lines, guint, i);
      const char *label = folder_label (map, dataset, s->label);

      if (label == NULL || g_str_equal (label, CRADLE_IMPORT_UNLABELED))
        return labels_file_fail (error, path, line,
                                 "“%s” is not a label of the vocabulary; use --map %s=LABEL",
                                 s->label, s->label);
      if (s->end <= s->start)
        return labels_file_fail (error, path, line,
                                 "a point label (start = end = %g) cannot be a segment", s->start);
      if (s->end > recording->duration + 0.001)
        return labels_file_fail (error, path, line,
                                 "the segment ends at %g s, after the end of recording %"
                                 G_GINT64_FORMAT " (%.3f s)", s->end, recording_id,
                                 recording->duration);
      g_free (s->label);
      s->label = g_strdup (label);
    }

  if (!cradle_dataset_replace_segments (dataset, recording_id, segments, error))
    return FALSE;
  if (n != NULL)
    *n = segments->len;
  return TRUE;
}

/* ---- Files ------------------------------------------------------------------ */

gboolean
cradle_import_write_file_atomic (const char  *path,
                                 const char  *contents,
                                 gsize        length,
                                 int          mode,
                                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_file_set_contents_full (path, contents, length, G_FILE_SET_CONTENTS_CONSISTENT, mode,
                                 &local_error))
    {
      g_set_error (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_EXPORT, "%s",
                   local_error->message);
      return FALSE;
    }
  return TRUE;
}
