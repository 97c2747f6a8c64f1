#!/bin/sh
# Rebuild resources/default_model.npz, the model the drawing canvas starts with, from MNIST.
#   scripts/make_default_model.sh [MNIST_DIR]      (default: ../shared/data/mnist, else $DIGITLAB_DATA)
# 784-256-10 ReLU, momentum SGD with a cosine schedule, 15 epochs, seed 0 (about 10 s on 2 cores).
# Check it with: python bench/bench_drawn_digits.py   and   python main.py evaluate --model resources/default_model.npz --data DIR
set -e
cd "$(dirname "$0")/.."
DATA="${1:-${DIGITLAB_DATA:-../shared/data/mnist}}"
python main.py train --dataset mnist --data "$DATA" --no-fallback \
    --hidden 256 --activation relu --optimizer momentum --lr 0.1 --schedule cosine \
    --epochs 15 --batch-size 128 --seed 0 --out resources/default_model.npz
