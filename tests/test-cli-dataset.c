/* test-cli-dataset.c — the dataset commands of cradle-cli, end to end
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

#include "cradle-core.h"
#include "cradle-dataset.h"
#include "cradle-test-util.h"

static JsonObject *
parse_object (JsonParser *parser,
              const char *text)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

/* Each line of TEXT parsed as a JSON object (element-type JsonObject, ref'd). */
static GPtrArray *
parse_lines (const char *text)
{
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (lines[i][0] == '\0')
        continue;
      g_ptr_array_add (objects, json_object_ref (parse_object (parser, lines[i])));
    }
  return g_steal_pointer (&objects);
}

/* A dataset with babies Ada and Ben and four recordings:
 *   1 Ada hunger 1.0 s   2 Ada pain 0.5 s   3 Ben hunger 2.0 s   4 — unlabeled 0.25 s, group esc50-9 */
typedef struct {
  char  *tmp;
  char  *dir;
  gint64 ada;
  gint64 ben;
  gint64 ids[4];
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleDataset) ds = NULL;
  static const struct {
    double      seconds;
    const char *label;
    int         baby;
    const char *group;
  } recs[] = {
    { 1.0, "hunger", 1, NULL }, { 0.5, "pain", 1, NULL }, { 2.0, "hunger", 2, NULL },
    { 0.25, NULL, 0, "esc50-9" },
  };
  CradleBaby ada = { .alias = (char *) "Ada" };
  CradleBaby ben = { .alias = (char *) "Ben" };

  f->tmp = g_dir_make_tmp ("cradle-cli-dataset-XXXXXX", &error);
  g_assert_no_error (error);
  f->dir = g_build_filename (f->tmp, "ds", NULL);
  ds = cradle_dataset_open (f->dir, &error);
  g_assert_no_error (error);
  f->ada = cradle_dataset_add_baby (ds, &ada, &error);
  f->ben = cradle_dataset_add_baby (ds, &ben, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (recs); i++)
    {
      gsize n = (gsize) (recs[i].seconds * 16000);
      g_autoptr(CradleAudio) audio = cradle_audio_new (16000, n);
      g_autofree float *x = cradle_test_sine (n, 16000, 200.0 + 100 * i, 0.5);
      CradleRecordingSpec spec = { 0 };

      memcpy (audio->samples, x, n * sizeof (float));
      spec.audio = audio;
      spec.label = recs[i].label;
      spec.confidence = -1;
      spec.baby_id = recs[i].baby == 1 ? f->ada : recs[i].baby == 2 ? f->ben : 0;
      spec.group_key = recs[i].group;
      spec.source = "import";
      f->ids[i] = cradle_dataset_add_recording (ds, &spec, &error);
      g_assert_no_error (error);
    }
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  cradle_test_rm_rf (f->tmp);
  g_free (f->tmp);
  g_free (f->dir);
}

static CradleDataset *
reopen (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  CradleDataset *ds = cradle_dataset_open (f->dir, &error);

  g_assert_no_error (error);
  return ds;
}

static char *
id_text (gint64 id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, id);
}

/* ---- Tests ---------------------------------------------------------------------- */

static void
test_help (void)
{
  static const char * const commands[] = {
    "stats", "list", "label", "baby", "delete", "forget-baby", "vocabulary", "check",
  };

  {
    g_auto(CradleTestRun) r = { 0 };

    cradle_test_run_cli (&r, "--help", NULL);
    g_assert_cmpint (r.status, ==, 0);
    for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
      g_assert_nonnull (strstr (r.out, commands[i]));
  }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(CradleTestRun) r = { 0 };

      cradle_test_run_cli (&r, commands[i], "--help", NULL);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_nonnull (strstr (r.out, "Usage:"));
      g_assert_nonnull (strstr (r.out, commands[i]));
      g_assert_nonnull (strstr (r.out, "--dataset"));
      g_assert_cmpuint (strlen (r.out), >, 200);   /* a summary, not just options */
    }
}

static void
test_stats (Fixture       *f,
            gconstpointer  data)
{
  g_auto(CradleTestRun) r = { 0 };
  g_auto(CradleTestRun) t = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o;
  JsonArray *labels;
  JsonObject *hunger;

  cradle_test_run_cli (&r, "stats", "--json", "--dataset", f->dir, NULL);
  g_assert_cmpint (r.status, ==, 0);
  o = parse_object (parser, r.out);
  g_assert_cmpint (json_object_get_int_member (o, "recordings"), ==, 4);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "seconds"), 3.75, 1e-9);
  g_assert_cmpint (json_object_get_int_member (o, "babies"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (o, "groups"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "unlabeled"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (o, "dont_know"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (o, "predicted"), ==, 0);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "imbalance"), 2.0, 1e-12);
  labels = json_object_get_array_member (o, "per_label");
  g_assert_cmpuint (json_array_get_length (labels), ==, 12);
  hunger = json_array_get_object_element (labels, 0);
  g_assert_cmpstr (json_object_get_string_member (hunger, "name"), ==, "hunger");
  g_assert_true (json_object_get_boolean_member (hunger, "is_cry"));
  g_assert_cmpint (json_object_get_int_member (hunger, "count"), ==, 2);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (hunger, "seconds"), 3.0, 1e-9);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "per_group")), ==, 3);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "per_baby")), ==, 2);

  cradle_test_run_cli (&t, "stats", "-d", f->dir, NULL);
  g_assert_cmpint (t.status, ==, 0);
  g_assert_nonnull (strstr (t.out, "Recordings   4\n"));
  g_assert_nonnull (strstr (t.out, "Duration     0:00 "));
  g_assert_nonnull (strstr (t.out, "Imbalance    2.00"));
  g_assert_nonnull (strstr (t.out, "esc50-9"));
  g_assert_nonnull (strstr (t.out, "█"));
  /* The label table: hunger, cry, 2 recordings, 3 s. */
  g_assert_nonnull (strstr (t.out, "hunger      cry           2    0:00:03"));
}

static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  g_auto(CradleTestRun) all = { 0 };
  g_auto(CradleTestRun) text = { 0 };
  g_auto(CradleTestRun) ada = { 0 };
  g_auto(CradleTestRun) unl = { 0 };
  g_auto(CradleTestRun) grp = { 0 };
  g_auto(CradleTestRun) srch = { 0 };
  g_auto(CradleTestRun) bad_label = { 0 };
  g_auto(CradleTestRun) bad_baby = { 0 };
  g_auto(CradleTestRun) extra = { 0 };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) rows_ada = NULL;
  JsonObject *first;

  cradle_test_run_cli (&all, "list", "--json", "-d", f->dir, NULL);
  g_assert_cmpint (all.status, ==, 0);
  rows = parse_lines (all.out);
  g_assert_cmpuint (rows->len, ==, 4);
  first = g_ptr_array_index (rows, 0);
  g_assert_cmpint (json_object_get_int_member (first, "id"), ==, f->ids[0]);
  g_assert_cmpstr (json_object_get_string_member (first, "label"), ==, "hunger");
  g_assert_cmpstr (json_object_get_string_member (first, "label_status"), ==, "confirmed");
  g_assert_cmpstr (json_object_get_string_member (first, "baby"), ==, "Ada");
  g_assert_cmpstr (json_object_get_string_member (first, "group"), ==, "Ada");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (first, "duration"), 1.0, 1e-9);
  g_assert_cmpint (json_object_get_int_member (first, "sample_rate"), ==, 16000);
  g_assert_cmpuint (strlen (json_object_get_string_member (first, "sha256")), ==, 64);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (first, "path"), "audio/hunger/Ada_"));
  g_assert_true (json_object_has_member (first, "confidence"));
  g_assert_true (json_object_get_null_member (first, "confidence"));

  cradle_test_run_cli (&ada, "list", "--json", "--baby", "Ada", "--label", "pain", "-d", f->dir, NULL);
  g_assert_cmpint (ada.status, ==, 0);
  rows_ada = parse_lines (ada.out);
  g_assert_cmpuint (rows_ada->len, ==, 1);
  g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (rows_ada, 0), "id"), ==, f->ids[1]);

  cradle_test_run_cli (&unl, "list", "--unlabeled", "-d", f->dir, NULL);
  g_assert_cmpint (unl.status, ==, 0);
  g_assert_nonnull (strstr (unl.out, "esc50-9"));
  g_assert_null (strstr (unl.out, "Ada"));
  cradle_test_run_cli (&grp, "list", "--group", "Ben", "--json", "-d", f->dir, NULL);
  g_assert_cmpint (grp.status, ==, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = parse_lines (grp.out);
  g_assert_cmpuint (rows->len, ==, 1);
  cradle_test_run_cli (&srch, "list", "--search", "ESC50", "--json", "-d", f->dir, NULL);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = parse_lines (srch.out);
  g_assert_cmpuint (rows->len, ==, 1);

  /* The table: header and one aligned row per recording. */
  cradle_test_run_cli (&text, "list", "-d", f->dir, NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "id  created"));
  g_assert_nonnull (strstr (text.out, "duration  path"));
  g_assert_nonnull (strstr (text.out, "    1.00s  audio/hunger/Ada_"));
  {
    g_auto(GStrv) lines = g_strsplit (text.out, "\n", -1);

    g_assert_cmpuint (g_strv_length (lines), ==, 6);   /* header, 4 rows, "" */
    g_assert_cmpuint (g_utf8_strlen (lines[1], -1) - strlen (strstr (lines[1], "audio/")), ==,
                      g_utf8_strlen (lines[4], -1) - strlen (strstr (lines[4], "audio/")));
  }

  cradle_test_run_cli (&bad_label, "list", "--label", "hungry", "-d", f->dir, NULL);
  g_assert_cmpint (bad_label.status, ==, 1);
  g_assert_nonnull (strstr (bad_label.err, "“hungry” is not in the vocabulary"));
  g_assert_nonnull (strstr (bad_label.err, "hunger, pain"));
  cradle_test_run_cli (&bad_baby, "list", "--baby", "Zed", "-d", f->dir, NULL);
  g_assert_cmpint (bad_baby.status, ==, 1);
  g_assert_nonnull (strstr (bad_baby.err, "No baby called “Zed”"));
  cradle_test_run_cli (&extra, "list", "what", "-d", f->dir, NULL);
  g_assert_cmpint (extra.status, ==, 2);
}

static void
test_label (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *id = id_text (f->ids[3]);
  g_auto(CradleTestRun) ok = { 0 };
  g_auto(CradleTestRun) dk = { 0 };
  g_auto(CradleTestRun) clear = { 0 };
  g_auto(CradleTestRun) unknown = { 0 };
  g_auto(CradleTestRun) missing = { 0 };
  g_auto(CradleTestRun) not_id = { 0 };
  g_auto(CradleTestRun) none = { 0 };
  g_auto(CradleTestRun) both = { 0 };
  g_autoptr(CradleDataset) ds = NULL;
  g_autoptr(CradleRecording) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *file = NULL;

  cradle_test_run_cli (&ok, "label", id, "sleepy", "--labeler", "mum", "--confidence", "0.8", "-d", f->dir, NULL);
  g_assert_cmpint (ok.status, ==, 0);
  g_assert_nonnull (strstr (ok.out, "sleepy (was -)"));
  ds = reopen (f);
  r = cradle_dataset_get_recording (ds, f->ids[3], &error);
  g_assert_cmpstr (r->label, ==, "sleepy");
  g_assert_cmpstr (r->labeler, ==, "mum");
  g_assert_cmpfloat_with_epsilon (r->confidence, 0.8, 1e-12);
  g_assert_true (g_str_has_prefix (r->path, "audio/sleepy/"));
  file = cradle_dataset_resolve_path (ds, r->path);
  g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
  g_clear_pointer (&r, cradle_recording_free);
  g_clear_pointer (&ds, cradle_dataset_free);

  cradle_test_run_cli (&dk, "label", id, "--dont-know", "-d", f->dir, NULL);
  g_assert_cmpint (dk.status, ==, 0);
  g_assert_nonnull (strstr (dk.out, "(don't know)"));
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
  cradle_test_run_cli (&clear, "label", id, "--clear", "-d", f->dir, NULL);
  g_assert_cmpint (clear.status, ==, 0);
  ds = reopen (f);
  r = cradle_dataset_get_recording (ds, f->ids[3], &error);
  g_assert_cmpint (r->label_status, ==, CRADLE_LABEL_STATUS_NONE);
  g_clear_pointer (&ds, cradle_dataset_free);

  cradle_test_run_cli (&unknown, "label", id, "hungry", "-d", f->dir, NULL);
  g_assert_cmpint (unknown.status, ==, 1);
  g_assert_nonnull (strstr (unknown.err, "“hungry” is not in the vocabulary"));
  cradle_test_run_cli (&missing, "label", "999", "pain", "-d", f->dir, NULL);
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_nonnull (strstr (missing.err, "No recording with id 999"));
  cradle_test_run_cli (&not_id, "label", "abc", "pain", "-d", f->dir, NULL);
  g_assert_cmpint (not_id.status, ==, 2);
  g_assert_nonnull (strstr (not_id.err, "abc"));
  cradle_test_run_cli (&none, "label", id, "-d", f->dir, NULL);
  g_assert_cmpint (none.status, ==, 2);
  cradle_test_run_cli (&both, "label", id, "pain", "--clear", "-d", f->dir, NULL);
  g_assert_cmpint (both.status, ==, 2);
}

static void
test_baby (Fixture       *f,
           gconstpointer  data)
{
  g_auto(CradleTestRun) add = { 0 };
  g_auto(CradleTestRun) dup = { 0 };
  g_auto(CradleTestRun) bad_date = { 0 };
  g_auto(CradleTestRun) list = { 0 };
  g_auto(CradleTestRun) text = { 0 };
  g_auto(CradleTestRun) bad_action = { 0 };
  g_autoptr(GPtrArray) rows = NULL;
  JsonObject *cleo = NULL;

  cradle_test_run_cli (&add, "baby", "add", "Cleo", "--birth-date", "2024-03-01", "--age-band", "0-4 weeks",
           "--gender", "f", "--notes", "twin", "-d", f->dir, NULL);
  g_assert_cmpint (add.status, ==, 0);
  g_assert_nonnull (strstr (add.out, "Cleo"));
  cradle_test_run_cli (&dup, "baby", "add", "cleo", "-d", f->dir, NULL);
  g_assert_cmpint (dup.status, ==, 1);
  g_assert_nonnull (strstr (dup.err, "already exists"));
  cradle_test_run_cli (&bad_date, "baby", "add", "Dan", "--birth-date", "2024-13-01", "-d", f->dir, NULL);
  g_assert_cmpint (bad_date.status, ==, 1);
  g_assert_nonnull (strstr (bad_date.err, "2024-13-01"));

  cradle_test_run_cli (&list, "baby", "list", "--json", "-d", f->dir, NULL);
  g_assert_cmpint (list.status, ==, 0);
  rows = parse_lines (list.out);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (rows, 0), "alias"), ==, "Ada");
  g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (rows, 0), "recordings"), ==, 2);
  cleo = g_ptr_array_index (rows, 2);
  g_assert_cmpstr (json_object_get_string_member (cleo, "birth_date"), ==, "2024-03-01");
  g_assert_cmpstr (json_object_get_string_member (cleo, "age_band"), ==, "0-4 weeks");
  g_assert_cmpstr (json_object_get_string_member (cleo, "notes"), ==, "twin");
  g_assert_cmpint (json_object_get_int_member (cleo, "recordings"), ==, 0);

  cradle_test_run_cli (&text, "baby", "list", "-d", f->dir, NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "Cleo   2024-03-01  0-4 weeks"));
  cradle_test_run_cli (&bad_action, "baby", "remove", "Ada", "-d", f->dir, NULL);
  g_assert_cmpint (bad_action.status, ==, 2);
  g_assert_nonnull (strstr (bad_action.err, "remove"));
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *id0 = id_text (f->ids[0]);
  g_autofree char *id1 = id_text (f->ids[1]);
  g_autofree char *file0 = NULL;
  g_auto(CradleTestRun) r = { 0 };
  g_auto(CradleTestRun) bad = { 0 };
  g_autoptr(CradleDataset) ds = reopen (f);
  g_autoptr(GPtrArray) left = NULL;
  g_autoptr(GError) error = NULL;

  {
    g_autoptr(CradleRecording) rec = cradle_dataset_get_recording (ds, f->ids[0], &error);

    file0 = cradle_dataset_resolve_path (ds, rec->path);
  }
  g_clear_pointer (&ds, cradle_dataset_free);

  cradle_test_run_cli (&r, "delete", id0, "999", id1, "-d", f->dir, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "No recording with id 999"));
  g_assert_nonnull (strstr (r.out, "Deleted recording"));
  g_assert_false (g_file_test (file0, G_FILE_TEST_EXISTS));
  ds = reopen (f);
  left = cradle_dataset_list_recordings (ds, NULL, &error);
  g_assert_cmpuint (left->len, ==, 2);   /* both existing ids deleted */

  cradle_test_run_cli (&bad, "delete", "-d", f->dir, NULL);
  g_assert_cmpint (bad.status, ==, 2);
}

static void
test_forget_baby (Fixture       *f,
                  gconstpointer  data)
{
  g_auto(CradleTestRun) refused = { 0 };
  g_auto(CradleTestRun) yes = { 0 };
  g_auto(CradleTestRun) unknown = { 0 };
  g_autoptr(CradleDataset) ds = NULL;
  g_autoptr(GPtrArray) left = NULL;
  g_autoptr(GPtrArray) babies = NULL;
  g_autoptr(GError) error = NULL;

  /* stdin is a pipe: without --yes nothing happens. */
  cradle_test_run_cli (&refused, "forget-baby", "Ada", "-d", f->dir, NULL);
  g_assert_cmpint (refused.status, ==, 2);
  g_assert_nonnull (strstr (refused.err, "--yes"));
  ds = reopen (f);
  left = cradle_dataset_list_recordings (ds, NULL, &error);
  g_assert_cmpuint (left->len, ==, 4);
  g_clear_pointer (&left, g_ptr_array_unref);
  g_clear_pointer (&ds, cradle_dataset_free);

  cradle_test_run_cli (&yes, "forget-baby", "Ada", "--yes", "-d", f->dir, NULL);
  g_assert_cmpint (yes.status, ==, 0);
  g_assert_nonnull (strstr (yes.out, "Ada and 2 recordings"));
  ds = reopen (f);
  left = cradle_dataset_list_recordings (ds, NULL, &error);
  g_assert_cmpuint (left->len, ==, 2);
  for (guint i = 0; i < left->len; i++)
    g_assert_cmpstr (((CradleRecording *) g_ptr_array_index (left, i))->baby_alias, !=, "Ada");
  babies = cradle_dataset_list_babies (ds, &error);
  g_assert_cmpuint (babies->len, ==, 1);
  {
    g_autofree char *audio_hunger = g_build_filename (f->dir, "audio", "hunger", NULL);
    g_autoptr(GDir) d = g_dir_open (audio_hunger, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (d)) != NULL)
      g_assert_false (g_str_has_prefix (name, "Ada_"));
  }

  cradle_test_run_cli (&unknown, "forget-baby", "Ada", "--yes", "-d", f->dir, NULL);
  g_assert_cmpint (unknown.status, ==, 1);
  g_assert_nonnull (strstr (unknown.err, "No baby called “Ada”"));
}

static void
test_vocabulary (Fixture       *f,
                 gconstpointer  data)
{
  g_auto(CradleTestRun) list = { 0 };
  g_auto(CradleTestRun) plain = { 0 };
  g_auto(CradleTestRun) add = { 0 };
  g_auto(CradleTestRun) add_dup = { 0 };
  g_auto(CradleTestRun) add_no_kind = { 0 };
  g_auto(CradleTestRun) set = { 0 };
  g_auto(CradleTestRun) rename = { 0 };
  g_auto(CradleTestRun) remove_used = { 0 };
  g_auto(CradleTestRun) remove_ok = { 0 };
  g_auto(CradleTestRun) bad = { 0 };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(CradleDataset) ds = NULL;
  g_autoptr(GPtrArray) hungerish = NULL;
  g_autoptr(GError) error = NULL;
  CradleRecordingFilter filter = { .label = "feed" };
  gboolean is_cry = TRUE;

  cradle_test_run_cli (&list, "vocabulary", "list", "--json", "-d", f->dir, NULL);
  g_assert_cmpint (list.status, ==, 0);
  rows = parse_lines (list.out);
  g_assert_cmpuint (rows->len, ==, 12);
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (rows, 7), "name"), ==, "cry");
  g_assert_true (json_object_get_boolean_member (g_ptr_array_index (rows, 7), "is_cry"));
  g_assert_false (json_object_get_boolean_member (g_ptr_array_index (rows, 8), "is_cry"));
  g_assert_cmpint (json_object_get_int_member (g_ptr_array_index (rows, 0), "recordings"), ==, 2);
  cradle_test_run_cli (&plain, "vocabulary", "-d", f->dir, NULL);
  g_assert_cmpint (plain.status, ==, 0);
  g_assert_nonnull (strstr (plain.out, "background        not-cry"));

  cradle_test_run_cli (&add, "vocabulary", "add", "colic", "--cry", "--description", "Colic", "-d", f->dir, NULL);
  g_assert_cmpint (add.status, ==, 0);
  cradle_test_run_cli (&add_dup, "vocabulary", "add", "colic", "--cry", "-d", f->dir, NULL);
  g_assert_cmpint (add_dup.status, ==, 1);
  g_assert_nonnull (strstr (add_dup.err, "colic"));
  cradle_test_run_cli (&add_no_kind, "vocabulary", "add", "gas", "-d", f->dir, NULL);
  g_assert_cmpint (add_no_kind.status, ==, 2);
  g_assert_nonnull (strstr (add_no_kind.err, "--cry"));
  cradle_test_run_cli (&set, "vocabulary", "set", "colic", "--not-cry", "-d", f->dir, NULL);
  g_assert_cmpint (set.status, ==, 0);
  cradle_test_run_cli (&rename, "vocabulary", "rename", "hunger", "feed", "-d", f->dir, NULL);
  g_assert_cmpint (rename.status, ==, 0);
  cradle_test_run_cli (&remove_used, "vocabulary", "remove", "feed", "-d", f->dir, NULL);
  g_assert_cmpint (remove_used.status, ==, 1);
  g_assert_nonnull (strstr (remove_used.err, "“feed”"));
  g_assert_nonnull (strstr (remove_used.err, "2 recordings"));
  cradle_test_run_cli (&remove_ok, "vocabulary", "remove", "colic", "-d", f->dir, NULL);
  g_assert_cmpint (remove_ok.status, ==, 0);
  cradle_test_run_cli (&bad, "vocabulary", "frob", "-d", f->dir, NULL);
  g_assert_cmpint (bad.status, ==, 2);

  ds = reopen (f);
  g_assert_false (cradle_dataset_lookup_label (ds, "colic", NULL));
  g_assert_false (cradle_dataset_lookup_label (ds, "hunger", NULL));
  g_assert_true (cradle_dataset_lookup_label (ds, "feed", &is_cry));
  g_assert_true (is_cry);
  hungerish = cradle_dataset_list_recordings (ds, &filter, &error);
  g_assert_cmpuint (hungerish->len, ==, 2);
  for (guint i = 0; i < hungerish->len; i++)
    {
      CradleRecording *r = g_ptr_array_index (hungerish, i);
      g_autofree char *file = cradle_dataset_resolve_path (ds, r->path);

      g_assert_true (g_str_has_prefix (r->path, "audio/feed/"));
      g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
    }
}

static void
test_check (Fixture       *f,
            gconstpointer  data)
{
  g_auto(CradleTestRun) ok = { 0 };
  g_auto(CradleTestRun) bad = { 0 };
  g_auto(CradleTestRun) bad_text = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(CradleDataset) ds = reopen (f);
  g_autoptr(CradleRecording) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *file = NULL;
  JsonObject *o;
  JsonArray *missing;

  cradle_test_run_cli (&ok, "check", "-d", f->dir, NULL);
  g_assert_cmpint (ok.status, ==, 0);
  g_assert_nonnull (strstr (ok.out, "Database integrity ok"));
  g_assert_nonnull (strstr (ok.out, "consistent"));

  r = cradle_dataset_get_recording (ds, f->ids[2], &error);
  file = cradle_dataset_resolve_path (ds, r->path);
  g_clear_pointer (&ds, cradle_dataset_free);
  g_assert_cmpint (g_unlink (file), ==, 0);

  cradle_test_run_cli (&bad, "check", "--json", "-d", f->dir, NULL);
  g_assert_cmpint (bad.status, ==, 1);
  o = parse_object (parser, bad.out);
  g_assert_false (json_object_get_boolean_member (o, "ok"));
  g_assert_true (json_object_get_boolean_member (o, "integrity_ok"));
  missing = json_object_get_array_member (o, "missing_files");
  g_assert_cmpuint (json_array_get_length (missing), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (missing, 0), ==, r->path);
  cradle_test_run_cli (&bad_text, "check", "-d", f->dir, NULL);
  g_assert_cmpint (bad_text.status, ==, 1);
  g_assert_nonnull (strstr (bad_text.out, r->path));
}

static void
test_bad_dataset (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("cradle-cli-dataset-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (tmp, CRADLE_DATASET_DB_NAME, NULL);
  g_auto(CradleTestRun) newer = { 0 };
  g_auto(CradleTestRun) notdb = { 0 };
  g_autoptr(GError) error = NULL;
  sqlite3 *raw = NULL;

  cradle_dataset_free (cradle_dataset_open (tmp, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (db, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, "PRAGMA user_version = 7", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);
  cradle_test_run_cli (&newer, "stats", "-d", tmp, NULL);
  g_assert_cmpint (newer.status, ==, 1);
  g_assert_nonnull (strstr (newer.err, "schema version 7"));
  g_assert_nonnull (strstr (newer.err, db));

  cradle_test_rm_rf (tmp);
  g_mkdir (tmp, 0700);
  g_assert_true (g_file_set_contents (db, "this is not a database, just some text here........"
                                          "...............................................", -1, NULL));
  cradle_test_run_cli (&notdb, "list", "-d", tmp, NULL);
  g_assert_cmpint (notdb.status, ==, 1);
  g_assert_nonnull (strstr (notdb.err, "not a Cradle dataset"));
  cradle_test_rm_rf (tmp);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/dataset/help", test_help);
#define ADD(path, fn) g_test_add ("/cli/dataset/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("stats", test_stats);
  ADD ("list", test_list);
  ADD ("label", test_label);
  ADD ("baby", test_baby);
  ADD ("delete", test_delete);
  ADD ("forget-baby", test_forget_baby);
  ADD ("vocabulary", test_vocabulary);
  ADD ("check", test_check);
#undef ADD
  g_test_add_func ("/cli/dataset/bad-dataset", test_bad_dataset);
  return g_test_run ();
}
