#!/usr/bin/python3
"""Splits ../shared/data into a training part and a held-out part by group, so that streams made
from the held-out part (../shared/tools/make_streams.py HELD_DIR OUT SEED MINUTES) test a detect
model on babies and sources it was never trained on.

Usage: heldout-split.py SRC_DATA_DIR OUT_DIR [SEED]

Groups as ../shared/data/README.md defines them (donateacry: the app-install uuid; ESC-50: the
freesound id; other detection clips: the source recording). A seeded quarter of the groups of each
of donateacry, detection/cry and detection/noise is held out. laugh/ and silence/ are one source
recording each, so they are split in time instead: chunks 66 and later are held out. That is the
same laughing baby and the same room on both sides — the held-out streams do not test unseen
laughs. Writes OUT_DIR/train/... and OUT_DIR/held/... in the source layout (copies).
"""
import glob, os, random, shutil, sys

src, out = sys.argv[1], sys.argv[2]
seed = int(sys.argv[3]) if len(sys.argv) > 3 else 7
files = sorted(glob.glob(f"{src}/detection/*/*.flac") + glob.glob(f"{src}/donateacry/*/*.flac"))


def group(path):
    name = os.path.basename(path)[:-len(".flac")]
    if "/donateacry/" in path:
        return "donateacry:" + name[:36]
    if name.startswith("esc50-"):
        return "esc50:" + name.split("-")[2]
    return "source:" + name.rsplit("_", 1)[0]


rng = random.Random(seed)
categories = {}
for path in files:
    label = path.split("/")[-2]
    if label in ("laugh", "silence"):
        continue
    categories.setdefault("donateacry" if "/donateacry/" in path else label, set()).add(group(path))
held = set()
for name, groups in sorted(categories.items()):
    groups = sorted(groups)
    rng.shuffle(groups)
    k = max(1, round(len(groups) * 0.25))
    held |= set(groups[:k])
    print(f"{name}: {len(groups)} groups, {k} held out")
counts = {"train": 0, "held": 0}
for path in files:
    label = path.split("/")[-2]
    name = os.path.basename(path)[:-len(".flac")]
    if label in ("laugh", "silence"):
        part = "held" if int(name.rsplit("_", 1)[1]) >= 66 else "train"
    else:
        part = "held" if group(path) in held else "train"
    folder = os.path.join(out, part, os.path.relpath(os.path.dirname(path), src))
    os.makedirs(folder, exist_ok=True)
    shutil.copy(path, folder)
    counts[part] += 1
print(f"train {counts['train']} clips, held out {counts['held']} clips")
