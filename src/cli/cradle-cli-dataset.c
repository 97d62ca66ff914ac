/* cradle-cli-dataset.c — stats, list, label, baby, delete, forget-baby,
 * vocabulary and check
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cradle-cli.h"

#define BAR_WIDTH       24
#define TEXT_TOP_GROUPS 20

/* ---- Shared helpers --------------------------------------------------------- */

static GOptionContext *
make_context (const char *parameter_string,
              const char *summary)
{
  GOptionContext *context = g_option_context_new (parameter_string);

  g_option_context_set_summary (context, summary);
  return context;
}

static CradleDataset *
open_or_report (const char *dir)
{
  g_autoptr(GError) error = NULL;
  CradleDataset *dataset = cradle_cli_open_dataset (dir, &error);

  if (dataset == NULL)
    cradle_cli_print_error (error);
  return dataset;
}

static gboolean
parse_id (const char *text,
          gint64     *id)
{
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;
  *id = (gint64) value;
  return TRUE;
}

/* "H:MM:SS" */
static char *
format_hms (double seconds)
{
  guint64 s = (guint64) (seconds + 0.5);

  return g_strdup_printf ("%" G_GUINT64_FORMAT ":%02u:%02u", s / 3600, (guint) (s / 60 % 60),
                          (guint) (s % 60));
}

/* TEXT padded with spaces to WIDTH characters (not bytes), cut with "…"
 * when longer. */
static void
print_cell (const char *text,
            guint       width,
            gboolean    right)
{
  glong len = g_utf8_strlen (text, -1);

  if ((guint) len > width)
    {
      const char *cut = g_utf8_offset_to_pointer (text, width - 1);

      printf ("%.*s…", (int) (cut - text), text);
      return;
    }
  if (right)
    printf ("%*s%s", (int) (width - len), "", text);
  else
    printf ("%s%*s", text, (int) (width - len), "");
}

static guint
display_width (const char *text)
{
  return (guint) g_utf8_strlen (text != NULL ? text : "", -1);
}

static void
print_bar (guint count,
           guint largest)
{
  guint n = largest > 0 ? (guint) ((double) count / largest * BAR_WIDTH + 0.5) : 0;

  if (count > 0 && n == 0)
    n = 1;
  for (guint i = 0; i < n; i++)
    fputs ("█", stdout);
}

static void
add_string_or_null (JsonBuilder *b,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
print_builder (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);

  cradle_cli_print_json_line (root);
}

/* KEY → CradleDatasetCount of COUNTS (transfer container). */
static GHashTable *
index_counts (GPtrArray *counts)
{
  GHashTable *index = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < counts->len; i++)
    {
      CradleDatasetCount *c = g_ptr_array_index (counts, i);

      g_hash_table_insert (index, c->key, c);
    }
  return index;
}

static const CradleDatasetCount *
lookup_count (GHashTable *index,
              const char *key)
{
  static const CradleDatasetCount zero = { 0 };
  const CradleDatasetCount *c = g_hash_table_lookup (index, key);

  return c != NULL ? c : &zero;
}

/* ---- stats ---------------------------------------------------------------------- */

static void
add_counts_json (JsonBuilder *b,
                 const char  *name,
                 GPtrArray   *counts,
                 gboolean     with_is_cry)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < counts->len; i++)
    {
      CradleDatasetCount *c = g_ptr_array_index (counts, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, c->key);
      if (with_is_cry)
        {
          json_builder_set_member_name (b, "is_cry");
          json_builder_add_boolean_value (b, c->is_cry);
        }
      json_builder_set_member_name (b, "count");
      json_builder_add_int_value (b, c->count);
      json_builder_set_member_name (b, "seconds");
      json_builder_add_double_value (b, c->seconds);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static int
compare_counts_desc (gconstpointer a,
                     gconstpointer b)
{
  const CradleDatasetCount *x = *(CradleDatasetCount * const *) a;
  const CradleDatasetCount *y = *(CradleDatasetCount * const *) b;

  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return g_strcmp0 (x->key, y->key);
}

/* A table of COUNTS (at most LIMIT rows, 0 = all) with a header. */
static void
print_counts_table (const char *title,
                    GPtrArray  *counts,
                    gboolean    with_is_cry,
                    guint       limit)
{
  guint key_width = display_width (title);
  guint largest = 0;
  guint n = limit > 0 ? MIN (limit, counts->len) : counts->len;

  for (guint i = 0; i < n; i++)
    {
      CradleDatasetCount *c = g_ptr_array_index (counts, i);

      key_width = MAX (key_width, MIN (display_width (c->key), 32u));
      largest = MAX (largest, c->count);
    }
  printf ("\n");
  print_cell (title, key_width, FALSE);
  if (with_is_cry)
    printf ("  %-7s", "type");
  printf ("  %6s  %9s\n", "count", "duration");
  for (guint i = 0; i < n; i++)
    {
      CradleDatasetCount *c = g_ptr_array_index (counts, i);
      g_autofree char *hms = format_hms (c->seconds);

      print_cell (c->key, key_width, FALSE);
      if (with_is_cry)
        printf ("  %-7s", c->is_cry ? "cry" : "not-cry");
      printf ("  %6u  %9s  ", c->count, hms);
      print_bar (c->count, largest);
      printf ("\n");
    }
  if (n < counts->len)
    printf ("… and %u more (all of them with --json)\n", counts->len - n);
}

int
cradle_cli_stats (int    argc,
                  char **argv)
{
  g_autofree char *dataset_dir = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    cradle_cli_dataset_option (&dataset_dir),
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON object", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    make_context ("— counts and durations of the dataset",
                  "Prints the number of recordings and their total duration, babies, groups, "
                  "recordings without a label, marked “don't know” or predicted by a model and "
                  "not yet reviewed; then per label (confirmed labels only), per baby and per "
                  "group (the 20 largest; every group with --json) the count, duration and a "
                  "bar, and the imbalance: the largest label count over the smallest non-zero one.");
  g_autoptr(CradleDataset) dataset = NULL;
  g_autoptr(CradleDatasetStats) stats = NULL;
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!cradle_cli_parse (context, &argc, &argv))
    return CRADLE_CLI_EXIT_USAGE;
  if (argc > 1)
    {
      fprintf (stderr, "cradle-cli: stats takes no arguments, got “%s”\n", argv[1]);
      return CRADLE_CLI_EXIT_USAGE;
    }
  dataset = open_or_report (dataset_dir);
  if (dataset == NULL)
    return CRADLE_CLI_EXIT_ERROR;
  stats = cradle_dataset_get_stats (dataset, &error);
  if (stats == NULL)
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_ERROR;
    }

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "dataset");
      json_builder_add_string_value (b, cradle_dataset_get_dir (dataset));
      json_builder_set_member_name (b, "recordings");
      json_builder_add_int_value (b, stats->n_recordings);
      json_builder_set_member_name (b, "seconds");
      json_builder_add_double_value (b, stats->total_seconds);
      json_builder_set_member_name (b, "babies");
      json_builder_add_int_value (b, stats->n_babies);
      json_builder_set_member_name (b, "groups");
      json_builder_add_int_value (b, stats->n_groups);
      json_builder_set_member_name (b, "unlabeled");
      json_builder_add_int_value (b, stats->n_unlabeled);
      json_builder_set_member_name (b, "dont_know");
      json_builder_add_int_value (b, stats->n_dont_know);
      json_builder_set_member_name (b, "predicted");
      json_builder_add_int_value (b, stats->n_predicted);
      json_builder_set_member_name (b, "imbalance");
      json_builder_add_double_value (b, stats->imbalance);
      add_counts_json (b, "per_label", stats->per_label, TRUE);
      add_counts_json (b, "per_baby", stats->per_baby, FALSE);
      add_counts_json (b, "per_group", stats->per_group, FALSE);
      json_builder_end_object (b);
      print_builder (b);
      return CRADLE_CLI_EXIT_OK;
    }

  {
    guint64 minutes = (guint64) (stats->total_seconds / 60.0 + 0.5);

    printf ("Dataset      %s\n", cradle_dataset_get_dir (dataset));
    printf ("Recordings   %u\n", stats->n_recordings);
    printf ("Duration     %" G_GUINT64_FORMAT ":%02u (hours:minutes; %.1f s)\n",
            minutes / 60, (guint) (minutes % 60), stats->total_seconds);
    printf ("Babies       %u\n", stats->n_babies);
    printf ("Groups       %u\n", stats->n_groups);
    printf ("Unlabeled    %u\n", stats->n_unlabeled);
    printf ("Don't know   %u\n", stats->n_dont_know);
    printf ("Predicted    %u (not reviewed)\n", stats->n_predicted);
    printf ("Imbalance    %.2f (largest / smallest label count)\n", stats->imbalance);
  }
  print_counts_table ("label", stats->per_label, TRUE, 0);
  if (stats->per_baby->len > 0)
    print_counts_table ("baby", stats->per_baby, FALSE, 0);
  if (stats->per_group->len > 0)
    {
      g_ptr_array_sort (stats->per_group, compare_counts_desc);
      print_counts_table ("group", stats->per_group, FALSE, TEXT_TOP_GROUPS);
    }
  return CRADLE_CLI_EXIT_OK;
}

/* ---- list ------------------------------------------------------------------------ */

static char *
label_text (const CradleRecording *r)
{
  switch (r->label_status)
    {
    case CRADLE_LABEL_STATUS_CONFIRMED:
      return g_strdup (r->label);
    case CRADLE_LABEL_STATUS_PREDICTED:
      return g_strdup_printf ("%s (predicted)", r->label);
    case CRADLE_LABEL_STATUS_DONT_KNOW:
      return g_strdup ("(don't know)");
    case CRADLE_LABEL_STATUS_NONE:
    default:
      return g_strdup ("-");
    }
}

static void
print_recording_json (const CradleRecording *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, r->id);
  add_string_or_null (b, "path", r->path);
  add_string_or_null (b, "sha256", r->sha256);
  add_string_or_null (b, "source_sha256", r->source_sha256);
  json_builder_set_member_name (b, "sample_rate");
  json_builder_add_int_value (b, r->sample_rate);
  json_builder_set_member_name (b, "channels");
  json_builder_add_int_value (b, r->channels);
  json_builder_set_member_name (b, "duration");
  json_builder_add_double_value (b, r->duration);
  add_string_or_null (b, "source", r->source);
  add_string_or_null (b, "source_path", r->source_path);
  add_string_or_null (b, "device", r->device);
  add_string_or_null (b, "created", r->created);
  json_builder_set_member_name (b, "baby_id");
  if (r->baby_id != 0)
    json_builder_add_int_value (b, r->baby_id);
  else
    json_builder_add_null_value (b);
  add_string_or_null (b, "baby", r->baby_alias);
  add_string_or_null (b, "group", r->group_key);
  add_string_or_null (b, "notes", r->notes);
  add_string_or_null (b, "label", r->label);
  add_string_or_null (b, "label_status", cradle_label_status_to_string (r->label_status));
  add_string_or_null (b, "labeler", r->labeler);
  json_builder_set_member_name (b, "confidence");
  if (r->confidence >= 0)
    json_builder_add_double_value (b, r->confidence);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  print_builder (b);
}

int
cradle_cli_list (int    argc,
                 char **argv)
{
  g_autofree char *dataset_dir = NULL;
  g_autofree char *label = NULL;
  g_autofree char *baby_name = NULL;
  g_autofree char *group = NULL;
  g_autofree char *search = NULL;
  gboolean unlabeled = FALSE;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    cradle_cli_dataset_option (&dataset_dir),
    { "label", 'l', 0, G_OPTION_ARG_STRING, &label, "Only recordings with this clip label", "LABEL" },
    { "baby", 'b', 0, G_OPTION_ARG_STRING, &baby_name, "Only recordings of this baby (alias or id)", "BABY" },
    { "group", 'g', 0, G_OPTION_ARG_STRING, &group, "Only recordings of this group", "GROUP" },
    { "unlabeled", 'u', 0, G_OPTION_ARG_NONE, &unlabeled, "Only recordings without a clip label", NULL },
    { "search", 's', 0, G_OPTION_ARG_STRING, &search,
      "Only recordings whose path, notes, baby, group or source contains TEXT", "TEXT" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "One JSON object per recording, one per line", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    make_context ("— list recordings",
                  "Lists the recordings of the dataset by id: when they were made, the baby, "
                  "the group, the clip label and its status, the duration and the file. "
                  "The filters combine.");
  g_autoptr(CradleDataset) dataset = NULL;
  g_autoptr(CradleBaby) baby = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  CradleRecordingFilter filter = { 0 };
  guint w_baby = 4, w_group = 5, w_label = 5;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!cradle_cli_parse (context, &argc, &argv))
    return CRADLE_CLI_EXIT_USAGE;
  if (argc > 1)
    {
      fprintf (stderr, "cradle-cli: list takes no arguments, got “%s”\n", argv[1]);
      return CRADLE_CLI_EXIT_USAGE;
    }
  if (label != NULL && unlabeled)
    {
      fprintf (stderr, "cradle-cli: --label and --unlabeled exclude each other\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  dataset = open_or_report (dataset_dir);
  if (dataset == NULL)
    return CRADLE_CLI_EXIT_ERROR;
  if (label != NULL && !cradle_dataset_lookup_label (dataset, label, NULL))
    {
      g_autoptr(GPtrArray) labels = cradle_dataset_list_labels (dataset, NULL);
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; labels != NULL && i < labels->len; i++)
        g_string_append_printf (names, "%s%s", i > 0 ? ", " : "",
                                ((CradleLabelInfo *) g_ptr_array_index (labels, i))->name);
      fprintf (stderr, "cradle-cli: Label “%s” is not in the vocabulary of %s (%s)\n",
               label, cradle_dataset_get_dir (dataset), names->str);
      return CRADLE_CLI_EXIT_ERROR;
    }
  if (baby_name != NULL)
    {
      baby = cradle_dataset_find_baby (dataset, baby_name, &error);
      if (baby == NULL)
        {
          cradle_cli_print_error (error);
          return CRADLE_CLI_EXIT_ERROR;
        }
      filter.baby_id = baby->id;
    }
  filter.label = label;
  filter.group_key = group;
  filter.unlabeled = unlabeled;
  filter.search = search;
  list = cradle_dataset_list_recordings (dataset, &filter, &error);
  if (list == NULL)
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_ERROR;
    }

  if (json)
    {
      for (guint i = 0; i < list->len; i++)
        print_recording_json (g_ptr_array_index (list, i));
      return CRADLE_CLI_EXIT_OK;
    }

  for (guint i = 0; i < list->len; i++)
    {
      CradleRecording *r = g_ptr_array_index (list, i);
      g_autofree char *l = label_text (r);

      w_baby = MAX (w_baby, MIN (display_width (r->baby_alias), 20u));
      w_group = MAX (w_group, MIN (display_width (r->group_key), 24u));
      w_label = MAX (w_label, display_width (l));
    }
  printf ("%6s  %-20s  ", "id", "created");
  print_cell ("baby", w_baby, FALSE);
  printf ("  ");
  print_cell ("group", w_group, FALSE);
  printf ("  ");
  print_cell ("label", w_label, FALSE);
  printf ("  %9s  %s\n", "duration", "path");
  for (guint i = 0; i < list->len; i++)
    {
      CradleRecording *r = g_ptr_array_index (list, i);
      g_autofree char *l = label_text (r);

      printf ("%6" G_GINT64_FORMAT "  %-20s  ", r->id, r->created);
      print_cell (r->baby_alias != NULL ? r->baby_alias : "-", w_baby, FALSE);
      printf ("  ");
      print_cell (r->group_key, w_group, FALSE);
      printf ("  ");
      print_cell (l, w_label, FALSE);
      printf ("  %8.2fs  %s\n", r->duration, r->path);
    }
  if (list->len == 0)
    fprintf (stderr, "No recordings match.\n");
  return CRADLE_CLI_EXIT_OK;
}

/* ---- label ------------------------------------------------------------------------ */

int
cradle_cli_label (int    argc,
                  char **argv)
{
  g_autofree char *dataset_dir = NULL;
  g_autofree char *labeler = NULL;
  gboolean dont_know = FALSE;
  gboolean clear = FALSE;
  gboolean predicted = FALSE;
  double confidence = -1.0;
  const GOptionEntry entries[] = {
    cradle_cli_dataset_option (&dataset_dir),
    { "dont-know", 0, 0, G_OPTION_ARG_NONE, &dont_know,
      "Mark that a person listened and does not know the cause", NULL },
    { "clear", 0, 0, G_OPTION_ARG_NONE, &clear, "Remove the clip label", NULL },
    { "predicted", 0, 0, G_OPTION_ARG_NONE, &predicted,
      "Mark LABEL as a model's prediction, not reviewed", NULL },
    { "labeler", 0, 0, G_OPTION_ARG_STRING, &labeler, "Who labelled it", "NAME" },
    { "confidence", 0, 0, G_OPTION_ARG_DOUBLE, &confidence, "How sure, 0–1", "P" },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    make_context ("ID LABEL | ID --dont-know | ID --clear — set the clip label of a recording",
                  "Sets the clip label of recording ID (see “cradle-cli list”) to LABEL from the "
                  "vocabulary and moves its file to the label's folder; --dont-know records that "
                  "the cause is not known, --clear removes the label.");
  g_autoptr(CradleDataset) dataset = NULL;
  g_autoptr(CradleRecording) before = NULL;
  g_autoptr(CradleRecording) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *was = NULL;
  g_autofree char *now = NULL;
  CradleLabelStatus status;
  const char *label = NULL;
  gint64 id;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!cradle_cli_parse (context, &argc, &argv))
    return CRADLE_CLI_EXIT_USAGE;
  if (argc < 2 || !parse_id (argv[1], &id))
    {
      fprintf (stderr, "cradle-cli: label needs a recording ID (a positive number)%s%s%s\n",
               argc >= 2 ? ", not “" : "", argc >= 2 ? argv[1] : "", argc >= 2 ? "”" : "");
      return CRADLE_CLI_EXIT_USAGE;
    }
  if ((dont_know ? 1 : 0) + (clear ? 1 : 0) + (argc == 3 ? 1 : 0) != 1 || argc > 3 ||
      (predicted && argc != 3))
    {
      fprintf (stderr, "cradle-cli: label needs exactly one of LABEL, --dont-know or --clear\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  if (confidence != -1.0 && !(confidence >= 0.0 && confidence <= 1.0))
    {
      fprintf (stderr, "cradle-cli: --confidence must be between 0 and 1, not %g\n", confidence);
      return CRADLE_CLI_EXIT_USAGE;
    }
  if (dont_know)
    status = CRADLE_LABEL_STATUS_DONT_KNOW;
  else if (clear)
    status = CRADLE_LABEL_STATUS_NONE;
  else
    {
      label = argv[2];
      status = predicted ? CRADLE_LABEL_STATUS_PREDICTED : CRADLE_LABEL_STATUS_CONFIRMED;
    }

  dataset = open_or_report (dataset_dir);
  if (dataset == NULL)
    return CRADLE_CLI_EXIT_ERROR;
  before = cradle_dataset_get_recording (dataset, id, &error);
  if (before == NULL ||
      !cradle_dataset_set_label (dataset, id, label, status, labeler, confidence, &error) ||
      (after = cradle_dataset_get_recording (dataset, id, &error)) == NULL)
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_ERROR;
    }
  was = label_text (before);
  now = label_text (after);
  printf ("Recording %" G_GINT64_FORMAT ": %s (was %s), %s\n", id, now, was, after->path);
  return CRADLE_CLI_EXIT_OK;
}

/* ---- baby -------------------------------------------------------------------------- */

int
cradle_cli_baby (int    argc,
                 char **argv)
{
  g_autofree char *dataset_dir = NULL;
  g_autofree char *birth_date = NULL;
  g_autofree char *age_band = NULL;
  g_autofree char *gender = NULL;
  g_autofree char *notes = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    cradle_cli_dataset_option (&dataset_dir),
    { "birth-date", 0, 0, G_OPTION_ARG_STRING, &birth_date, "add: date of birth", "YYYY-MM-DD" },
    { "age-band", 0, 0, G_OPTION_ARG_STRING, &age_band, "add: age band, e.g. “0-4 weeks”", "TEXT" },
    { "gender", 0, 0, G_OPTION_ARG_STRING, &gender, "add: f, m or free text", "TEXT" },
    { "notes", 0, 0, G_OPTION_ARG_STRING, &notes, "add: notes", "TEXT" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "list: one JSON object per baby, one per line", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    make_context ("add ALIAS | list — add or list babies",
                  "“baby add ALIAS” adds a baby under a name or alias (unique; no real name is "
                  "needed) with an optional birth date or age band, gender and notes. "
                  "“baby list” lists them with their recordings.");
  g_autoptr(CradleDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  const char *action;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!cradle_cli_parse (context, &argc, &argv))
    return CRADLE_CLI_EXIT_USAGE;
  action = argc >= 2 ? argv[1] : "list";
  if (g_str_equal (action, "add"))
    {
      if (argc != 3)
        {
          fprintf (stderr, "cradle-cli: baby add needs exactly one ALIAS\n");
          return CRADLE_CLI_EXIT_USAGE;
        }
      if (json)
        {
          fprintf (stderr, "cradle-cli: --json goes with “baby list”\n");
          return CRADLE_CLI_EXIT_USAGE;
        }
    }
  else if (g_str_equal (action, "list"))
    {
      if (argc > 2 || birth_date != NULL || age_band != NULL || gender != NULL || notes != NULL)
        {
          fprintf (stderr, "cradle-cli: baby list takes only --json\n");
          return CRADLE_CLI_EXIT_USAGE;
        }
    }
  else
    {
      fprintf (stderr, "cradle-cli: unknown baby action “%s” (add or list)\n", action);
      return CRADLE_CLI_EXIT_USAGE;
    }

  dataset = open_or_report (dataset_dir);
  if (dataset == NULL)
    return CRADLE_CLI_EXIT_ERROR;

  if (g_str_equal (action, "add"))
    {
      CradleBaby baby = { .alias = argv[2], .birth_date = birth_date, .age_band = age_band,
                          .gender = gender, .notes = notes };
      gint64 id = cradle_dataset_add_baby (dataset, &baby, &error);

      if (id == 0)
        {
          cradle_cli_print_error (error);
          return CRADLE_CLI_EXIT_ERROR;
        }
      printf ("Added baby “%s” with id %" G_GINT64_FORMAT "\n", argv[2], id);
      return CRADLE_CLI_EXIT_OK;
    }

  {
    g_autoptr(GPtrArray) babies = cradle_dataset_list_babies (dataset, &error);
    g_autoptr(CradleDatasetStats) stats = NULL;
    g_autoptr(GHashTable) per_baby = NULL;
    guint w_alias = 5;

    if (babies == NULL || (stats = cradle_dataset_get_stats (dataset, &error)) == NULL)
      {
        cradle_cli_print_error (error);
        return CRADLE_CLI_EXIT_ERROR;
      }
    per_baby = index_counts (stats->per_baby);
    for (guint i = 0; i < babies->len; i++)
      w_alias = MAX (w_alias, MIN (display_width (((CradleBaby *) g_ptr_array_index (babies, i))->alias), 24u));
    if (!json)
      {
        printf ("%6s  ", "id");
        print_cell ("alias", w_alias, FALSE);
        printf ("  %-10s  %-14s  %-6s  %10s  %9s  %s\n", "born", "age band", "gender",
                "recordings", "duration", "notes");
      }
    for (guint i = 0; i < babies->len; i++)
      {
        CradleBaby *baby = g_ptr_array_index (babies, i);
        const CradleDatasetCount *c = lookup_count (per_baby, baby->alias);

        if (json)
          {
            g_autoptr(JsonBuilder) b = json_builder_new ();

            json_builder_begin_object (b);
            json_builder_set_member_name (b, "id");
            json_builder_add_int_value (b, baby->id);
            add_string_or_null (b, "alias", baby->alias);
            add_string_or_null (b, "birth_date", baby->birth_date);
            add_string_or_null (b, "age_band", baby->age_band);
            add_string_or_null (b, "gender", baby->gender);
            add_string_or_null (b, "notes", baby->notes);
            add_string_or_null (b, "created", baby->created);
            json_builder_set_member_name (b, "recordings");
            json_builder_add_int_value (b, c->count);
            json_builder_set_member_name (b, "seconds");
            json_builder_add_double_value (b, c->seconds);
            json_builder_end_object (b);
            print_builder (b);
          }
        else
          {
            g_autofree char *hms = format_hms (c->seconds);

            printf ("%6" G_GINT64_FORMAT "  ", baby->id);
            print_cell (baby->alias, w_alias, FALSE);
            printf ("  %-10s  ", baby->birth_date != NULL ? baby->birth_date : "-");
            print_cell (baby->age_band != NULL ? baby->age_band : "-", 14, FALSE);
            printf ("  ");
            print_cell (baby->gender != NULL ? baby->gender : "-", 6, FALSE);
            printf ("  %10u  %9s  %s\n", c->count, hms, baby->notes != NULL ? baby->notes : "");
          }
      }
  }
  return CRADLE_CLI_EXIT_OK;
}

/* ---- delete ------------------------------------------------------------------------- */

int
cradle_cli_delete (int    argc,
                   char **argv)
{
  g_autofree char *dataset_dir = NULL;
  const GOptionEntry entries[] = {
    cradle_cli_dataset_option (&dataset_dir),
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    make_context ("ID… — delete recordings and their files",
                  "Deletes each recording ID: its row, label, segments, monitor events and "
                  "cached features, then its file. An ID that does not exist is reported and "
                  "the others are still deleted.");
  g_autoptr(CradleDataset) dataset = NULL;
  g_autofree gint64 *ids = NULL;
  int status = CRADLE_CLI_EXIT_OK;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!cradle_cli_parse (context, &argc, &argv))
    return CRADLE_CLI_EXIT_USAGE;
  if (argc < 2)
    {
      fprintf (stderr, "cradle-cli: delete needs at least one recording ID\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  ids = g_new0 (gint64, argc);
  for (int i = 1; i < argc; i++)
    if (!parse_id (argv[i], &ids[i]))
      {
        fprintf (stderr, "cradle-cli: “%s” is not a recording ID (a positive number)\n", argv[i]);
        return CRADLE_CLI_EXIT_USAGE;
      }
  dataset = open_or_report (dataset_dir);
  if (dataset == NULL)
    return CRADLE_CLI_EXIT_ERROR;
  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CradleRecording) r = cradle_dataset_get_recording (dataset, ids[i], &error);

      if (r == NULL || !cradle_dataset_delete_recording (dataset, ids[i], &error))
        {
          cradle_cli_print_error (error);
          status = CRADLE_CLI_EXIT_ERROR;
          continue;
        }
      printf ("Deleted recording %" G_GINT64_FORMAT " (%s)\n", ids[i], r->path);
    }
  return status;
}

/* ---- forget-baby --------------------------------------------------------------------- */

int
cradle_cli_forget_baby (int    argc,
                        char **argv)
{
  g_autofree char *dataset_dir = NULL;
  gboolean yes = FALSE;
  const GOptionEntry entries[] = {
    cradle_cli_dataset_option (&dataset_dir),
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes, "Do not ask (needed without a terminal)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    make_context ("BABY — remove every recording and file of a baby, and the baby",
                  "Removes the baby BABY (alias or id) with all of its recordings: rows, "
                  "labels, segments, monitor events, cached features and audio files. This "
                  "cannot be undone. On a terminal it asks first; otherwise --yes is required.");
  g_autoptr(CradleDataset) dataset = NULL;
  g_autoptr(CradleBaby) baby = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  CradleRecordingFilter filter = { 0 };
  guint n_removed = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!cradle_cli_parse (context, &argc, &argv))
    return CRADLE_CLI_EXIT_USAGE;
  if (argc != 2)
    {
      fprintf (stderr, "cradle-cli: forget-baby needs exactly one BABY (alias or id)\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  if (!yes && !isatty (STDIN_FILENO))
    {
      fprintf (stderr, "cradle-cli: forget-baby removes files for good and there is no terminal "
                       "to confirm on: pass --yes to go ahead\n");
      return CRADLE_CLI_EXIT_USAGE;
    }
  dataset = open_or_report (dataset_dir);
  if (dataset == NULL)
    return CRADLE_CLI_EXIT_ERROR;
  baby = cradle_dataset_find_baby (dataset, argv[1], &error);
  if (baby == NULL)
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_ERROR;
    }
  filter.baby_id = baby->id;
  list = cradle_dataset_list_recordings (dataset, &filter, &error);
  if (list == NULL)
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_ERROR;
    }
  if (!yes)
    {
      char answer[64] = "";

      fprintf (stderr, "Remove %u recordings of %s and all their files? [y/N] ", list->len, baby->alias);
      fflush (stderr);
      if (fgets (answer, sizeof answer, stdin) == NULL ||
          (g_ascii_strcasecmp (g_strstrip (answer), "y") != 0 &&
           g_ascii_strcasecmp (answer, "yes") != 0))
        {
          fprintf (stderr, "Nothing was removed.\n");
          return CRADLE_CLI_EXIT_ERROR;
        }
    }
  if (!cradle_dataset_forget_baby (dataset, baby->id, &n_removed, &error))
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_ERROR;
    }
  printf ("Removed %s and %u recordings with their files\n", baby->alias, n_removed);
  return CRADLE_CLI_EXIT_OK;
}

/* ---- vocabulary ------------------------------------------------------------------------ */

static int
vocabulary_list (CradleDataset *dataset,
                 gboolean       json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) labels = cradle_dataset_list_labels (dataset, &error);
  g_autoptr(CradleDatasetStats) stats = NULL;
  g_autoptr(GHashTable) per_label = NULL;

  if (labels == NULL || (stats = cradle_dataset_get_stats (dataset, &error)) == NULL)
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_ERROR;
    }
  per_label = index_counts (stats->per_label);
  if (!json)
    printf ("%-16s  %-7s  %10s  %s\n", "label", "type", "recordings", "description");
  for (guint i = 0; i < labels->len; i++)
    {
      CradleLabelInfo *info = g_ptr_array_index (labels, i);
      const CradleDatasetCount *c = lookup_count (per_label, info->name);

      if (json)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();

          json_builder_begin_object (b);
          add_string_or_null (b, "name", info->name);
          json_builder_set_member_name (b, "is_cry");
          json_builder_add_boolean_value (b, info->is_cry);
          add_string_or_null (b, "description", info->description);
          json_builder_set_member_name (b, "position");
          json_builder_add_int_value (b, info->position);
          json_builder_set_member_name (b, "recordings");
          json_builder_add_int_value (b, c->count);
          json_builder_end_object (b);
          print_builder (b);
        }
      else
        printf ("%-16s  %-7s  %10u  %s\n", info->name, info->is_cry ? "cry" : "not-cry", c->count,
                info->description != NULL ? info->description : "");
    }
  return CRADLE_CLI_EXIT_OK;
}

int
cradle_cli_vocabulary (int    argc,
                       char **argv)
{
  g_autofree char *dataset_dir = NULL;
  g_autofree char *description = NULL;
  gboolean json = FALSE;
  gboolean cry = FALSE;
  gboolean not_cry = FALSE;
  const GOptionEntry entries[] = {
    cradle_cli_dataset_option (&dataset_dir),
    { "cry", 0, 0, G_OPTION_ARG_NONE, &cry, "add, set: the label is a kind of cry", NULL },
    { "not-cry", 0, 0, G_OPTION_ARG_NONE, &not_cry, "add, set: the label is not a cry", NULL },
    { "description", 0, 0, G_OPTION_ARG_STRING, &description, "add: what the label means", "TEXT" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "list: one JSON object per label, one per line", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    make_context ("[list] | add NAME --cry|--not-cry | rename OLD NEW | remove NAME | "
                  "set NAME --cry|--not-cry — the label vocabulary",
                  "Lists or edits the labels recordings can carry. Names are lower-case letters, "
                  "digits, “_” and “-”. Renaming moves the files to the new label's folder; "
                  "a label still carried by recordings or segments cannot be removed.");
  g_autoptr(CradleDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  const char *action;
  int n_args;
  gboolean ok;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!cradle_cli_parse (context, &argc, &argv))
    return CRADLE_CLI_EXIT_USAGE;
  action = argc >= 2 ? argv[1] : "list";
  if (g_str_equal (action, "list"))
    n_args = 0;
  else if (g_str_equal (action, "add") || g_str_equal (action, "remove") || g_str_equal (action, "set"))
    n_args = 1;
  else if (g_str_equal (action, "rename"))
    n_args = 2;
  else
    {
      fprintf (stderr, "cradle-cli: unknown vocabulary action “%s” (list, add, rename, remove or set)\n",
               action);
      return CRADLE_CLI_EXIT_USAGE;
    }
  if (argc > 1 && argc - 2 != n_args)
    {
      fprintf (stderr, "cradle-cli: vocabulary %s needs %s\n", action,
               n_args == 0 ? "no arguments" : n_args == 1 ? "one NAME" : "OLD and NEW");
      return CRADLE_CLI_EXIT_USAGE;
    }
  if (g_str_equal (action, "add") || g_str_equal (action, "set"))
    {
      if (cry == not_cry)
        {
          fprintf (stderr, "cradle-cli: vocabulary %s needs one of --cry or --not-cry\n", action);
          return CRADLE_CLI_EXIT_USAGE;
        }
    }
  else if (cry || not_cry)
    {
      fprintf (stderr, "cradle-cli: --cry and --not-cry go with “vocabulary add” or “set”\n");
      return CRADLE_CLI_EXIT_USAGE;
    }

  dataset = open_or_report (dataset_dir);
  if (dataset == NULL)
    return CRADLE_CLI_EXIT_ERROR;
  if (g_str_equal (action, "list"))
    return vocabulary_list (dataset, json);
  if (g_str_equal (action, "add"))
    ok = cradle_dataset_add_label (dataset, argv[2], cry, description, &error);
  else if (g_str_equal (action, "set"))
    ok = cradle_dataset_set_label_is_cry (dataset, argv[2], cry, &error);
  else if (g_str_equal (action, "rename"))
    ok = cradle_dataset_rename_label (dataset, argv[2], argv[3], &error);
  else
    ok = cradle_dataset_remove_label (dataset, argv[2], &error);
  if (!ok)
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_ERROR;
    }
  if (g_str_equal (action, "rename"))
    printf ("Renamed “%s” to “%s”\n", argv[2], argv[3]);
  else if (g_str_equal (action, "remove"))
    printf ("Removed “%s”\n", argv[2]);
  else
    printf ("%s “%s” (%s)\n", g_str_equal (action, "add") ? "Added" : "Set", argv[2],
            cry ? "cry" : "not cry");
  return CRADLE_CLI_EXIT_OK;
}

/* ---- check ------------------------------------------------------------------------------ */

static void
add_paths_json (JsonBuilder *b,
                const char  *name,
                GPtrArray   *paths)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < paths->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (paths, i));
  json_builder_end_array (b);
}

static void
print_paths (const char *title,
             GPtrArray  *paths)
{
  printf ("%-18s %u\n", title, paths->len);
  for (guint i = 0; i < paths->len; i++)
    printf ("  %s\n", (const char *) g_ptr_array_index (paths, i));
}

int
cradle_cli_check (int    argc,
                  char **argv)
{
  g_autofree char *dataset_dir = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    cradle_cli_dataset_option (&dataset_dir),
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON object", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    make_context ("— check the dataset's integrity",
                  "Runs SQLite's integrity and foreign-key checks and compares the database with "
                  "the files: recordings whose file is missing, files under audio/ that no "
                  "recording names, and temporary files. Opening the dataset when no other "
                  "program has it open removes temporary and unnamed files left by a crash; "
                  "their number is shown. Exits with 1 when anything is wrong.");
  g_autoptr(CradleDataset) dataset = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(CradleDatasetCheck) check = { 0 };
  gboolean ok;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!cradle_cli_parse (context, &argc, &argv))
    return CRADLE_CLI_EXIT_USAGE;
  if (argc > 1)
    {
      fprintf (stderr, "cradle-cli: check takes no arguments, got “%s”\n", argv[1]);
      return CRADLE_CLI_EXIT_USAGE;
    }
  dataset = open_or_report (dataset_dir);
  if (dataset == NULL)
    return CRADLE_CLI_EXIT_ERROR;
  if (!cradle_dataset_check (dataset, &check, &error))
    {
      cradle_cli_print_error (error);
      return CRADLE_CLI_EXIT_ERROR;
    }
  ok = check.integrity_ok && check.foreign_keys_ok && check.missing_files->len == 0 &&
       check.untracked_files->len == 0 && check.temp_files->len == 0;

  if (json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "dataset");
      json_builder_add_string_value (b, cradle_dataset_get_dir (dataset));
      json_builder_set_member_name (b, "ok");
      json_builder_add_boolean_value (b, ok);
      json_builder_set_member_name (b, "integrity_ok");
      json_builder_add_boolean_value (b, check.integrity_ok);
      add_string_or_null (b, "integrity_message", check.integrity_message);
      json_builder_set_member_name (b, "foreign_keys_ok");
      json_builder_add_boolean_value (b, check.foreign_keys_ok);
      add_paths_json (b, "missing_files", check.missing_files);
      add_paths_json (b, "untracked_files", check.untracked_files);
      add_paths_json (b, "temp_files", check.temp_files);
      json_builder_set_member_name (b, "removed_at_open");
      json_builder_add_int_value (b, check.removed_at_open);
      json_builder_end_object (b);
      print_builder (b);
    }
  else
    {
      printf ("Dataset            %s\n", cradle_dataset_get_dir (dataset));
      printf ("Database integrity %s\n", check.integrity_ok ? "ok" : check.integrity_message);
      printf ("Foreign keys       %s\n", check.foreign_keys_ok ? "ok" : "violations (PRAGMA foreign_key_check)");
      print_paths ("Missing files", check.missing_files);
      print_paths ("Untracked files", check.untracked_files);
      print_paths ("Temporary files", check.temp_files);
      printf ("%-18s %u\n", "Removed at open", check.removed_at_open);
      printf ("%s\n", ok ? "The dataset is consistent." : "Problems were found.");
    }
  return ok ? CRADLE_CLI_EXIT_OK : CRADLE_CLI_EXIT_ERROR;
}
