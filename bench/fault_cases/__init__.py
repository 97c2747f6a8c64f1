"""The catalogue of bench/fault_injection.py: the harness (harness.py) and the cases, one module
per concern. Importing a case module registers its cases in harness.CASES, in catalogue order.

Every case drives DigitLab the way a user does, through `python main.py ...` and files on disk,
never by importing core/ or gui/ (so the catalogue stays valid while those packages move).
"""
