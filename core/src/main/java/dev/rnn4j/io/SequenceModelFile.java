package dev.rnn4j.io;

import dev.rnn4j.model.ModelSpec;
import dev.rnn4j.model.NamedBuffer;
import dev.rnn4j.model.NamedParameter;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.optim.Optimizer;
import dev.rnn4j.tensor.Buffer;
import dev.rnn4j.tensor.Parameter;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * rnn4j's file for a whole {@link SequenceModel} (embedding, recurrent network, head): one safetensors file that
 * any safetensors reader can open, holding
 * <ul>
 *   <li>every parameter, F32 in its shape, under its qualified name ({@code "embedding.weight"},
 *       {@code "rnn.weight_ih_l0"}, ..., {@code "head.bias"}; see {@link SequenceModel});</li>
 *   <li>every buffer likewise (batch normalisation's population statistics, {@code "rnn.bn_ih_running_mean_l0"}, ...;
 *       none for most models);</li>
 *   <li>optionally an optimizer's state, under {@code "optimizer/<qualified parameter name>/<slot>"} (e.g.
 *       {@code "optimizer/rnn.weight_hh_l0/exp_avg"}), each shaped like its parameter, with its step count in the
 *       metadata {@code optimizer_step_count} and its {@code toString()} in {@code optimizer};</li>
 *   <li>in {@code __metadata__}: {@code format} = {@code "rnn4j-sequence-model"}, {@code format_version} =
 *       {@code "1"}, {@code config}: the {@link ModelSpec} as JSON ({@link ModelSpec#toJson()}), and
 *       {@code provenance}: a {@link TrainingProvenance} as JSON.</li>
 * </ul>
 * Tensors under {@code "training/"} are reserved for {@link TrainingCheckpoint}, which extends this format; so a
 * checkpoint loads as a model file too.
 *
 * <p>Saving then loading gives back the same weights and optimizer state bit for bit. Loading checks everything
 * and names the file and the key or tensor at fault in a {@link ModelFileException}. Writes are atomic
 * ({@link SafetensorsWriter#write}).
 */
public final class SequenceModelFile {
    public static final String FORMAT = "rnn4j-sequence-model";
    /** The version this code writes and the newest it reads. Bump it when old readers could misread new files. */
    public static final int FORMAT_VERSION = 1;
    /** Prefix of optimizer-state tensors. */
    public static final String OPTIMIZER_PREFIX = "optimizer/";
    /** Prefix of tensors reserved for training checkpoints. */
    public static final String TRAINING_PREFIX = "training/";

    private static final FileFormat FILE_FORMAT = new FileFormat(FORMAT, FORMAT_VERSION, "sequence model", "");

    private SequenceModelFile() {}

    /**
     * A loaded model file.
     *
     * @param model              the model, its spec from the file's {@code config} and its parameters from the file
     * @param provenance         the file's provenance, or null if it has none (or an unreadable one)
     * @param optimizerState     optimizer state keyed {@code "<qualified parameter name>/<slot>"}, in file order;
     *                           empty if the file has none
     * @param optimizerStepCount the optimizer's step count, or null if the file holds no optimizer
     * @param optimizer          the optimizer's description, or null
     */
    public record Loaded(SequenceModel model, TrainingProvenance provenance, Map<String, float[]> optimizerState,
                         Long optimizerStepCount, String optimizer) {

        /**
         * Loads the file's optimizer state into {@code optimizer} (built with the same hyperparameters), for
         * {@code target}, a model of the same spec (usually {@link #model()}).
         *
         * @throws IllegalStateException if the file holds no optimizer
         */
        public void loadOptimizerInto(Optimizer optimizer, SequenceModel target) {
            if (optimizerStepCount == null) throw new IllegalStateException("the model file holds no optimizer state");
            optimizer.loadState(optimizerStateByParameterName(target, optimizerState), optimizerStepCount);
        }
    }

    /** Writes the model's parameters, spec and provenance (null records only this rnn4j, JVM and time). */
    public static void save(SequenceModel model, Path file, TrainingProvenance provenance) {
        writer(model, file, provenance, null).write(file);
    }

    /**
     * Writes the model and, when {@code optimizer} is not null, its state and step count, atomically.
     *
     * @throws ModelFileException if the file cannot be written, or a weight or optimizer value is NaN or infinite
     */
    public static void save(SequenceModel model, Path file, TrainingProvenance provenance, Optimizer optimizer) {
        writer(model, file, provenance, optimizer).write(file);
    }

    /** The writer {@link #save} uses, for formats that extend this one. */
    static SafetensorsWriter writer(SequenceModel model, Path file, TrainingProvenance provenance, Optimizer optimizer) {
        if (provenance == null) provenance = TrainingProvenance.now(null, null, null, null);
        SafetensorsWriter writer = FILE_FORMAT.writer()
                .metadata("config", model.spec().toJson())
                .metadata("provenance", provenance.toJson());
        for (NamedParameter np : model.namedParameters()) {
            Parameter p = np.parameter();
            Tensors.putFinite(writer, file, "parameter '" + np.name() + "'", np.name(), p.value(), Tensors.toLongs(p.shape()));
        }
        for (NamedBuffer nb : model.namedBuffers()) {
            Buffer b = nb.buffer();
            Tensors.putFinite(writer, file, "buffer '" + nb.name() + "'", nb.name(), b.value(), Tensors.toLongs(b.shape()));
        }
        if (optimizer != null) {
            writer.metadata("optimizer", optimizer.toString());
            writer.metadata("optimizer_step_count", Long.toString(optimizer.stepCount()));
            Map<String, NamedParameter> byOwnName = new LinkedHashMap<>();
            for (NamedParameter np : model.namedParameters()) byOwnName.put(np.parameter().name(), np);
            for (Map.Entry<String, float[]> e : optimizer.state().entrySet()) {
                String key = e.getKey();
                int slash = key.indexOf('/');
                NamedParameter np = slash < 0 ? null : byOwnName.get(key.substring(0, slash));
                if (np == null) throw new ModelFileException(file + ": not saved: optimizer state '" + key + "' is not for a parameter of this model");
                String name = OPTIMIZER_PREFIX + np.name() + key.substring(slash);
                long[] shape = Tensors.toLongs(np.parameter().shape());
                float[] values = e.getValue();
                if (values.length != np.parameter().size()) {
                    throw new ModelFileException(file + ": not saved: optimizer state '" + key + "' has " + values.length
                            + " values but parameter '" + np.name() + "' has " + np.parameter().size());
                }
                Tensors.putFinite(writer, file, "optimizer state '" + key + "'", name, values, shape);
            }
        }
        return writer;
    }

    /** Reads a model file, checking everything (see {@link #read(SafetensorsFile)}), and returns its model. */
    public static SequenceModel load(Path file) {
        return read(file).model();
    }

    /** Reads a model file with its provenance and optimizer state. */
    public static Loaded read(Path file) {
        return read(SafetensorsFile.read(file));
    }

    /**
     * Builds the model a file describes, checking the format and its version, the spec, that the tensors are
     * exactly the model's parameters and buffers (F32, exact shapes) plus optional optimizer state for them (and
     * {@code "training/"} tensors, which are left to {@link TrainingCheckpoint}), and that every value is finite.
     *
     * @throws ModelFileException naming the file and the key or tensor at fault
     */
    public static Loaded read(SafetensorsFile file) {
        String source = file.source();
        Map<String, String> meta = file.metadata();
        if (ModelFile.FORMAT.equals(meta.get("format"))) {
            throw new ModelFileException(source + ": this is a recurrent-network model file ('" + ModelFile.FORMAT
                    + "'), not a sequence model; load it with ModelFile.load");
        }
        FILE_FORMAT.check(source, meta);
        String configText = FileFormat.required(source, meta, "config");
        ModelSpec spec;
        try {
            spec = ModelSpec.fromJson(configText);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(source + ": metadata 'config': " + e.getMessage(), e);
        }
        SequenceModel model = SequenceModel.create(spec);

        Map<String, Parameter> parameters = new LinkedHashMap<>();
        for (NamedParameter np : model.namedParameters()) parameters.put(np.name(), np.parameter());
        Map<String, Buffer> buffers = new LinkedHashMap<>();
        for (NamedBuffer nb : model.namedBuffers()) buffers.put(nb.name(), nb.buffer());
        for (String name : parameters.keySet()) {
            if (!file.has(name)) throw new ModelFileException(source + ": missing tensor '" + name + "', which " + describe(spec) + " needs");
        }
        for (String name : buffers.keySet()) {
            if (!file.has(name)) {
                throw new ModelFileException(source + ": missing tensor '" + name + "' (a population statistic of batch normalisation), which "
                        + describe(spec) + " needs");
            }
        }
        boolean hasOptimizer = meta.containsKey("optimizer_step_count");
        for (String name : file.names()) {
            if (parameters.containsKey(name) || buffers.containsKey(name) || name.startsWith(TRAINING_PREFIX)) continue;
            if (name.startsWith(OPTIMIZER_PREFIX)) {
                if (!hasOptimizer) {
                    throw new ModelFileException(source + ": tensor '" + name + "' is optimizer state but metadata 'optimizer_step_count' is missing");
                }
                continue;
            }
            throw new ModelFileException(source + ": unexpected tensor '" + name + "', not a parameter of " + describe(spec));
        }
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            Parameter p = e.getValue();
            p.set(Tensors.readF32(file, e.getKey(), Tensors.toLongs(p.shape())));
        }
        for (Map.Entry<String, Buffer> e : buffers.entrySet()) {
            Buffer b = e.getValue();
            b.set(Tensors.readF32(file, e.getKey(), Tensors.toLongs(b.shape())));
        }

        Map<String, float[]> optimizerState = new LinkedHashMap<>();
        Long stepCount = null;
        if (hasOptimizer) {
            stepCount = FileFormat.integer(source, "optimizer_step_count", meta.get("optimizer_step_count"), Long::parseLong);
            if (stepCount < 0) throw new ModelFileException(source + ": metadata 'optimizer_step_count' is negative: " + stepCount);
            for (String name : file.names()) {
                if (!name.startsWith(OPTIMIZER_PREFIX)) continue;
                String key = name.substring(OPTIMIZER_PREFIX.length());
                int slash = key.lastIndexOf('/');
                Parameter p = slash < 0 ? null : parameters.get(key.substring(0, slash));
                if (p == null || slash == key.length() - 1) {
                    throw new ModelFileException(source + ": optimizer tensor '" + name
                            + "' is not named optimizer/<parameter>/<slot> for a parameter of this model");
                }
                optimizerState.put(key, Tensors.readF32(file, name, Tensors.toLongs(p.shape())));
            }
        }

        TrainingProvenance provenance = null;
        String provenanceText = meta.get("provenance");
        if (provenanceText != null) {
            try {
                provenance = TrainingProvenance.fromJson(provenanceText);
            } catch (IllegalArgumentException e) {
                // provenance is informational: a damaged one should not make the weights unusable
                provenance = null;
            }
        }
        return new Loaded(model, provenance, Collections.unmodifiableMap(optimizerState), stepCount, meta.get("optimizer"));
    }

    /**
     * Optimizer state keyed by qualified parameter names ({@code "rnn.weight_ih_l0/exp_avg"}) re-keyed by the
     * parameters' own names ({@code "weight_ih_l0/exp_avg"}), which {@link Optimizer#loadState} expects.
     *
     * @throws IllegalArgumentException for a key that names no parameter of the model
     */
    public static Map<String, float[]> optimizerStateByParameterName(SequenceModel model, Map<String, float[]> qualifiedState) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : qualifiedState.entrySet()) {
            String key = e.getKey();
            int slash = key.lastIndexOf('/');
            if (slash < 0) throw new IllegalArgumentException("optimizer state key '" + key + "' is not <parameter>/<slot>");
            Parameter p = model.parameter(key.substring(0, slash));
            out.put(p.name() + key.substring(slash), e.getValue());
        }
        return out;
    }

    /** "a 2-layer LSTM with a LAST_STEP head of 3 outputs", for messages. */
    static String describe(ModelSpec spec) {
        return (spec.tokenInput() ? "a token model (vocabulary " + spec.vocabulary() + ") over " : "a model over ")
                + Tensors.describe(spec.recurrent()).substring(2) + " with a " + spec.head() + " head of " + spec.outputs() + " outputs";
    }
}
