package dev.rnn4j.data.synthetic;

import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.train.TrainResult;

import java.util.Map;

/**
 * What a {@link MemoryTaskRun} produced.
 *
 * @param metrics the settings, {@code steps}, {@code seconds}, {@code test_<metric>}, {@code baseline_<metric>},
 *                {@code grad_norm_by_step} (||dL/dh_t|| on the test set for t = 1..T), the copy task's
 *                {@code test_recall_accuracy}, and {@code history} (one entry per validation), in that order,
 *                ready for {@link dev.rnn4j.io.Json#write}
 * @param model   the trained model (the last step's parameters)
 * @param train   how training ended; {@link TrainResult#interrupted()} after {@link MemoryTaskRun#stop()}
 */
public record MemoryTaskResult(MemoryTask task, Map<String, Object> metrics, SequenceModel model, TrainResult train) {

    /** The test score: mean squared error (adding) or cross-entropy (copy). */
    public double testScore() {
        return (Double) metrics.get("test_" + task.metricName());
    }

    /** What a model that remembers nothing scores on the test. */
    public double baseline() {
        return (Double) metrics.get("baseline_" + task.metricName());
    }

    public double seconds() {
        return (Double) metrics.get("seconds");
    }
}
