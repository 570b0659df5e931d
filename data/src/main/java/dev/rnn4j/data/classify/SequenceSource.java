package dev.rnn4j.data.classify;

/**
 * Where labelled sequences come from: a set of FASTA files, a folder of WAV files, a CSV of sentences. Each domain
 * has its sources (records of their settings); the command line builds one from its options.
 */
public interface SequenceSource {
    /**
     * Reads and encodes every record.
     *
     * @param fitted the encoding to use (a trained model's, or the training set's for its test set), or null to
     *               choose and fit one on these records (vocabulary, normalisation statistics)
     * @throws dev.rnn4j.data.DataFileException naming the file and the line, byte or record at fault
     */
    LabelledData read(SequenceEncoding fitted);
}
