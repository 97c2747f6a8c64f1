"""Questions asked of a trained model (how robust is it, what does it rely on). No Qt here:
the app runs these in a worker thread, the CLI and notebooks call them directly."""
