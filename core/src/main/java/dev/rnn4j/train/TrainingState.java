package dev.rnn4j.train;

import dev.rnn4j.io.Json;
import dev.rnn4j.optim.ReduceOnPlateau;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link Trainer}'s progress as a checkpoint records it (its {@code training_state} JSON): the counters, the
 * position in the data, the learning rate, early stopping's and ReduceOnPlateau's state. The tensors (best
 * parameters, carried state) go beside it in the checkpoint; the flags say whether they are there.
 *
 * @param skippedSteps steps whose update was dropped for a non-finite value ({@link NonFiniteAction#SKIP})
 * @param plateau      ReduceOnPlateau's state, or null when the run has none
 */
record TrainingState(long step, int epoch, long batch, int chunk, long seed, double learningRate, double lastLoss, double bestLoss,
                     long bestStep, int badValidations, boolean stoppedEarly, boolean hasBestParameters, boolean hasCarry,
                     long skippedSteps, ReduceOnPlateau.State plateau, String dataFingerprint) {

    /** The {@code training_state} JSON version this code writes and reads. */
    static final int VERSION = 1;

    String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("state_version", VERSION);
        json.put("step", step);
        json.put("epoch", epoch);
        json.put("batch", batch);
        json.put("chunk", chunk);
        json.put("seed", seed);
        json.put("learning_rate", JsonFields.number(learningRate));
        json.put("last_loss", JsonFields.number(lastLoss));
        json.put("best_loss", JsonFields.number(bestLoss));
        json.put("best_step", bestStep);
        json.put("bad_validations", badValidations);
        json.put("stopped_early", stoppedEarly);
        json.put("has_best_parameters", hasBestParameters);
        json.put("has_carry", hasCarry);
        json.put("skipped_steps", skippedSteps);
        if (plateau != null) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("best", JsonFields.number(plateau.best()));
            p.put("bad_epochs", plateau.badEpochs());
            p.put("cooldown_remaining", plateau.cooldownRemaining());
            p.put("epochs", plateau.epochs());
            json.put("plateau", p);
        } else {
            json.put("plateau", null);
        }
        json.put("data_fingerprint", dataFingerprint);
        return Json.write(json);
    }

    /**
     * Reads {@link #toJson()}'s output; {@code source} names the file in messages.
     *
     * @throws IllegalArgumentException naming the key at fault
     */
    static TrainingState fromJson(String text, String source) {
        Map<String, Object> json;
        try {
            json = Json.parseObject(text);
        } catch (Json.JsonException e) {
            throw new IllegalArgumentException(source + ": training_state is not a JSON object: " + e.getMessage(), e);
        }
        String where = source + ": training_state: ";
        JsonFields f = new JsonFields(json, where);
        long version = f.integer("state_version");
        if (version != VERSION) throw new IllegalArgumentException(where + "state_version " + version + " is not supported");
        long step = f.integer("step");
        int epoch = f.int32("epoch");
        long batch = f.integer("batch");
        int chunk = f.int32("chunk");
        long seed = f.integer("seed");
        double rate = f.number("learning_rate");
        double lastLoss = f.number("last_loss");
        double bestLoss = f.number("best_loss");
        long bestStep = f.integer("best_step");
        int bad = f.int32("bad_validations");
        boolean stopped = f.bool("stopped_early");
        boolean hasBest = f.bool("has_best_parameters");
        boolean hasCarry = f.bool("has_carry");
        long skipped = f.has("skipped_steps") ? f.integer("skipped_steps") : 0; // checkpoints from before it was recorded
        Map<String, Object> plateauJson = f.objectOrNull("plateau");
        String fingerprint = f.stringOrNull("data_fingerprint");
        f.requireNoOthers();
        if (step < 0 || epoch < 0 || batch < 0 || chunk < 0 || bad < 0 || skipped < 0) {
            throw new IllegalArgumentException(where + "negative counter");
        }
        if (hasCarry != (chunk > 0)) throw new IllegalArgumentException(where + "carried state and chunk " + chunk + " disagree");
        ReduceOnPlateau.State plateau = null;
        if (plateauJson != null) {
            JsonFields p = new JsonFields(plateauJson, where + "plateau: ");
            plateau = new ReduceOnPlateau.State(p.number("best"), p.int32("bad_epochs"), p.int32("cooldown_remaining"), p.integer("epochs"));
            p.requireNoOthers();
        }
        return new TrainingState(step, epoch, batch, chunk, seed, rate, lastLoss, bestLoss, bestStep, bad, stopped, hasBest, hasCarry,
                skipped, plateau, fingerprint);
    }
}
