package dev.rnn4j.train;

import dev.rnn4j.optim.ReduceOnPlateau;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The settings of a {@link ReduceOnPlateau} on the validation loss, as a value that goes into a
 * {@link TrainConfig} (the scheduler itself is stateful; the trainer builds one per run and checkpoints its
 * state). The goal is always to minimise, since the metric is the validation loss.
 *
 * @see ReduceOnPlateau.Builder for the meaning of each setting
 */
public record PlateauSettings(double factor, int patience, double threshold, ReduceOnPlateau.ThresholdMode thresholdMode,
                              int cooldown, double minimumRate, double minimumChange) {

    public PlateauSettings {
        Objects.requireNonNull(thresholdMode, "thresholdMode");
        create(factor, patience, threshold, thresholdMode, cooldown, minimumRate, minimumChange); // validates
    }

    /** PyTorch's defaults (threshold 1e-4 relative, no cooldown, minimum rate 0, minimum change 1e-8) with this factor and patience. */
    public static PlateauSettings of(double factor, int patience) {
        return new PlateauSettings(factor, patience, 1e-4, ReduceOnPlateau.ThresholdMode.RELATIVE, 0, 0, 1e-8);
    }

    /** A new scheduler with these settings, minimising. */
    public ReduceOnPlateau build() {
        return create(factor, patience, threshold, thresholdMode, cooldown, minimumRate, minimumChange);
    }

    private static ReduceOnPlateau create(double factor, int patience, double threshold, ReduceOnPlateau.ThresholdMode thresholdMode,
                                          int cooldown, double minimumRate, double minimumChange) {
        return ReduceOnPlateau.builder().goal(ReduceOnPlateau.Goal.MINIMIZE).factor(factor).patience(patience)
                .threshold(threshold, thresholdMode).cooldown(cooldown).minimumRate(minimumRate).minimumChange(minimumChange).build();
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("factor", factor);
        json.put("patience", patience);
        json.put("threshold", threshold);
        json.put("threshold_mode", thresholdMode.name());
        json.put("cooldown", cooldown);
        json.put("minimum_rate", minimumRate);
        json.put("minimum_change", minimumChange);
        return json;
    }

    static PlateauSettings fromJson(Map<String, Object> json, String where) {
        JsonFields f = new JsonFields(json, where);
        String mode = f.string("threshold_mode");
        ReduceOnPlateau.ThresholdMode thresholdMode;
        try {
            thresholdMode = ReduceOnPlateau.ThresholdMode.valueOf(mode);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + "'threshold_mode' must be RELATIVE or ABSOLUTE, got '" + mode + "'");
        }
        PlateauSettings s = new PlateauSettings(f.number("factor"), f.int32("patience"), f.number("threshold"), thresholdMode,
                f.int32("cooldown"), f.number("minimum_rate"), f.number("minimum_change"));
        f.requireNoOthers();
        return s;
    }
}
