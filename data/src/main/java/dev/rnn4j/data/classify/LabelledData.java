package dev.rnn4j.data.classify;

import java.util.List;
import java.util.Objects;

/**
 * Records read from one source, all encoded by one {@link SequenceEncoding}.
 *
 * @param records   in the order the source defines (files in the order given or by sorted name, records in file order)
 * @param encoding  the encoding used (fitted on these records when none was given)
 * @param augmenter extra training views of a record, or null; the classifier calls it for training records only,
 *                  after the split, so no augmented copy of a test record reaches training
 * @param source    the source as the user named it, for messages and the metrics file
 */
public record LabelledData(List<LabelledSequence> records, SequenceEncoding encoding, Augmenter augmenter, String source) {
    public LabelledData {
        records = List.copyOf(records);
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(source, "source");
    }

    /** Training-time augmentation: more examples made from one record. */
    @FunctionalInterface
    public interface Augmenter {
        /**
         * @param record a training record
         * @param seed   derived from the run's seed, the epoch-independent record index and the copy number, so the
         *               augmented set is the same run after run
         * @return extra inputs (without targets) with the record's label; may be empty
         */
        List<dev.rnn4j.train.Example> augment(LabelledSequence record, long seed);
    }
}
