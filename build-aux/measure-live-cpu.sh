#!/bin/sh
# measure-live-cpu.sh CRADLE-CLI MODEL [SECONDS] [AUDIO]
#
# The live monitor's CPU at 16 kHz: starts a private PulseAudio daemon whose
# default source is the monitor of a 16 kHz null sink (ALSA reaches it
# through libasound2-plugins), plays AUDIO into it in a loop (default
# ../shared/data/streams/nursery-dev.flac) and runs
#   CRADLE-CLI monitor --model MODEL --device default --no-save --seconds SECONDS --cpu
# which prints the process CPU time over the wall time when it stops.
# Needs pulseaudio, pulseaudio-utils and libasound2-plugins.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

cli=$1
model=$2
seconds=${3:-180}
audio=${4:-$(dirname "$0")/../../shared/data/streams/nursery-dev.flac}

dir=$(mktemp -d "${TMPDIR:-/tmp}/cradle-live-cpu.XXXXXX")
mkdir -p "$dir/runtime" "$dir/home"
export PULSE_SERVER="unix:$dir/native" PULSE_RUNTIME_PATH="$dir/runtime" \
  PULSE_STATE_PATH="$dir/runtime" XDG_RUNTIME_DIR="$dir/runtime" HOME="$dir/home"

pulseaudio -n --daemonize=no --exit-idle-time=-1 --disallow-exit --use-pid-file=no \
  --disable-shm --log-target="file:$dir/pulse.log" \
  -L "module-native-protocol-unix socket=$dir/native auth-anonymous=1" \
  -L "module-null-sink sink_name=cradle_test rate=16000 channels=1" &
daemon=$!
player=
cleanup() {
  # The player loop runs in its own process group: stop the loop and its paplay.
  if [ -n "$player" ]; then kill -- "-$player" 2>/dev/null || true; fi
  kill "$daemon" 2>/dev/null || true
  wait "$daemon" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

for _ in $(seq 50); do
  pactl info >/dev/null 2>&1 && break
  sleep 0.1
done
pactl set-default-source cradle_test.monitor

if [ -f "$audio" ]; then
  setsid sh -c 'while :; do paplay "$1"; done' sh "$audio" &
  player=$!
else
  echo "$audio is absent: measuring on the silent null source" >&2
fi

OMP_WAIT_POLICY=passive "$cli" monitor --model "$model" --device default --no-save \
  --seconds "$seconds" --cpu
