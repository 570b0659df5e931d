package dev.rnn4j.cli;

import dev.rnn4j.data.audio.AudioEncoding;
import dev.rnn4j.data.audio.WavFile;
import dev.rnn4j.data.classify.ClassificationMetrics;
import dev.rnn4j.data.classify.ClassifierModel;
import dev.rnn4j.data.classify.StreamingClassifier;
import dev.rnn4j.train.Example;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code rnn4j classify-stream}: a speech classifier's running prediction as the frames of a recording arrive. */
@Command(name = "classify-stream", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class, showDefaultValues = true,
        description = {"Feeds a recording's frames to a speech classifier one at a time, through the streaming API, as they would "
            + "arrive from a microphone, and prints the running prediction and its probability, so you can see when the model becomes "
            + "sure. The features are computed over the file first (the per-recording normalisation needs all of it); the network "
            + "sees them one 10 ms frame at a time. Needs a unidirectional model (train classify --no-bidirectional).", ""})
final class ClassifyStreamCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "a speech classifier written by 'rnn4j train classify --out'")
    Path model;

    @Option(names = "--wav", required = true, paramLabel = "F", description = "the recording")
    Path wav;

    @Option(names = "--every", defaultValue = "10", paramLabel = "N", description = "print every N frames, and whenever the prediction changes")
    int every;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ClassifierModel classifier = ClassifierModel.load(model);
        if (!(classifier.encoding() instanceof AudioEncoding audio)) {
            throw new UsageException(model + " classifies " + classifier.encoding().domain() + ", not audio");
        }
        StreamingClassifier streaming;
        try {
            streaming = new StreamingClassifier(classifier);
        } catch (IllegalArgumentException e) {
            throw new UsageException(model + ": " + e.getMessage());
        }
        Example frames = audio.encode(WavFile.read(wav));
        double frameSeconds = audio.features().shiftMillis() / 1000;
        List<String> classes = classifier.classes();
        int[] last = {-1};
        out.println("time_s,frame,predicted,probability");
        streaming.run(frames, (step, p) -> {
            int best = ClassificationMetrics.argmax(p);
            if (best != last[0] || step % Math.max(1, every) == 0 || step == frames.steps()) {
                out.printf(Locale.ROOT, "%.2f,%d,%s,%.4f%n", step * frameSeconds, step, classes.get(best), p[best]);
                last[0] = best;
            }
        });
        return Main.OK;
    }
}
