package dev.rnn4j.io;

import dev.rnn4j.model.SequenceModel;

import java.util.Map;
import java.util.Objects;

/**
 * A trained model with everything needed to go from a user's raw data to the model's inputs and from its outputs
 * back to the user's units: the task it was trained for and that task's preprocessing (scalers, transforms, window,
 * column names; later vocabularies, class names, audio feature settings), its scores, and its provenance.
 * {@link BundleFile} stores it in one file.
 *
 * @param model         the network, embedding and head
 * @param task          the task kind, e.g. {@code "forecast"}; readers check it before they interpret the rest
 * @param preprocessing the task's settings and fitted statistics, as a JSON object tree ({@link Json#parseObject}
 *                      maps: numbers are Long or Double, arrays are lists)
 * @param metrics       the scores measured when it was trained (may be empty)
 * @param provenance    the command line, settings, seed, data fingerprint and rnn4j version; may be null
 */
public record ModelBundle(SequenceModel model, String task, Map<String, Object> preprocessing, Map<String, Object> metrics,
                          TrainingProvenance provenance) {
    public ModelBundle {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(task, "task");
        if (task.isBlank()) throw new IllegalArgumentException("a bundle's task must not be blank");
        preprocessing = preprocessing == null ? Map.of() : preprocessing;
        metrics = metrics == null ? Map.of() : metrics;
    }
}
