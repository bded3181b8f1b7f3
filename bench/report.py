"""What the benchmark reports share (bench/elasticsearch.sh, bench/replay.sh).

The scripts time each run into TMP/NAME.times ("wall user sys maxrss_kb",
one line a run) and, for an output into a test server, what the server
counted and its CPU seconds during the run into TMP/NAME.server ("count
cpu").  Each column is reported as its median over the runs.
Python 3 standard library only.
"""

import statistics
import sys

med = statistics.median


def times(tmp, name, count):
    """(wall s, CPU s, peak RSS MiB, count / wall) of the runs of NAME."""
    runs = [list(map(float, line.split())) for line in open(f"{tmp}/{name}.times")]
    wall, user, sys_, rss = (med(c) for c in zip(*runs))
    return wall, user + sys_, rss / 1024, count / wall


def server_cpu(tmp, name, count, counted):
    """The server's CPU seconds in the runs of NAME; in each, it must have
    counted count (else CHECK FAILED and exit 2).  counted says what, as
    "stored %s documents"."""
    runs = [line.split() for line in open(f"{tmp}/{name}.server")]
    bad = [int(n) for n, _ in runs if int(n) != count]
    if bad:
        print("CHECK FAILED: the server %s in a run of %s, not %d" % (counted % bad, name, count))
        sys.exit(2)
    return med(float(c) for _, c in runs)


def outputs_table(tmp, count, outputs, unit, counted, label_width, server_width):
    """Prints the table of outputs ((name, label), ...): the file output
    first, then those into the test server, which must have counted count
    in every run (server_cpu); times and CPU against the file output's, and
    the server's CPU.  Returns the rows (times) by name."""
    rows = {name: times(tmp, name, count) for name, _ in outputs}
    server = {name: server_cpu(tmp, name, count, counted) for name, _ in outputs[1:]}
    fcpu = rows[outputs[0][0]][1]
    print("%-*s %8s %8s %13s %10s %9s %*s" % (label_width, "output", "wall s", "CPU s",
          "peak RSS MiB", unit + "/s", "CPU/file", server_width, "server CPU s"))
    for name, label in outputs:
        wall, cpu, rss, eps = rows[name]
        print("%-*s %8.3f %8.3f %13.1f %10.0f %9.2f %*s" % (label_width, label, wall, cpu, rss,
              eps, cpu / fcpu, server_width, "%.3f" % server[name] if name in server else "-"))
    return rows
