package dev.rnn4j.io;

import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.optim.Optimizer;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A training checkpoint: a {@link SequenceModelFile} (the model's parameters, the optimizer's state and step
 * count, spec and provenance) plus what the trainer needs to continue exactly where it stopped:
 * <ul>
 *   <li>metadata {@code checkpoint_version} = {@code "1"}, {@code train_config} (the training settings as JSON)
 *       and {@code training_state} (counters, position in the data, scheduler and early-stopping state as JSON);</li>
 *   <li>F32 tensors under {@code "training/<name>"} (e.g. the best parameters so far, a carried recurrent state).</li>
 * </ul>
 * This class stores and checks the container; the meaning of the JSON and the tensors belongs to
 * {@code dev.rnn4j.train.Trainer}. The file is written atomically (readers see the previous checkpoint or the
 * complete new one), and loads with {@link SequenceModelFile#load} as a model file too.
 */
public final class TrainingCheckpoint {
    /** The name of the (latest) checkpoint in a checkpoint directory. */
    public static final String FILE_NAME = "checkpoint.rnn4j";
    /** The version this code writes and the newest it reads. */
    public static final int CHECKPOINT_VERSION = 1;

    private TrainingCheckpoint() {}

    /**
     * A checkpoint's contents.
     *
     * @param model         the model file part: model, provenance, optimizer state
     * @param trainConfig   the {@code train_config} JSON
     * @param trainingState the {@code training_state} JSON
     * @param tensors       the {@code "training/"} tensors, keyed without the prefix, in file order
     */
    public record Contents(SequenceModelFile.Loaded model, String trainConfig, String trainingState, Map<String, float[]> tensors) {}

    /**
     * Writes a checkpoint atomically.
     *
     * @param tensors extra F32 tensors, stored 1-D under {@code "training/<key>"}; may be empty
     * @throws ModelFileException if it cannot be written, or a value is NaN or infinite
     */
    public static void write(Path file, SequenceModel model, TrainingProvenance provenance, Optimizer optimizer, String trainConfig,
                             String trainingState, Map<String, float[]> tensors) {
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(trainConfig, "trainConfig");
        Objects.requireNonNull(trainingState, "trainingState");
        SafetensorsWriter writer = SequenceModelFile.writer(model, file, provenance, optimizer)
                .metadata("checkpoint_version", Integer.toString(CHECKPOINT_VERSION))
                .metadata("train_config", trainConfig)
                .metadata("training_state", trainingState);
        for (Map.Entry<String, float[]> e : tensors.entrySet()) {
            String name = SequenceModelFile.TRAINING_PREFIX + e.getKey();
            Tensors.putFinite(writer, file, "tensor '" + name + "'", name, e.getValue(), new long[] {e.getValue().length});
        }
        writer.write(file);
    }

    /**
     * Reads and checks a checkpoint.
     *
     * @throws ModelFileException naming the file and the key or tensor at fault, also when the file is a model file
     *                            but not a checkpoint
     */
    public static Contents read(Path file) {
        SafetensorsFile st = SafetensorsFile.read(file);
        SequenceModelFile.Loaded loaded = SequenceModelFile.read(st);
        String source = st.source();
        Map<String, String> meta = st.metadata();
        String version = meta.get("checkpoint_version");
        if (version == null) throw new ModelFileException(source + ": a model file, not a training checkpoint: metadata 'checkpoint_version' is missing");
        int v = FileFormat.integer(source, "checkpoint_version", version, Integer::parseInt);
        if (v < 1 || v > CHECKPOINT_VERSION) {
            throw new ModelFileException(source + ": checkpoint version " + v + " is not supported; this rnn4j (" + Provenance.RNN4J_VERSION
                    + ") reads 1.." + CHECKPOINT_VERSION);
        }
        if (loaded.optimizerStepCount() == null) throw new ModelFileException(source + ": the checkpoint has no optimizer state");
        String config = FileFormat.required(source, meta, "train_config");
        String state = FileFormat.required(source, meta, "training_state");
        Map<String, float[]> tensors = new LinkedHashMap<>();
        for (String name : st.names()) {
            if (!name.startsWith(SequenceModelFile.TRAINING_PREFIX)) continue;
            float[] values = Tensors.readF32(st, name, st.shape(name));
            tensors.put(name.substring(SequenceModelFile.TRAINING_PREFIX.length()), values);
        }
        return new Contents(loaded, config, state, Collections.unmodifiableMap(tensors));
    }
}
