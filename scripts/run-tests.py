#!/usr/bin/env python3
"""Runs the XCTest suite in parallel and checks that it leaves nothing behind.

    scripts/run-tests.py [--layer all|unit] [--workers N] [--binary PATH] [FILTER...]

Each item is one test, or one whole class where the class shares a fixture between its tests (`override class func
setUp`); items run as separate processes of the test binary, the longest first (Tests/test-times.tsv: seconds per
item as last measured, written with --record), on N workers (ATMO_TEST_WORKERS, default twice the cores: most tests
wait on servers and child processes, not on a core).

The unit layer is every test of a class that Tests/layers.txt does not name as end-to-end (those start servers, peers,
tmux or the binary); a unit test that starts a child process fails (TestSupport refuses under ATMO_TEST_LAYER=unit),
so the list cannot go stale silently.

Every test process keeps its scratch files in its own folder inside this run's folder (ATMO_TEST_RUN), which it
removes when it exits; the run's folder also holds what tests share (a demo CA, an Atmosphere install per
generation). ATMO_TIMESCALE (default 0.1) shrinks the demo cloud's simulated waits. After the suite, a process still
running with this run's ATMO_TEST_RUN (after 10 s of grace; then killed), and anything new in TMPDIR, the working tree
or HOME (other than the peers' venvs in
~/.cache/atmo-connect) is litter: it is listed and the run fails. The last line is "N passed, N failed".
"""
import argparse
import concurrent.futures
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIMES = os.path.join(ROOT, "Tests", "test-times.tsv")
LAYERS = os.path.join(ROOT, "Tests", "layers.txt")
RESULT = re.compile(r"^Test Case '([^']+)' (passed|failed|skipped) \(([0-9.]+) seconds\)", re.M)


def listed_tests(binary):
    output = subprocess.run([binary, "--list-tests"], capture_output=True, text=True, check=True).stdout
    return [line.strip() for line in output.splitlines() if re.match(r"^\w+\.\w+/\w+$", line.strip())]


def shared_fixture_classes():
    """Classes whose tests share a class-level fixture: they run whole, in one process."""
    classes = set()
    for folder, _, files in os.walk(os.path.join(ROOT, "Tests")):
        for name in files:
            if not name.endswith(".swift"):
                continue
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                text = handle.read()
            current = None
            for line in text.splitlines():
                declared = re.match(r"\s*(?:final\s+)?class\s+(\w+)\s*:", line)
                if declared:
                    current = declared.group(1)
                if current and re.search(r"override\s+class\s+func\s+(setUp|tearDown)\b", line):
                    classes.add(current)
    return classes


def end_to_end_classes():
    with open(LAYERS, encoding="utf-8") as handle:
        return {line.split("#")[0].strip() for line in handle if line.split("#")[0].strip()}


def read_times():
    times = {}
    if os.path.exists(TIMES):
        with open(TIMES, encoding="utf-8") as handle:
            for line in handle:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 2 and not line.startswith("#"):
                    times[parts[0]] = float(parts[1])
    return times


def snapshot(run_folder):
    """What exists now in the places a test run must leave as it found them."""
    temporary = tempfile.gettempdir()
    home = os.path.expanduser("~")
    entries = set()
    for path in os.listdir(temporary):
        full = os.path.join(temporary, path)
        if full != run_folder:
            entries.add(("TMPDIR", full))
    for path in os.listdir(home):
        entries.add(("HOME", os.path.join(home, path)))
    for path in [os.path.join(home, ".local", "state", "atmo-connect"), os.path.join(home, ".config", "atmo-connect")]:
        if os.path.exists(path):
            for name in os.listdir(path):
                entries.add(("HOME", os.path.join(path, name)))
    untracked = subprocess.run(
        ["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=all"], capture_output=True, text=True).stdout
    for line in untracked.splitlines():
        if line.startswith("??"):
            entries.add(("working tree", os.path.join(ROOT, line[3:])))
    return entries


def running_processes(run_folder, grace=10):
    """The processes still alive (not zombies) that carry this run's ATMO_TEST_RUN in their environment: every child a
    test started, and theirs, inherit it. Each gets `grace` seconds to end (a peer stopping its services), then is listed
    and killed, so that a failed run leaves nothing running either."""
    marker = ("ATMO_TEST_RUN=" + run_folder).encode()

    def alive():
        found = []
        for name in os.listdir("/proc"):
            if not name.isdigit() or int(name) == os.getpid():
                continue
            try:
                with open("/proc/%s/environ" % name, "rb") as handle:
                    if marker not in handle.read().split(b"\0"):
                        continue
                with open("/proc/%s/stat" % name) as handle:
                    if handle.read().rsplit(")", 1)[1].split()[0] == "Z":
                        continue
                with open("/proc/%s/cmdline" % name, "rb") as handle:
                    command = handle.read().replace(b"\0", b" ").decode(errors="replace").strip()[:200]
            except OSError:
                continue
            found.append((int(name), command))
        return found

    deadline = time.monotonic() + grace
    found = alive()
    while found and time.monotonic() < deadline:
        time.sleep(0.5)
        found = alive()
    for pid, _ in found:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    return found


def ours(entry):
    """Entries a test run may leave: nothing but what other programs (the Swift toolchain, pip) make on their own."""
    _, path = entry
    name = os.path.basename(path)
    return not (name.startswith("TemporaryDirectory.") or name.startswith("_root_.") or name == "swift-generated-sources"
                or name.startswith(".swiftpm") or name in (".cache", ".swiftpm", ".lesshst", ".python_history"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--layer", choices=["all", "unit"], default="all")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("ATMO_TEST_WORKERS", 2 * (os.cpu_count() or 1))))
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "debug", "atmo-connectPackageTests.xctest"))
    parser.add_argument("--record", action="store_true", help="write each item's time to Tests/test-times.tsv")
    parser.add_argument("--keep-going-on-litter", action="store_true", help="report litter without failing")
    parser.add_argument("filters", nargs="*", help="regular expressions on Target.Class/test; any match runs it")
    args = parser.parse_args()

    tests = listed_tests(args.binary)
    if not tests:
        sys.exit("run-tests: the test binary lists no test: %s" % args.binary)
    end_to_end = end_to_end_classes()
    classes = {test.split("/")[0].split(".")[1] for test in tests}
    unknown = sorted(end_to_end - classes)
    if unknown:
        sys.exit("run-tests: Tests/layers.txt names classes that do not exist: %s" % ", ".join(unknown))
    if args.layer == "unit":
        tests = [test for test in tests if test.split("/")[0].split(".")[1] not in end_to_end]
    if args.filters:
        tests = [test for test in tests if any(re.search(pattern, test) for pattern in args.filters)]
    whole = shared_fixture_classes()
    items = []
    for test in tests:
        target_class = test.split("/")[0]
        item = target_class if target_class.split(".")[1] in whole else test
        if item not in items:
            items.append(item)
    times = read_times()
    items.sort(key=lambda item: -times.get(item, 1.0))
    expected = len(tests)

    run_folder = tempfile.mkdtemp(prefix="atmo-test-run-")
    os.chmod(run_folder, 0o700)
    logs = os.path.join(run_folder, "logs")
    os.mkdir(logs)
    before = snapshot(run_folder)
    environment = dict(os.environ, ATMO_TEST_RUN=run_folder, ATMO_TEST_LAYER=args.layer)
    # The demo cloud's simulated waits (a server's build, a slow service) pass ten times faster; a test that needs a
    # long one sets it itself. The operator's binary reads no timescale.
    environment.setdefault("ATMO_TIMESCALE", "0.1")
    lock = threading.Lock()
    results = {}
    item_times = {}
    failures = []
    started = time.monotonic()
    done = [0]

    def run(item):
        selected = ",".join(test for test in tests if test == item or test.startswith(item + "/"))
        log = os.path.join(logs, re.sub(r"[^\w.-]", "_", item) + ".log")
        begun = time.monotonic()
        with open(log, "w") as handle:
            process = subprocess.run([args.binary, selected], stdout=handle, stderr=subprocess.STDOUT, env=environment, cwd=ROOT)
        elapsed = time.monotonic() - begun
        with open(log, encoding="utf-8", errors="replace") as handle:
            output = handle.read()
        found = {name.replace(".", "/", 1) if "/" not in name else name: state for name, state, _ in RESULT.findall(output)}
        with lock:
            done[0] += 1
            item_times[item] = elapsed
            wanted = selected.split(",")
            for test in wanted:
                short = test.split(".", 1)[1]
                state = found.get(short) or found.get(short.replace("/", "."))
                if state is None:
                    state = "failed"
                    output += "\n(no result for %s: the test process exited with status %d)\n" % (test, process.returncode)
                results[test] = state
            bad = [test for test in wanted if results[test] == "failed"] or ([item] if process.returncode != 0 else [])
            mark = "FAILED" if bad else "passed"
            print("[%d/%d] %s %s (%.1f s)" % (done[0], len(items), mark, item, elapsed), flush=True)
            if bad:
                failures.append(item)
                sys.stdout.write(output if output.endswith("\n") else output + "\n")
                sys.stdout.flush()

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.workers)) as pool:
        list(pool.map(run, items))
    wall = time.monotonic() - started

    left_running = running_processes(run_folder)
    for pid, command in left_running:
        print("litter: a process the run started is still running: %d %s" % (pid, command))
    for folder in os.listdir(run_folder):
        if folder.startswith("atmo-test-") and os.path.isdir(os.path.join(run_folder, folder)):
            print("litter: a test process left its folder %s" % os.path.join(run_folder, folder))
    shutil.rmtree(run_folder, ignore_errors=True)
    litter = sorted(entry for entry in snapshot(run_folder) - before if ours(entry))
    litter += [("processes", "%d %s" % process) for process in left_running]
    for place, path in litter:
        print("litter in %s: %s" % (place, path))

    if args.record and not args.filters and args.layer == "all":
        with open(TIMES, "w", encoding="utf-8") as handle:
            handle.write("# Seconds per test item as last measured (scripts/run-tests.py --record): the longest start first.\n")
            for item in sorted(item_times):
                handle.write("%s\t%.1f\n" % (item, item_times[item]))

    passed = sum(1 for state in results.values() if state == "passed")
    failed = sum(1 for state in results.values() if state == "failed")
    skipped = sum(1 for state in results.values() if state == "skipped")
    print("Ran %d tests of %d in %d processes on %d workers in %.1f s%s" % (
        len(results), expected, len(items), args.workers, wall, "; failed: " + ", ".join(failures) if failures else ""))
    clean = not litter or args.keep_going_on_litter
    if not clean:
        print("The run left %d entries behind (above): every test and everything it starts must remove what it makes." % len(litter))
    print("%d passed, %d failed%s" % (passed, failed, ", %d skipped" % skipped if skipped else ""))
    sys.exit(0 if failed == 0 and len(results) == expected and clean else 1)


if __name__ == "__main__":
    main()
