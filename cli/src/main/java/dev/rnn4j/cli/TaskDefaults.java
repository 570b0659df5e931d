package dev.rnn4j.cli;

import dev.rnn4j.data.app.TrainingSettings;
import dev.rnn4j.data.classify.Classifier;
import dev.rnn4j.data.forecast.Forecaster;
import dev.rnn4j.data.text.LanguageModeler;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.Locale;

/**
 * The defaults of {@link NetworkOptions} for one task, read from the task's library defaults so that --help and the
 * library never disagree. Options this provider does not know keep their own {@code defaultValue}.
 */
abstract class TaskDefaults implements IDefaultValueProvider {
    abstract TrainingSettings defaults();

    /** What a token is for this task's text, or null where the task reads no text. */
    String tokenLevel() {
        return null;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) return null;
        TrainingSettings d = defaults();
        return switch (option.longestName()) {
            case "--cell" -> d.cell().name().toLowerCase(Locale.ROOT);
            case "--hidden-size" -> Integer.toString(d.hiddenSize());
            case "--layers" -> Integer.toString(d.layers());
            case "--dropout" -> Double.toString(d.dropout());
            case "--epochs" -> Integer.toString(d.epochs());
            case "--patience" -> Integer.toString(d.patience());
            case "--batch" -> Integer.toString(d.batchSize());
            case "--optimizer" -> d.optimizer().name().toLowerCase(Locale.ROOT);
            case "--learning-rate" -> Double.toString(d.learningRate());
            case "--clip-norm" -> Double.toString(d.clipNorm());
            case "--on-nonfinite" -> d.onNonFinite().name().toLowerCase(Locale.ROOT);
            case "--ema" -> Double.toString(d.ema());
            case "--level" -> tokenLevel();
            default -> null;
        };
    }

    static final class Forecast extends TaskDefaults {
        @Override
        TrainingSettings defaults() {
            return Forecaster.defaultTraining().build();
        }
    }

    static final class Classify extends TaskDefaults {
        @Override
        TrainingSettings defaults() {
            return Classifier.defaultTraining().build();
        }

        @Override
        String tokenLevel() {
            return "word";
        }
    }

    static final class Lm extends TaskDefaults {
        @Override
        TrainingSettings defaults() {
            return LanguageModeler.defaultTraining().build();
        }

        @Override
        String tokenLevel() {
            return "char";
        }
    }
}
