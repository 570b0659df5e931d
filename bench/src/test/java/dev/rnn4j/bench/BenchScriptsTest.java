package dev.rnn4j.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the Python tests of the comparison scripts beside the JMH suite ({@code bench/src/test/python}: grid_report.py's
 * tables and allocation flags, pytorch_bench.py's options and tcmalloc handling, run_grid.sh's early checks). They need
 * only Python's standard library, not torch; skipped where no python3 is installed.
 */
class BenchScriptsTest {
    @Test
    void pythonTestsOfTheScriptsPass() throws IOException, InterruptedException {
        String python = python();
        assumeTrue(python != null, "no python3 to run bench/src/test/python with");
        Path tests = Path.of("src", "test", "python").toAbsolutePath();
        assertTrue(Files.isDirectory(tests), tests + " (the tests run from the bench module's directory)");
        Process process = new ProcessBuilder(List.of(python, "-m", "unittest", "discover", "-s", tests.toString(), "-v"))
                .redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "the Python tests did not end within 5 minutes");
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), text);
        assertTrue(text.contains("OK"), text);
    }

    /** $PYTHON, else /usr/bin/python3 (what run_grid.sh uses), else python3 on the PATH; null if none runs. */
    private static String python() throws InterruptedException {
        String configured = System.getenv("PYTHON");
        for (String candidate : configured != null ? List.of(configured) : List.of("/usr/bin/python3", "python3")) {
            try {
                Process p = new ProcessBuilder(candidate, "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) return candidate;
            } catch (IOException e) {
                // not installed: try the next
            }
        }
        return null;
    }
}
