package dev.rnn4j.spark;

import dev.rnn4j.model.ModelSpec;
import dev.rnn4j.model.SequenceModel;
import dev.rnn4j.tensor.Parallel;
import dev.rnn4j.tensor.Parameter;
import dev.rnn4j.train.Batch;
import dev.rnn4j.train.BatchGradient;
import dev.rnn4j.train.Batcher;
import dev.rnn4j.train.Dataset;
import dev.rnn4j.train.Example;
import dev.rnn4j.train.TrainConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The executor side of a distributed step: a model per task thread (built once per executor JVM and thread, then
 * given each step's broadcast parameters), which computes the {@link BatchGradient.Reduction#SUM} gradient of the
 * share of the step's batch that its partition holds.
 */
final class ShareWorker {
    /** Workers by run (model spec, config), one set per task thread: a task computes with its thread's model. */
    private static final ThreadLocal<Map<String, ShareWorker>> WORKERS = ThreadLocal.withInitial(HashMap::new);

    private final SequenceModel model;
    private final List<Parameter> parameters;
    private final BatchGradient gradient;
    private final float[] grads; // [P] this thread's result, reused: Spark serializes a task's result before the thread runs another

    private ShareWorker(ModelSpec spec, TrainConfig config) {
        this.model = SequenceModel.create(spec);
        this.parameters = model.parameters();
        this.gradient = new BatchGradient(model, config.loss(), config.seed());
        this.grads = new float[ParameterVectors.size(parameters)];
    }

    /** This thread's worker for the run of {@code specJson} and {@code configJson}. */
    static ShareWorker of(String specJson, String configJson) {
        return WORKERS.get().computeIfAbsent(specJson + "\n" + configJson,
                k -> new ShareWorker(ModelSpec.fromJson(specJson), TrainConfig.fromJson(configJson)));
    }

    /**
     * The summed gradient of the examples of {@code partition} that are in {@code batchIds}, taken in batch order,
     * at step {@code step} with the parameter values {@code values} (concatenated in parameter order); ZERO when
     * the partition holds none of them.
     */
    GradientSum share(Iterator<IndexedExample> partition, int[] batchIds, long step, float[] values, int threads) {
        Map<Long, Integer> position = new HashMap<>(batchIds.length * 2);
        for (int i = 0; i < batchIds.length; i++) position.put((long) batchIds[i], i);
        Map<Integer, IndexedExample> mine = new TreeMap<>();
        while (partition.hasNext()) {
            IndexedExample e = partition.next();
            Integer at = position.get(e.id());
            if (at != null) mine.put(at, e);
        }
        if (mine.isEmpty()) return GradientSum.ZERO;
        List<Example> examples = new ArrayList<>(mine.size());
        long[] ids = new long[mine.size()];
        int[] rows = new int[mine.size()];
        int k = 0;
        for (IndexedExample e : mine.values()) {
            examples.add(e.example());
            ids[k] = e.id();
            rows[k] = k;
            k++;
        }
        Batch collated = Batcher.of(Dataset.of(examples), examples.size()).collate(rows);
        Batch share = new Batch(collated.input(), collated.targets(), ids);

        Parallel.setThreads(threads);
        ParameterVectors.setValues(parameters, values);
        model.zeroGrad();
        BatchGradient.Part part = gradient.accumulate(share, step, BatchGradient.Reduction.SUM);
        ParameterVectors.copyGrads(parameters, grads);
        return new GradientSum(grads, part.loss(), part.weight());
    }

}
