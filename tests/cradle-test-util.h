/* cradle-test-util.h — helpers shared by the test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A matrix read from a librosa fixture CSV: ROWS lines of COLS values. */
typedef struct {
  double *values;   /* rows * cols, row-major */
  guint   rows;
  guint   cols;
} CradleTestMatrix;

/* Path of a file in tests/fixtures/librosa-0.10.1 (g_free). */
char             *cradle_test_fixture_path   (const char *name);
/* Reads tests/fixtures/librosa-0.10.1/NAME; aborts the test on error. */
CradleTestMatrix *cradle_test_matrix_load    (const char *name);
void              cradle_test_matrix_free    (CradleTestMatrix *m);
double            cradle_test_matrix_get     (const CradleTestMatrix *m,
                                              guint row,
                                              guint col);
/* Reads the fixture WAV NAME (float32 mono); aborts the test on error. */
float            *cradle_test_fixture_audio  (const char *name,
                                              gsize      *n,
                                              guint      *sample_rate);

/* The shared real-audio folder (../shared/data) or NULL when it is absent;
 * tests that need it call g_test_skip() with a message when NULL. */
const char       *cradle_test_shared_data    (void);

/* Synthetic signals. */
float            *cradle_test_sine           (gsize n, guint rate, double hz, double amp);
float            *cradle_test_noise          (gsize n, double sd, guint32 seed);

/* Timing for the `-m perf` tests (printed, never asserted): the best of
 * REPS runs of RUN (DATA), in microseconds. */
double            cradle_test_best_time_us   (void     (*run) (gpointer data),
                                              gpointer   data,
                                              guint      reps);

/* Removes PATH and everything below it (no error when absent). */
void              cradle_test_rm_rf          (const char *path);

/* cradle-cli ($CRADLE_CLI) run to completion with an empty stdin (never a
 * terminal) and without $CRADLE_DATASET. */
typedef struct {
  int   status;   /* exit status */
  char *out;
  char *err;
} CradleTestRun;

void              cradle_test_run_clear      (CradleTestRun *run);
/* The arguments after RUN, NULL-terminated. */
void              cradle_test_run_cli        (CradleTestRun *run,
                                              ...) G_GNUC_NULL_TERMINATED;

/* A private PulseAudio daemon for live-audio tests: a null sink named
 * "cradle_test" whose monitor is the default source, reachable through
 * PULSE_SERVER (set in this process's environment, so PortAudio → ALSA →
 * the pulse plugin finds it, and so do child processes). Returns NULL with
 * a message in *SKIP_REASON when pulseaudio is not installed. */
typedef struct _CradleTestPulse CradleTestPulse;

CradleTestPulse  *cradle_test_pulse_start    (char           **skip_reason);
/* Plays FILE into the null sink with paplay; returns the running player. */
GSubprocess      *cradle_test_pulse_play     (CradleTestPulse  *pulse,
                                              const char       *file);
/* SIGKILLs the daemon (to test a sound server that dies). */
void              cradle_test_pulse_kill     (CradleTestPulse  *pulse);
void              cradle_test_pulse_stop     (CradleTestPulse  *pulse);

/* A watchdog for calls that must not hang: unless stopped within SECONDS,
 * it aborts the test program with "WHAT took more than SECONDS s". It
 * bounds a wait; it does not time normal speed. */
typedef struct _CradleTestWatchdog CradleTestWatchdog;

CradleTestWatchdog *cradle_test_watchdog_start (const char         *what,
                                                guint               seconds);
void                cradle_test_watchdog_stop  (CradleTestWatchdog *watchdog);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleTestPulse, cradle_test_pulse_stop)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CradleTestRun, cradle_test_run_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleTestMatrix, cradle_test_matrix_free)

G_END_DECLS
