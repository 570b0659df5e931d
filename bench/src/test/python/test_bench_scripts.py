"""Tests of the benchmark scripts beside the JMH suite: bench/grid_report.py (the report's tables, the sgemm fractions,
the allocation flags), bench/pytorch_bench.py's options, FLOP counts and tcmalloc handling (without importing torch),
and run_grid.sh's checks that stop it before it runs anything. Standard library only; run by BenchScriptsTest, or

    python3 -m unittest discover -s bench/src/test/python -v
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest
from unittest import mock

BENCH = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, BENCH)

import grid_report  # noqa: E402
import pytorch_bench  # noqa: E402


def ours(grid, mode, threads=1, layers=1, dropout=0.0, seq_len=100, batch=64, alloc=0.0, gflops=100.0, ms=10.0):
    r = {"impl": "rnn4j", "cell": "lstm", "mode": mode, "input_size": 64, "hidden_size": 256, "seq_len": seq_len,
         "batch": batch, "layers": layers, "dropout": dropout, "threads": threads, "gflops": gflops,
         "peak_rss_mb": 300.0, "alloc_bytes_per_step": alloc, "alloc_scope": "all threads", "grid": grid,
         "variant": "rnn4j"}
    unit = "us" if mode == "stream" else "ms"
    r[unit + "_per_step"] = ms
    r[unit + "_min"] = ms * 0.9
    if mode == "serve":
        r["ms_per_sequence"] = ms / batch
        r["ms_per_sequence_min"] = ms * 0.9 / batch
    return r


def theirs(row, variant="SkylakeX", factor=2.0, gflops=50.0):
    r = dict(row)
    r.update({"impl": "pytorch", "variant": variant, "gflops": gflops, "blas_core": "SkylakeX", "allocator": "tcmalloc"})
    for k in ("ms_per_step", "ms_min", "us_per_step", "us_min", "ms_per_sequence", "ms_per_sequence_min"):
        if k in r:
            r[k] = r[k] * factor
    for k in ("alloc_bytes_per_step", "alloc_scope"):
        r.pop(k, None)
    return r


def sgemm(threads, gflops, when, variant="SkylakeX"):
    return {"impl": "pytorch", "mode": "sgemm", "n": 2048, "threads": threads, "ms_per_step": 100.0, "gflops": gflops,
            "blas_core": "SkylakeX", "allocator": "tcmalloc", "grid": "sgemm-2048", "variant": variant, "when": when}


def table(text, title_start):
    """The cells of the markdown table that starts at, or follows, the first line starting with title_start."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title_start))
    rows = []
    for line in lines[start if title_start.startswith("|") else start + 1:]:
        if line.startswith("|"):
            rows.append([c.strip() for c in line.strip("|").split("|")])
        elif rows:
            break
    return rows


class GridReportTest(unittest.TestCase):
    def setUp(self):
        train = ours("lstm2-train-M", "train", layers=2, dropout=0.2, alloc=2000.0, gflops=80.0)        # 20 B/time step
        infer2 = ours("lstm-infer-M", "infer", threads=2, alloc=42000.0, gflops=120.0)                  # 420 B/time step
        serve = ours("serve-B1", "serve", batch=1, alloc=400.0, ms=2.0, gflops=40.0)
        stream = ours("lstm-stream", "stream", seq_len=50, batch=1, alloc=0.0, ms=5.0, gflops=20.0)
        stream_alloc = ours("lstm-stream", "stream", threads=2, seq_len=50, batch=1, alloc=96.0, ms=5.0, gflops=20.0)
        self.rows = [sgemm(1, 150.0, "before"), sgemm(2, 300.0, "before")]
        for r in (train, infer2, serve, stream, stream_alloc):
            self.rows += [r, theirs(r)]
        self.rows += [sgemm(1, 160.0, "after"), sgemm(2, 280.0, "after")]
        self.text = grid_report.render(self.rows, ["SkylakeX"], machine="a machine", run="now")

    def test_main_table_shows_stacked_cells_and_fractions_of_the_higher_sgemm(self):
        rows = table(self.text, "| config")
        header = rows[0]
        self.assertIn("rnn4j / sgemm 2048³ (SkylakeX)", header)
        body = {(r[0], r[1], r[2], r[7]): r for r in rows[2:]}
        train = body[("M", "lstm x2, dropout 0.2", "train", "1")]
        self.assertEqual("**2.00**", train[header.index("PyTorch / rnn4j")])
        self.assertEqual("0.50", train[header.index("rnn4j / sgemm 2048³ (SkylakeX)")])     # 80 / max(150, 160)
        infer = body[("M", "lstm", "infer", "2")]
        self.assertEqual("0.40", infer[header.index("rnn4j / sgemm 2048³ (SkylakeX)")])     # 120 / max(300, 280)
        self.assertNotIn(("-", "lstm", "serve", "1"), body, "serving rows have their own table")

    def test_sgemm_table_has_both_measurements(self):
        rows = table(self.text, "OpenBLAS sgemm 2048³")
        self.assertEqual(["threads", "SkylakeX, before", "SkylakeX, after"], rows[0])
        self.assertEqual(["1", "150", "160"], rows[2])
        self.assertEqual(["2", "300", "280"], rows[3])

    def test_serving_table_is_in_ms_per_sequence(self):
        rows = table(self.text, "Serving latency")
        header = rows[0]
        line = rows[2]
        self.assertEqual("1", line[header.index("B")])
        self.assertEqual("2", line[header.index("rnn4j ms/seq")])
        self.assertEqual("4", line[header.index("PyTorch (SkylakeX) ms/seq")])
        self.assertEqual("**2.00**", line[header.index("PyTorch / rnn4j")])

    def test_rows_allocating_more_than_64_bytes_per_time_step_are_flagged(self):
        rows = table(self.text, "Heap allocated by rnn4j")
        flags = {(r[2], r[5]): (r[7], r[8]) for r in rows[2:]}
        self.assertEqual(("20.0", ""), flags[("train", "1")])            # result records of a pass: fine
        self.assertEqual(("420.0", "**allocates**"), flags[("infer", "2")])
        self.assertEqual(("4.0", ""), flags[("serve", "1")])
        self.assertEqual(("0.0", ""), flags[("stream", "1")])
        self.assertEqual(("96.0", "**allocates**"), flags[("stream", "2")])   # a call is one time step
        self.assertIn("**2 of 5 rows allocate** more than 64 bytes per time step: lstm-infer-M at 2 threads, "
                      "lstm-stream at 2 threads.", self.text)

    def test_the_threshold_can_be_changed(self):
        text = grid_report.render(self.rows, ["SkylakeX"], alloc_threshold=500)
        self.assertIn("No row allocates more than 500 bytes per time step.", text)

    def test_records_the_allocator_pytorch_ran_with(self):
        self.assertIn("PyTorch's allocator (read from each process's mapped libraries): tcmalloc.", self.text)

    def test_older_json_without_sgemm_or_allocation_still_renders(self):
        old = [r for r in self.rows if r.get("mode") != "sgemm"]
        for r in old:
            for k in ("alloc_bytes_per_step", "layers", "dropout"):
                r.pop(k, None)
        text = grid_report.render(old, ["SkylakeX"])
        self.assertNotIn("sgemm 2048", text.split("Times are medians")[0])
        self.assertNotIn("Heap allocated by rnn4j", text)
        self.assertIn("| M | lstm | infer |", text)

    def test_command_line_writes_the_report(self):
        with tempfile.TemporaryDirectory() as d:
            jsonl, out = os.path.join(d, "grid.jsonl"), os.path.join(d, "grid.md")
            with open(jsonl, "w") as f:
                f.write("\n".join(json.dumps(r) for r in self.rows) + "\n")
            done = subprocess.run([sys.executable, os.path.join(BENCH, "grid_report.py"), jsonl, out, "--variants", "SkylakeX"],
                                  capture_output=True, text=True)
            self.assertEqual(0, done.returncode, done.stderr)
            with open(out) as f:
                self.assertEqual(done.stdout, f.read())
            self.assertIn("Serving latency", done.stdout)


class PytorchBenchTest(unittest.TestCase):
    def args(self, *argv):
        return pytorch_bench.parse_args(list(argv))

    def test_flops_count_every_layer_and_the_sgemm(self):
        a = self.args("--mode", "infer", "--input-size", "3", "--hidden-size", "5", "--seq-len", "4", "--batch", "2",
                      "--layers", "2", "--dropout", "0.2")
        self.assertEqual(2.0 * 4 * 2 * 20 * 8 + 2.0 * 4 * 2 * 20 * 10, pytorch_bench.flops_per_step(a))
        a.mode = "train"
        self.assertEqual(3 * (2.0 * 4 * 2 * 20 * 8 + 2.0 * 4 * 2 * 20 * 10), pytorch_bench.flops_per_step(a))
        self.assertEqual(2.0 * 2048 ** 3, pytorch_bench.flops_per_step(self.args("--mode", "sgemm")))

    def test_dropout_needs_layers_and_stream_one_cell(self):
        with mock.patch("sys.stderr"):
            with self.assertRaises(SystemExit):
                self.args("--dropout", "0.2")
            with self.assertRaises(SystemExit):
                self.args("--mode", "stream", "--layers", "2")
            with self.assertRaises(SystemExit):
                self.args("--layers", "2", "--dropout", "1")

    def test_missing_tcmalloc_says_how_to_install_it(self):
        with mock.patch.object(pytorch_bench, "loaded_allocator", return_value="glibc"), \
                mock.patch.object(pytorch_bench, "find_tcmalloc", return_value=None), \
                mock.patch.dict(os.environ, {}, clear=False):
            os.environ.pop(pytorch_bench.REEXEC_MARK, None)
            with self.assertRaises(SystemExit) as e:
                pytorch_bench.ensure_tcmalloc([])
        self.assertIn("apt-get install google-perftools", str(e.exception.code))

    def test_starts_again_with_tcmalloc_preloaded(self):
        with mock.patch.object(pytorch_bench, "loaded_allocator", return_value="glibc"), \
                mock.patch.object(pytorch_bench, "find_tcmalloc", return_value="/lib/x/libtcmalloc_minimal.so.4"), \
                mock.patch.dict(os.environ, {"LD_PRELOAD": "/other.so"}, clear=False), \
                mock.patch("os.execve") as execve:
            os.environ.pop(pytorch_bench.REEXEC_MARK, None)
            pytorch_bench.ensure_tcmalloc(["--mode", "infer"])
        path, argv, env = execve.call_args[0]
        self.assertEqual(sys.executable, path)
        self.assertEqual(["--mode", "infer"], argv[-2:])
        self.assertEqual("/lib/x/libtcmalloc_minimal.so.4:/other.so", env["LD_PRELOAD"])
        self.assertEqual("1", env[pytorch_bench.REEXEC_MARK])

    def test_a_preload_that_did_not_take_is_an_error_not_a_loop(self):
        with mock.patch.object(pytorch_bench, "loaded_allocator", return_value="glibc"), \
                mock.patch.dict(os.environ, {pytorch_bench.REEXEC_MARK: "1"}, clear=False), \
                mock.patch("os.execve") as execve:
            with self.assertRaises(SystemExit) as e:
                pytorch_bench.ensure_tcmalloc([])
        execve.assert_not_called()
        self.assertIn("did not load tcmalloc", str(e.exception.code))

    def test_nothing_to_do_when_tcmalloc_is_loaded(self):
        with mock.patch.object(pytorch_bench, "loaded_allocator", return_value="tcmalloc"), mock.patch("os.execve") as execve:
            pytorch_bench.ensure_tcmalloc([])
        execve.assert_not_called()

    def test_reads_the_allocator_of_this_process(self):
        self.assertIn(pytorch_bench.loaded_allocator(), ("glibc", "tcmalloc", "jemalloc"))


class RunGridChecksTest(unittest.TestCase):
    """What run_grid.sh refuses before it runs anything (no build, no benchmark)."""

    def run_grid(self, *args, env=None):
        return subprocess.run(["bash", os.path.join(BENCH, "run_grid.sh")] + list(args), capture_output=True, text=True,
                              env=dict(os.environ, **(env or {})), timeout=60)

    def test_missing_tcmalloc_stops_it_with_the_package_to_install(self):
        done = self.run_grid(env={"TCMALLOC": "/nonexistent/libtcmalloc_minimal.so.4"})
        self.assertEqual(1, done.returncode)
        self.assertIn("apt-get install google-perftools", done.stderr)

    def test_an_unknown_row_is_named(self):
        done = self.run_grid("--only", "lstm2-train-M serve-B3")
        self.assertEqual(2, done.returncode)
        self.assertIn("no row named 'serve-B3'", done.stderr)
        for row in ("lstm2-train-M", "lstm2-infer-M", "serve-B1", "serve-B8", "lstm-stream"):
            self.assertIn(" " + row + " ", done.stderr)

    def test_help_lists_the_rows_and_options(self):
        done = self.run_grid("--help")
        self.assertEqual(0, done.returncode)
        for word in ("lstm2-train-M", "serve-B1", "serve-B8", "--peer-allocator", "--sgemm-size"):
            self.assertIn(word, done.stdout)


if __name__ == "__main__":
    unittest.main()
