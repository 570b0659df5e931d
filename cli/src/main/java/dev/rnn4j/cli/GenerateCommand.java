package dev.rnn4j.cli;

import dev.rnn4j.data.text.LanguageModel;
import dev.rnn4j.data.text.Sampling;
import dev.rnn4j.data.text.TextGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code rnn4j generate}: text from a trained language model, printed token by token as it is drawn. */
@Command(name = "generate", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class, showDefaultValues = true,
        sortOptions = false,
        description = {"Writes text with a language model (rnn4j train lm): each token is drawn from the model's distribution "
            + "and fed back, the state carried. The prime text, if any, is printed first. The same --seed gives the same text.", ""})
final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "a language-model bundle")
    Path model;

    @Option(names = "--prime", defaultValue = "", paramLabel = "TEXT", description = "the text to continue")
    String prime;

    @Option(names = "--length", defaultValue = "500", paramLabel = "N", description = "tokens to write")
    int length;

    @Option(names = "--temperature", defaultValue = "1.0", paramLabel = "T", description = "below 1 safer, above 1 wilder; 0 = always the likeliest")
    double temperature;

    @Option(names = "--top-k", defaultValue = "0", paramLabel = "K", description = "draw among the K likeliest tokens only; 0 = all")
    int topK;

    @Option(names = "--top-p", defaultValue = "1.0", paramLabel = "P", description = "draw among the likeliest tokens that make up P of the probability")
    double topP;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "seeds the draws")
    long seed;

    @Override
    public Integer call() {
        if (length < 0) throw new ParameterException(spec.commandLine(), "--length must be >= 0, got " + length);
        Sampling sampling;
        try {
            sampling = new Sampling(temperature, topK, topP);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        LanguageModel lm = LanguageModel.load(model);
        TextGenerator generator = lm.generator(sampling, seed);
        generator.prime(prime);
        PrintWriter out = spec.commandLine().getOut();
        out.print(prime);
        for (int i = 0; i < length; i++) {
            out.print(generator.text(generator.next()));
            out.flush();
        }
        out.println();
        return Main.OK;
    }
}
