/* cradle-serial-private.h — little-endian byte writing and bounds-checked
 * reading for the model file and the classifiers' own payloads
 *
 * The reader never reads past its buffer: every read checks the remaining
 * length first and reports FALSE when it would not fit, so a parser built on
 * it turns a short or garbled payload into an error, never a crash.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <math.h>
#include <string.h>

G_BEGIN_DECLS

static inline void
cradle_serial_put_u32 (GByteArray *out,
                       guint32     v)
{
  guint32 le = GUINT32_TO_LE (v);

  g_byte_array_append (out, (const guint8 *) &le, 4);
}

static inline void
cradle_serial_put_u64 (GByteArray *out,
                       guint64     v)
{
  guint64 le = GUINT64_TO_LE (v);

  g_byte_array_append (out, (const guint8 *) &le, 8);
}

static inline void
cradle_serial_put_f32 (GByteArray *out,
                       float       v)
{
  guint32 bits;

  memcpy (&bits, &v, 4);
  cradle_serial_put_u32 (out, bits);
}

static inline void
cradle_serial_put_f64 (GByteArray *out,
                       double      v)
{
  guint64 bits;

  memcpy (&bits, &v, 8);
  cradle_serial_put_u64 (out, bits);
}

typedef struct {
  const guint8 *data;
  gsize         length;
  gsize         pos;
} CradleSerialReader;

static inline void
cradle_serial_reader_init (CradleSerialReader *r,
                           const guint8       *data,
                           gsize               length)
{
  r->data = data;
  r->length = length;
  r->pos = 0;
}

static inline gsize
cradle_serial_remaining (const CradleSerialReader *r)
{
  return r->length - r->pos;
}

/* PTR points into the buffer: N bytes, or FALSE when fewer remain. */
static inline gboolean
cradle_serial_get_bytes (CradleSerialReader  *r,
                         gsize                n,
                         const guint8       **ptr)
{
  if (n > cradle_serial_remaining (r))
    return FALSE;
  *ptr = r->data + r->pos;
  r->pos += n;
  return TRUE;
}

static inline gboolean
cradle_serial_get_u32 (CradleSerialReader *r,
                       guint32            *v)
{
  const guint8 *p;
  guint32 le;

  if (!cradle_serial_get_bytes (r, 4, &p))
    return FALSE;
  memcpy (&le, p, 4);
  *v = GUINT32_FROM_LE (le);
  return TRUE;
}

static inline gboolean
cradle_serial_get_u64 (CradleSerialReader *r,
                       guint64            *v)
{
  const guint8 *p;
  guint64 le;

  if (!cradle_serial_get_bytes (r, 8, &p))
    return FALSE;
  memcpy (&le, p, 8);
  *v = GUINT64_FROM_LE (le);
  return TRUE;
}

static inline gboolean
cradle_serial_get_f32 (CradleSerialReader *r,
                       float              *v)
{
  guint32 bits;

  if (!cradle_serial_get_u32 (r, &bits))
    return FALSE;
  memcpy (v, &bits, 4);
  return TRUE;
}

static inline gboolean
cradle_serial_get_f64 (CradleSerialReader *r,
                       double             *v)
{
  guint64 bits;

  if (!cradle_serial_get_u64 (r, &bits))
    return FALSE;
  memcpy (v, &bits, 8);
  return TRUE;
}

/* A double as the shortest of %.15g / %.17g that reads back exactly, so
 * "0.1" stays "0.1" and every value round-trips. (transfer full) */
static inline char *
cradle_serial_format_double (double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buf, sizeof buf, "%.15g", v);
  if (g_ascii_strtod (buf, NULL) != v)
    g_ascii_formatd (buf, sizeof buf, "%.17g", v);
  return g_strdup (buf);
}

G_END_DECLS
