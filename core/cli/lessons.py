"""`python main.py lessons --list | --check [FILE_OR_DIR ...]`: the lessons, and checking them.

--list prints one line per lesson (shipped, then the user's lessons folder): its file name,
length in minutes, title, and whether it was finished. --check reads and checks lessons (the
shipped ones and the user's when no path is given) and prints one line per problem,
"file:line: what is wrong"; the exit code is 1 when there is any problem, 0 otherwise.
"""
import sys

from core.lessons.check import check_paths
from core.lessons.library import list_lessons
from core.lessons.progress import LessonProgress
from core.storage.resources import LESSONS_DIR
from core.storage.user_dirs import lessons_dir


def register(subparsers):
    p = subparsers.add_parser(
        "lessons", help="list the lessons, or check lesson files for mistakes",
        description="Lessons are Markdown files (docs/LESSONS.md). --list lists them; --check checks them "
                    "and prints one line per problem with its file and line (exit 1 if there is any).")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--list", action="store_true", help="list the lessons with their length in minutes")
    what.add_argument("--check", nargs="*", metavar="FILE_OR_DIR",
                      help="check these lesson files or folders (default: the shipped lessons and yours)")
    p.set_defaults(run=run)


def run(args):
    if args.list:
        progress = LessonProgress.load()
        for entry in list_lessons():
            if entry.problem:
                print(f"{entry.path.name:28s}  cannot be read: {entry.problem}")
                continue
            mark = "  (finished)" if progress.finished(entry.lesson_id) else ""
            print(f"{entry.path.name:28s} {entry.minutes:3d} min  {entry.title}"
                  f"{'  [yours]' if entry.source == 'yours' else ''}{mark}")
        return 0
    targets = args.check or [LESSONS_DIR] + ([lessons_dir()] if lessons_dir().is_dir() else [])
    problems = check_paths(targets)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1
    print("every lesson checks out", file=sys.stderr)
    return 0
