"""Exceptions with messages meant for the user (the CLI prints them as one line, the GUI as a dialog)."""


class DigitLabError(Exception):
    """Base class: anything the user can fix (bad file, bad argument, no data)."""


class DatasetError(DigitLabError):
    """A data file or folder is missing, corrupt, truncated or inconsistent."""


class DownloadError(DatasetError):
    """A download failed on every mirror (offline, refused, bad checksum)."""


class ModelFileError(DigitLabError):
    """A model file is missing, corrupt, or belongs to a different network."""


class ConfigError(DigitLabError):
    """A training setting is out of range or inconsistent with the others."""
