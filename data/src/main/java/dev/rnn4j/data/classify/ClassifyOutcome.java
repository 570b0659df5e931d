package dev.rnn4j.data.classify;

import dev.rnn4j.data.app.TrainingRun;
import dev.rnn4j.train.TrainResult;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link Classifier#fit} produced.
 *
 * @param model   the trained classifier (the best validation's weights)
 * @param result  how training ended
 * @param test    the scores on the test records, or null if training was interrupted
 * @param seconds wall time of training and scoring
 */
public record ClassifyOutcome(ClassifierModel model, TrainResult result, ClassificationMetrics test, Classifier classifier, double seconds) {

    public boolean interrupted() {
        return result.interrupted();
    }

    /** {@code {"task", "data", "settings", "training", "test"}}; the command line adds "command" and "seconds". */
    public Map<String, Object> metricsJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("task", ClassifierModel.TASK);
        json.put("data", classifier.dataJson());
        Map<String, Object> settings = new LinkedHashMap<>(classifier.settings().toJson());
        settings.putAll(classifier.training().toJson());
        settings.put("encoding", classifier.data().encoding().toJson());
        json.put("settings", settings);
        Map<String, Object> training = TrainingRun.resultJson(result);
        json.put("training", training);
        if (test != null) json.put("test", test.toJson());
        return json;
    }
}
