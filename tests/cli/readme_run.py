#!/usr/bin/env python3
"""readme_run.py README BINDIR DATADIR: README runs as a script, on kbroker.

Every command of README's ```sh blocks runs in order (continuations joined, comments kept for
what they document) in one directory holding the data files README names, against a kbroker
this script starts, with the topics README's examples read but never write seeded first
(orders, payments, accounts, limits, users_by_id). A command that README shows running until
interrupted gets SIGTERM, as a user's Ctrl-C, and must then stop cleanly: once it has caught up
(its stderr is a terminal, so the tools show their running counts; SIGTERM when every tool's
counts stayed the same for a second and it has written something), else after RUN_SECONDS.

Each step passes when its exit status is the one its comment documents ("exit N", default 0)
and it produced something: lines on stdout, or records written ("N out" with N > 0 in its
summary), or an admin tool's report on stderr. Setup commands (scripts/..., cmake, bench/) are
not run: they build and test this very tree. Prints one line per step; exits 1 if any failed.
"""
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tty

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "smoke"))
from doc_blocks import sh_commands  # noqa: E402

readme, bindir, datadir = (os.path.abspath(a) for a in sys.argv[1:4])
RUN_SECONDS = 6  # what a command that runs until interrupted gets before its SIGTERM
SETUP = re.compile(r"^(scripts/|cmake |bench/)")


def commands(text):
    return [line for line in sh_commands(text) if not SETUP.match(line)]


def documented_exit(line):
    m = re.search(r"#.*\bexit (\d+)", line)
    return int(m.group(1)) if m else 0


work = tempfile.mkdtemp(prefix="ktools-readme-")
env = dict(os.environ)
env["PATH"] = bindir + os.pathsep + env["PATH"]
env["XDG_RUNTIME_DIR"] = os.path.join(work, "run")
env["XDG_STATE_HOME"] = os.path.join(work, "state")
env.pop("KT_CONFIG", None)
os.makedirs(env["XDG_RUNTIME_DIR"])
for name in os.listdir(datadir):
    src = os.path.join(datadir, name)
    if os.path.isdir(src):  # avro/ and its schemas
        shutil.copytree(src, os.path.join(work, name))
    else:
        shutil.copy(src, work)
# README's data files: the click events as README names them.
shutil.copy(os.path.join(datadir, "clickevents.ndjson"), os.path.join(work, "clickevents.ndjson"))

background = []
addr = os.path.join(work, "kb")
background.append(subprocess.Popen([os.path.join(bindir, "kbroker"), "--addr-file", addr, "-q"], env=env,
                                   stdout=subprocess.DEVNULL, start_new_session=True))
for _ in range(100):
    if os.path.exists(addr) and open(addr).read().strip():
        break
    time.sleep(0.1)
env["KT_BROKERS"] = open(addr).read().strip()


def sh(cmd, timeout=None):
    p = subprocess.Popen(["bash", "-c", cmd], cwd=work, env=env, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace",
                         start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
        return p.returncode, out, err, False
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGTERM)  # Ctrl-C's effect: the whole pipeline
        try:
            out, err = p.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            out, err = p.communicate()
        return p.returncode, out, err, True


PROGRESS = re.compile(r"(\w+): (\d+) in, (\d+) out")
IDLE_SECONDS = 1.0


def shown(raw):
    """What a terminal shows of a stderr with progress lines: each line's text after its last \\r."""
    text = raw.decode(errors="replace").replace("\x1b[K", "")
    return "\n".join(line.rsplit("\r", 1)[-1] for line in text.split("\n"))


def run_step(cmd, limit):
    """Runs a step with stderr on a terminal; SIGTERM once caught up (see above) or at limit."""
    master, slave = pty.openpty()
    tty.setraw(slave)  # no \n -> \r\n
    p = subprocess.Popen(["bash", "-c", cmd], cwd=work, env=env, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=slave, start_new_session=True)
    os.close(slave)
    start = time.monotonic()
    out, err = bytearray(), bytearray()
    counts = {}  # tool -> ((in, out), when they last changed)
    stopped_at = None
    open_fds = {p.stdout.fileno(): out, master: err}
    while open_fds:
        ready, _, _ = select.select(list(open_fds), [], [], 0.1)
        for fd in ready:
            try:
                data = os.read(fd, 65536)
            except OSError:  # the terminal's last writer is gone
                data = b""
            if not data:
                del open_fds[fd]
                continue
            open_fds[fd] += data
            if fd == master:  # each tool's latest counts, read whole from what came so far
                now = time.monotonic()
                latest = {m.group(1): (int(m.group(2)), int(m.group(3)))
                          for m in PROGRESS.finditer(err[-4096:].decode(errors="replace"))}
                for tool, seen in latest.items():
                    if counts.get(tool, (None,))[0] != seen:
                        counts[tool] = (seen, now)
        now = time.monotonic()
        if stopped_at is None and p.poll() is None:
            wrote = out.strip() or any(c[0][1] > 0 for c in counts.values())
            idle = counts and all(now - c[1] >= IDLE_SECONDS for c in counts.values())
            if (wrote and idle) or now - start >= limit:
                os.killpg(p.pid, signal.SIGTERM)  # Ctrl-C's effect: the whole pipeline
                stopped_at = now
        elif stopped_at is not None and now - stopped_at > 30 and p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
    os.close(master)
    p.wait()
    return p.returncode, out.decode(errors="replace"), shown(err), stopped_at and stopped_at - start


# Topics README's examples read and no example writes.
seed = r"""
for i in $(seq 1 50); do
  printf '{"key":"o%d","value":{"order":%d,"amount":%d},"timestamp":%d}\n' $i $i $((i * 3)) $((1795165200000 + i * 1000))
done | kproduce orders -J -q
for i in $(seq 1 50 | awk 'NR % 2'); do
  printf '{"key":"o%d","value":{"paid":%d},"timestamp":%d}\n' $i $((i * 3)) $((1795165200000 + i * 1000 + 30000))
done | kproduce payments -J -q
printf '{"key":"a%d","value":{"owner":"a%d"},"timestamp":1}\n' 1 1 2 2 3 3 | kproduce accounts -J -q
printf '{"key":"a%d","value":{"limit":%d},"timestamp":2}\n' 1 100 3 300 4 400 | kproduce limits -J -q
jq -r .email clickevents.ndjson | sort -u | awk '{printf "{\"key\":\"id-%d\",\"value\":{\"email\":\"%s\",\"tier\":\"gold\"},\"timestamp\":1}\n", NR, $1}' |
  kproduce users_by_id -J -q
"""


def cleanup():
    # The last started first: a tool stopped after its broker waits out its commit's timeout (45 s).
    for p in reversed(background):
        try:
            os.killpg(p.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        p.wait()
    shutil.rmtree(work, ignore_errors=True)


rc, out, err, _ = sh(seed, timeout=60)
if rc != 0:
    print("readme: seeding failed: " + err)
    cleanup()
    sys.exit(1)

failed = 0
# README's files under /tmp (kbroker's --addr-file) go to this run's directory instead: two runs
# at once would share them, and the test would leave them behind.
steps = [line.replace("/tmp/", work + "/") for line in commands(open(readme).read())]
for n, line in enumerate(steps, 1):
    sys.stdout.flush()
    cmd = re.sub(r"\s+#[^'\"]*$", "", line)  # the comment documents; it does not run
    want = documented_exit(line)
    if cmd.endswith("&"):  # a server README starts in the background (kbroker)
        p = subprocess.Popen(["bash", "-c", cmd[:-1]], cwd=work, env=env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        background.append(p)
        time.sleep(0.5)
        print(f"ok {n} (started) {cmd}")
        continue
    m = re.match(r"^export (\w+)=(.*)$", cmd)
    if m:
        rc, out, err, _ = sh(f"printf %s {m.group(2)}", timeout=10)
        env[m.group(1)] = out
        print(f"ok {n} (exported {m.group(1)}={out}) {cmd}")
        continue
    rc, out, err, stopped = run_step(cmd, RUN_SECONDS)
    wrote = re.search(r"\b[1-9]\d* out\b", err) is not None
    reported = re.search(r"created topic|exists already|dry run|moved the offsets|deleted|"
                         r"wrote [1-9]\d* state changes", err) is not None
    produced = bool(out.strip()) or wrote or reported or want != 0
    ok = rc == want and produced
    how = "stopped after %.1fs, " % stopped if stopped else ""
    print(f"{'ok' if ok else 'FAILED'} {n} ({how}exit {rc}, {len(out.splitlines())} lines) {cmd}")
    if not ok:
        failed += 1
        why = f"exit {rc}, documented {want}" if rc != want else "no output, no records written"
        print(f"    {why}; stderr: {err.strip()[-600:]}")

cleanup()
print(f"readme: {len(steps)} steps, {failed} failed")
sys.exit(1 if failed else 0)
