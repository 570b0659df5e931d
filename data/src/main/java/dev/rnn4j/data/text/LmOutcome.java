package dev.rnn4j.data.text;

import dev.rnn4j.data.app.TrainingRun;
import dev.rnn4j.train.TrainResult;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link LanguageModeler#fit} produced.
 *
 * @param model          the trained model (the best validation's weights)
 * @param result         how training ended
 * @param validationLoss nats per token on the validation text, or NaN if training was interrupted
 * @param testLoss       nats per token on the test text, or NaN without one (or when interrupted)
 * @param seconds        wall time of training and scoring
 * @param trainSeconds   wall time of training alone (in this call: a resumed run's earlier part is not counted)
 * @param tokensTrained  tokens the training steps of the whole run read
 * @param tokensPerSecond training tokens per second in this call, NaN if it made no step
 */
public record LmOutcome(LanguageModel model, TrainResult result, double validationLoss, double testLoss, double seconds,
                        double trainSeconds, long tokensTrained, double tokensPerSecond, LanguageModeler modeler) {

    public boolean interrupted() {
        return result.interrupted();
    }

    /** {@code {"loss", "perplexity", "bpc"}}: nats per token, e^loss, and bits per character at character level. */
    public Map<String, Object> scoreJson(double loss) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("loss", loss);
        json.put("perplexity", Math.exp(loss));
        if (model.tokenization().level() == TokenLevel.CHAR) json.put("bpc", loss / Math.log(2));
        return json;
    }

    /**
     * The metrics document: {@code {"task", "data", "settings", "training", "valid", "test"?, "seconds",
     * "tokens_per_second"}}, to which the command line adds {@code "command"}.
     */
    public Map<String, Object> metricsJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("task", LanguageModel.TASK);
        json.put("data", modeler.dataJson());
        json.put("settings", modeler.settingsJson());
        Map<String, Object> training = TrainingRun.resultJson(result);
        training.put("tokens", tokensTrained);
        training.put("seconds", trainSeconds);
        json.put("training", training);
        if (Double.isFinite(validationLoss)) json.put("valid", scoreJson(validationLoss));
        if (Double.isFinite(testLoss)) json.put("test", scoreJson(testLoss));
        json.put("seconds", seconds);
        json.put("tokens_per_second", Double.isFinite(tokensPerSecond) ? tokensPerSecond : null);
        return json;
    }
}
