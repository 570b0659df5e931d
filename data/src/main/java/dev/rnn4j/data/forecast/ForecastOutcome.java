package dev.rnn4j.data.forecast;

import dev.rnn4j.data.app.TrainingRun;
import dev.rnn4j.train.TrainResult;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link Forecaster#fit} produced.
 *
 * @param model   the trained forecaster (the best validation's weights)
 * @param result  how training ended
 * @param test    the scores on the test part, or null if training was interrupted
 * @param seconds wall time of training and scoring
 */
public record ForecastOutcome(ForecastModel model, TrainResult result, ForecastEvaluation test, Forecaster forecaster, double seconds) {

    public boolean interrupted() {
        return result.interrupted();
    }

    /**
     * The metrics document: {@code {"task", "data", "settings", "training", "test", "baselines", "backtest"?}}, to which
     * the command line adds {@code "command"} and {@code "seconds"}.
     *
     * @param backtest the folds of a backtest, or null
     */
    public Map<String, Object> metricsJson(List<ForecastEvaluation> backtest) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("task", ForecastModel.TASK);
        json.put("data", forecaster.dataJson());
        json.put("settings", forecaster.settingsJson());
        Map<String, Object> training = TrainingRun.resultJson(result);
        training.put("loss", model.preprocessing().probabilistic() ? "gaussian_nll" : "mse");
        json.put("training", training);
        if (test != null) {
            json.put("test", test.modelJson());
            json.put("baselines", test.baselinesJson());
        }
        if (backtest != null) {
            Map<String, Object> b = new LinkedHashMap<>(ForecastEvaluation.summary(backtest));
            List<Object> perFold = new java.util.ArrayList<>();
            for (ForecastEvaluation fold : backtest) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("test", fold.modelJson());
                f.put("baselines", fold.baselinesJson());
                perFold.add(f);
            }
            b.put("per_fold", perFold);
            json.put("backtest", b);
        }
        return json;
    }
}
