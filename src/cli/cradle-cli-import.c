/* cradle-cli-import.c — `cradle-cli import`, `export` and `segments`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cradle-cli.h"

/* Exit status of an import stopped by Ctrl+C (128 + SIGINT, as a shell
 * reports a process killed by it). */
#define CRADLE_CLI_EXIT_CANCELLED 130

/* ---- import ------------------------------------------------------------- */

static volatile sig_atomic_t interrupted;

static void
on_sigint (int signum)
{
  interrupted = 1;
}

typedef struct {
  GCancellable *cancellable;
  gboolean      tty;
  gint64        last_draw;
} ImportProgress;

static void
progress_cb (guint       done,
             guint       total,
             const char *path,
             gpointer    user_data)
{
  ImportProgress *p = user_data;
  enum { WIDTH = 30 };
  char bar[WIDTH + 1];
  guint filled;
  gint64 now;
  g_autofree char *base = NULL;

  /* Signal handlers may only set a flag; the cancellable is checked
   * between files, right after this. */
  if (interrupted)
    g_cancellable_cancel (p->cancellable);
  if (!p->tty)
    return;
  now = g_get_monotonic_time ();
  if (done != total && now - p->last_draw < 50000)
    return;
  p->last_draw = now;

  filled = total > 0 ? (guint) ((guint64) done * WIDTH / total) : WIDTH;
  for (guint i = 0; i < WIDTH; i++)
    bar[i] = i < filled ? '#' : '.';
  bar[WIDTH] = '\0';
  base = path != NULL ? g_path_get_basename (path) : g_strdup ("");
  /* \033[K clears what a longer name left on the line. */
  fprintf (stderr, "\r[%s] %u/%u %.40s\033[K", bar, done, total, base);
  if (done == total)
    fputc ('\n', stderr);
  fflush (stderr);
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
sorted_keys (GHashTable *table)
{
  GPtrArray *keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_keys);
  return keys;
}

static void
print_summary_json (const char                *dir,
                    const CradleImportSummary *s,
                    gboolean                   cancelled)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) labels = sorted_keys (s->added_per_label);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "dir");
  json_builder_add_string_value (b, dir);
  json_builder_set_member_name (b, "files");
  json_builder_add_int_value (b, s->n_files);
  json_builder_set_member_name (b, "added");
  json_builder_add_int_value (b, s->n_added);
  json_builder_set_member_name (b, "duplicates");
  json_builder_add_int_value (b, s->n_duplicates);
  json_builder_set_member_name (b, "skipped");
  json_builder_add_int_value (b, s->n_skipped);
  json_builder_set_member_name (b, "cancelled");
  json_builder_add_boolean_value (b, cancelled);
  json_builder_set_member_name (b, "added_per_label");
  json_builder_begin_object (b);
  for (guint i = 0; i < labels->len; i++)
    {
      const char *label = g_ptr_array_index (labels, i);

      json_builder_set_member_name (b, label);
      json_builder_add_int_value (b, GPOINTER_TO_UINT (g_hash_table_lookup (s->added_per_label,
                                                                            label)));
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "skipped_files");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->skipped->len; i++)
    {
      CradleImportSkip *skip = g_ptr_array_index (s->skipped, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "path");
      json_builder_add_string_value (b, skip->path);
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, skip->reason);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  cradle_cli_print_json_line (root);
}

static void
print_summary_text (const CradleImportSummary *s)
{
  g_autoptr(GPtrArray) labels = sorted_keys (s->added_per_label);

  printf ("%u audio file%s found: %u added, %u duplicate%s, %u skipped\n", s->n_files,
          s->n_files == 1 ? "" : "s", s->n_added, s->n_duplicates,
          s->n_duplicates == 1 ? "" : "s", s->n_skipped);
  if (labels->len > 0)
    {
      printf ("Added per label:\n");
      for (guint i = 0; i < labels->len; i++)
        {
          const char *label = g_ptr_array_index (labels, i);

          printf ("  %-14s %u\n", label,
                  GPOINTER_TO_UINT (g_hash_table_lookup (s->added_per_label, label)));
        }
    }
  if (s->skipped->len > 0)
    {
      printf ("Skipped:\n");
      for (guint i = 0; i < s->skipped->len; i++)
        {
          CradleImportSkip *skip = g_ptr_array_index (s->skipped, i);
          g_autofree char *display = g_filename_display_name (skip->path);

          printf ("  %s: %s\n", display, skip->reason);
        }
    }
  fflush (stdout);
}

/* Adds every --map FROM=TO to a new map; prints the error and returns NULL
 * on a malformed one. */
static CradleLabelMap *
make_label_map (char **maps)
{
  g_autoptr(CradleLabelMap) map = cradle_label_map_new ();

  for (guint i = 0; maps != NULL && maps[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!cradle_label_map_add (map, maps[i], &error))
        {
          fprintf (stderr, "cradle-cli: --map %s\n", error->message);
          return NULL;
        }
    }
  return g_steal_pointer (&map);
}

int
cradle_cli_import (int    argc,
                   char **argv)
{
  g_autofree char *dataset_dir = NULL;
  g_autofree char *layout_name = NULL;
  g_auto(GStrv) maps = NULL;
  g_auto(GStrv) dirs = NULL;
  int batch = 0;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    cradle_cli_dataset_option (&dataset_dir),
    { "layout", 0, 0, G_OPTION_ARG_STRING, &layout_name,
      "How file names are read: auto (default), folders, donateacry or esc50", "LAYOUT" },
    { "map", 0, 0, G_OPTION_ARG_STRING_ARRAY, &maps,
      "Import folder FROM as label TO (repeatable; TO “unlabeled” imports without a label)",
      "FROM=TO" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, "Files per transaction (64)", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the summary as one JSON line", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &dirs, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("DIR — import a folder of audio files");
  g_autoptr(CradleLabelMap) map = NULL;
  g_autoptr(CradleDataset) dataset = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_auto(CradleImportSummary) summary = { 0 };
  CradleImportOptions options = { 0 };
  ImportProgress progress = { 0 };
  struct sigaction action = { 0 };
  struct sigaction previous = { 0 };
  gboolean ok;
  gboolean cancelled;

  g_option_context_set_summary (context,
    "Imports every audio file under DIR. The label is the name of the folder a file is in "
    "(hungry → hunger, belly_pain → pain, tired → sleepy, noise → background, …; --map adds "
    "more). Donateacry names give the baby, gender and age band, ESC-50 names and chunked "
    "“source_N” names the group. Files whose content is already in the dataset are skipped; "
    "files that cannot be used are listed with the reason. A folder written by "
    "“cradle-cli export” is imported with everything its manifest says.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!cradle_cli_parse (context, &argc, &argv))
    return CRADLE_CLI_EXIT_USAGE;
  if (dirs == NULL || dirs[0] == NULL || dirs[1] != NULL)
    {
      fprintf (stderr, "cradle-cli: import needs exactly one DIR\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  if (layout_name != NULL && !cradle_import_layout_from_string (layout_name, &options.layout))
    {
      fprintf (stderr, "cradle-cli: unknown --layout “%s” (auto, folders, donateacry or esc50)\n",
               layout_name);
      return CRADLE_CLI_EXIT_USAGE;
    }
  if (batch < 0)
    {
      fprintf (stderr, "cradle-cli: --batch must be a positive number, not %d\n", batch);
      return CRADLE_CLI_EXIT_USAGE;
    }
  map = make_label_map (maps);
  if (map == NULL)
    return CRADLE_CLI_EXIT_USAGE;

  dataset = cradle_cli_open_dataset (dataset_dir, &error);
  if (dataset == NULL)
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_ERROR;
    }

  progress.cancellable = cancellable;
  progress.tty = isatty (STDERR_FILENO);
  options.map = map;
  options.batch_size = (guint) batch;
  options.progress = progress_cb;
  options.user_data = &progress;
  options.cancellable = cancellable;

  /* Ctrl+C stops between files, after committing what is done; a second
   * one kills as usual (SA_RESETHAND). */
  action.sa_handler = on_sigint;
  action.sa_flags = SA_RESETHAND;
  sigemptyset (&action.sa_mask);
  sigaction (SIGINT, &action, &previous);
  ok = cradle_import_folder (dataset, dirs[0], &options, &summary, &error);
  sigaction (SIGINT, &previous, NULL);
  cancelled = !ok && g_error_matches (error, CRADLE_IMPORT_ERROR, CRADLE_IMPORT_ERROR_CANCELLED);

  if (progress.tty && progress.last_draw != 0 && !ok)
    fputc ('\n', stderr);
  if (ok || cancelled)
    {
      if (json)
        print_summary_json (dirs[0], &summary, cancelled);
      else
        print_summary_text (&summary);
    }
  if (!ok)
    {
      cradle_cli_print_error (error);
      return cancelled ? CRADLE_CLI_EXIT_CANCELLED : CRADLE_CLI_EXIT_ERROR;
    }
  return CRADLE_CLI_EXIT_OK;
}

/* ---- export ------------------------------------------------------------- */

int
cradle_cli_export (int    argc,
                   char **argv)
{
  g_autofree char *dataset_dir = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *label = NULL;
  g_autofree char *baby = NULL;
  g_auto(GStrv) outs = NULL;
  const GOptionEntry entries[] = {
    cradle_cli_dataset_option (&dataset_dir),
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name,
      "folders (default: OUT/<label>/ and a manifest), csv, json (OUT is a file) or audacity "
      "(OUT/<name>.txt label files)", "FORMAT" },
    { "label", 0, 0, G_OPTION_ARG_STRING, &label, "Only recordings with this clip label", "LABEL" },
    { "baby", 0, 0, G_OPTION_ARG_STRING, &baby, "Only recordings of this baby (alias or id)",
      "BABY" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &outs, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("OUT — export the dataset");
  g_autoptr(CradleDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleBaby) found = NULL;
  CradleRecordingFilter filter = { 0 };
  CradleExportFormat format = CRADLE_EXPORT_FOLDERS;
  guint n = 0;

  g_option_context_set_summary (context,
    "Exports recordings: as folders per label with cradle-manifest.json (which “cradle-cli "
    "import” reads back), as a CSV or JSON manifest, or as Audacity label files of the "
    "segments.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!cradle_cli_parse (context, &argc, &argv))
    return CRADLE_CLI_EXIT_USAGE;
  if (outs == NULL || outs[0] == NULL || outs[1] != NULL)
    {
      fprintf (stderr, "cradle-cli: export needs exactly one OUT\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  if (format_name != NULL && !cradle_export_format_from_string (format_name, &format))
    {
      fprintf (stderr, "cradle-cli: unknown --format “%s” (folders, csv, json or audacity)\n",
               format_name);
      return CRADLE_CLI_EXIT_USAGE;
    }

  dataset = cradle_cli_open_dataset (dataset_dir, &error);
  if (dataset == NULL)
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_ERROR;
    }
  if (label != NULL)
    {
      if (!cradle_dataset_lookup_label (dataset, label, NULL))
        {
          fprintf (stderr, "cradle-cli: “%s” is not a label of the vocabulary\n", label);
          return CRADLE_CLI_EXIT_ERROR;
        }
      filter.label = label;
    }
  if (baby != NULL)
    {
      found = cradle_dataset_find_baby (dataset, baby, &error);
      if (found == NULL)
        {
          if (error != NULL)
            cradle_cli_print_error (error);
          else
            fprintf (stderr, "cradle-cli: no baby “%s”\n", baby);
          return CRADLE_CLI_EXIT_ERROR;
        }
      filter.baby_id = found->id;
    }

  if (!cradle_export (dataset, format, outs[0], label != NULL || baby != NULL ? &filter : NULL,
                      &n, &error))
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_ERROR;
    }
  printf ("%u recording%s exported to %s\n", n, n == 1 ? "" : "s", outs[0]);
  return CRADLE_CLI_EXIT_OK;
}

/* ---- segments ------------------------------------------------------------ */

static gboolean
parse_recording_id (const char *text,
                    gint64     *id)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;
  *id = (gint64) value;
  return TRUE;
}

int
cradle_cli_segments (int    argc,
                     char **argv)
{
  g_autofree char *dataset_dir = NULL;
  g_autofree char *import_path = NULL;
  g_autofree char *export_path = NULL;
  g_auto(GStrv) maps = NULL;
  g_auto(GStrv) ids = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    cradle_cli_dataset_option (&dataset_dir),
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "One JSON object per segment, one per line", NULL },
    { "import", 0, 0, G_OPTION_ARG_FILENAME, &import_path,
      "Replace the segments with an Audacity label file (start<TAB>end<TAB>label)", "FILE" },
    { "export", 0, 0, G_OPTION_ARG_FILENAME, &export_path,
      "Write the segments as an Audacity label file", "FILE" },
    { "map", 0, 0, G_OPTION_ARG_STRING_ARRAY, &maps,
      "With --import: read label FROM as TO (repeatable)", "FROM=TO" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &ids, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new ("ID — show, import or export the segments of a recording");
  g_autoptr(CradleLabelMap) map = NULL;
  g_autoptr(CradleDataset) dataset = NULL;
  g_autoptr(CradleRecording) recording = NULL;
  g_autoptr(GPtrArray) segments = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  g_option_context_set_summary (context,
    "Lists the labelled time segments of recording ID, replaces them with the lines of an "
    "Audacity label file (--import), or writes them as one (--export).");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!cradle_cli_parse (context, &argc, &argv))
    return CRADLE_CLI_EXIT_USAGE;
  if (ids == NULL || ids[0] == NULL || ids[1] != NULL)
    {
      fprintf (stderr, "cradle-cli: segments needs exactly one recording ID\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  if (!parse_recording_id (ids[0], &id))
    {
      fprintf (stderr, "cradle-cli: “%s” is not a recording id (a positive number)\n", ids[0]);
      return CRADLE_CLI_EXIT_USAGE;
    }
  if (import_path != NULL && export_path != NULL)
    {
      fprintf (stderr, "cradle-cli: --import and --export cannot be used together\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  if (maps != NULL && import_path == NULL)
    {
      fprintf (stderr, "cradle-cli: --map only applies with --import\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  map = make_label_map (maps);
  if (map == NULL)
    return CRADLE_CLI_EXIT_USAGE;

  dataset = cradle_cli_open_dataset (dataset_dir, &error);
  if (dataset == NULL)
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_ERROR;
    }
  recording = cradle_dataset_get_recording (dataset, id, &error);
  if (recording == NULL)
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_ERROR;
    }

  if (import_path != NULL)
    {
      guint n = 0;

      if (!cradle_import_audacity_labels (dataset, id, import_path, map, &n, &error))
        {
          cradle_cli_print_error (error);
          return CRADLE_CLI_EXIT_ERROR;
        }
      printf ("%u segment%s imported onto recording %" G_GINT64_FORMAT "\n", n,
              n == 1 ? "" : "s", id);
      return CRADLE_CLI_EXIT_OK;
    }

  segments = cradle_dataset_list_segments (dataset, id, &error);
  if (segments == NULL)
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_ERROR;
    }
  if (export_path != NULL)
    {
      if (!cradle_audacity_labels_write (export_path, segments, &error))
        {
          cradle_cli_print_error (error);
          return CRADLE_CLI_EXIT_ERROR;
        }
      printf ("%u segment%s written to %s\n", segments->len, segments->len == 1 ? "" : "s",
              export_path);
      return CRADLE_CLI_EXIT_OK;
    }

  for (guint i = 0; i < segments->len; i++)
    {
      CradleSegment *s = g_ptr_array_index (segments, i);

      if (json)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();
          g_autoptr(JsonNode) root = NULL;

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_int_value (b, s->id);
          json_builder_set_member_name (b, "recording");
          json_builder_add_int_value (b, id);
          json_builder_set_member_name (b, "start");
          json_builder_add_double_value (b, s->start);
          json_builder_set_member_name (b, "end");
          json_builder_add_double_value (b, s->end);
          json_builder_set_member_name (b, "label");
          json_builder_add_string_value (b, s->label);
          json_builder_set_member_name (b, "labeler");
          if (s->labeler != NULL)
            json_builder_add_string_value (b, s->labeler);
          else
            json_builder_add_null_value (b);
          json_builder_end_object (b);
          root = json_builder_get_root (b);
          cradle_cli_print_json_line (root);
        }
      else
        printf ("%" G_GINT64_FORMAT "\t%.3f\t%.3f\t%s%s%s\n", s->id, s->start, s->end, s->label,
                s->labeler != NULL ? "\t" : "", s->labeler != NULL ? s->labeler : "");
    }
  if (!json && segments->len == 0)
    printf ("Recording %" G_GINT64_FORMAT " has no segments\n", id);
  return CRADLE_CLI_EXIT_OK;
}
