/* cradle-ring.h — a lock-free single-producer / single-consumer ring of
 * float samples
 *
 * The audio callback (producer) writes, the detector thread (consumer)
 * reads. Neither side allocates, locks or blocks: the indices are C11
 * atomics with acquire/release ordering, the capacity a power of two.
 * A write that does not fit writes what fits and returns how much, so the
 * producer can count the rest as an overrun.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CradleRing CradleRing;

/* CAPACITY is rounded up to a power of two (at least 2). */
CradleRing *cradle_ring_new        (gsize        capacity);
void        cradle_ring_free       (CradleRing  *ring);
gsize       cradle_ring_capacity   (const CradleRing *ring);

/* Producer side. Returns the number of samples written (≤ N). */
gsize       cradle_ring_write      (CradleRing  *ring,
                                    const float *data,
                                    gsize        n);
/* Consumer side. Returns the number of samples read (≤ N). */
gsize       cradle_ring_read       (CradleRing  *ring,
                                    float       *data,
                                    gsize        n);
/* Samples waiting to be read (consumer) / room to write (producer). */
gsize       cradle_ring_readable   (CradleRing  *ring);
gsize       cradle_ring_writable   (CradleRing  *ring);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CradleRing, cradle_ring_free)

G_END_DECLS
