"""Runs a command under a pseudo-terminal and drives it with a small script.

Usage: pty-drive.py SCRIPT_JSON -- CMD ARG...
SCRIPT_JSON is a list of steps: {"expect": "text", "timeout": s} waits until the screen output
contains the text; {"send": "keys"} types the keys. The output seen is written to stdout at the end;
the exit status is the command's, or 90 when an expectation timed out.
"""
import json
import os
import pty
import select
import sys
import time


def main() -> int:
    sep = sys.argv.index("--")
    steps = json.loads(sys.argv[1])
    cmd = sys.argv[sep + 1 :]
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["COLUMNS"] = "100"
        os.environ["LINES"] = "30"
        os.execvp(cmd[0], cmd)
    import fcntl
    import struct
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    seen = b""

    def pump(timeout: float) -> bool:
        nonlocal seen
        r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            return True
        try:
            data = os.read(fd, 65536)
        except OSError:
            return False
        if not data:
            return False
        seen += data
        return True

    status = 0
    for step in steps:
        if "send" in step:
            os.write(fd, step["send"].encode())
            continue
        deadline = time.time() + float(step.get("timeout", 20))
        want = step["expect"].encode()
        start = len(seen) if step.get("new") else 0
        while want not in seen[start:]:
            if time.time() > deadline:
                status = 90
                break
            if not pump(0.1):
                break
        if status:
            break
    end = time.time() + 15
    exit_code = None
    while time.time() < end:
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            exit_code = os.waitstatus_to_exitcode(st)
            break
        if not pump(0.1):
            time.sleep(0.05)
    if exit_code is None:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        exit_code = 91
    sys.stdout.write(seen.decode("utf-8", "replace"))
    return status or exit_code


if __name__ == "__main__":
    sys.exit(main())
