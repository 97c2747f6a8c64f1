"""The training process's side: receive the RunJob, build the trainer on the shared data, train,
send every snapshot (and the run record's news), say "done". Commands from the parent arrive on
a listener thread and go to the run's RunControl; a closed pipe (the parent is gone) is a stop.
"""
import os
import threading
import traceback

from core.errors import DigitLabError
from core.records.resume import start_recording
from core.records.writer import RunRecordError, recorded_run
from core.training.blas import limited_blas_threads
from core.training.run_control import RunControl
from core.training_process.job import build_trainer
from core.training_process.shared_data import attach


def _listen(connection, control, send):
    """Commands from the parent, until the pipe closes (the parent is gone: stop). A pause is
    answered with ("held",) once the loop really waits (the window may then rely on it)."""
    while True:
        try:
            command = connection.recv()
        except (EOFError, OSError):
            control.stop()
            return
        kind = command[0]
        if kind == "pause":
            control.pause()
            threading.Thread(target=_tell_when_held, args=(control, send), daemon=True).start()
        elif kind == "resume":
            control.resume()
        elif kind == "stop":
            control.stop()
        elif kind == "rate":
            control.set_learning_rate(command[1])


def _tell_when_held(control, send):
    if control.wait_until_held() and control.waiting:
        try:
            send("held")
        except (OSError, ValueError):
            pass


NICENESS = 5   # a training process gives way to the window's process when both want the CPU


def _yield_to_the_window():
    """Run at a lower priority: on 2 cores, two racers and the window are three busy processes,
    and the window's frames must not wait for a core (the racers barely notice)."""
    try:
        os.nice(NICENESS)
    except (AttributeError, OSError):   # Windows has no nice; a refused one changes nothing
        pass


def child_main(connection):
    """The training process: receive the job, train, send every snapshot, say "done"."""
    send_lock = threading.Lock()

    def send(*message):
        with send_lock:
            connection.send(message)

    control = RunControl()
    _yield_to_the_window()
    try:
        job = connection.recv()
    except (EOFError, OSError):
        return
    if getattr(job, "held_at_start", False):
        control.pause()   # the first batch waits for "resume" (both racers ready: a fair start)
    threading.Thread(target=_listen, args=(connection, control, send), daemon=True).start()
    memories = []
    try:
        with limited_blas_threads():
            dataset, memories = attach(job.dataset) if hasattr(job.dataset, "blocks") else (job.dataset, [])
            trainer = build_trainer(job, dataset).use_control(control)
            snapshots = recorded_snapshots(trainer, dataset, job, send) if job.record_cap_bytes is not None else None
            send("snapshot", trainer.start_snapshot())
            for snapshot in snapshots if snapshots is not None else trainer.run():
                send("snapshot", snapshot)
    except BaseException as error:   # noqa: BLE001  every failure is told; the process then ends
        user_error = isinstance(error, (DigitLabError, OSError))
        text = ("Out of memory. Try a smaller network, batch size or dataset." if isinstance(error, MemoryError)
                else str(error) if user_error else f"{type(error).__name__}: {error}")
        try:
            send("failed", text, "" if user_error else traceback.format_exc())
        except (OSError, ValueError):
            pass
    finally:
        try:
            send("done")
        except (OSError, ValueError):
            pass
        for memory in memories:
            try:
                memory.close()
            except BufferError:   # an array still looks at it: the process ends anyway
                pass
        connection.close()


def recorded_snapshots(trainer, dataset, job, send):
    """The run's snapshots, recorded (core.records); a record that cannot be made only costs the record."""
    if trainer.stop_requested:   # stopped while the data was prepared: nothing to keep
        if job.plan is not None:
            job.plan.prepare(trainer)
        return None
    try:
        recorder = start_recording(trainer, dataset, job.plan, cap_bytes=job.record_cap_bytes)
    except (RunRecordError, OSError) as error:
        send("notice", f"This run is not being recorded: {error}. Training goes on.")
        return None
    send("recording", recorder.run_id, str(recorder.record_dir))
    return _watched(recorded_run(trainer, recorder), recorder, send)


def _watched(snapshots, recorder, send):
    told = False
    for snapshot in snapshots:
        if recorder.failed and not told:
            told = True
            send("notice", recorder.failed[0].upper() + recorder.failed[1:] + ".")
        yield snapshot
