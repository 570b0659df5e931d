package dev.rnn4j.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stops training when the validation loss has not improved for {@code patience} validations in a row.
 *
 * <p>A validation improves if its loss is below the best so far by more than {@code minDelta}. The trainer keeps a
 * copy of the parameter values of the best validation; with {@code restoreBest} it copies them back into the model
 * when training ends, whether it stopped early or ran out of epochs or steps.
 *
 * @param patience    validations without improvement tolerated; training stops at the {@code patience}-th
 * @param minDelta    the smallest decrease that counts as an improvement, >= 0
 * @param restoreBest whether to restore the best parameters at the end
 */
public record EarlyStopping(int patience, double minDelta, boolean restoreBest) {
    public EarlyStopping {
        if (patience < 1) throw new IllegalArgumentException("early-stopping patience must be at least 1, got " + patience);
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new IllegalArgumentException("early-stopping minDelta must be a finite number >= 0, got " + minDelta);
        }
    }

    /** Patience {@code patience}, any decrease counts, best parameters restored. */
    public static EarlyStopping of(int patience) {
        return new EarlyStopping(patience, 0, true);
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("patience", patience);
        json.put("min_delta", minDelta);
        json.put("restore_best", restoreBest);
        return json;
    }

    static EarlyStopping fromJson(Map<String, Object> json, String where) {
        JsonFields f = new JsonFields(json, where);
        EarlyStopping e = new EarlyStopping(f.int32("patience"), f.number("min_delta"), f.bool("restore_best"));
        f.requireNoOthers();
        return e;
    }
}
