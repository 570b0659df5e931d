package dev.rnn4j.data.report;

import dev.rnn4j.cell.Gate;
import dev.rnn4j.cell.RecurrenceObserver;
import dev.rnn4j.cell.RecurrencePass;
import dev.rnn4j.data.app.JsonlLog;
import dev.rnn4j.layer.Recurrent;
import dev.rnn4j.layer.RecurrentConfig;
import dev.rnn4j.train.StepMetrics;
import dev.rnn4j.train.TrainResult;
import dev.rnn4j.train.Trainer;
import dev.rnn4j.train.TrainingListener;
import dev.rnn4j.train.TrainingStart;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Adds to a run's JSON-lines log what the report's gradient and gate views draw, sampled every few training steps
 * so the log stays small:
 * <pre>{@code
 * {"event":"run","cell":"lstm","layers":1,"directions":1,"hidden_size":64,"clip_norm":1.0,"sample_every":20}
 * {"event":"gradient_by_time","step":40,"layer":0,"direction":0,"norms":[0.0012,0.0013,...]}
 * {"event":"gates","step":40,"layer":0,"direction":0,"near_0":{"input":0.02,"forget":0.0,"output":0.1},"near_1":{...}}
 * }</pre>
 * {@code norms[t]} is ||dL/dh_t|| over the step's batch for t = 0..T-1 (averaged over bins of consecutive steps past
 * {@value #MAX_TIME_POINTS} steps, {@code "bin"} saying how many); {@code near_0} and {@code near_1} are the fractions of
 * a sigmoid gate's values below {@value #NEAR} and above 1 - {@value #NEAR}, over every unit, row and valid step of
 * the batch. Sampled: the first step, then every {@code every} (by default about {@value #DEFAULT_SAMPLES} samples over
 * the planned run). The observers read the training step's own passes, in training mode; between samples they do
 * nothing, and they are detached when {@code fit} ends.
 */
public final class TrainingProbe implements TrainingListener {
    /** Samples over a run when {@code every} is not given. */
    public static final int DEFAULT_SAMPLES = 100;
    /** How close to 0 or 1 a gate value must be to count as saturated. */
    public static final double NEAR = 0.1;
    /** Time steps kept per gradient sample; longer sequences are averaged in bins. */
    public static final int MAX_TIME_POINTS = 512;

    private final Trainer trainer;
    private final JsonlLog log;
    private final long requestedEvery;
    private final List<DirectionProbe> probes = new ArrayList<>();
    private long every;
    private boolean armed;

    /** Samples about {@value #DEFAULT_SAMPLES} times over the planned run. */
    public TrainingProbe(Trainer trainer, JsonlLog log) {
        this(trainer, log, 0);
    }

    /**
     * @param every training steps between samples, or 0 for about {@value #DEFAULT_SAMPLES} samples per run
     */
    public TrainingProbe(Trainer trainer, JsonlLog log, long every) {
        if (every < 0) throw new IllegalArgumentException("every must be 0 (automatic) or a number of steps, got " + every);
        this.trainer = trainer;
        this.log = log;
        this.requestedEvery = every;
    }

    @Override
    public void onStart(TrainingStart start) {
        long planned = start.plannedLastStep();
        every = requestedEvery > 0 ? requestedEvery : planned > 0 ? Math.max(1, planned / DEFAULT_SAMPLES) : 10;
        Recurrent recurrent = trainer.model().recurrent();
        RecurrentConfig config = recurrent.config();
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("event", "run");
        run.put("cell", config.cellType().name().toLowerCase(Locale.ROOT));
        run.put("layers", config.layers());
        run.put("directions", config.directions());
        run.put("hidden_size", config.hiddenSize());
        run.put("clip_norm", trainer.config().clipNorm());
        run.put("sample_every", every);
        log.record(run);
        probes.clear();
        for (int layer = 0; layer < config.layers(); layer++) {
            for (int direction = 0; direction < config.directions(); direction++) {
                DirectionProbe probe = new DirectionProbe(layer, direction, Gate.of(config.cellType()));
                probes.add(probe);
                recurrent.setObserver(layer, direction, probe);
            }
        }
        armed = sampled(start.step() + 1);
    }

    @Override
    public void onStep(StepMetrics m) {
        if (armed) {
            for (DirectionProbe probe : probes) probe.writeTo(log, m.step());
        }
        armed = sampled(m.step() + 1);
    }

    @Override
    public void onEnd(TrainResult result) {
        Recurrent recurrent = trainer.model().recurrent();
        for (DirectionProbe probe : probes) recurrent.setObserver(probe.layer, probe.direction, null);
        armed = false;
    }

    private boolean sampled(long step) {
        return step == 1 || step % every == 0;
    }

    /** What one layer's direction saw in the sampled step: its gates' saturation and the gradient by time step. */
    private final class DirectionProbe implements RecurrenceObserver {
        final int layer, direction;
        private final List<Gate> gates;      // the sigmoid gates of the cell
        private final long[] nearZero;       // [gates] values < NEAR in the sampled forward pass
        private final long[] nearOne;        // [gates] values > 1 - NEAR
        private long gateValues;             // values counted per gate
        private float[] row = new float[0];  // [H] one row of one gate
        private double[] norms;              // ||dL/dh_t|| of the sampled backward pass, or null
        private boolean forwardSeen;

        DirectionProbe(int layer, int direction, List<Gate> cellGates) {
            this.layer = layer;
            this.direction = direction;
            this.gates = cellGates.stream().filter(Gate::sigmoid).toList();
            this.nearZero = new long[gates.size()];
            this.nearOne = new long[gates.size()];
        }

        @Override
        public void afterForward(RecurrencePass pass) {
            if (!armed || !pass.training()) return; // validation passes run in inference mode
            int hidden = pass.hiddenSize();
            if (row.length != hidden) row = new float[hidden];
            Arrays.fill(nearZero, 0);
            Arrays.fill(nearOne, 0);
            gateValues = 0;
            for (int t = 0; t < pass.steps(); t++) {
                for (int b = 0; b < pass.batch(); b++) {
                    if (!pass.hasStep(t, b)) continue;
                    gateValues += hidden;
                    for (int g = 0; g < gates.size(); g++) {
                        pass.gateValues(gates.get(g), t, b, row, 0);
                        for (float v : row) {
                            if (v < NEAR) nearZero[g]++;
                            else if (v > 1 - NEAR) nearOne[g]++;
                        }
                    }
                }
            }
            forwardSeen = true;
        }

        @Override
        public void afterBackward(RecurrencePass pass) {
            if (armed && forwardSeen) norms = pass.gradientNormsByStep();
        }

        void writeTo(JsonlLog log, long step) {
            if (norms != null) {
                Map<String, Object> line = header("gradient_by_time", step);
                int bin = (norms.length + MAX_TIME_POINTS - 1) / MAX_TIME_POINTS;
                if (bin > 1) line.put("bin", bin);
                line.put("norms", binned(norms, bin));
                log.record(line);
            }
            if (forwardSeen && !gates.isEmpty() && gateValues > 0) {
                Map<String, Object> line = header("gates", step);
                Map<String, Object> low = new LinkedHashMap<>(), high = new LinkedHashMap<>();
                for (int g = 0; g < gates.size(); g++) {
                    low.put(gates.get(g).id(), nearZero[g] / (double) gateValues);
                    high.put(gates.get(g).id(), nearOne[g] / (double) gateValues);
                }
                line.put("near_0", low);
                line.put("near_1", high);
                log.record(line);
            }
            norms = null;
            forwardSeen = false;
        }

        private Map<String, Object> header(String event, long step) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("event", event);
            line.put("step", step);
            line.put("layer", layer);
            line.put("direction", direction);
            return line;
        }
    }

    /** Means of consecutive bins of {@code bin} values (the last may be shorter); non-finite values as null. */
    static List<Double> binned(double[] values, int bin) {
        List<Double> out = new ArrayList<>();
        for (int from = 0; from < values.length; from += bin) {
            int to = Math.min(values.length, from + bin);
            double sum = 0;
            for (int i = from; i < to; i++) sum += values[i];
            double mean = sum / (to - from);
            out.add(Double.isFinite(mean) ? mean : null);
        }
        return out;
    }
}
