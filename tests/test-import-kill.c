/* test-import-kill.c — `cradle-cli import` killed with SIGKILL at random
 * moments leaves a dataset that opens, passes its integrity checks, has no
 * row without its file and no temporary file after the next open
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cradle-core.h"
#include "cradle-dataset.h"
#include "cradle-import.h"
#include "cradle-test-util.h"

/* SIGKILLs that must land while the import runs (runs that finish before
 * their kill are checked too, and do not count). The cap on runs only
 * stops a test that cannot land its kills at all: the kill delays follow
 * the runs' measured durations, so on a loaded machine about as many land
 * as on an idle one. */
#define N_KILLS      50
#define MAX_RUNS     1000
/* How many recent finished runs' durations set the range of kill delays. */
#define N_RECENT     5
#define N_GOOD_FILES 60
#define N_BAD_FILES  3
/* 5 s at 16 kHz, like the detection clips. */
#define N_SAMPLES    80000

/* SRC: 60 distinct tones (5 s, 16 kHz FLAC) in four label folders, some
 * with donateacry names (so babies are created too), and 3 text files
 * named .wav that the import skips. */
static void
make_source (const char *src)
{
  static const char * const folders[] = { "hungry", "tired", "cry", "noise" };

  for (guint i = 0; i < N_GOOD_FILES; i++)
    {
      const char *folder = folders[i % G_N_ELEMENTS (folders)];
      g_autofree char *name = NULL;
      g_autofree char *dir = g_build_filename (src, folder, NULL);
      g_autofree char *path = NULL;
      g_autofree float *x = NULL;
      g_autoptr(CradleAudio) audio = cradle_audio_new (16000, N_SAMPLES);
      g_autoptr(GError) error = NULL;

      if (i % 4 < 2)
        name = g_strdup_printf ("%08X-B711-469A-AF69-55C0D5D3E30F-%u-1.0-%s-26-%s.flac",
                                i % 7, 1430138495 + i, i % 2 ? "f" : "m", i % 4 ? "ti" : "hu");
      else
        name = g_strdup_printf ("source%u_%u.flac", i % 3, i);
      path = g_build_filename (dir, name, NULL);
      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      x = cradle_test_sine (N_SAMPLES, 16000, 150.0 + 13.0 * i, 0.3);
      memcpy (audio->samples, x, N_SAMPLES * sizeof (float));
      g_assert_true (cradle_audio_write (audio, path, CRADLE_AUDIO_FILE_FLAC, &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < N_BAD_FILES; i++)
    {
      g_autofree char *name = g_strdup_printf ("cry/broken_%u.wav", i);
      g_autofree char *path = g_build_filename (src, name, NULL);

      g_assert_true (g_file_set_contents (path, "RIFF but not really", -1, NULL));
    }
}

static GSubprocess *
spawn (const char *command,
       const char *dataset,
       const char *arg)
{
  g_autoptr(GError) error = NULL;
  /* Small batches: a kill lands between commits as well as inside one. */
  GSubprocess *proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                        g_getenv ("CRADLE_CLI"), command, "--dataset", dataset,
                                        arg, g_str_equal (command, "import") ? "--batch" : NULL,
                                        "4", NULL);

  g_assert_no_error (error);
  return proc;
}

/* Runs COMMAND to the end; returns the wall time in seconds. */
static double
run_to_end (const char *command,
            const char *dataset,
            const char *arg)
{
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr(GSubprocess) proc = spawn (command, dataset, arg);
  g_autoptr(GError) error = NULL;

  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  return (g_get_monotonic_time () - t0) / 1e6;
}

/* Starts COMMAND and SIGKILLs it after DELAY seconds (if still running).
 * Returns TRUE when the kill landed; else *TOOK is how long the run took. */
static gboolean
run_and_kill (const char *command,
              const char *dataset,
              const char *arg,
              double      delay,
              double     *took)
{
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr(GSubprocess) proc = spawn (command, dataset, arg);
  g_autoptr(GError) error = NULL;
  gint64 deadline = t0 + (gint64) (delay * G_USEC_PER_SEC);
  gint64 exited = 0;
  gboolean killed;

  /* Poll for the exit, so a run that finished first is timed. */
  while (g_get_monotonic_time () < deadline)
    {
      if (g_subprocess_get_identifier (proc) == NULL)
        break;
      g_usleep (MIN (1000, MAX (0, deadline - g_get_monotonic_time ())));
    }
  g_subprocess_force_exit (proc);
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);
  killed = g_subprocess_get_if_signaled (proc);
  if (!killed)
    {
      g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
      exited = g_get_monotonic_time ();
      *took = MIN (delay, (exited - t0) / 1e6);
    }
  return killed;
}

/* The longest of the last N_RECENT durations in RECENT (a ring of
 * N_RECENT, unset entries 0). */
static double
longest_recent (const double *recent)
{
  double longest = 0.0;

  for (guint i = 0; i < N_RECENT; i++)
    longest = MAX (longest, recent[i]);
  return longest;
}

static char *
sha256_of (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

/* Opens DIR (which cleans up) and checks everything. Returns the number
 * of files the open removed; the recordings in *RECORDINGS. */
static guint
check_dataset (const char  *dir,
               GPtrArray  **recordings_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleDataset) dataset = cradle_dataset_open (dir, &error);
  g_auto(CradleDatasetCheck) check = { 0 };
  g_autoptr(GPtrArray) recordings = NULL;
  g_autoptr(GHashTable) sources = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_no_error (error);
  g_assert_nonnull (dataset);
  g_assert_true (cradle_dataset_check (dataset, &check, &error));
  g_assert_no_error (error);
  if (!check.integrity_ok)
    g_error ("integrity_check: %s", check.integrity_message);
  g_assert_true (check.foreign_keys_ok);
  g_assert_cmpuint (check.missing_files->len, ==, 0);
  g_assert_cmpuint (check.temp_files->len, ==, 0);
  g_assert_cmpuint (check.untracked_files->len, ==, 0);

  recordings = cradle_dataset_list_recordings (dataset, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < recordings->len; i++)
    {
      CradleRecording *r = g_ptr_array_index (recordings, i);
      g_autofree char *path = cradle_dataset_resolve_path (dataset, r->path);
      g_autofree char *sha = sha256_of (path);
      g_autoptr(CradleAudio) audio = cradle_audio_load (path, 0, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (audio->n_samples, ==, N_SAMPLES);
      g_assert_cmpstr (sha, ==, r->sha256);
      /* Never the same content twice, whatever was interrupted. */
      g_assert_false (g_hash_table_contains (sources, r->source_sha256));
      g_hash_table_add (sources, r->source_sha256);
    }
  if (recordings_out != NULL)
    *recordings_out = g_steal_pointer (&recordings);
  return check.removed_at_open;
}

/* Deletes about two thirds of the recordings, so that the next import has
 * files to write again. */
static void
delete_some (const char *dir,
             GRand      *rand)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CradleDataset) dataset = cradle_dataset_open (dir, &error);
  g_autoptr(GPtrArray) recordings = NULL;

  g_assert_no_error (error);
  recordings = cradle_dataset_list_recordings (dataset, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < recordings->len; i++)
    if (g_rand_int_range (rand, 0, 3) != 0)
      {
        CradleRecording *r = g_ptr_array_index (recordings, i);

        g_assert_true (cradle_dataset_delete_recording (dataset, r->id, &error));
        g_assert_no_error (error);
      }
}

static void
check_export_dir (const char *out)
{
  g_autoptr(GDir) d = g_dir_open (out, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (out, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        check_export_dir (path);
      else if (g_str_has_suffix (name, ".flac"))
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(CradleAudio) audio = cradle_audio_load (path, 0, &error);

          /* A file under its final name is complete. */
          g_assert_no_error (error);
        }
      else if (g_str_equal (name, CRADLE_MANIFEST_NAME))
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          g_autoptr(GError) error = NULL;

          json_parser_load_from_file (parser, path, &error);
          g_assert_no_error (error);
        }
    }
}

static void
test_kill (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("cradle-import-kill-XXXXXX", NULL);
  g_autofree char *src = g_build_filename (tmp, "src", NULL);
  g_autofree char *scratch = g_build_filename (tmp, "scratch", NULL);
  g_autofree char *ds = g_build_filename (tmp, "ds", NULL);
  g_autofree char *out = g_build_filename (tmp, "export", NULL);
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GPtrArray) final = NULL;
  guint32 seed = (guint32) g_test_rand_int ();
  gint64 t0 = g_get_monotonic_time ();
  guint n_killed = 0;
  guint n_finished = 0;
  guint n_export_killed = 0;
  guint removed = 0;
  guint max_rows = 0;
  double recent[N_RECENT] = { 0 };
  double full;
  double export_time;

  rand = g_rand_new_with_seed (seed);
  g_test_message ("seed %u (rerun with --seed for the same delays)", seed);
  make_source (src);

  /* One whole import, to spread the kills over its duration. The
   * durations of runs that finish before their kill update the range, so
   * it follows the machine's load. */
  full = run_to_end ("import", scratch, src);
  g_test_message ("a full import of %u files takes %.3f s", N_GOOD_FILES + N_BAD_FILES, full);
  recent[0] = full;

  for (guint i = 0; n_killed < N_KILLS && i < MAX_RUNS; i++)
    {
      double delay = g_rand_double_range (rand, 0.0, longest_recent (recent) * 1.1);
      double took = 0.0;
      g_autoptr(GPtrArray) recordings = NULL;

      if (run_and_kill ("import", ds, src, delay, &took))
        n_killed++;
      else
        {
          recent[n_finished % N_RECENT] = took;
          n_finished++;
        }
      removed += check_dataset (ds, &recordings);
      max_rows = MAX (max_rows, recordings->len);
      g_assert_cmpuint (recordings->len, <=, N_GOOD_FILES);
      if (recordings->len > N_GOOD_FILES / 2)
        delete_some (ds, rand);
    }

  /* The export, killed once part-way; each run that finishes first says
   * how long the same export takes now. */
  export_time = run_to_end ("export", ds, out);
  for (guint i = 0; n_export_killed == 0 && i < MAX_RUNS; i++)
    {
      double took = export_time;

      cradle_test_rm_rf (out);
      if (run_and_kill ("export", ds, out, g_rand_double_range (rand, 0.0, export_time), &took))
        n_export_killed++;
      else
        export_time = took;
      removed += check_dataset (ds, NULL);
      check_export_dir (out);
    }

  /* In the end a whole import completes: exactly the source's content. */
  run_to_end ("import", ds, src);
  removed += check_dataset (ds, &final);
  g_assert_cmpuint (final->len, ==, N_GOOD_FILES);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CradleDataset) dataset = cradle_dataset_open (ds, &error);
    g_autoptr(CradleDatasetStats) stats = cradle_dataset_get_stats (dataset, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (stats->n_recordings, ==, N_GOOD_FILES);
    g_assert_cmpuint (stats->n_babies, ==, 7);
    for (guint i = 0; i < stats->per_label->len; i++)
      {
        CradleDatasetCount *c = g_ptr_array_index (stats->per_label, i);
        gboolean expected = g_str_equal (c->key, "hunger") || g_str_equal (c->key, "sleepy") ||
                            g_str_equal (c->key, "cry") || g_str_equal (c->key, "background");

        g_assert_cmpuint (c->count, ==, expected ? N_GOOD_FILES / 4 : 0);
      }
  }

  g_test_message ("%u imports killed, %u finished before the kill, %u export killed; %u "
                  "leftover files removed at the next open; at most %u rows; %.1f s in all",
                  n_killed, n_finished, n_export_killed, removed, max_rows,
                  (g_get_monotonic_time () - t0) / 1e6);
  g_assert_cmpuint (n_killed, >=, N_KILLS);
  g_assert_cmpuint (n_export_killed, ==, 1);
  cradle_test_rm_rf (tmp);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import-kill/sigkill", test_kill);

  return g_test_run ();
}
