"""DigitLab's learning engine: NumPy only, no Qt anywhere in this package."""
