"""Where a save dialog starts: the user's documents folder, never the folder the program was
started from (a student's exports landed in the source checkout)."""
from pathlib import Path

import platformdirs


def suggested_path(file_name):
    """str: ``file_name`` in the user's documents folder (the home folder when there is none)."""
    folder = Path(platformdirs.user_documents_dir())
    if not folder.is_dir():
        folder = Path.home()
    return str(folder / file_name)
