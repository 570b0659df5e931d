package dev.rnn4j.data.synthetic;

import java.util.Locale;

/** The memory tasks {@link MemoryTaskRun} trains on: the {@link AddingProblem} and the {@link CopyTask}. */
public enum MemoryTask {
    /** T random numbers, two of them marked; predict their sum. Scored by mean squared error. */
    ADDING("mse", 2),
    /** Memorise a few symbols, reproduce them after T blank steps. Scored by cross-entropy. */
    COPY("cross_entropy", 1);

    private final String metricName;
    private final int minLength;

    MemoryTask(String metricName, int minLength) {
        this.metricName = metricName;
        this.minLength = minLength;
    }

    /** What the task's loss measures, as the metrics' keys name it: {@code test_<metric>}, {@code baseline_<metric>}. */
    public String metricName() {
        return metricName;
    }

    /** The shortest length the task takes: the adding problem marks one number in each half, so T >= 2. */
    public int minLength() {
        return minLength;
    }

    /** The name the metrics and the command line use: "adding", "copy". */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
