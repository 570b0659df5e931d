package dev.rnn4j.cli;

import dev.rnn4j.data.text.PennTreebankChars;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code rnn4j data <what>}: prepares data sets that are derived from files rather than stored. */
@Command(name = "data", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class,
        synopsisSubcommandLabel = "<what>",
        description = {"Prepares a data set that is derived from other files (the work is in the data library; this only "
            + "parses and prints)."},
        commandListHeading = "%nData sets:%n",
        subcommands = {DataCommand.PtbChars.class})
final class DataCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "which data set? (data sets: " + String.join(", ", spec.subcommands().keySet()) + ")");
    }

    /** {@code rnn4j data ptb-chars}: the character-level Penn Treebank from the word-level files ({@link PennTreebankChars}). */
    @Command(name = "ptb-chars", mixinStandardHelpOptions = true, versionProvider = RootCommand.Version.class, showDefaultValues = true,
            description = {"Writes ptb.char.{train,valid,test}.txt, the character-level Penn Treebank (Mikolov's split), derived "
                + "from the word-level ptb.{train,valid,test}.txt: each word spelled with spaces between its characters, \"_\" "
                + "between words, a line per sentence. Train on them with --level word --tokenizer whitespace. Prints each file's "
                + "size, symbols and sha256 (train: " + PennTreebankChars.TRAIN_SHA256 + " from the canonical ptb.train.txt).", ""})
    static final class PtbChars implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--ptb-dir", required = true, paramLabel = "DIR", description = "the folder with ptb.train.txt, ptb.valid.txt, ptb.test.txt")
        Path ptbDir;

        @Option(names = "--out-dir", required = true, paramLabel = "DIR", description = "where the character files go (created if needed)")
        Path outDir;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            for (String part : new String[] {"train", "valid", "test"}) {
                Path words = ptbDir.resolve("ptb." + part + ".txt");
                if (!Files.isRegularFile(words)) throw new UsageException("data ptb-chars: " + words + " not found");
            }
            for (String part : new String[] {"train", "valid", "test"}) {
                Path words = ptbDir.resolve("ptb." + part + ".txt"), chars = outDir.resolve("ptb.char." + part + ".txt");
                PennTreebankChars.Derived d = PennTreebankChars.derive(words, chars);
                String check = part.equals("train") ? (d.sha256().equals(PennTreebankChars.TRAIN_SHA256) ? " (the published sha256)"
                        : " (NOT the published " + PennTreebankChars.TRAIN_SHA256 + ": is ptb.train.txt the canonical one?)") : "";
                out.printf(Locale.ROOT, "%s: %,d bytes, %,d symbols, sha256 %s%s%n", d.file(), d.bytes(), d.symbols(), d.sha256(), check);
            }
            return Main.OK;
        }
    }
}
