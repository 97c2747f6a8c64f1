"""Where the files shipped with DigitLab live (the repository's resources/ folder)."""
from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parents[2] / "resources"
DEFAULT_MODEL_PATH = RESOURCES_DIR / "default_model.npz"
STYLE_SHEET_PATH = RESOURCES_DIR / "style.qss"
README_PATH = RESOURCES_DIR.parent / "README.md"   # the user guide (Help > User guide reads its app part)
LESSONS_DIR = RESOURCES_DIR / "lessons"            # the lessons that ship with DigitLab (core.lessons)
