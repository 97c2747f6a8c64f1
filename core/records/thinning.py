"""Which epoch checkpoints of a run to delete so that the run stays under its size cap.

Never the last checkpoint (continuing starts there) nor the best one (by validation accuracy):
those are kept even if they alone exceed the cap. Among the others, the one whose removal
leaves the smallest hole goes first (the smallest distance between its two neighbours, the
older on a tie), so a long run keeps checkpoints spread evenly over its whole length rather
than only its recent end.
"""

DEFAULT_CAP_BYTES = 200 * 1024 * 1024   # per run


def checkpoints_to_drop(sizes, protected, cap_bytes):
    """Epochs whose checkpoints to delete, in order.

    sizes: {epoch (1-based int): file size in bytes}; protected: epochs never dropped;
    cap_bytes: the most all checkpoints together may take (<= 0: no cap).
    """
    if cap_bytes <= 0:
        return []
    kept = sorted(sizes)
    total = sum(sizes.values())
    dropped = []
    while total > cap_bytes:
        candidates = [i for i, epoch in enumerate(kept) if epoch not in protected]
        if not candidates:
            break

        def hole(i):
            before = kept[i - 1] if i > 0 else 0
            after = kept[i + 1] if i + 1 < len(kept) else kept[i] + (kept[i] - before)
            return after - before, kept[i]

        victim = kept.pop(min(candidates, key=hole))
        dropped.append(victim)
        total -= sizes[victim]
    return dropped


def best_epoch(rows):
    """The 1-based epoch with the highest validation accuracy among history rows (the first on a
    tie), or None when no row has one."""
    best, best_value = None, None
    for row in rows:
        value = row.get("val_accuracy")
        if isinstance(value, (int, float)) and value == value:   # NaN != NaN: no validation set
            if best_value is None or value > best_value:
                best, best_value = int(row["epoch"]), value
    return best
