package dev.rnn4j.train;

import dev.rnn4j.optim.Optimizer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Which optimizer a {@link Trainer} builds, with its hyperparameters, as a value that can be written into a
 * checkpoint and provenance and read back ({@link TrainConfig#toJson()}). Defaults are PyTorch's.
 *
 * <pre>{@code
 * OptimizerSpec.adam(1e-3)
 * new OptimizerSpec.Sgd(0.1, 0.9, 0, true, 1e-4)
 * }</pre>
 * {@link Custom} wraps any other {@link Optimizer}; it is written as its description only, so a checkpoint made
 * with it can be resumed only by passing the same {@link TrainConfig} again.
 */
public sealed interface OptimizerSpec {

    /** A fresh optimizer with these hyperparameters and no state. */
    Optimizer create();

    /** The initial learning rate (the schedules' base rate). */
    double learningRate();

    /** This spec as a JSON object: {@code {"type":"Adam","learning_rate":0.001,...}}. */
    Map<String, Object> toJson();

    /** Adam with PyTorch's defaults and this learning rate. */
    static OptimizerSpec adam(double learningRate) {
        return new Adam(learningRate, 0.9, 0.999, 1e-8, 0, false);
    }

    /** AdamW with PyTorch's defaults (weight decay 0.01) and this learning rate. */
    static OptimizerSpec adamW(double learningRate) {
        return new AdamW(learningRate, 0.9, 0.999, 1e-8, 0.01, false);
    }

    /** Plain SGD. */
    static OptimizerSpec sgd(double learningRate) {
        return new Sgd(learningRate, 0, 0, false, 0);
    }

    /** RMSprop with PyTorch's defaults and this learning rate. */
    static OptimizerSpec rmsProp(double learningRate) {
        return new RmsProp(learningRate, 0.99, 1e-8, 0, 0, false);
    }

    /** Any optimizer; {@code factory} is called once per {@link Trainer}. */
    static OptimizerSpec custom(String description, Supplier<Optimizer> factory) {
        return new Custom(description, factory);
    }

    /** {@link dev.rnn4j.optim.Sgd}. */
    record Sgd(double learningRate, double momentum, double dampening, boolean nesterov, double weightDecay) implements OptimizerSpec {
        public Sgd {
            create(learningRate, momentum, dampening, nesterov, weightDecay); // validates
        }

        private static Optimizer create(double lr, double momentum, double dampening, boolean nesterov, double weightDecay) {
            return dev.rnn4j.optim.Sgd.builder(lr).momentum(momentum).dampening(dampening).nesterov(nesterov).weightDecay(weightDecay).build();
        }

        @Override
        public Optimizer create() {
            return create(learningRate, momentum, dampening, nesterov, weightDecay);
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("type", "Sgd");
            json.put("learning_rate", learningRate);
            json.put("momentum", momentum);
            json.put("dampening", dampening);
            json.put("nesterov", nesterov);
            json.put("weight_decay", weightDecay);
            return json;
        }
    }

    /** {@link dev.rnn4j.optim.Adam}. */
    record Adam(double learningRate, double beta1, double beta2, double epsilon, double weightDecay, boolean amsgrad)
            implements OptimizerSpec {
        public Adam {
            create(learningRate, beta1, beta2, epsilon, weightDecay, amsgrad); // validates
        }

        private static Optimizer create(double lr, double beta1, double beta2, double epsilon, double weightDecay, boolean amsgrad) {
            return dev.rnn4j.optim.Adam.builder().learningRate(lr).betas(beta1, beta2).epsilon(epsilon).weightDecay(weightDecay)
                    .amsgrad(amsgrad).build();
        }

        @Override
        public Optimizer create() {
            return create(learningRate, beta1, beta2, epsilon, weightDecay, amsgrad);
        }

        @Override
        public Map<String, Object> toJson() {
            return adamJson("Adam", learningRate, beta1, beta2, epsilon, weightDecay, amsgrad);
        }
    }

    /** {@link dev.rnn4j.optim.AdamW}. */
    record AdamW(double learningRate, double beta1, double beta2, double epsilon, double weightDecay, boolean amsgrad)
            implements OptimizerSpec {
        public AdamW {
            create(learningRate, beta1, beta2, epsilon, weightDecay, amsgrad); // validates
        }

        private static Optimizer create(double lr, double beta1, double beta2, double epsilon, double weightDecay, boolean amsgrad) {
            return dev.rnn4j.optim.AdamW.builder().learningRate(lr).betas(beta1, beta2).epsilon(epsilon).weightDecay(weightDecay)
                    .amsgrad(amsgrad).build();
        }

        @Override
        public Optimizer create() {
            return create(learningRate, beta1, beta2, epsilon, weightDecay, amsgrad);
        }

        @Override
        public Map<String, Object> toJson() {
            return adamJson("AdamW", learningRate, beta1, beta2, epsilon, weightDecay, amsgrad);
        }
    }

    /** {@link dev.rnn4j.optim.RmsProp}. */
    record RmsProp(double learningRate, double alpha, double epsilon, double weightDecay, double momentum, boolean centered)
            implements OptimizerSpec {
        public RmsProp {
            create(learningRate, alpha, epsilon, weightDecay, momentum, centered); // validates
        }

        private static Optimizer create(double lr, double alpha, double epsilon, double weightDecay, double momentum, boolean centered) {
            return dev.rnn4j.optim.RmsProp.builder().learningRate(lr).alpha(alpha).epsilon(epsilon).weightDecay(weightDecay)
                    .momentum(momentum).centered(centered).build();
        }

        @Override
        public Optimizer create() {
            return create(learningRate, alpha, epsilon, weightDecay, momentum, centered);
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("type", "RmsProp");
            json.put("learning_rate", learningRate);
            json.put("alpha", alpha);
            json.put("epsilon", epsilon);
            json.put("weight_decay", weightDecay);
            json.put("momentum", momentum);
            json.put("centered", centered);
            return json;
        }
    }

    /**
     * An optimizer this package does not describe; {@code factory} must return an optimizer with no state
     * (ideally a new one per call), whose {@link Optimizer#learningRate()} is the initial rate.
     */
    record Custom(String description, Supplier<Optimizer> factory) implements OptimizerSpec {
        public Custom {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(factory, "factory");
        }

        @Override
        public Optimizer create() {
            return Objects.requireNonNull(factory.get(), "the optimizer factory returned null");
        }

        /** Asks a new optimizer from the factory for its rate. */
        @Override
        public double learningRate() {
            return create().learningRate();
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("type", "custom");
            json.put("description", description);
            return json;
        }
    }

    private static Map<String, Object> adamJson(String type, double lr, double beta1, double beta2, double epsilon, double weightDecay,
                                                boolean amsgrad) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", type);
        json.put("learning_rate", lr);
        json.put("beta1", beta1);
        json.put("beta2", beta2);
        json.put("epsilon", epsilon);
        json.put("weight_decay", weightDecay);
        json.put("amsgrad", amsgrad);
        return json;
    }

    /** Reads {@link #toJson()}'s output; {@code where} prefixes error messages. */
    static OptimizerSpec fromJson(Map<String, Object> json, String where) {
        return JsonFields.typed(json, where, "optimizer", (type, f) -> switch (type) {
            case "Sgd" -> new Sgd(f.number("learning_rate"), f.number("momentum"), f.number("dampening"), f.bool("nesterov"),
                    f.number("weight_decay"));
            case "Adam" -> new Adam(f.number("learning_rate"), f.number("beta1"), f.number("beta2"), f.number("epsilon"),
                    f.number("weight_decay"), f.bool("amsgrad"));
            case "AdamW" -> new AdamW(f.number("learning_rate"), f.number("beta1"), f.number("beta2"), f.number("epsilon"),
                    f.number("weight_decay"), f.bool("amsgrad"));
            case "RmsProp" -> new RmsProp(f.number("learning_rate"), f.number("alpha"), f.number("epsilon"), f.number("weight_decay"),
                    f.number("momentum"), f.bool("centered"));
            default -> null;
        });
    }
}
