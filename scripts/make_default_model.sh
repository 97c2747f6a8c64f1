#!/bin/sh
# Rebuild resources/default_model.npz, the model the drawing canvas starts with, from MNIST only.
#   scripts/make_default_model.sh [MNIST_DIR]      (default: ../shared/data/mnist, else $DIGITLAB_DATA)
# The `canvas` preset (core/settings/presets.py): the `cnn` network trained with augmentation for
# drawn digits (affine, elastic, thickness), seed 0; several minutes on 2 cores.
# Check it with: python main.py evaluate --model resources/default_model.npz --data DIR
#           and: python bench/bench_drawn_digits.py --per-digit 60 --per-style 30
set -e
cd "$(dirname "$0")/.."
DATA="${1:-${DIGITLAB_DATA:-../shared/data/mnist}}"
python main.py train --preset canvas --dataset mnist --data "$DATA" --no-fallback --no-record \
    --out resources/default_model.npz
