#!/bin/sh
# Rebuild resources/default_model.npz, the model the drawing canvas starts with, from MNIST only.
#   scripts/make_default_model.sh [MNIST_DIR]      (default: ../shared/data/mnist, else $DIGITLAB_DATA)
# The `canvas` preset (core/settings/presets.py): a CNN trained with augmentation for drawn digits
# (affine, elastic, thickness, writing styles) and a "not a digit" class of generated non-digits,
# read with test-time turns; seed 0; about 6 minutes on a quiet 2-core machine (24 epochs).
# Check it with: python main.py evaluate --model resources/default_model.npz --data DIR
#           and: python bench/bench_drawn_digits.py --per-digit 60 --per-style 30 --per-kind 20 --mnist DIR
set -e
cd "$(dirname "$0")/.."
DATA="${1:-${DIGITLAB_DATA:-../shared/data/mnist}}"
python main.py train --preset canvas --dataset mnist --data "$DATA" --no-fallback --no-record \
    --out resources/default_model.npz
